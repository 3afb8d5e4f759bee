// The ARI events socket drops: calls keep their media, the socket comes back with backoff,
// and a hangup missed during the outage is reconciled from Asterisk's channel list. When
// Asterisk itself restarts, its calls are gone: they are ended and released, and new calls work.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DaemonHarness, freePort } from '../support/daemon-harness.ts';
import { tone } from '../support/fake-asterisk/g711.ts';

describe('ARI events socket drop', () => {
  let harness: DaemonHarness;

  beforeEach(async () => {
    harness = await DaemonHarness.start({ env: { LEFTOVER_SWEEP_CRON: '' } });
  });
  afterEach(async () => {
    await harness.stop();
  });

  it('keeps calls going and ends the ones whose caller left during the outage', async () => {
    const staying = await harness.placeCall({ did: '1000' });
    const leaving = await harness.placeCall({ did: '2000' });
    for (const call of [staying, leaving]) {
      await harness.waitForLog('call answered', (line) => line['channelId'] === call.channelId);
    }
    harness.asterisk.dropEventSockets();
    leaving.hangup();
    await harness.waitForLog('reconciled calls after ARI reconnect', () => true, 5000);
    expect(harness.daemon.events.stats.reconnects).toBe(1);
    expect(await harness.waitForCallEnded(leaving.channelId)).toMatchObject({ reason: 'caller_hangup' });

    // The other call never lost its media.
    const session = harness.realtime.sessions.find((s) => !s.closed)!;
    const speech = tone(620, 400, 'ulaw');
    await staying.sendAudio(speech);
    await session.waitFor(() => session.inputAudio().includes(speech), 5000);
    expect(harness.daemon.orchestrator.activeCalls).toBe(1);

    // And hangup events flow again on the new socket.
    staying.hangup();
    await harness.waitForCallEnded(staying.channelId);
    await harness.expectNothingLeft();
  });

  it('ends and releases every call when Asterisk restarts, is not ready while it is down, then takes calls again', async () => {
    await harness.stop();
    const port = await freePort();
    harness = await DaemonHarness.start({ env: { LEFTOVER_SWEEP_CRON: '', ADMIN_PORT: String(port) } });
    const ready = async () => (await fetch(`http://127.0.0.1:${port}/readyz`)).json();
    const calls = [await harness.placeCall({ did: '1000' }), await harness.placeCall({ did: '2000' })];
    for (const call of calls) {
      await harness.waitForLog('call answered', (line) => line['channelId'] === call.channelId);
    }
    expect(await ready()).toEqual({ status: 'ready' });

    const restarted = harness.asterisk.restart({ downMs: 600 });
    let whileDown: unknown;
    for (let i = 0; i < 25; i++) {
      whileDown = await ready();
      if ((whileDown as { status: string }).status !== 'ready') break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(whileDown).toMatchObject({ status: 'not ready', reasons: [expect.stringMatching(/ARI/)] });
    await restarted;

    await harness.waitForLog('reconciled calls after ARI reconnect', (line) => line['ended'] === 2, 8000);
    for (const call of calls) {
      expect(await harness.waitForCallEnded(call.channelId)).toMatchObject({ reason: 'caller_hangup' });
    }
    expect(harness.daemon.orchestrator.activeCalls).toBe(0);
    expect(await ready()).toEqual({ status: 'ready' });

    const after = await harness.placeCall();
    await harness.waitForLog('call answered', (line) => line['channelId'] === after.channelId);
    after.hangup();
    await harness.waitForCallEnded(after.channelId);
    await harness.expectNothingLeft();
  });
});
