// What the REST handlers share, and the two checks nearly every channel operation starts with
// (res_ari's find_control and channel_state_invalid).

import { AriError } from './ari-http.ts';
import type { ChannelRecord } from './asterisk-records.ts';
import type { AsteriskState } from './asterisk-state.ts';
import type { EventSocketServer } from './event-socket.ts';

export type OriginateOutcome = 'answer' | 'busy' | 'no-answer';

export interface HandlerTiming {
  /** Delay between the externalMedia reply and that channel's StasisStart (the observed race). */
  externalMediaStasisStartDelayMs: number;
  snoopStasisStartDelayMs: number;
  /** Delay before an originated channel answers (or is found busy). */
  originateAnswerDelayMs: number;
  /** After POST /redirect, the far end leaves (302 or REFER) and the channel hangs up. */
  redirectHangupDelayMs: number;
  /** The channel thread runs a queued command (hangup, continue) this long after the reply. */
  commandDelayMs: number;
}

export interface HandlerContext {
  state: AsteriskState;
  events: EventSocketServer;
  asteriskId: string;
  startedAt: () => number;
  timing: HandlerTiming;
  strictRtpProbation: number;
  originateOutcome: (endpoint: string) => OriginateOutcome;
  /** An outbound PJSIP channel was created by originate (the fake wraps it in a FakeCall). */
  onEndpointCreated: (ch: ChannelRecord) => void;
}

/** The channel, when it exists and is in a Stasis application. */
export function controlFor(ctx: HandlerContext, channelId: string): ChannelRecord {
  const ch = ctx.state.findChannel(channelId);
  if (!ch) throw new AriError(404, 'Channel not found');
  if (!ch.stasisApp) throw new AriError(409, 'Channel not in Stasis application');
  return ch;
}

/** Down, reserved and ringing (outbound, unanswered) channels refuse media and state operations. */
export function assertUsableState(ch: ChannelRecord): void {
  if (ch.state === 'Down' || ch.state === 'Rsrved' || ch.state === 'Ringing') {
    throw new AriError(412, 'Channel in invalid state');
  }
}

export function pathParam(path: Record<string, string>, name: string): string {
  const value = path[name];
  if (value === undefined) throw new AriError(400, `Missing path parameter ${name}`);
  return value;
}
