// Secrets never appear in any log line of a full call, even at debug level, and transcripts can
// be redacted with one setting.
import { afterEach, describe, expect, it } from 'vitest';
import { DaemonHarness, TEST_SECRETS } from '../support/daemon-harness.ts';
import { tone } from '../support/fake-asterisk/g711.ts';

async function fullCall(harness: DaemonHarness): Promise<void> {
  const call = await harness.placeCall();
  const session = await harness.realtime.waitForSession(0);
  await session.waitFor(() => session.responses[0]?.status === 'completed', 5000);
  await call.sendAudio(tone(600, 600, 'ulaw'));
  await session.waitFor(() => session.responses[1]?.status === 'completed', 8000);
  await harness.waitForLog('agent said', (line) => line['itemId'] === session.responses[1]!.itemId);
  call.hangup();
  await harness.waitForCallEnded(call.channelId);
}

describe('log hygiene', () => {
  let harness: DaemonHarness | undefined;

  afterEach(async () => {
    await harness?.stop();
    harness = undefined;
  });

  it('never logs the ARI password or the API key', async () => {
    harness = await DaemonHarness.start({ env: { LOG_LEVEL: 'trace' } });
    await fullCall(harness);
    await harness.daemon.stop();
    const text = harness.logs.map((line) => JSON.stringify(line)).join('\n');
    expect(harness.logs.length).toBeGreaterThan(10);
    expect(text).not.toContain(TEST_SECRETS.ariPassword);
    expect(text).not.toContain(TEST_SECRETS.apiKey);
    expect(text).not.toContain(Buffer.from(`callbridge:${TEST_SECRETS.ariPassword}`).toString('base64'));
  });

  it('replaces transcript text with [redacted] when asked', async () => {
    harness = await DaemonHarness.start({ env: { LOG_REDACT_TRANSCRIPTS: 'true' } });
    await fullCall(harness);
    const transcripts = harness.logs.filter(
      (line) => line.msg === 'caller said' || line.msg === 'agent said',
    );
    expect(transcripts.length).toBeGreaterThanOrEqual(2);
    for (const line of transcripts) expect((line['transcript'] as { text: string }).text).toBe('[redacted]');
    const text = JSON.stringify(harness.logs);
    expect(text).not.toContain(harness.realtime.options.callerTranscript);
    expect(text).not.toContain(harness.realtime.options.replyTranscript);
  });
});
