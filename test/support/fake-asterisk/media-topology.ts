// Who hears whom. Audio only flows where Asterisk would carry it:
// caller → gateway when the caller shares a bridge with an externalMedia channel, or a snoop
// spying on the caller's inbound audio (spy in|both) does; gateway → caller when the
// externalMedia channel shares a bridge with the caller, or with a snoop whispering towards the
// caller (whisper out|both) while something is being written to the caller: a whisper audiohook
// only mixes into frames already written to the channel, and an idle unbridged Stasis channel
// writes none. Either direction also needs the SIP media path: the call answered or in early media.

import type { ChannelRecord, HeardPacket } from './asterisk-records.ts';
import type { AsteriskState } from './asterisk-state.ts';
import { nowMs } from './asterisk-time.ts';
import { payloadTypeOf, transcodeG711 } from './g711.ts';
import type { RtpPacket } from './rtp-packet.ts';
import type { UdpAddress } from './rtp-peer.ts';

const hearsIn = (d: string | undefined): boolean => d === 'in' || d === 'both';
const speaksOut = (d: string | undefined): boolean => d === 'out' || d === 'both';

function bridgeMembers(state: AsteriskState, ch: ChannelRecord): ChannelRecord[] {
  const bridge = ch.bridgeId ? state.findBridge(ch.bridgeId) : undefined;
  if (!bridge) return [];
  return bridge.channels.flatMap((id) => {
    const member = state.findChannel(id);
    return member && member !== ch ? [member] : [];
  });
}

/** SIP media is up: 200 OK sent, or 183 early media. */
export const mediaEstablished = (ch: ChannelRecord): boolean =>
  ch.state === 'Up' || ch.endpoint?.progress === true;

/** Something is written to the channel, so a whisper audiohook has frames to mix into. */
export function isWrittenTo(state: AsteriskState, ch: ChannelRecord): boolean {
  return ch.bridgeId !== undefined || ch.silence || state.playbacks.isPlayingOn(`channel:${ch.id}`);
}

/** externalMedia channels that receive the caller's audio. */
export function externalMediaHearing(state: AsteriskState, caller: ChannelRecord): ChannelRecord[] {
  const found = new Set<ChannelRecord>();
  for (const m of bridgeMembers(state, caller)) if (m.media) found.add(m);
  for (const snoop of state.channels.values()) {
    if (!snoop.alive || snoop.snoop?.targetId !== caller.id || !hearsIn(snoop.snoop.spy)) continue;
    for (const m of bridgeMembers(state, snoop)) if (m.media) found.add(m);
  }
  return [...found];
}

/** Callers that hear what the gateway sends to this externalMedia channel. */
export function callersHearing(
  state: AsteriskState,
  em: ChannelRecord,
): { caller: ChannelRecord; path: HeardPacket['path'] }[] {
  const found: { caller: ChannelRecord; path: HeardPacket['path'] }[] = [];
  for (const m of bridgeMembers(state, em)) {
    if (m.endpoint) found.push({ caller: m, path: 'bridge' });
    const target = m.snoop && speaksOut(m.snoop.whisper) ? state.findChannel(m.snoop.targetId) : undefined;
    if (target?.endpoint && isWrittenTo(state, target)) found.push({ caller: target, path: 'whisper' });
  }
  return found;
}

/** One 20 ms frame from the caller; false when it reached no externalMedia channel. */
export function sendCallerFrame(state: AsteriskState, caller: ChannelRecord, frame: Buffer): boolean {
  const side = caller.endpoint;
  if (!side) return false;
  const targets = caller.alive && mediaEstablished(caller) ? externalMediaHearing(state, caller) : [];
  if (targets.length === 0) {
    side.framesDropped++;
    return false;
  }
  for (const em of targets) {
    if (em.media) em.media.peer.sendFrame(transcodeG711(frame, side.format, em.media.format));
  }
  side.framesSent++;
  return true;
}

/** RTP from the gateway accepted on an externalMedia channel's socket. */
export function receiveGatewayPacket(
  state: AsteriskState,
  em: ChannelRecord,
  packet: RtpPacket,
  source: UdpAddress,
): void {
  const media = em.media;
  if (!media) return;
  if (packet.payloadType !== payloadTypeOf(media.format)) {
    media.wrongPayloadType++;
    media.unheard++;
    return;
  }
  const listeners = em.alive ? callersHearing(state, em) : [];
  if (listeners.length === 0) media.unheard++;
  const at = nowMs();
  for (const { caller, path } of listeners) {
    const side = caller.endpoint;
    if (!side) continue;
    if (!mediaEstablished(caller)) {
      side.unheard++;
      continue;
    }
    side.heard.push({
      at,
      sequenceNumber: packet.sequenceNumber,
      timestamp: packet.timestamp,
      marker: packet.marker,
      payloadType: packet.payloadType,
      ssrc: packet.ssrc,
      payload: transcodeG711(Buffer.from(packet.payload), media.format, side.format),
      source,
      viaChannelId: em.id,
      path,
    });
  }
}
