// Keypad digits reach the model grouped, mapped keys act without it, and the two clocks (max
// call duration, caller silence) warn or re-prompt first, then end the call politely.
import { afterEach, describe, expect, it } from 'vitest';
import { DaemonHarness, writeAgentsFile } from '../../support/daemon-harness.ts';
import { tone } from '../../support/fake-asterisk/g711.ts';
import { receptionistAgents } from './receptionist-agents.ts';

const SHORT_REPLY = { replyAudio: () => tone(440, 200, 'ulaw') };

describe('keypad input', () => {
  let harness: DaemonHarness | undefined;
  afterEach(async () => {
    await harness?.stop();
    harness = undefined;
  });

  it('groups digits by the inter-digit timeout and gives them to the model', async () => {
    harness = await DaemonHarness.start({
      realtime: SHORT_REPLY,
      env: { AGENTS_FILE: writeAgentsFile(receptionistAgents()) },
    });
    const call = await harness.placeCall();
    const session = await harness.realtime.waitForSession(0);
    await session.waitFor(() => session.responses[0]?.status === 'completed', 5000);
    for (const digit of ['4', '2', '#']) await call.pressDigit(digit, 50);
    await session.waitFor(() => session.textItems.length === 1, 5000);
    expect(session.textItems[0]).toMatchObject({
      role: 'user',
      text: '(The caller pressed on the phone keypad: 4 2 #)',
    });
    await session.waitFor(() => session.responses.length === 2, 5000);
    call.hangup();
    await harness.waitForCallEnded(call.channelId);
    const record = await harness.daemon.store!.getCall(
      harness.logged('call arrived')[0]!['callId'] as string,
    );
    expect(record?.dtmf).toEqual([expect.objectContaining({ digits: '42#', handledBy: 'model' })]);
  });

  it('acts on a mapped key without the model: 0 transfers to the operator', async () => {
    harness = await DaemonHarness.start({
      realtime: SHORT_REPLY,
      env: { AGENTS_FILE: writeAgentsFile(receptionistAgents()) },
    });
    const call = await harness.placeCall();
    const session = await harness.realtime.waitForSession(0);
    await session.waitFor(() => session.responses[0]?.status === 'completed', 5000);
    await call.pressDigit('0', 50);
    await harness.asterisk.waitFor(() => call.continuedTo !== undefined, 5000);
    expect(call.continuedTo).toMatchObject({ context: 'staff', extension: '200' });
    expect(session.textItems).toEqual([]);
  });
});

describe('call clocks', () => {
  let harness: DaemonHarness | undefined;
  afterEach(async () => {
    await harness?.stop();
    harness = undefined;
  });

  it('warns before the maximum duration, then says goodbye and ends the call', async () => {
    const extra = '    maxCallDurationSec: 3\n    durationWarningSec: 2\n';
    harness = await DaemonHarness.start({
      realtime: SHORT_REPLY,
      env: {
        AGENTS_FILE: writeAgentsFile(receptionistAgents().replace('    dtmf:\n', `${extra}    dtmf:\n`)),
      },
    });
    const call = await harness.placeCall();
    const session = await harness.realtime.waitForSession(0);
    await call.waitForHangup(8000);
    const asked = session
      .receivedOfType('response.create')
      .map((event) => event.response?.instructions ?? '');
    expect(asked.some((text) => /will have to end/.test(text))).toBe(true);
    expect(asked.some((text) => /time limit .* goodbye/i.test(text))).toBe(true);
    expect(await harness.waitForCallEnded(call.channelId)).toMatchObject({
      reason: 'max_duration',
      callerOutcome: 'hung_up',
    });
  });

  it('re-prompts a silent caller once, then ends the call', async () => {
    harness = await DaemonHarness.start({
      realtime: SHORT_REPLY,
      env: {
        AGENTS_FILE: writeAgentsFile(
          receptionistAgents().replace('    dtmf:\n', '    idleTimeoutSec: 1\n    dtmf:\n'),
        ),
      },
    });
    const call = await harness.placeCall();
    const session = await harness.realtime.waitForSession(0);
    await call.waitForHangup(8000);
    const asked = session
      .receivedOfType('response.create')
      .map((event) => event.response?.instructions ?? '');
    expect(asked.filter((text) => /still there/.test(text))).toHaveLength(1);
    expect(asked.some((text) => /still silent.*goodbye/i.test(text))).toBe(true);
    expect(await harness.waitForCallEnded(call.channelId)).toMatchObject({ reason: 'caller_idle' });
  });

  it('does not count the caller as silent while they speak', async () => {
    harness = await DaemonHarness.start({
      realtime: SHORT_REPLY,
      env: {
        AGENTS_FILE: writeAgentsFile(
          receptionistAgents().replace('    dtmf:\n', '    idleTimeoutSec: 1\n    dtmf:\n'),
        ),
      },
    });
    const call = await harness.placeCall();
    const session = await harness.realtime.waitForSession(0);
    await session.waitFor(() => session.responses[0]?.status === 'completed', 5000);
    await call.sendAudio(tone(600, 1500, 'ulaw'));
    const asked = session
      .receivedOfType('response.create')
      .map((event) => event.response?.instructions ?? '');
    expect(asked.filter((text) => /still there/.test(text))).toEqual([]);
    expect(call.alive).toBe(true);
  });
});
