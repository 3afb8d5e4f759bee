// The ARI models the fake's operations return and the events it emits, declared per resource the
// way Asterisk's api-docs group them. ari-client reads events.json's models to decide which event
// properties become Channel/Bridge/Playback objects, so every event the fake emits is declared here.

import type { AllowableValues, ResourceName } from './ari-declarations.ts';

export interface ModelProperty {
  type: string;
  required: boolean;
  allowableValues?: AllowableValues;
}

export interface ModelDecl {
  id: string;
  properties: Record<string, ModelProperty>;
  discriminator?: string;
  subTypes?: string[];
}

const r = (type: string): ModelProperty => ({ type, required: true });
const o = (type: string): ModelProperty => ({ type, required: false });
const list = (...values: string[]): AllowableValues => ({ valueType: 'LIST', values });

const model = (
  id: string,
  properties: Record<string, ModelProperty>,
  extra: Partial<ModelDecl> = {},
): ModelDecl => ({
  id,
  properties,
  ...extra,
});

const CHANNEL_STATES = list(
  'Down',
  'Rsrved',
  'OffHook',
  'Dialing',
  'Ring',
  'Ringing',
  'Up',
  'Busy',
  'Dialing Offhook',
  'Pre-ring',
  'Unknown',
);

const channelModels = [
  model('CallerID', { name: r('string'), number: r('string') }),
  model('DialplanCEP', {
    context: r('string'),
    exten: r('string'),
    priority: r('long'),
    app_name: r('string'),
    app_data: r('string'),
  }),
  model('Channel', {
    id: r('string'),
    protocol_id: r('string'),
    name: r('string'),
    state: { type: 'string', required: true, allowableValues: CHANNEL_STATES },
    caller: r('CallerID'),
    connected: r('CallerID'),
    accountcode: r('string'),
    dialplan: r('DialplanCEP'),
    creationtime: r('Date'),
    language: r('string'),
    channelvars: o('object'),
  }),
];

const bridgeModels = [
  model('Bridge', {
    id: r('string'),
    technology: r('string'),
    bridge_type: { type: 'string', required: true, allowableValues: list('mixing', 'holding') },
    bridge_class: r('string'),
    creator: r('string'),
    name: r('string'),
    channels: r('List[string]'),
    video_mode: o('string'),
    video_source_id: o('string'),
    creationtime: r('Date'),
  }),
];

const playbackModels = [
  model('Playback', {
    id: r('string'),
    media_uri: r('string'),
    next_media_uri: o('string'),
    target_uri: r('string'),
    language: o('string'),
    state: {
      type: 'string',
      required: true,
      allowableValues: list('queued', 'playing', 'continuing', 'done', 'failed'),
    },
  }),
];

const applicationModels = [
  model('Application', {
    name: r('string'),
    channel_ids: r('List[string]'),
    bridge_ids: r('List[string]'),
    endpoint_ids: r('List[string]'),
    device_names: r('List[string]'),
    events_allowed: r('List[object]'),
    events_disallowed: r('List[object]'),
  }),
];

const asteriskModels = [
  model('BuildInfo', {
    os: r('string'),
    kernel: r('string'),
    options: r('string'),
    machine: r('string'),
    date: r('string'),
    user: r('string'),
  }),
  model('SystemInfo', { version: r('string'), entity_id: r('string') }),
  model('SetId', { user: r('string'), group: r('string') }),
  model('ConfigInfo', {
    name: r('string'),
    default_language: r('string'),
    max_channels: o('int'),
    max_open_files: o('int'),
    max_load: o('double'),
    setid: r('SetId'),
  }),
  model('StatusInfo', { startup_time: r('Date'), last_reload_time: r('Date') }),
  model('AsteriskInfo', {
    build: o('BuildInfo'),
    system: o('SystemInfo'),
    config: o('ConfigInfo'),
    status: o('StatusInfo'),
  }),
  model('AsteriskPing', { asterisk_id: r('string'), ping: r('string'), timestamp: r('string') }),
  model('Variable', { value: r('string') }),
];

/** Event types the fake can emit, with their own (non-inherited) properties. */
const EVENT_PROPERTIES: Record<string, Record<string, ModelProperty>> = {
  PlaybackStarted: { playback: r('Playback') },
  PlaybackContinuing: { playback: r('Playback') },
  PlaybackFinished: { playback: r('Playback') },
  ApplicationReplaced: {},
  BridgeCreated: { bridge: r('Bridge') },
  BridgeDestroyed: { bridge: r('Bridge') },
  ChannelDestroyed: { cause: r('int'), cause_txt: r('string'), tech_cause: o('int'), channel: r('Channel') },
  ChannelEnteredBridge: { bridge: r('Bridge'), channel: o('Channel') },
  ChannelLeftBridge: { bridge: r('Bridge'), channel: r('Channel') },
  ChannelStateChange: { channel: r('Channel') },
  ChannelDtmfReceived: { digit: r('string'), duration_ms: r('int'), channel: r('Channel') },
  ChannelHangupRequest: { cause: o('int'), tech_cause: o('int'), soft: o('boolean'), channel: r('Channel') },
  ChannelVarset: { variable: r('string'), value: r('string'), channel: o('Channel') },
  Dial: {
    caller: o('Channel'),
    peer: r('Channel'),
    forward: o('string'),
    forwarded: o('Channel'),
    dialstring: o('string'),
    dialstatus: r('string'),
  },
  StasisEnd: { channel: r('Channel') },
  StasisStart: { args: r('List[string]'), channel: r('Channel'), replace_channel: o('Channel') },
};

export const EMITTED_EVENT_TYPES: readonly string[] = Object.keys(EVENT_PROPERTIES);

const eventModels = [
  model(
    'Message',
    { type: r('string'), asterisk_id: o('string') },
    { discriminator: 'type', subTypes: ['Event'] },
  ),
  model('Event', { application: r('string'), timestamp: r('Date') }, { subTypes: [...EMITTED_EVENT_TYPES] }),
  ...EMITTED_EVENT_TYPES.map((id) => model(id, EVENT_PROPERTIES[id] ?? {})),
];

export const ARI_MODELS: Record<ResourceName, readonly ModelDecl[]> = {
  asterisk: asteriskModels,
  channels: channelModels,
  bridges: bridgeModels,
  playbacks: playbackModels,
  applications: applicationModels,
  events: eventModels,
};
