// What an ended call leaves behind, all from one final state: the `call ended` log line, its
// share of the gateway's metrics, and its record (with what is remembered of the caller).
import type { AgentDefinition } from '../agents/agent-definition.ts';
import type { Logger } from '../observability/logger.ts';
import { estimateCostUsd } from '../store/cost-estimate.ts';
import { finishRecord } from './call-memory.ts';
import { recordCallMetrics } from './call-metrics.ts';
import type { CallRecorder } from './call-recorder.ts';
import { type CallSummaryInputs, callSummary } from './call-summary.ts';
import type { CallServices } from './call-types.ts';

export interface EndedCallRecord {
  recorder: CallRecorder;
  agent: AgentDefinition | null;
  callerNumber: string;
  rememberCaller: boolean;
  memorySummary: string | null;
  answeredAt: Date | null;
}

export async function reportEndedCall(
  services: CallServices,
  log: Logger,
  call: CallSummaryInputs,
  record: EndedCallRecord,
): Promise<void> {
  const summary = callSummary(call);
  log.info(summary, 'call ended');
  const { reason, callerOutcome, inbound, outbound, conversation } = call;
  const costUsd = conversation ? estimateCostUsd(conversation.usage, services.config.prices) : null;
  recordCallMetrics(services.metrics, { reason, inbound, outbound, conversation, costUsd });
  await finishRecord({
    ...record,
    store: services.store,
    reason,
    callerOutcome,
    conversation,
    media: { rtpIn: summary['rtpIn'], rtpOut: summary['rtpOut'] },
    costUsd,
    log,
  });
}
