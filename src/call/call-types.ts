// The services every call uses and the words for where a call is and how it ended.
import type { AgentDefinition } from '../agents/agent-definition.ts';
import type { RealtimeSessionSource } from '../ai/realtime/realtime-session-pool.ts';
import type { Config } from '../config/load-config.ts';
import type { RtpPortPool } from '../media/rtp/rtp-port-pool.ts';
import type { GatewayMetrics } from '../observability/gateway-metrics.ts';
import type { Logger } from '../observability/logger.ts';
import type { CallStore } from '../store/call-store.ts';
import type { AriRest } from '../telephony/ari/ari-rest.ts';
import type { BridgedTransfer } from './bridged-transfer.ts';
import type { ChannelArrivals } from './channel-arrivals.ts';

export interface CallServices {
  config: Config;
  ari: AriRest;
  arrivals: ChannelArrivals;
  ports: RtpPortPool;
  logger: Logger;
  /** Host of ARI_URL, used when Asterisk reports a wildcard RTP address. */
  ariHost: string;
  agents: { resolve(dialled: string): { agent: AgentDefinition; matchedBy: string } };
  store: CallStore | null;
  sessions: RealtimeSessionSource;
  transfers: TransferRegistry;
  env: Readonly<Record<string, string | undefined>>;
  metrics: GatewayMetrics;
}

export type CallEndReason =
  | 'caller_hangup'
  | 'agent_ended'
  | 'max_duration'
  | 'caller_idle'
  | 'transferred'
  | 'ai_unavailable'
  | 'ai_failed'
  | 'media_failed'
  | 'media_lost'
  | 'setup_failed'
  | 'shutdown';

export type CallPhase = 'preparing' | 'answered' | 'ending' | 'ended';

/** Bridged transfers outlive their call; the orchestrator keeps them to route their hangups. */
export interface TransferRegistry {
  started(transfer: BridgedTransfer): void;
  ended(transfer: BridgedTransfer): void;
}
