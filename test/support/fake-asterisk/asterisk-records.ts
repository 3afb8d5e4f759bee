// What the fake Asterisk knows about each channel, bridge and playback, and how each is rendered
// as the ARI model JSON (key order as Asterisk writes it).

import type {
  Bridge,
  CallerId,
  Channel,
  ChannelState,
  DialplanCep,
  Playback,
  PlaybackState,
  SnoopDirection,
} from '../../../src/telephony/ari/ari-types.ts';
import { asteriskTimestamp } from './asterisk-time.ts';
import type { G711Format } from './g711.ts';
import type { RtpPeer } from './rtp-peer.ts';

export type ChannelKind = 'endpoint' | 'externalMedia' | 'snoop';

/** One RTP packet that reached the fake caller's ear. */
export interface HeardPacket {
  /** Arrival, epoch ms (float). */
  at: number;
  sequenceNumber: number;
  timestamp: number;
  marker: boolean;
  payloadType: number;
  ssrc: number;
  /** In the caller's format (transcoded when the externalMedia channel used the other law). */
  payload: Buffer;
  source: { address: string; port: number };
  /** The externalMedia channel it came in on, and how it reached the caller. */
  viaChannelId: string;
  path: 'bridge' | 'whisper';
}

export interface PlaybackLog {
  id: string;
  media: string[];
  targetUri: string;
  state: PlaybackState;
  queuedAt: number;
  startedAt?: number;
  finishedAt?: number;
  stoppedEarly: boolean;
}

export interface ContinueTarget {
  context: string;
  extension: string;
  priority: number;
  label?: string;
}

/** The SIP side of a PJSIP channel: what the fake caller (or callee) experienced. */
export interface EndpointSide {
  direction: 'inbound' | 'outbound';
  did: string;
  format: G711Format;
  /** 180 Ringing sent (POST /ring) and not stopped. */
  ringing: boolean;
  ringCount: number;
  /** 183 Session Progress sent (early media for playback/DTMF before answer). */
  progress: boolean;
  answered: boolean;
  playbacks: PlaybackLog[];
  continuedTo?: ContinueTarget;
  redirectedTo?: string;
  dtmfSent: string[];
  heard: HeardPacket[];
  /** Gateway packets that were wired to this caller but could not be heard (call not answered). */
  unheard: number;
  framesSent: number;
  framesDropped: number;
  hungUpBy?: 'caller' | 'asterisk' | 'restart';
}

export interface ChannelRecord {
  id: string;
  name: string;
  kind: ChannelKind;
  tech: string;
  state: ChannelState;
  protocolId: string;
  caller: CallerId;
  connected: CallerId;
  dialplan: DialplanCep;
  creationtime: string;
  language: string;
  vars: Map<string, string>;
  alive: boolean;
  /** App whose Stasis() the channel runs: StasisStart sent, StasisEnd not yet. */
  stasisApp?: string;
  /** App subscribed when the channel was created through ARI; it also sees events outside Stasis. */
  explicitApp?: string;
  bridgeId?: string;
  hangupCause: number;
  hangupRequested: boolean;
  silence: boolean;
  endpoint?: EndpointSide;
  media?: {
    externalHost: string;
    format: G711Format;
    peer: RtpPeer;
    /** Gateway packets that reached no caller: not wired, or a payload type Asterisk did not negotiate. */
    unheard: number;
    wrongPayloadType: number;
  };
  snoop?: { targetId: string; spy: SnoopDirection; whisper: SnoopDirection };
}

export interface BridgeRecord {
  id: string;
  name: string;
  bridgeType: 'mixing' | 'holding';
  creationtime: string;
  channels: string[];
  /** Apps that see this bridge's events (one of their channels entered it). */
  apps: Set<string>;
  alive: boolean;
}

export interface PlaybackRecord {
  id: string;
  media: string[];
  index: number;
  targetUri: string;
  language: string;
  state: PlaybackState;
  logs: PlaybackLog[];
  cancelTimer?: () => void;
}

/** A channel with Asterisk's defaults for what `fields` leaves out (Down, outgoing-line dialplan). */
export function newChannelRecord(
  fields: Partial<ChannelRecord> & Pick<ChannelRecord, 'id' | 'name' | 'kind' | 'tech'>,
): ChannelRecord {
  return {
    state: 'Down',
    protocolId: '',
    caller: { name: '', number: '' },
    connected: { name: '', number: '' },
    dialplan: {
      context: 'default',
      exten: 's',
      priority: 1,
      app_name: 'AppDial2',
      app_data: '(Outgoing Line)',
    },
    creationtime: asteriskTimestamp(),
    language: 'en',
    vars: new Map(),
    alive: true,
    hangupCause: 0,
    hangupRequested: false,
    silence: false,
    ...fields,
  };
}

export function newEndpointSide(
  direction: EndpointSide['direction'],
  did: string,
  format: G711Format,
): EndpointSide {
  return {
    direction,
    did,
    format,
    ringing: false,
    ringCount: 0,
    progress: false,
    answered: false,
    playbacks: [],
    dtmfSent: [],
    heard: [],
    unheard: 0,
    framesSent: 0,
    framesDropped: 0,
  };
}

export function channelJson(ch: ChannelRecord, withVars = false): Channel {
  const json: Channel = {
    id: ch.id,
    name: ch.name,
    state: ch.state,
    protocol_id: ch.protocolId,
    caller: { ...ch.caller },
    connected: { ...ch.connected },
    accountcode: '',
    dialplan: { ...ch.dialplan },
    creationtime: ch.creationtime,
    language: ch.language,
  };
  if (withVars && ch.vars.size > 0) json.channelvars = Object.fromEntries(ch.vars);
  return json;
}

export function bridgeJson(b: BridgeRecord): Bridge {
  // Asterisk's smart bridge moves from simple_bridge to softmix once a third channel joins.
  const technology =
    b.bridgeType === 'holding' ? 'holding_bridge' : b.channels.length > 2 ? 'softmix' : 'simple_bridge';
  return {
    id: b.id,
    technology,
    bridge_type: b.bridgeType,
    bridge_class: 'stasis',
    creator: 'Stasis',
    name: b.name,
    channels: [...b.channels],
    creationtime: b.creationtime,
    video_mode: 'talker',
  };
}

export function playbackJson(p: PlaybackRecord): Playback {
  const next = p.media[p.index + 1];
  return {
    id: p.id,
    media_uri: p.media[p.index] ?? '',
    ...(next !== undefined ? { next_media_uri: next } : {}),
    target_uri: p.targetUri,
    language: p.language,
    state: p.state,
  };
}

/** Ids and names the way Asterisk makes them: `1795300179.37`, `PJSIP/trunk-00000013`. */
export class AsteriskNaming {
  #uniqueCounter = 0;
  #techCounters = new Map<string, number>();

  /** Creation time in seconds, then a global counter. */
  uniqueId(): string {
    return `${Math.floor(Date.now() / 1000)}.${this.#uniqueCounter++}`;
  }

  /** `%08x` of a per-driver counter, as chan_pjsip and res_stasis_snoop append. */
  sequence(tech: string): string {
    const n = this.#techCounters.get(tech) ?? 0;
    this.#techCounters.set(tech, n + 1);
    return n.toString(16).padStart(8, '0');
  }
}
