// The ARI events socket drops: calls keep their media, the socket comes back with backoff,
// and a hangup missed during the outage is reconciled from Asterisk's channel list.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DaemonHarness } from '../support/daemon-harness.ts';
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
});
