// The one log line that says what happened on a call when it ends.
import type { ConversationStats } from '../ai/realtime/conversation-stats.ts';
import { type RtpInboundStats, totalDropped } from '../media/rtp/rtp-inbound-stats.ts';
import type { RtpPacerStats } from '../media/rtp/rtp-pacer.ts';
import type { ReleaseReport } from './call-resources.ts';

export interface CallSummaryInputs {
  reason: string;
  callerOutcome: string;
  report: ReleaseReport;
  /** performance.now() times */
  arrivedAt: number;
  answeredAt: number | null;
  firstAgentFrameAt: number | null;
  inbound: RtpInboundStats | null;
  outbound: RtpPacerStats | null;
  conversation: ConversationStats | null;
  agentId: string | null;
}

export function callSummary(inputs: CallSummaryInputs): Record<string, unknown> {
  const { inbound, conversation } = inputs;
  return {
    reason: inputs.reason,
    callerOutcome: inputs.callerOutcome,
    agent: inputs.agentId,
    durationMs: Math.round(performance.now() - inputs.arrivedAt),
    ringMs: inputs.answeredAt === null ? null : Math.round(inputs.answeredAt - inputs.arrivedAt),
    greetingFirstAudioMs:
      inputs.firstAgentFrameAt !== null && inputs.answeredAt !== null
        ? Math.round(inputs.firstAgentFrameAt - inputs.answeredAt)
        : null,
    rtpIn: inbound && {
      received: inbound.received,
      forwarded: inbound.forwarded,
      dropped: totalDropped(inbound),
      lost: inbound.lost,
      ...(totalDropped(inbound) > 0 ? { droppedBy: inbound.dropped } : {}),
    },
    rtpOut: inputs.outbound,
    conversation: conversation && {
      callerTurns: conversation.callerTurns,
      responses: conversation.responses,
      bargeIns: conversation.bargeIns,
      toolCalls: conversation.toolCalls,
      framesAppended: conversation.framesAppended,
      turnLatenciesMs: conversation.turnLatenciesMs.map(Math.round),
      usage: conversation.usage,
      errorEvents: conversation.errorEvents,
      ...(conversation.malformedEvents > 0 ? { malformedEvents: conversation.malformedEvents } : {}),
      ...(conversation.droppedAudioDeltas > 0 ? { droppedAudioDeltas: conversation.droppedAudioDeltas } : {}),
      ...(conversation.reconnects + conversation.reconnectsFailed + conversation.rollovers > 0
        ? {
            reconnects: conversation.reconnects,
            reconnectsFailed: conversation.reconnectsFailed,
            rollovers: conversation.rollovers,
          }
        : {}),
    },
    released: inputs.report.released,
    releaseFailures: inputs.report.failed,
  };
}
