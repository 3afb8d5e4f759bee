// What becomes of the caller once the AI side of a call is released: nothing if they hung up;
// handed to a person if the call was transferred; hung up after a goodbye or a time limit; and on
// a failure, the configured fallback (a sound then a hangup, or back to the dialplan).
import type { Logger } from '../observability/logger.ts';
import { ignoringGone } from '../telephony/ari/ari-errors.ts';
import type { AriRest } from '../telephony/ari/ari-rest.ts';
import { BridgedTransfer } from './bridged-transfer.ts';
import { type FallbackSettings, runFallback } from './call-fallback.ts';
import type { CallEndReason, TransferRegistry } from './call-types.ts';

export type Handover =
  | { kind: 'dialplan'; context: string; extension: string; priority: number }
  | { kind: 'bridge'; targetChannelId: string; bridgeId: string };

export interface HandoverContext {
  ari: AriRest;
  callerChannelId: string;
  answered: boolean;
  playbackId: string;
  waitForPlayback: (playbackId: string, timeoutMs: number) => Promise<void>;
  fallback: FallbackSettings;
  log: Logger;
  /** A bridged transfer lives on after the call; the orchestrator routes its hangups. */
  transfers: TransferRegistry;
}

export async function handOverCaller(
  reason: CallEndReason,
  handover: Handover | null,
  context: HandoverContext,
): Promise<string> {
  const { ari, callerChannelId, log } = context;
  if (reason === 'transferred' && handover !== null) {
    if (handover.kind === 'dialplan') {
      const { context: dialplanContext, extension, priority } = handover;
      await ari.continueInDialplan(callerChannelId, { context: dialplanContext, extension, priority });
      return 'transferred';
    }
    const transfer = new BridgedTransfer({
      ari,
      bridgeId: handover.bridgeId,
      callerChannelId,
      targetChannelId: handover.targetChannelId,
      log,
      onEnded: (ended) => context.transfers.ended(ended),
    });
    context.transfers.started(transfer);
    await transfer.connect();
    return 'transferred';
  }
  if (reason === 'agent_ended' || reason === 'max_duration' || reason === 'caller_idle') {
    await ignoringGone(ari.hangup(callerChannelId, 'normal'));
    return 'hung_up';
  }
  return runFallback(
    {
      ari,
      callerChannelId,
      answered: context.answered,
      playbackId: context.playbackId,
      waitForPlayback: context.waitForPlayback,
      log,
    },
    context.fallback,
    { playSound: reason !== 'shutdown' },
  );
}
