// Realtime fuzz input: server messages that are not what callbridge expects. Invalid JSON, JSON
// that is not an event, known event types with fields missing or of the wrong type, huge
// fields, unknown event types, and valid events with ids of nothing in the call (audio deltas of
// unknown responses, truncated base64, responses done that never started).
import type { SeededRandom } from './seeded-random.ts';

export const REALTIME_FUZZ_CATEGORIES = [
  'invalid_json',
  'not_an_event',
  'broken_fields',
  'huge_field',
  'unknown_type',
  'wrong_ids',
  'error_event',
] as const;
export type RealtimeFuzzCategory = (typeof REALTIME_FUZZ_CATEGORIES)[number];

export interface RealtimeFuzzMessage {
  category: RealtimeFuzzCategory;
  raw: string;
}

/** Types whose name is a key of Object.prototype (they used to crash the decoder). */
export const PROTOTYPE_KEY_TYPES = [
  'constructor',
  '__proto__',
  'toString',
  'hasOwnProperty',
  'valueOf',
] as const;

const id = (random: SeededRandom, prefix: string) =>
  `${prefix}_${random.uint32().toString(36)}${random.uint32().toString(36)}`;

/** Minimal well-formed server events of the types callbridge reads, with ids of nothing. */
function template(random: SeededRandom): Record<string, unknown> {
  const eventId = id(random, 'event');
  const responseId = id(random, 'resp');
  const itemId = id(random, 'item');
  return random.pick<() => Record<string, unknown>>([
    () => ({
      type: 'response.output_audio.delta',
      event_id: eventId,
      response_id: responseId,
      item_id: itemId,
      output_index: 0,
      content_index: 0,
      delta: random.bytes(random.between(1, 320)).toString('base64'),
    }),
    () => ({
      type: 'response.output_audio.done',
      event_id: eventId,
      response_id: responseId,
      item_id: itemId,
      output_index: 0,
      content_index: 0,
    }),
    () => ({
      type: 'response.output_audio_transcript.done',
      event_id: eventId,
      response_id: responseId,
      item_id: itemId,
      output_index: 0,
      content_index: 0,
      transcript: 'fuzz',
    }),
    () => ({
      type: 'conversation.item.input_audio_transcription.completed',
      event_id: eventId,
      item_id: itemId,
      content_index: 0,
      transcript: 'fuzz caller',
    }),
    () => ({
      type: 'input_audio_buffer.speech_started',
      event_id: eventId,
      item_id: itemId,
      audio_start_ms: random.int(10_000),
    }),
    () => ({
      type: 'input_audio_buffer.speech_stopped',
      event_id: eventId,
      item_id: itemId,
      audio_end_ms: random.int(10_000),
    }),
    () => ({
      type: 'response.created',
      event_id: eventId,
      response: { id: responseId, object: 'realtime.response', status: 'in_progress', output: [] },
    }),
    () => ({
      type: 'response.done',
      event_id: eventId,
      response: {
        id: responseId,
        object: 'realtime.response',
        status: random.pick(['completed', 'cancelled', 'failed', 'incomplete']),
        output: [],
        usage: { total_tokens: 10, input_tokens: 4, output_tokens: 6 },
      },
    }),
    () => ({
      type: 'response.output_text.done',
      event_id: eventId,
      response_id: responseId,
      item_id: itemId,
      output_index: 0,
      content_index: 0,
      text: 'fuzz text',
    }),
    () => ({
      type: 'response.function_call_arguments.done',
      event_id: eventId,
      response_id: responseId,
      item_id: itemId,
      output_index: 0,
      call_id: id(random, 'call'),
      name: `fuzz_tool_${random.int(5)}`,
      arguments: '{}',
    }),
    () => ({ type: 'session.updated', event_id: eventId, session: { type: 'realtime' } }),
    () => ({ type: 'session.created', event_id: eventId, session: { type: 'realtime' } }),
    () => ({
      type: 'conversation.item.input_audio_transcription.failed',
      event_id: eventId,
      item_id: itemId,
      content_index: 0,
      error: { type: 'x', message: 'fuzz' },
    }),
    () => ({ type: 'rate_limits.updated', event_id: eventId, rate_limits: [] }),
    () => ({
      type: 'conversation.item.truncated',
      event_id: eventId,
      item_id: itemId,
      content_index: 0,
      audio_end_ms: 0,
    }),
  ])();
}

/** A value of some other type than a field should have. */
function wrongValue(random: SeededRandom): unknown {
  return random.pick<() => unknown>([
    () => null,
    () => random.int(1e9) - 5e8,
    () => random.chance(0.5),
    () => [],
    () => ['a', 1, null],
    () => ({}),
    () => ({ nested: { deeper: [1, 2, 3] } }),
    () => '',
    () => 'x'.repeat(random.between(1, 2000)),
    () => Number.MAX_SAFE_INTEGER,
    () => -1,
    () => 1.5,
    () => '\u0000\uffff\ud800',
  ])();
}

function brokenFields(random: SeededRandom): string {
  const event = template(random);
  const keys = Object.keys(event).filter((key) => key !== 'type');
  for (let n = random.between(1, 3); n > 0; n--) {
    const key = random.pick(keys);
    const response = event['response'];
    const target =
      random.chance(0.3) && typeof response === 'object' && response !== null && !Array.isArray(response)
        ? (response as Record<string, unknown>)
        : event;
    if (target !== event) {
      const inner = random.pick(['id', 'status', 'usage', 'metadata', 'output', 'status_details']);
      if (random.chance(0.3)) delete target[inner];
      else
        target[inner] = inner === 'usage' && random.chance(0.5) ? garbageUsage(random) : wrongValue(random);
    } else if (random.chance(0.4)) delete event[key];
    else event[key] = wrongValue(random);
  }
  return JSON.stringify(event);
}

/** Token counts that are not numbers, or numbers that are not counts (they used to crash the daemon). */
function garbageUsage(random: SeededRandom): unknown {
  return random.pick<() => unknown>([
    () => 'lots',
    () => ({ input_tokens: '12', output_tokens: null, input_token_details: 'none' }),
    () => ({ input_tokens: -5, output_tokens: 1e308, output_token_details: { audio_tokens: '7' } }),
    () => ({ input_token_details: { cached_tokens: [] } }),
    () => [1, 2],
  ])();
}

function truncatedBase64(random: SeededRandom): string {
  const whole = random.bytes(random.between(1, 400)).toString('base64');
  return random.pick([
    whole.slice(0, random.int(whole.length)),
    `${whole}=`,
    whole.replace(/[A-Z]/g, '@'),
    '====',
    '',
    'A',
    `${whole.slice(0, 5)} ${whole.slice(5)}`,
  ]);
}

export interface RealtimeFuzzOptions {
  /** Largest huge field, in characters. */
  hugeChars?: number;
}

export function realtimeFuzzMessage(
  random: SeededRandom,
  options: RealtimeFuzzOptions = {},
): RealtimeFuzzMessage {
  const category = random.weighted<RealtimeFuzzCategory>([
    [15, 'invalid_json'],
    [10, 'not_an_event'],
    [30, 'broken_fields'],
    [3, 'huge_field'],
    [12, 'unknown_type'],
    [25, 'wrong_ids'],
    [5, 'error_event'],
  ]);
  return { category, raw: build(category, random, options) };
}

function build(category: RealtimeFuzzCategory, random: SeededRandom, options: RealtimeFuzzOptions): string {
  switch (category) {
    case 'invalid_json': {
      const valid = JSON.stringify(template(random));
      return random.pick<() => string>([
        () => valid.slice(0, random.int(valid.length)),
        () => `${valid}}`,
        () => valid.replace(/"/g, "'"),
        () => random.bytes(random.between(1, 200)).toString('latin1'),
        () => '',
        () => '{',
        () => '{"type":',
        () => 'undefined',
        () => 'NaN',
        () => `${valid},${valid}`,
      ])();
    }
    case 'not_an_event':
      return random.pick([
        'null',
        '42',
        '"response.done"',
        '[]',
        '[{"type":"response.done","response":{}}]',
        'true',
        '{}',
        '{"type":42}',
        '{"type":null}',
        '{"type":{"type":"error"}}',
        '{"type":["response.done"]}',
        '{"type":true}',
        '{"Type":"response.done"}',
      ]);
    case 'broken_fields':
      return brokenFields(random);
    case 'huge_field': {
      const size = random.between(100_000, options.hugeChars ?? 1_000_000);
      const big = 'z'.repeat(size);
      return random.pick<() => string>([
        () =>
          JSON.stringify({
            type: 'conversation.item.input_audio_transcription.completed',
            event_id: 'e',
            item_id: 'item_huge',
            content_index: 0,
            transcript: big,
          }),
        () =>
          JSON.stringify({
            type: 'response.output_audio_transcript.done',
            event_id: 'e',
            response_id: 'r',
            item_id: 'item_huge',
            output_index: 0,
            content_index: 0,
            transcript: big,
          }),
        () => JSON.stringify({ type: 'fuzz.unknown.huge', payload: big }),
        () =>
          JSON.stringify({
            type: 'error',
            event_id: 'e',
            error: { type: 'server_error', code: 'fuzz_huge', message: big },
          }),
        () =>
          JSON.stringify({
            type: 'rate_limits.updated',
            event_id: 'e',
            rate_limits: Array.from({ length: size / 100 }, () => ({ name: 'x', limit: 1 })),
          }),
        () => JSON.stringify({ type: 'session.updated', event_id: 'e', session: { instructions: big } }),
      ])();
    }
    case 'unknown_type': {
      const names = [
        'response.output_audio.delta.v2',
        'fuzz.event',
        'RESPONSE.DONE',
        ' response.done',
        'response.done ',
        `x.${random.uint32().toString(36)}`,
        '',
        'response',
        'error.',
        'prototype',
        ...PROTOTYPE_KEY_TYPES,
      ];
      return JSON.stringify({ type: random.pick(names), event_id: 'e', anything: wrongValue(random) });
    }
    case 'wrong_ids': {
      const event = template(random);
      if (event['type'] === 'response.output_audio.delta' && random.chance(0.5))
        event['delta'] = truncatedBase64(random);
      return JSON.stringify(event);
    }
    case 'error_event':
      return JSON.stringify({
        type: 'error',
        event_id: 'e',
        error: random.pick<() => unknown>([
          () => ({ type: 'server_error', code: 'internal_error', message: 'fuzz' }),
          () => ({ type: 'invalid_request_error', code: null, message: 'fuzz', param: 'x' }),
          () => ({ type: 'invalid_request_error', code: 'response_cancel_not_active', message: 'benign' }),
          () => ({ code: 42, message: ['not', 'a', 'string'] }),
          () => ({}),
        ])(),
      });
  }
}
