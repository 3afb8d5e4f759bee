import type {
  RealtimeAudioConfig,
  RealtimeAudioConfigInput,
  RealtimeAudioConfigOutput,
  RealtimeAudioFormats,
  RealtimeAudioInputTurnDetection,
  RealtimeSessionCreateRequest,
} from 'openai/resources/realtime/realtime';
import { audioFormatTypes, formatObject, isAudioFormatType } from './audio-format.ts';
import type { VadParams } from './energy-vad.ts';
import {
  invalidType,
  invalidValue,
  isRecord,
  missingParameter,
  numberRange,
  type RealtimeParamError,
  unknownParameter,
} from './param-errors.ts';
import { newRealtimeId } from './realtime-ids.ts';
import { toolChoiceError, toolsError } from './tool-config.ts';

export {
  invalidType,
  invalidValue,
  isRecord,
  missingParameter,
  numberRange,
  type RealtimeParamError,
  unknownParameter,
} from './param-errors.ts';

// The session object as the GA server reports it: the create request plus id/object/expires_at.
export type FakeSessionObject = RealtimeSessionCreateRequest & {
  id: string;
  object: 'realtime.session';
  expires_at: number;
};

export type SessionUpdateResult =
  | { ok: true; session: FakeSessionObject }
  | { ok: false; error: RealtimeParamError };

export const defaultInstructions = 'You are a helpful voice assistant (fake Realtime server default).';
export const defaultVoice = 'alloy';
const sessionLifetimeSeconds = 60 * 60;

export function serverVadDefaults(): RealtimeAudioInputTurnDetection.ServerVad {
  return {
    type: 'server_vad',
    threshold: 0.5,
    prefix_padding_ms: 300,
    silence_duration_ms: 200,
    idle_timeout_ms: null,
    create_response: true,
    interrupt_response: true,
  };
}

function semanticVadDefaults(): RealtimeAudioInputTurnDetection.SemanticVad {
  return { type: 'semantic_vad', eagerness: 'auto', create_response: true, interrupt_response: true };
}

export function defaultSessionObject(model: string, nowMs: number): FakeSessionObject {
  return {
    type: 'realtime',
    object: 'realtime.session',
    id: newRealtimeId('sess'),
    model,
    output_modalities: ['audio'],
    instructions: defaultInstructions,
    tools: [],
    tool_choice: 'auto',
    max_output_tokens: 'inf',
    tracing: null,
    truncation: 'auto',
    prompt: null,
    expires_at: Math.floor(nowMs / 1000) + sessionLifetimeSeconds,
    audio: {
      input: { format: formatObject('audio/pcm'), turn_detection: serverVadDefaults() },
      output: { format: formatObject('audio/pcm'), voice: defaultVoice, speed: 1 },
    },
  };
}

// The energy VAD's parameters for a turn_detection config (semantic_vad approximated by eagerness).
export function vadParamsFor(turnDetection: RealtimeAudioInputTurnDetection): VadParams {
  if (turnDetection.type === 'server_vad') {
    return {
      threshold: turnDetection.threshold ?? 0.5,
      prefixPaddingMs: turnDetection.prefix_padding_ms ?? 300,
      silenceDurationMs: turnDetection.silence_duration_ms ?? 200,
    };
  }
  const silenceByEagerness = { low: 1500, medium: 800, high: 300, auto: 800 } as const;
  return {
    threshold: 0.5,
    prefixPaddingMs: 300,
    silenceDurationMs: silenceByEagerness[turnDetection.eagerness ?? 'auto'],
  };
}

const topLevelKeys = new Set([
  'type',
  'model',
  'instructions',
  'output_modalities',
  'audio',
  'tools',
  'tool_choice',
  'max_output_tokens',
  'tracing',
  'truncation',
  'prompt',
  'include',
  'parallel_tool_calls',
  'reasoning',
]);

// Applies a session.update payload; an invalid payload changes nothing, as on the real server.
export function applySessionUpdate(
  current: FakeSessionObject,
  update: unknown,
  context: { assistantAudioPresent: boolean },
): SessionUpdateResult {
  if (!isRecord(update)) return fail(missingParameter('session'));
  if (update.type === undefined) return fail(missingParameter('session.type'));
  if (update.type !== 'realtime') return fail(invalidValue('session.type', update.type, ['realtime']));
  for (const key of Object.keys(update)) {
    if (!topLevelKeys.has(key)) return fail(unknownParameter(`session.${key}`));
  }
  if ('instructions' in update && typeof update.instructions !== 'string') {
    return fail(invalidType('session.instructions', 'a string', update.instructions));
  }
  if ('output_modalities' in update) {
    const modalities = update.output_modalities;
    const valid =
      Array.isArray(modalities) &&
      modalities.length === 1 &&
      (modalities[0] === 'audio' || modalities[0] === 'text');
    if (!valid) return fail(invalidValue('session.output_modalities', modalities, ["['audio']", "['text']"]));
  }
  const toolError =
    ('tools' in update ? toolsError(update.tools) : undefined) ??
    ('tool_choice' in update ? toolChoiceError(update.tool_choice) : undefined);
  if (toolError) return fail(toolError);
  const next = structuredClone(current);
  const writable = next as unknown as Record<string, unknown>;
  for (const key of Object.keys(update)) {
    if (key !== 'audio' && key !== 'type') writable[key] = structuredClone(update[key]);
  }
  if ('audio' in update) {
    const error = mergeAudio(next, update.audio, context);
    if (error) return fail(error);
  }
  return { ok: true, session: next };
}

function mergeAudio(
  session: FakeSessionObject,
  audio: unknown,
  context: { assistantAudioPresent: boolean },
): RealtimeParamError | undefined {
  if (!isRecord(audio)) return invalidType('session.audio', 'an object', audio);
  for (const key of Object.keys(audio)) {
    if (key !== 'input' && key !== 'output') return unknownParameter(`session.audio.${key}`);
  }
  const config: RealtimeAudioConfig = session.audio ?? {};
  session.audio = config;
  if ('input' in audio) {
    const error = mergeInput(config, audio.input);
    if (error) return error;
  }
  if ('output' in audio) return mergeOutput(config, audio.output, context);
  return undefined;
}

function mergeInput(config: RealtimeAudioConfig, input: unknown): RealtimeParamError | undefined {
  const base = 'session.audio.input';
  if (!isRecord(input)) return invalidType(base, 'an object', input);
  const target: RealtimeAudioConfigInput = config.input ?? {};
  config.input = target;
  for (const [key, value] of Object.entries(input)) {
    if (key === 'format') {
      const parsed = parseFormat(value, `${base}.format`);
      if ('error' in parsed) return parsed.error;
      target.format = parsed.format;
    } else if (key === 'turn_detection') {
      const parsed = parseTurnDetection(value, target.turn_detection ?? null);
      if ('error' in parsed) return parsed.error;
      target.turn_detection = parsed.turnDetection;
    } else if (key === 'transcription' || key === 'noise_reduction') {
      if (value === null) delete target[key];
      else if (isRecord(value)) target[key] = structuredClone(value);
      else return invalidType(`${base}.${key}`, 'an object', value);
    } else {
      return unknownParameter(`${base}.${key}`);
    }
  }
  return undefined;
}

function mergeOutput(
  config: RealtimeAudioConfig,
  output: unknown,
  context: { assistantAudioPresent: boolean },
): RealtimeParamError | undefined {
  const base = 'session.audio.output';
  if (!isRecord(output)) return invalidType(base, 'an object', output);
  const target: RealtimeAudioConfigOutput = config.output ?? {};
  config.output = target;
  for (const [key, value] of Object.entries(output)) {
    if (key === 'format') {
      const parsed = parseFormat(value, `${base}.format`);
      if ('error' in parsed) return parsed.error;
      target.format = parsed.format;
    } else if (key === 'voice') {
      const voice =
        typeof value === 'string' ? value : isRecord(value) && typeof value.id === 'string' ? value.id : null;
      if (voice === null) return invalidType(`${base}.voice`, 'a string', value);
      const currentVoice = typeof target.voice === 'string' ? target.voice : target.voice?.id;
      // The real server fixes the voice once the model has spoken in this session.
      if (context.assistantAudioPresent && voice !== currentVoice) {
        return {
          code: 'cannot_update_voice',
          message: "Cannot update a conversation's voice if assistant audio is present.",
          param: null,
        };
      }
      target.voice = structuredClone(value as RealtimeAudioConfigOutput['voice']);
    } else if (key === 'speed') {
      if (typeof value !== 'number') return invalidType(`${base}.speed`, 'a number', value);
      const rangeError = numberRange(`${base}.speed`, value, 0.25, 1.5, 'decimal');
      if (rangeError) return rangeError;
      target.speed = value;
    } else {
      return unknownParameter(`${base}.${key}`);
    }
  }
  return undefined;
}

function parseFormat(
  value: unknown,
  param: string,
): { format: RealtimeAudioFormats } | { error: RealtimeParamError } {
  if (!isRecord(value)) return { error: invalidType(param, 'an object', value) };
  const type = value.type ?? 'audio/pcm';
  if (!isAudioFormatType(type)) return { error: invalidValue(`${param}.type`, type, audioFormatTypes) };
  if (type === 'audio/pcm' && value.rate !== undefined && value.rate !== 24000) {
    return { error: invalidValue(`${param}.rate`, value.rate, ['24000']) };
  }
  return { format: formatObject(type) };
}

const serverVadKeys = new Set([
  'type',
  'threshold',
  'prefix_padding_ms',
  'silence_duration_ms',
  'idle_timeout_ms',
  'create_response',
  'interrupt_response',
]);
const semanticVadKeys = new Set(['type', 'eagerness', 'create_response', 'interrupt_response']);

function parseTurnDetection(
  value: unknown,
  current: RealtimeAudioInputTurnDetection | null,
): { turnDetection: RealtimeAudioInputTurnDetection | null } | { error: RealtimeParamError } {
  const param = 'session.audio.input.turn_detection';
  if (value === null) return { turnDetection: null };
  if (!isRecord(value)) return { error: invalidType(param, 'an object', value) };
  if (value.type === undefined) return { error: missingParameter(`${param}.type`) };
  if (value.type !== 'server_vad' && value.type !== 'semantic_vad') {
    return { error: invalidValue(`${param}.type`, value.type, ['server_vad', 'semantic_vad']) };
  }
  const allowed = value.type === 'server_vad' ? serverVadKeys : semanticVadKeys;
  for (const key of Object.keys(value)) {
    if (!allowed.has(key)) return { error: unknownParameter(`${param}.${key}`) };
  }
  const checks: [string, number, number][] = [
    ['threshold', 0, 1],
    ['prefix_padding_ms', 0, Number.MAX_SAFE_INTEGER],
    ['silence_duration_ms', 0, Number.MAX_SAFE_INTEGER],
  ];
  for (const [key, min, max] of checks) {
    const field = value[key];
    if (field === undefined) continue;
    if (typeof field !== 'number') return { error: invalidType(`${param}.${key}`, 'a number', field) };
    const rangeError = numberRange(
      `${param}.${key}`,
      field,
      min,
      max,
      key === 'threshold' ? 'decimal' : 'integer',
    );
    if (rangeError) return { error: rangeError };
  }
  const base =
    current?.type === value.type
      ? current
      : value.type === 'server_vad'
        ? serverVadDefaults()
        : semanticVadDefaults();
  return { turnDetection: { ...base, ...value } as RealtimeAudioInputTurnDetection };
}

function fail(error: RealtimeParamError): SessionUpdateResult {
  return { ok: false, error };
}
