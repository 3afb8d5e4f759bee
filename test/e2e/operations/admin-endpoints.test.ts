// The admin server: health and readiness without a token, metrics and the calls API with one.
import { afterEach, describe, expect, it } from 'vitest';
import { DaemonHarness, freePort } from '../../support/daemon-harness.ts';
import { tone } from '../../support/fake-asterisk/g711.ts';

describe('admin endpoints', () => {
  let harness: DaemonHarness | undefined;
  afterEach(async () => {
    await harness?.stop();
    harness = undefined;
  });

  async function start(env: Record<string, string> = {}): Promise<{ h: DaemonHarness; base: string }> {
    const port = await freePort();
    harness = await DaemonHarness.start({
      realtime: { replyAudio: () => tone(440, 1000, 'ulaw'), deltaIntervalMs: 40 },
      env: { ADMIN_PORT: String(port), ADMIN_TOKEN: 'ops-token', ...env },
    });
    return { h: harness, base: `http://127.0.0.1:${port}` };
  }
  const auth = { headers: { Authorization: 'Bearer ops-token' } };

  it('answers /healthz and /readyz without a token, and explains not being ready', async () => {
    const { h, base } = await start({ MAX_CONCURRENT_CALLS: '1' });
    expect(await (await fetch(`${base}/healthz`)).json()).toEqual({ status: 'ok' });
    expect((await fetch(`${base}/readyz`)).status).toBe(200);
    const call = await h.placeCall();
    await h.waitForLog('call answered');
    const full = await fetch(`${base}/readyz`);
    expect(full.status).toBe(503);
    expect(await full.json()).toEqual({
      status: 'not ready',
      reasons: ['at capacity (MAX_CONCURRENT_CALLS)'],
    });
    call.hangup();
    await h.waitForCallEnded(call.channelId);
    h.asterisk.dropEventSockets();
    const down = (await (await fetch(`${base}/readyz`)).json()) as { reasons: string[] };
    expect(down.reasons).toContain('ARI events socket not connected');
  });

  it('serves Prometheus metrics behind the token', async () => {
    const { h, base } = await start();
    expect((await fetch(`${base}/metrics`)).status).toBe(401);
    const call = await h.placeCall();
    const session = await h.realtime.waitForSession(0);
    await h.asterisk.waitFor(() => call.heard.length > 10, 5000);
    call.sendRtpRaw(Buffer.alloc(5));
    await call.sendAudio(tone(700, 400, 'ulaw'));
    await session.waitFor(() => session.responses[1]?.status === 'completed', 8000);
    const during = await (await fetch(`${base}/metrics`, auth)).text();
    expect(during).toMatch(/^callbridge_active_calls 1$/m);
    call.hangup();
    await h.waitForCallEnded(call.channelId);
    const text = await (await fetch(`${base}/metrics`, auth)).text();
    expect(text).toMatch(/^callbridge_active_calls 0$/m);
    expect(text).toMatch(/^callbridge_calls_ended_total\{reason="caller_hangup"\} 1$/m);
    expect(text).toMatch(/^callbridge_rtp_packets_total\{direction="in"\} [1-9]\d*$/m);
    expect(text).toMatch(/^callbridge_rtp_packets_total\{direction="out"\} [1-9]\d*$/m);
    expect(text).toMatch(/^callbridge_rtp_dropped_total\{reason="too_short"\} 1$/m);
    expect(text).toMatch(/^callbridge_outbound_frame_lateness_ms_count [1-9]\d*$/m);
    expect(text).toMatch(/^callbridge_answer_to_greeting_ms_count 1$/m);
    expect(text).toMatch(/^callbridge_turn_latency_ms_count [1-9]\d*$/m);
    expect(text).toMatch(/^callbridge_barge_in_reaction_ms_count 1$/m);
    expect(text).toMatch(/^callbridge_tokens_total\{kind="outputAudioTokens"\} [1-9]\d*$/m);
    expect(text).toMatch(/^callbridge_cost_usd_total [0-9.e-]+$/m);
    expect(text).toMatch(/^process_cpu_user_seconds_total /m);
    expect(text).toMatch(/^nodejs_eventloop_lag_seconds /m);
  });

  it('binds to loopback by default', async () => {
    const { h } = await start();
    expect(h.config.admin.host).toBe('127.0.0.1');
  });
});
