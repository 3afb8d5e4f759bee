// Q.850 hangup causes as Asterisk names them (ast_cause2str), and the mapping ARI applies to the
// `reason` parameter of DELETE /channels/{channelId}.

import type { HangupReason } from '../../../src/telephony/ari/ari-types.ts';

export const CAUSE_NORMAL_CLEARING = 16;

const CAUSE_TEXT: Record<number, string> = {
  1: 'Unallocated (unassigned) number',
  16: 'Normal Clearing',
  17: 'User busy',
  18: 'No user responding',
  19: 'User alerting, no answer',
  21: 'Call Rejected',
  26: 'Answered elsewhere',
  28: 'Invalid number format (incomplete number)',
  31: 'Normal, unspecified',
  34: 'Circuit/channel congestion',
  38: 'Network out of order',
  58: 'Bearer capability not available',
  127: 'Interworking, unspecified',
};

export const causeText = (cause: number): string => CAUSE_TEXT[cause] ?? 'Unknown';

export const HANGUP_REASON_CAUSES: Record<HangupReason, number> = {
  normal: 16,
  busy: 17,
  congestion: 34,
  no_answer: 19,
  timeout: 18,
  rejected: 21,
  unallocated: 1,
  normal_unspecified: 31,
  number_incomplete: 28,
  codec_mismatch: 58,
  interworking: 127,
  failure: 38,
  answered_elsewhere: 26,
};

export function causeForReason(reason: string): number | undefined {
  return Object.hasOwn(HANGUP_REASON_CAUSES, reason)
    ? HANGUP_REASON_CAUSES[reason as HangupReason]
    : undefined;
}
