// What one ended call adds to the gateway's metrics.
import type { ConversationStats } from '../ai/realtime/conversation-stats.ts';
import type { RtpInboundStats } from '../media/rtp/rtp-inbound-stats.ts';
import type { RtpPacerStats } from '../media/rtp/rtp-pacer.ts';
import type { GatewayMetrics } from '../observability/gateway-metrics.ts';

export function recordCallMetrics(
  metrics: GatewayMetrics,
  call: {
    reason: string;
    inbound: RtpInboundStats | null;
    outbound: RtpPacerStats | null;
    conversation: ConversationStats | null;
    costUsd: number | null;
  },
): void {
  metrics.callEnded(call.reason, call.inbound, call.outbound);
  const conversation = call.conversation;
  if (conversation) {
    for (const ms of conversation.turnLatenciesMs) metrics.turnLatency.observe(ms);
    for (const ms of conversation.bargeInReactionsMs) metrics.bargeInReaction.observe(ms);
    if (conversation.errorEvents > 0) metrics.realtimeErrors.inc(conversation.errorEvents);
    if (conversation.malformedEvents > 0) metrics.realtimeMalformed.inc(conversation.malformedEvents);
    const reopened = {
      reconnected: conversation.reconnects,
      rolled_over: conversation.rollovers,
      failed: conversation.reconnectsFailed,
    };
    for (const [outcome, count] of Object.entries(reopened))
      if (count > 0) metrics.realtimeReconnects.inc({ outcome }, count);
    for (const [kind, count] of Object.entries(conversation.usage))
      if (count > 0) metrics.tokens.inc({ kind }, count);
  }
  if (call.costUsd !== null && call.costUsd > 0) metrics.costUsd.inc(call.costUsd);
}
