// ARI fuzz input for the events socket: invalid JSON, JSON that is not an event, unknown event
// types, known types with fields missing or of the wrong type, valid-looking events for channels,
// bridges and playbacks nobody has, StasisStarts with garbage, and events about the live call's
// own channels and bridge out of order. Events that would rightly end the live call (its
// caller's hangup, its own channels or bridge destroyed, ApplicationReplaced) are left out.
import type { Channel } from '../../src/telephony/ari/ari-types.ts';
import type { SeededRandom } from './seeded-random.ts';

export const ARI_FUZZ_CATEGORIES = [
  'invalid_json',
  'not_an_event',
  'unknown_type',
  'broken_fields',
  'unknown_objects',
  'garbage_stasis_start',
  'own_out_of_order',
] as const;
export type AriFuzzCategory = (typeof ARI_FUZZ_CATEGORIES)[number];

export interface AriFuzzMessage {
  category: AriFuzzCategory;
  raw: string;
}

/** What the fuzz knows of the live call, to aim events at it. */
export interface LiveCallIds {
  app: string;
  callId: string;
  callerChannelId: string;
  ownChannelIds: string[];
  bridgeId: string;
}

export interface AriFuzzOptions {
  /** Share of StasisStarts for unknown channels, which each start a (failing) call. */
  phantomCallShare?: number;
}

const now = () => new Date().toISOString().replace('Z', '+0000');

function channel(
  id: string,
  random: SeededRandom,
  overrides: Record<string, unknown> = {},
): Record<string, unknown> {
  const base: Channel = {
    id,
    name: `PJSIP/fuzz-${random.int(1e6).toString().padStart(8, '0')}`,
    state: random.pick(['Ring', 'Up', 'Down', 'Ringing'] as const),
    protocol_id: '',
    caller: { name: 'Fuzz', number: `+1555${random.int(1e7)}` },
    connected: { name: '', number: '' },
    accountcode: '',
    dialplan: {
      context: 'from-trunk',
      exten: String(random.int(10_000)),
      priority: 1,
      app_name: 'Stasis',
      app_data: '',
    },
    creationtime: now(),
    language: 'en',
  };
  return { ...base, ...overrides };
}

function bridge(id: string, channels: string[]): Record<string, unknown> {
  return {
    id,
    technology: 'simple_bridge',
    bridge_type: 'mixing',
    bridge_class: 'stasis',
    creator: 'Stasis',
    name: '',
    channels,
    creationtime: now(),
    video_mode: 'none',
  };
}

function envelope(type: string, app: string, fields: Record<string, unknown>): Record<string, unknown> {
  return { type, timestamp: now(), application: app, asterisk_id: '02:fc:00:00:00:01', ...fields };
}

const randomId = (random: SeededRandom) => `${1700000000 + random.int(1e8)}.${random.int(1000)}`;

function wrongValue(random: SeededRandom): unknown {
  return random.pick<() => unknown>([
    () => null,
    () => random.int(1e6),
    () => random.chance(0.5),
    () => [],
    () => ({}),
    () => '',
    () => 'x'.repeat(random.between(1, 5000)),
    () => ['a', 2],
  ])();
}

/** A well-formed event about nothing that exists. */
function unknownObjectEvent(random: SeededRandom, live: LiveCallIds): Record<string, unknown> {
  const app = live.app;
  const chId = random.chance(0.3)
    ? `${app}-${random.pick(['em', 'snoop', 'xfer'])}-${random.uint32().toString(36)}`
    : randomId(random);
  const brId = random.chance(0.5)
    ? `${app}-${random.pick(['br', 'xbr'])}-${random.uint32().toString(36)}`
    : `bridge-${random.uint32()}`;
  const pbId = random.chance(0.5) ? `${app}-pb-${random.uint32().toString(36)}-1` : `pb-${random.uint32()}`;
  return random.pick<() => Record<string, unknown>>([
    () => envelope('StasisEnd', app, { channel: channel(chId, random) }),
    () =>
      envelope('ChannelHangupRequest', app, {
        channel: channel(chId, random),
        cause: random.int(128),
        soft: random.chance(0.5),
      }),
    () =>
      envelope('ChannelDestroyed', app, {
        channel: channel(chId, random),
        cause: 16,
        cause_txt: 'Normal Clearing',
      }),
    () => envelope('ChannelStateChange', app, { channel: channel(chId, random) }),
    () =>
      envelope('ChannelDtmfReceived', app, {
        channel: channel(chId, random),
        digit: random.pick(['1', '#', '*', 'A']),
        duration_ms: 100,
      }),
    () => envelope('BridgeDestroyed', app, { bridge: bridge(brId, []) }),
    () => envelope('BridgeCreated', app, { bridge: bridge(brId, []) }),
    () =>
      envelope('ChannelEnteredBridge', app, { bridge: bridge(brId, [chId]), channel: channel(chId, random) }),
    () => envelope('ChannelLeftBridge', app, { bridge: bridge(brId, []), channel: channel(chId, random) }),
    () =>
      envelope('PlaybackStarted', app, {
        playback: {
          id: pbId,
          media_uri: 'sound:x',
          target_uri: `channel:${chId}`,
          language: 'en',
          state: 'playing',
        },
      }),
    () =>
      envelope('PlaybackFinished', app, {
        playback: {
          id: pbId,
          media_uri: 'sound:x',
          target_uri: `channel:${chId}`,
          language: 'en',
          state: random.pick(['done', 'failed']),
        },
      }),
    () => envelope('ChannelVarset', app, { variable: 'FUZZ', value: 'x', channel: channel(chId, random) }),
  ])();
}

/** Events about the live call's own channels and bridge that do not end it, in no order. */
function ownOutOfOrder(random: SeededRandom, live: LiveCallIds): Record<string, unknown> {
  const app = live.app;
  const ours = random.pick([live.callerChannelId, ...live.ownChannelIds]);
  const pbId = `${app}-pb-${live.callId}-${random.int(5)}`;
  return random.pick<() => Record<string, unknown>>([
    // A repeated StasisStart (ours or the caller's): a known channel, ignored.
    () => envelope('StasisStart', app, { args: [], channel: channel(ours, random) }),
    () =>
      envelope('ChannelStateChange', app, {
        channel: channel(ours, random, { state: random.pick(['Ring', 'Down', 'Up', 'Busy']) }),
      }),
    () =>
      envelope('ChannelEnteredBridge', app, {
        bridge: bridge(live.bridgeId, [ours]),
        channel: channel(ours, random),
      }),
    () =>
      envelope('ChannelLeftBridge', app, {
        bridge: bridge(live.bridgeId, []),
        channel: channel(ours, random),
      }),
    () => envelope('BridgeCreated', app, { bridge: bridge(live.bridgeId, []) }),
    () =>
      envelope('PlaybackStarted', app, {
        playback: {
          id: pbId,
          media_uri: 'sound:x',
          target_uri: `channel:${live.callerChannelId}`,
          language: 'en',
          state: 'playing',
        },
      }),
    () =>
      envelope('PlaybackFinished', app, {
        playback: {
          id: pbId,
          media_uri: 'sound:x',
          target_uri: `channel:${live.callerChannelId}`,
          language: 'en',
          state: 'done',
        },
      }),
    () =>
      envelope('ChannelVarset', app, {
        variable: 'UNICASTRTP_LOCAL_PORT',
        value: String(random.int(65536)),
        channel: channel(ours, random),
      }),
    // Keypad on the caller: real digits, and strings no phone sends.
    () =>
      envelope('ChannelDtmfReceived', app, {
        channel: channel(live.callerChannelId, random),
        digit: random.pick(['1', '5', '#', '*', 'D', '12', 'Z', ' ']),
        duration_ms: random.int(500),
      }),
  ])();
}

function garbageStasisStart(
  random: SeededRandom,
  live: LiveCallIds,
  options: AriFuzzOptions,
): Record<string, unknown> {
  const id = randomId(random);
  const variants: (() => Record<string, unknown>)[] = [
    // Looks real, but no such channel exists: a call starts and fails its setup.
    () =>
      envelope('StasisStart', live.app, { args: [String(random.int(10_000))], channel: channel(id, random) }),
    () => envelope('StasisStart', live.app, { args: [], channel: channel(id, random, { state: 'Up' }) }),
    () =>
      envelope('StasisStart', live.app, {
        args: ['1000', 'extra', ''],
        channel: channel(id, random, { caller: { name: '', number: '' } }),
      }),
    () =>
      envelope('StasisStart', live.app, {
        args: ['x'.repeat(2000)],
        channel: channel(id, random, { caller: { name: 'n'.repeat(3000), number: '1'.repeat(500) } }),
      }),
  ];
  // Fails the decoder's checks: dropped as malformed.
  const malformed: (() => Record<string, unknown>)[] = [
    () => envelope('StasisStart', live.app, { args: [1, 2], channel: channel(id, random) }),
    () => envelope('StasisStart', live.app, { args: 'not-a-list', channel: channel(id, random) }),
    () => envelope('StasisStart', live.app, { args: [], channel: channel(id, random, { id: 42 }) }),
    () => envelope('StasisStart', live.app, { args: [], channel: { id } }),
    () => envelope('StasisStart', live.app, { args: [] }),
  ];
  // Without the caller or dialplan CallSession reads (these used to pass the decoder and throw).
  const noCaller: (() => Record<string, unknown>)[] = [
    () =>
      envelope('StasisStart', live.app, {
        args: [],
        channel: channel(id, random, { caller: undefined, dialplan: undefined }),
      }),
    () =>
      envelope('StasisStart', live.app, { args: ['1000'], channel: channel(id, random, { caller: null }) }),
    () =>
      envelope('StasisStart', live.app, { args: [], channel: channel(id, random, { dialplan: 'garbage' }) }),
  ];
  const phantom = options.phantomCallShare ?? 0.5;
  if (random.chance(phantom)) return random.pick(variants)();
  return random.pick([...malformed, ...noCaller])();
}

function brokenFields(random: SeededRandom, live: LiveCallIds): string {
  const event = random.chance(0.5) ? unknownObjectEvent(random, live) : ownOutOfOrder(random, live);
  // Break the fields the decoder checks (and some it does not).
  const targets = [
    'channel',
    'bridge',
    'playback',
    'args',
    'digit',
    'variable',
    'cause',
    'timestamp',
    'application',
  ];
  for (let n = random.between(1, 3); n > 0; n--) {
    const key = random.pick(targets);
    const inner = event[key];
    if (typeof inner === 'object' && inner !== null && !Array.isArray(inner) && random.chance(0.6)) {
      const fields = Object.keys(inner);
      const field = random.pick(fields.length > 0 ? fields : ['id']);
      if (random.chance(0.4)) delete (inner as Record<string, unknown>)[field];
      else (inner as Record<string, unknown>)[field] = wrongValue(random);
    } else if (random.chance(0.4)) delete event[key];
    else event[key] = wrongValue(random);
  }
  // A StasisStart re-aimed at the live call's channels stays ignored; never turn a broken event
  // into one that ends the live call.
  return JSON.stringify(event);
}

export function ariFuzzMessage(
  random: SeededRandom,
  live: LiveCallIds,
  options: AriFuzzOptions = {},
): AriFuzzMessage {
  const category = random.weighted<AriFuzzCategory>([
    [12, 'invalid_json'],
    [8, 'not_an_event'],
    [10, 'unknown_type'],
    [25, 'broken_fields'],
    [25, 'unknown_objects'],
    [4, 'garbage_stasis_start'],
    [16, 'own_out_of_order'],
  ]);
  return { category, raw: build(category, random, live, options) };
}

function build(
  category: AriFuzzCategory,
  random: SeededRandom,
  live: LiveCallIds,
  options: AriFuzzOptions,
): string {
  switch (category) {
    case 'invalid_json': {
      const valid = JSON.stringify(unknownObjectEvent(random, live));
      return random.pick<() => string>([
        () => valid.slice(0, random.int(valid.length)),
        () => `${valid}]`,
        () => random.bytes(random.between(1, 300)).toString('latin1'),
        () => '',
        () => '{"type":"StasisStart",',
        () => valid.replace(/:/g, '='),
      ])();
    }
    case 'not_an_event':
      return random.pick([
        'null',
        '0',
        '"StasisStart"',
        '[]',
        '[{"type":"StasisEnd"}]',
        '{}',
        '{"type":7}',
        '{"type":null}',
        '{"type":{}}',
        '{"TYPE":"StasisEnd"}',
        'false',
      ]);
    case 'unknown_type':
      return JSON.stringify(
        envelope(
          random.pick([
            'ChannelTalkingStarted',
            'EndpointStateChange',
            'Dial',
            'ChannelCallerId',
            'TextMessageReceived',
            'stasisstart',
            'StasisStart ',
            '',
            `Fuzz${random.uint32()}`,
            'constructor',
            '__proto__',
            'toString',
            'hasOwnProperty',
          ]),
          live.app,
          { channel: channel(randomId(random), random), anything: wrongValue(random) },
        ),
      );
    case 'broken_fields':
      return brokenFields(random, live);
    case 'unknown_objects':
      return JSON.stringify(unknownObjectEvent(random, live));
    case 'garbage_stasis_start':
      return JSON.stringify(garbageStasisStart(random, live, options));
    case 'own_out_of_order':
      return JSON.stringify(ownOutOfOrder(random, live));
  }
}
