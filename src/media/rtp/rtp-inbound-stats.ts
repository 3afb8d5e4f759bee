// Counters for a call's inbound RTP: every datagram is either forwarded or dropped for one
// named reason, so `received === forwarded + sum(dropped) + held`.
import type { RtpMalformation } from './rtp-packet.ts';

export type RtpDropReason =
  | RtpMalformation
  | 'foreign_source'
  | 'wrong_payload_type'
  | 'duplicate'
  | 'late'
  | 'closed';

export const RTP_DROP_REASONS: readonly RtpDropReason[] = [
  'too_short',
  'bad_version',
  'bad_csrc_count',
  'bad_extension',
  'bad_padding',
  'empty_payload',
  'foreign_source',
  'wrong_payload_type',
  'duplicate',
  'late',
  'closed',
];

export interface RtpInboundStats {
  received: number;
  forwarded: number;
  /** Missing sequence numbers given up on. */
  lost: number;
  /** Packets that arrived ahead of a missing one and were put back in order. */
  reordered: number;
  ssrcChanges: number;
  dropped: Record<RtpDropReason, number>;
}

export function createRtpInboundStats(): RtpInboundStats {
  const dropped = {} as Record<RtpDropReason, number>;
  for (const reason of RTP_DROP_REASONS) dropped[reason] = 0;
  return { received: 0, forwarded: 0, lost: 0, reordered: 0, ssrcChanges: 0, dropped };
}

export function totalDropped(stats: RtpInboundStats): number {
  let total = 0;
  for (const reason of RTP_DROP_REASONS) total += stats.dropped[reason];
  return total;
}
