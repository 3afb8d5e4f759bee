// Decodes one ARI events-socket message and checks the fields callbridge reads, so handlers
// can trust the types. Anything else is reported as malformed or unknown, never thrown.
import type { AriEvent, AriEventType } from './ari-types.ts';

export type DecodedAriEvent =
  | { kind: 'event'; event: AriEvent }
  | { kind: 'unknown'; type: string }
  | { kind: 'malformed'; reason: string; type?: string };

type Check = (record: Record<string, unknown>) => string | null;

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null;

const channel: Check = (r) => {
  const c = r['channel'];
  if (!isObject(c)) return 'channel missing';
  if (
    typeof c['id'] !== 'string' ||
    c['id'] === '' ||
    typeof c['name'] !== 'string' ||
    typeof c['state'] !== 'string'
  ) {
    return 'channel lacks id, name or state';
  }
  // Required by the spec (CallerID, DialplanCEP), and read for every new call.
  const caller = c['caller'];
  if (!isObject(caller) || typeof caller['number'] !== 'string' || typeof caller['name'] !== 'string') {
    return 'channel lacks caller name or number';
  }
  const dialplan = c['dialplan'];
  if (
    !isObject(dialplan) ||
    typeof dialplan['exten'] !== 'string' ||
    typeof dialplan['context'] !== 'string'
  ) {
    return 'channel lacks dialplan context or exten';
  }
  return null;
};
const optionalChannel: Check = (r) => (r['channel'] === undefined ? null : channel(r));
const bridge: Check = (r) => {
  const b = r['bridge'];
  return isObject(b) && typeof b['id'] === 'string' && Array.isArray(b['channels'])
    ? null
    : 'bridge lacks id or channels';
};
const playback: Check = (r) => {
  const p = r['playback'];
  return isObject(p) && typeof p['id'] === 'string' && typeof p['state'] === 'string'
    ? null
    : 'playback lacks id or state';
};
const stringField =
  (name: string): Check =>
  (r) =>
    typeof r[name] === 'string' ? null : `${name} missing`;
/** What a keypad sends: 0-9, A-E, # or * (the spec's ChannelDtmfReceived.digit). */
const dtmfDigit: Check = (r) =>
  typeof r['digit'] === 'string' && /^[0-9A-E#*]$/.test(r['digit']) ? null : 'digit is not a keypad digit';
const stringList =
  (name: string): Check =>
  (r) =>
    Array.isArray(r[name]) && (r[name] as unknown[]).every((v) => typeof v === 'string')
      ? null
      : `${name} missing`;

const CHECKS: Readonly<Record<AriEventType, readonly Check[]>> = {
  StasisStart: [channel, stringList('args')],
  StasisEnd: [channel],
  ChannelHangupRequest: [channel],
  ChannelDestroyed: [channel],
  ChannelStateChange: [channel],
  ChannelEnteredBridge: [bridge, optionalChannel],
  ChannelLeftBridge: [bridge, channel],
  BridgeCreated: [bridge],
  BridgeDestroyed: [bridge],
  ChannelDtmfReceived: [channel, dtmfDigit],
  PlaybackStarted: [playback],
  PlaybackFinished: [playback],
  ChannelVarset: [stringField('variable'), optionalChannel],
  ApplicationReplaced: [],
};

export function decodeAriEvent(text: string): DecodedAriEvent {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { kind: 'malformed', reason: 'not JSON' };
  }
  if (!isObject(value) || typeof value['type'] !== 'string')
    return { kind: 'malformed', reason: 'no event type' };
  const type = value['type'];
  const checks = Object.hasOwn(CHECKS, type) ? CHECKS[type as AriEventType] : undefined;
  if (checks === undefined) return { kind: 'unknown', type };
  for (const check of checks) {
    const problem = check(value);
    if (problem !== null) return { kind: 'malformed', reason: problem, type };
  }
  return { kind: 'event', event: value as unknown as AriEvent };
}
