// When the Realtime session cannot open in time or fails mid-call, the caller is never left in
// silence: a configured sound then a hangup, or the call continues in the dialplan.
import { afterEach, describe, expect, it } from 'vitest';
import { DaemonHarness, type HarnessOptions } from '../support/daemon-harness.ts';

describe('AI failure', () => {
  let harness: DaemonHarness | undefined;

  afterEach(async () => {
    await harness?.stop();
    harness = undefined;
  });

  async function start(options: HarnessOptions): Promise<DaemonHarness> {
    harness = await DaemonHarness.start(options);
    return harness;
  }

  it('plays the failure sound and hangs up when the Realtime API refuses the session', async () => {
    const h = await start({ realtime: { rejectUpgrade: { status: 500 } } });
    const call = await h.placeCall();
    await call.waitForHangup(5000);
    expect(call.answered).toBe(true);
    expect(call.playbacks.flatMap((playback) => playback.media)).toEqual(['sound:an-error-has-occured']);
    const ended = await h.waitForCallEnded(call.channelId);
    expect(ended).toMatchObject({ reason: 'ai_unavailable', callerOutcome: 'played_and_hung_up' });
    const warning = h.logged('ending call').find((line) => line['channelId'] === call.channelId);
    expect(warning?.['cause']).toMatch(/refused the connection \(HTTP 500\)/);
    await h.expectNothingLeft();
  });

  it('gives up after the configured connect timeout when the handshake stalls', async () => {
    const h = await start({ realtime: { stallHandshake: true }, env: { OPENAI_CONNECT_TIMEOUT_MS: '300' } });
    const call = await h.placeCall();
    await call.waitForHangup(5000);
    const ended = await h.waitForCallEnded(call.channelId);
    expect(ended).toMatchObject({ reason: 'ai_unavailable', callerOutcome: 'played_and_hung_up' });
    expect(h.logged('ending call').at(-1)?.['cause']).toMatch(/within 300 ms/);
    await h.expectNothingLeft();
  });

  it('continues the call in the dialplan when failure.action is continue', async () => {
    const h = await start({
      realtime: { rejectUpgrade: { status: 503 } },
      env: {
        FAILURE_ACTION: 'continue',
        FAILURE_CONTEXT: 'humans',
        FAILURE_EXTENSION: '200',
        FAILURE_PRIORITY: '1',
      },
    });
    const call = await h.placeCall();
    await h.asterisk.waitFor(() => call.continuedTo !== undefined, 5000);
    expect(call.continuedTo).toMatchObject({ context: 'humans', extension: '200', priority: 1 });
    expect(call.playbacks).toEqual([]);
    expect(await h.waitForCallEnded(call.channelId)).toMatchObject({ callerOutcome: 'continued' });
    await h.expectNothingLeft();
  });

  it('falls back mid-call when the Realtime socket drops and cannot be reopened', async () => {
    const h = await start({});
    const call = await h.placeCall();
    const session = await h.realtime.waitForSession(0);
    await session.waitFor(() => session.responses[0]?.status === 'completed', 5000);
    h.realtime.setOptions({ rejectUpgrade: { status: 500 } });
    session.drop();
    await call.waitForHangup(5000);
    expect(call.playbacks.flatMap((playback) => playback.media)).toEqual(['sound:an-error-has-occured']);
    const ended = await h.waitForCallEnded(call.channelId);
    expect(ended).toMatchObject({ reason: 'ai_failed', callerOutcome: 'played_and_hung_up' });
    expect(h.logged('ending call').at(-1)?.['cause']).toMatch(
      /could not be restored after 3 attempts: the Realtime API refused the connection \(HTTP 500\)/,
    );
    await h.expectNothingLeft();
  });

  it('logs a Realtime error event and keeps the call going', async () => {
    const h = await start({});
    const call = await h.placeCall();
    const session = await h.realtime.waitForSession(0);
    await session.waitFor(() => session.responses[0]?.status === 'completed', 5000);
    session.sendError({ type: 'server_error', code: 'internal_error', message: 'The server had an error' });
    session.sendRaw('{"this is": not json');
    const logged = await h.waitForLog('the Realtime API reported an error');
    expect(logged).toMatchObject({ errorType: 'server_error', code: 'internal_error' });
    await h.waitForLog('dropped a malformed Realtime event');
    expect(call.alive).toBe(true);
    expect(h.daemon.orchestrator.activeCalls).toBe(1);
    call.hangup();
    const ended = await h.waitForCallEnded(call.channelId);
    expect(ended).toMatchObject({ reason: 'caller_hangup', conversation: { errorEvents: 1 } });
  });

  it('hangs up without a sound when none is configured', async () => {
    const h = await start({ realtime: { rejectUpgrade: { status: 401 } }, env: { FAILURE_SOUND: '' } });
    const call = await h.placeCall();
    await call.waitForHangup(5000);
    expect(call.playbacks).toEqual([]);
    expect(await h.waitForCallEnded(call.channelId)).toMatchObject({ callerOutcome: 'hung_up' });
  });
});
