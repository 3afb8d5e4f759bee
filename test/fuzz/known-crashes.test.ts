// Bugs the fuzzers found, each reproduced on its own so it stays fixed. A new find goes here
// as `it.fails` (the right behaviour, failing) until its fix lands, then becomes a plain `it`.
import { afterEach, describe, expect, it } from 'vitest';
import { decodeServerEvent } from '../../src/ai/realtime/realtime-protocol.ts';
import { SOAK_APP, SoakDaemonProcess } from '../soak/soak-daemon-process.ts';
import { DaemonHarness } from '../support/daemon-harness.ts';
import { FakeAsterisk } from '../support/fake-asterisk/fake-asterisk.ts';
import { FakeRealtimeServer } from '../support/fake-realtime/fake-realtime-server.ts';
import { PROTOTYPE_KEY_TYPES } from './realtime-fuzz-messages.ts';

describe('known bugs found by fuzzing', () => {
  let harness: DaemonHarness | undefined;
  afterEach(async () => {
    await harness?.stop();
    harness = undefined;
  });

  // decodeServerEvent looks the type up in plain object literals (REQUIRED_STRING_FIELDS[type]),
  // so {"type":"constructor"} iterates Object and throws in the socket's message listener: an
  // uncaught exception, and main.ts exits, ending every call. Fix: Object.hasOwn or a Map.
  it('decodes a server event whose type is an Object.prototype key without throwing', () => {
    for (const type of PROTOTYPE_KEY_TYPES) {
      expect(() => decodeServerEvent(JSON.stringify({ type })), type).not.toThrow();
    }
  });

  // recordUsage adds whatever response.usage holds: "12" makes the token counts strings, two
  // 1e308s make Infinity. At the end of the call recordCallMetrics passes them to prom-client,
  // whose Counter.inc throws; CallSession.#finish rejects unhandled and the process exits (the
  // call record is not stored, the call never leaves the orchestrator). Fix: count only finite
  // non-negative numbers in recordUsage.
  it('survives a response.done whose token usage is not a count', async () => {
    const asterisk = await FakeAsterisk.start({ password: 'known-bugs' });
    const realtime = await FakeRealtimeServer.start({ apiKey: 'sk-known-bugs' });
    const daemon = await SoakDaemonProcess.start({
      asterisk,
      realtime,
      realtimeApiKey: 'sk-known-bugs',
      rtpPortMin: 40_200,
      rtpPortMax: 40_209,
      env: { LEFTOVER_SWEEP_CRON: '' },
    });
    try {
      const call = await asterisk.placeCall({ did: '1000', app: SOAK_APP });
      await call.waitForState('Up', 5000);
      const session = await realtime.waitForSession(0);
      await session.waitFor(() => session.responses[0]?.status === 'completed', 5000);
      const usage = { input_tokens: '12', output_tokens: 1e308 };
      for (const id of ['resp_a', 'resp_b']) {
        session.sendRaw(
          JSON.stringify({
            type: 'response.done',
            event_id: 'e',
            response: { id, status: 'completed', output: [], usage },
          }),
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
      call.hangup();
      await daemon.takeCallEnded(call.channelId);
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(daemon.exited, daemon.describeExit()).toBe(false);
      expect((await daemon.stats()).activeCalls).toBe(0);
    } finally {
      daemon.kill();
      await asterisk.stop();
      await realtime.stop();
    }
  }, 30_000);

  // The ARI decoder checks channel id, name and state, but CallSession also reads caller.number,
  // caller.name and dialplan.exten: a StasisStart without them passes the decoder and throws in
  // the CallSession constructor. The throw is caught and logged ('an ARI event handler failed'),
  // but the event is counted nowhere. (With dialplan not an object and no args, the call runs
  // with `dialled` undefined and its record cannot be stored.) Fix: check them in the decoder.
  it('counts a StasisStart without caller or dialplan as malformed', async () => {
    harness = await DaemonHarness.start({ env: { LOG_LEVEL: 'info' } });
    const before = harness.daemon.events.stats.malformed;
    for (const channel of [
      { id: '1700000001.1', name: 'PJSIP/x-1', state: 'Ring' },
      { id: '1700000001.2', name: 'PJSIP/x-2', state: 'Ring', caller: null, dialplan: null },
    ]) {
      harness.asterisk.sendRawEvent(
        JSON.stringify({
          type: 'StasisStart',
          application: harness.config.ari.app,
          timestamp: 't',
          args: [],
          channel,
        }),
      );
    }
    await harness.asterisk
      .waitFor(() => harness!.daemon.events.stats.received >= 2, 2000)
      .catch(() => undefined);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(harness.logged('an ARI event handler failed')).toEqual([]);
    expect(harness.daemon.events.stats.malformed - before).toBe(2);
  });

  // DtmfCollector looks the digit up in the agent's keys, a plain object, and the decoder only
  // checks that `digit` is a string: a ChannelDtmfReceived with digit "constructor" is taken for
  // a mapped key (Object.prototype.constructor) and the agent announces a transfer to nowhere.
  // Asterisk only sends 0-9, A-D, * and #. Fix: accept only those, or Object.hasOwn on the keys.
  it('takes only real keypad digits for mapped keys', async () => {
    harness = await DaemonHarness.start({ env: { LOG_LEVEL: 'info' } });
    const call = await harness.placeCall();
    await harness.waitForLog('call answered');
    harness.asterisk.sendRawEvent(
      JSON.stringify({
        type: 'ChannelDtmfReceived',
        application: harness.config.ari.app,
        timestamp: 't',
        digit: 'constructor',
        duration_ms: 100,
        channel: call.channel(),
      }),
    );
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(harness.logged('caller pressed a mapped key')).toEqual([]);
    call.hangup();
    await harness.waitForCallEnded(call.channelId);
  });
});
