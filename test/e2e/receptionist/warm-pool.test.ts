// The optional warm pool: sessions opened and configured ahead of calls, claimed by a call (which
// only applies its own settings), refilled, recycled before the provider's limit, closed on stop.
import { afterEach, describe, expect, it } from 'vitest';
import { DaemonHarness } from '../../support/daemon-harness.ts';

describe('warm pool', () => {
  let harness: DaemonHarness | undefined;
  afterEach(async () => {
    await harness?.stop();
    harness = undefined;
  });

  it('answers with a pooled session, refills the pool and closes everything on stop', async () => {
    harness = await DaemonHarness.start({ env: { POOL_SIZE: '1' } });
    const pooled = await harness.realtime.waitForSession(0);
    await harness.asterisk.waitFor(() => harness!.daemon.sessions.pooled === 1, 5000);
    const call = await harness.placeCall();
    const answered = await harness.waitForLog('call answered');
    expect(answered['pooled']).toBe(true);
    // The claimed session got the call's own settings on top of the agent's.
    expect(pooled.receivedOfType('session.update')).toHaveLength(2);
    expect(pooled.receivedOfType('response.create')).toHaveLength(1);
    await harness.asterisk.waitFor(() => harness!.daemon.sessions.pooled === 1, 5000);
    expect(harness.realtime.sessions).toHaveLength(2);
    call.hangup();
    await harness.waitForCallEnded(call.channelId);
    await harness.daemon.stop();
    expect(harness.realtime.sessions.every((session) => session.closed)).toBe(true);
  });

  it('recycles idle pooled sessions before they grow old', async () => {
    harness = await DaemonHarness.start({ env: { POOL_SIZE: '1', POOL_MAX_AGE_MS: '400' } });
    const first = await harness.realtime.waitForSession(0);
    await harness.realtime.waitForSession(1, 3000);
    await first.waitForClose(3000);
    expect(harness.daemon.sessions.pooled).toBeLessThanOrEqual(1);
  });
});
