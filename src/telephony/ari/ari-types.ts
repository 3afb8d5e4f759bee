// ARI models and events as Asterisk 22's own specification (ARI 10.0.0, Swagger 1.1) declares
// them: channels.json, bridges.json, playbacks.json, events.json. Only what callbridge reads or
// a fake Asterisk must emit is typed here; field names and optionality follow the spec.

export type ChannelState =
  | 'Down'
  | 'Rsrved'
  | 'OffHook'
  | 'Dialing'
  | 'Ring'
  | 'Ringing'
  | 'Up'
  | 'Busy'
  | 'Dialing Offhook'
  | 'Pre-ring'
  | 'Unknown';

export interface CallerId {
  name: string;
  number: string;
}

export interface DialplanCep {
  context: string;
  exten: string;
  priority: number;
  app_name: string;
  app_data: string;
}

export interface Channel {
  id: string;
  protocol_id: string;
  name: string;
  state: ChannelState;
  caller: CallerId;
  connected: CallerId;
  accountcode: string;
  dialplan: DialplanCep;
  creationtime: string;
  language: string;
  channelvars?: Record<string, string>;
  caller_rdnis?: string;
  tenantid?: string;
}

export interface Bridge {
  id: string;
  technology: string;
  bridge_type: 'mixing' | 'holding';
  bridge_class: string;
  creator: string;
  name: string;
  channels: string[];
  video_mode?: string;
  video_source_id?: string;
  creationtime: string;
  bridgevars?: Record<string, string>;
}

export type PlaybackState = 'queued' | 'playing' | 'continuing' | 'done' | 'failed';

export interface Playback {
  id: string;
  media_uri: string;
  next_media_uri?: string;
  target_uri: string;
  language?: string;
  state: PlaybackState;
}

/** Fields every event carries (Message + Event in events.json). */
interface EventBase {
  asterisk_id?: string;
  application: string;
  timestamp: string;
}

export interface StasisStartEvent extends EventBase {
  type: 'StasisStart';
  args: string[];
  channel: Channel;
  replace_channel?: Channel;
}

export interface StasisEndEvent extends EventBase {
  type: 'StasisEnd';
  channel: Channel;
}

export interface ChannelHangupRequestEvent extends EventBase {
  type: 'ChannelHangupRequest';
  cause?: number;
  tech_cause?: number;
  soft?: boolean;
  channel: Channel;
}

export interface ChannelDestroyedEvent extends EventBase {
  type: 'ChannelDestroyed';
  cause: number;
  cause_txt: string;
  tech_cause?: number;
  channel: Channel;
}

export interface ChannelStateChangeEvent extends EventBase {
  type: 'ChannelStateChange';
  channel: Channel;
}

export interface ChannelEnteredBridgeEvent extends EventBase {
  type: 'ChannelEnteredBridge';
  bridge: Bridge;
  channel?: Channel;
}

export interface ChannelLeftBridgeEvent extends EventBase {
  type: 'ChannelLeftBridge';
  bridge: Bridge;
  channel: Channel;
}

export interface BridgeCreatedEvent extends EventBase {
  type: 'BridgeCreated';
  bridge: Bridge;
}

export interface BridgeDestroyedEvent extends EventBase {
  type: 'BridgeDestroyed';
  bridge: Bridge;
}

export interface ChannelDtmfReceivedEvent extends EventBase {
  type: 'ChannelDtmfReceived';
  digit: string;
  duration_ms: number;
  channel: Channel;
}

export interface PlaybackStartedEvent extends EventBase {
  type: 'PlaybackStarted';
  playback: Playback;
}

export interface PlaybackFinishedEvent extends EventBase {
  type: 'PlaybackFinished';
  playback: Playback;
}

export interface ChannelVarsetEvent extends EventBase {
  type: 'ChannelVarset';
  variable: string;
  value: string;
  channel?: Channel;
}

export interface ApplicationReplacedEvent extends EventBase {
  type: 'ApplicationReplaced';
}

/** The events callbridge acts on; any other type is counted and ignored. */
export type AriEvent =
  | StasisStartEvent
  | StasisEndEvent
  | ChannelHangupRequestEvent
  | ChannelDestroyedEvent
  | ChannelStateChangeEvent
  | ChannelEnteredBridgeEvent
  | ChannelLeftBridgeEvent
  | BridgeCreatedEvent
  | BridgeDestroyedEvent
  | ChannelDtmfReceivedEvent
  | PlaybackStartedEvent
  | PlaybackFinishedEvent
  | ChannelVarsetEvent
  | ApplicationReplacedEvent;

export type AriEventType = AriEvent['type'];

/** Values of the `reason` query parameter of DELETE /channels/{channelId}. */
export type HangupReason =
  | 'normal'
  | 'busy'
  | 'congestion'
  | 'no_answer'
  | 'timeout'
  | 'rejected'
  | 'unallocated'
  | 'normal_unspecified'
  | 'number_incomplete'
  | 'codec_mismatch'
  | 'interworking'
  | 'failure'
  | 'answered_elsewhere';

export type SnoopDirection = 'none' | 'both' | 'out' | 'in';
