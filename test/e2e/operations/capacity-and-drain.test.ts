// Admission and shutdown: a call beyond MAX_CONCURRENT_CALLS gets the busy behaviour; on stop,
// calls in progress may finish during the drain, new ones are turned away, and whatever is left
// when the drain time is up hears a goodbye before the hangup.
import { afterEach, describe, expect, it } from 'vitest';
import { DaemonHarness } from '../../support/daemon-harness.ts';
import { tone } from '../../support/fake-asterisk/g711.ts';

describe('capacity and drain', () => {
  let harness: DaemonHarness | undefined;
  afterEach(async () => {
    await harness?.stop();
    harness = undefined;
  });

  it('plays the busy sound to a call beyond the limit and hangs up', async () => {
    harness = await DaemonHarness.start({ env: { MAX_CONCURRENT_CALLS: '1' } });
    const first = await harness.placeCall();
    await harness.waitForLog('call answered');
    const second = await harness.placeCall({ did: '2000' });
    await second.waitForHangup(5000);
    expect(second.playbacks.flatMap((p) => p.media)).toEqual(['sound:all-circuits-busy-now']);
    expect(first.alive).toBe(true);
    expect(harness.logged('turning away a call')[0]).toMatchObject({ why: 'at_capacity', activeCalls: 1 });
    expect(harness.realtime.sessions).toHaveLength(1);
  });

  it('sends a call beyond the limit to the dialplan when configured', async () => {
    harness = await DaemonHarness.start({
      env: {
        MAX_CONCURRENT_CALLS: '1',
        CAPACITY_ACTION: 'continue',
        CAPACITY_CONTEXT: 'queue',
        CAPACITY_EXTENSION: 'agents',
      },
    });
    await harness.placeCall();
    await harness.waitForLog('call answered');
    const second = await harness.placeCall({ did: '2000' });
    await harness.asterisk.waitFor(() => second.continuedTo !== undefined, 5000);
    expect(second.continuedTo).toMatchObject({ context: 'queue', extension: 'agents', priority: 1 });
  });

  it('lets a call finish during the drain while turning new calls away', async () => {
    harness = await DaemonHarness.start({ env: { SHUTDOWN_DRAIN_TIMEOUT_MS: '10000' } });
    const call = await harness.placeCall();
    await harness.waitForLog('call answered');
    const stopping = harness.daemon.stop();
    const late = await harness.placeCall({ did: '3000' });
    await late.waitForHangup(5000);
    expect(late.playbacks.flatMap((p) => p.media)).toEqual(['sound:all-circuits-busy-now']);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(call.alive).toBe(true);
    call.hangup();
    await stopping;
    expect(harness.logged('call ended')[0]).toMatchObject({ reason: 'caller_hangup' });
  });

  it('ends calls still up when the drain time is up, after the agent says goodbye', async () => {
    harness = await DaemonHarness.start({
      realtime: { replyAudio: () => tone(440, 300, 'ulaw') },
      env: { SHUTDOWN_DRAIN_TIMEOUT_MS: '300', SHUTDOWN_GOODBYE_TIMEOUT_MS: '5000' },
    });
    const call = await harness.placeCall();
    const session = await harness.realtime.waitForSession(0);
    await session.waitFor(() => session.responses[0]?.status === 'completed', 5000);
    await harness.daemon.stop();
    expect(call.alive).toBe(false);
    const asked = session
      .receivedOfType('response.create')
      .map((event) => event.response?.instructions ?? '');
    expect(asked.at(-1)).toMatch(/closing now.*goodbye/i);
    expect(session.responses.at(-1)?.status).toBe('completed');
    expect(harness.logged('call ended')[0]).toMatchObject({ reason: 'shutdown', callerOutcome: 'hung_up' });
  });
});
