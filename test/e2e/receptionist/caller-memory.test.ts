// Caller memory: the second call of a caller gets the summary of the first; forget_me erases it.
import { afterEach, describe, expect, it } from 'vitest';
import { DaemonHarness, writeAgentsFile } from '../../support/daemon-harness.ts';
import { tone } from '../../support/fake-asterisk/g711.ts';
import { receptionistAgents } from './receptionist-agents.ts';

const SUMMARY = 'Jane Doe wants to move her cleaning to next Tuesday; not yet confirmed.';

describe('caller memory', () => {
  let harness: DaemonHarness | undefined;
  afterEach(async () => {
    await harness?.stop();
    harness = undefined;
  });

  async function conversation(h: DaemonHarness, index: number) {
    const call = await h.placeCall({ callerNumber: '+15557654321', callerName: 'Jane Doe' });
    const session = await h.realtime.waitForSession(index);
    await session.waitFor(() => session.responses[0]?.status === 'completed', 5000);
    await call.sendAudio(tone(600, 500, 'ulaw'));
    await session.waitFor(() => session.responses[1]?.status === 'completed', 8000);
    return { call, session };
  }

  it('gives the second call the summary of the first', async () => {
    harness = await DaemonHarness.start({
      realtime: { replyAudio: () => tone(440, 200, 'ulaw'), textReply: () => SUMMARY },
      env: { AGENTS_FILE: writeAgentsFile(receptionistAgents()) },
    });
    const first = await conversation(harness, 0);
    expect(first.session.config.instructions).not.toContain('called');
    first.call.hangup();
    await harness.waitForLog('caller memory updated');
    expect(first.session.textResponses[0]).toMatchObject({
      outOfBand: true,
      metadata: { purpose: 'summary' },
    });

    const second = await conversation(harness, 1);
    expect(second.session.config.instructions).toContain('This caller has called once before');
    expect(second.session.config.instructions).toContain(SUMMARY);
    second.call.hangup();
    await harness.waitForCallEnded(second.call.channelId);
    const memory = await harness.daemon.store!.getMemory('front', '+15557654321');
    expect(memory).toMatchObject({ callCount: 2, summary: SUMMARY });
  });

  it('forgets a caller who asks, and writes nothing new for that call', async () => {
    harness = await DaemonHarness.start({
      realtime: { replyAudio: () => tone(440, 200, 'ulaw'), textReply: () => SUMMARY },
      env: { AGENTS_FILE: writeAgentsFile(receptionistAgents()) },
    });
    const first = await conversation(harness, 0);
    first.call.hangup();
    await harness.waitForLog('caller memory updated');

    const second = await conversation(harness, 1);
    second.session.callTool('forget_me', {});
    await second.session.waitFor(() => second.session.toolOutputs.length === 1, 5000);
    expect(second.session.toolOutputs[0]?.parsed).toMatchObject({ ok: true });
    expect(await harness.daemon.store!.getMemory('front', '+15557654321')).toBeNull();
    second.call.hangup();
    await harness.waitForCallEnded(second.call.channelId);
    expect(await harness.daemon.store!.getMemory('front', '+15557654321')).toBeNull();
    expect(second.session.textResponses).toEqual([]);
    // The first call's record keeps its timings but no longer the caller's words.
    const firstId = harness.logged('call arrived')[0]!['callId'] as string;
    const record = await harness.daemon.store!.getCall(firstId);
    expect(record?.turns.every((turn) => turn.text === '[forgotten]')).toBe(true);
    expect(record?.callerName).toBe('');
  });
});
