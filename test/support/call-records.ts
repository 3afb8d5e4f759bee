// Call records for store, CLI and API tests: one full record, varied by overrides.
import type { CallRecord } from '../../src/store/call-store.ts';

export function callRecord(overrides: Partial<CallRecord> = {}): CallRecord {
  return {
    id: 'call-1',
    channelId: '1712345678.42',
    dialled: '200',
    callerNumber: '+4930123456',
    callerName: 'Ada Lovelace',
    agentId: 'reception',
    arrivedAt: '2025-03-01T10:00:00.000Z',
    answeredAt: '2025-03-01T10:00:01.500Z',
    endedAt: '2025-03-01T10:01:05.250Z',
    endReason: 'caller_hangup',
    callerOutcome: 'hung_up',
    turns: [
      {
        at: '2025-03-01T10:00:02.000Z',
        role: 'agent',
        text: 'Hello, how can I help?',
        itemId: 'item_1',
        latencyMs: 640,
      },
      { at: '2025-03-01T10:00:06.100Z', role: 'caller', text: 'Where is my order 1234?', itemId: 'item_2' },
      {
        at: '2025-03-01T10:00:09.000Z',
        role: 'agent',
        text: 'Let me look that up for you, one moment please',
        itemId: 'item_3',
        interrupted: true,
        heardMs: 1200,
        latencyMs: 820,
      },
      { at: '2025-03-01T10:00:11.000Z', role: 'system', text: 'tool lookup_order returned' },
    ],
    toolCalls: [
      {
        at: '2025-03-01T10:00:10.000Z',
        name: 'lookup_order',
        arguments: { orderId: '1234' },
        result: { status: 'shipped', eta: '2025-03-03' },
        ok: true,
        durationMs: 132,
      },
    ],
    bargeIns: [{ at: '2025-03-01T10:00:10.200Z', itemId: 'item_3', heardMs: 1200 }],
    dtmf: [{ at: '2025-03-01T10:00:30.000Z', digits: '42#', handledBy: 'key_action' }],
    turnLatenciesMs: [640, 820, 1500],
    usage: {
      inputTokens: 1800,
      outputTokens: 900,
      inputAudioTokens: 1500,
      outputAudioTokens: 800,
      inputTextTokens: 300,
      outputTextTokens: 100,
      cachedInputTokens: 200,
    },
    costUsd: 0.12345,
    media: { rtpIn: { packets: 3120, dropped: { late: 2 } }, rtpOut: { packets: 3000 } },
    ...overrides,
  };
}

/** A record that arrived `minutesAfter` minutes after 10:00 on 2025-03-01 and lasted a minute. */
export function callAt(id: string, minutesAfter: number, overrides: Partial<CallRecord> = {}): CallRecord {
  const arrived = Date.parse('2025-03-01T10:00:00.000Z') + minutesAfter * 60_000;
  return callRecord({
    id,
    arrivedAt: new Date(arrived).toISOString(),
    answeredAt: new Date(arrived + 1000).toISOString(),
    endedAt: new Date(arrived + 60_000).toISOString(),
    ...overrides,
  });
}
