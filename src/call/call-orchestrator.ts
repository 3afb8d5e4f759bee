// Routes ARI events to calls. A StasisStart is either a channel callbridge created itself
// (externalMedia, snoop, a transfer target: it settles a wait in ChannelArrivals) or a caller,
// which becomes a new CallSession. Hangups, keypad digits, lost media objects and finished
// playbacks go to the call they belong to, found by the caller's channel id or by the call id
// inside the ids we assigned. Callers handed to a person live on as BridgedTransfers.

import type { RtpTotals } from '../observability/gateway-metrics.ts';
import type { Logger } from '../observability/logger.ts';
import type { AriEvent, Channel } from '../telephony/ari/ari-types.ts';
import type { BridgedTransfer } from './bridged-transfer.ts';
import { newCallId, parseOwnedId } from './call-ids.ts';
import { type CallEndReason, type CallServices, CallSession } from './call-session.ts';
import type { TransferRegistry } from './call-types.ts';
import { TurnedAwayCalls } from './turned-away-calls.ts';

export type OrchestratorServices = Omit<CallServices, 'transfers'>;

export class CallOrchestrator {
  readonly #services: CallServices;
  readonly #log: Logger;
  readonly #calls = new Map<string, CallSession>();
  readonly #byCaller = new Map<string, CallSession>();
  readonly #transfers = new Map<string, BridgedTransfer>();
  readonly #turnedAway = new TurnedAwayCalls();
  #accepting = true;

  constructor(services: OrchestratorServices) {
    const transfers: TransferRegistry = {
      started: (transfer) => {
        this.#transfers.set(transfer.callerChannelId, transfer);
        this.#transfers.set(transfer.targetChannelId, transfer);
      },
      ended: (transfer) => {
        this.#transfers.delete(transfer.callerChannelId);
        this.#transfers.delete(transfer.targetChannelId);
      },
    };
    this.#services = { ...services, transfers };
    this.#log = services.logger;
  }

  get activeCalls(): number {
    return this.#calls.size;
  }

  /** Below MAX_CONCURRENT_CALLS and taking calls. */
  get hasCapacity(): boolean {
    const max = this.#services.config.capacity.maxConcurrentCalls;
    return this.#accepting && (max === 0 || this.#calls.size < max);
  }

  /** Live RTP counters of every call, for /metrics. */
  liveRtp(): RtpTotals {
    const totals: RtpTotals = { inbound: [], outbound: [] };
    for (const call of this.#calls.values()) {
      const { inbound, outbound } = call.rtpStats;
      if (inbound) totals.inbound.push(inbound);
      if (outbound) totals.outbound.push(outbound);
    }
    return totals;
  }

  /** Callers connected to a person after a transfer, still bridged by us. */
  get activeTransfers(): number {
    return new Set(this.#transfers.values()).size;
  }

  calls(): IterableIterator<CallSession> {
    return this.#calls.values();
  }

  /** True if this id (a channel, bridge or playback) belongs to a call or transfer in progress. */
  owns(id: string): boolean {
    if (this.#byCaller.has(id) || this.#transfers.has(id)) return true;
    const owned = parseOwnedId(this.#services.config.ari.app, id);
    if (owned === null) return false;
    if (this.#calls.has(owned.callId)) return true;
    return [...this.#transfers.values()].some((transfer) => transfer.bridgeId === id);
  }

  handleEvent = (event: AriEvent): void => {
    switch (event.type) {
      case 'StasisStart':
        if (this.#services.arrivals.deliver(event)) return;
        this.#onCallerArrived(event.channel, event.args);
        return;
      case 'StasisEnd':
      case 'ChannelHangupRequest':
        this.#onChannelGone(
          event.channel.id,
          event.type,
          event.type === 'ChannelHangupRequest' ? event.cause : undefined,
        );
        return;
      case 'ChannelDestroyed':
        this.#onChannelGone(event.channel.id, event.type, event.cause);
        return;
      case 'BridgeDestroyed': {
        const owned = parseOwnedId(this.#services.config.ari.app, event.bridge.id);
        if (owned?.kind === 'br')
          this.#calls.get(owned.callId)?.mediaResourceLost(`bridge ${event.bridge.id}`);
        return;
      }
      case 'PlaybackFinished':
        this.#callOf(event.playback.id)?.playbackFinished(event.playback.id);
        this.#turnedAway.playbackFinished(event.playback.id);
        return;
      case 'ChannelDtmfReceived':
        this.#byCaller.get(event.channel.id)?.keypad(event.digit);
        return;
      case 'ChannelStateChange':
      case 'ChannelEnteredBridge':
      case 'ChannelLeftBridge':
      case 'BridgeCreated':
      case 'PlaybackStarted':
      case 'ChannelVarset':
      case 'ApplicationReplaced':
        return;
      default:
        assertNever(event);
    }
  };

  /** Stops taking calls (shutdown); new callers are turned away. */
  stopAccepting(): void {
    this.#accepting = false;
  }

  /**
   * After the events socket was down, events may have been lost: a call whose caller channel no
   * longer exists in Asterisk is ended as if its hangup had arrived.
   */
  reconcile(liveChannelIds: ReadonlySet<string>): number {
    let ended = 0;
    for (const call of this.#calls.values()) {
      if (liveChannelIds.has(call.callerChannelId) || call.phase === 'ending' || call.phase === 'ended')
        continue;
      call.log.info('caller channel is gone after an ARI reconnect; ending the call');
      call.callerLeft();
      ended++;
    }
    for (const [channelId, transfer] of [...this.#transfers]) {
      if (!liveChannelIds.has(channelId)) void transfer.partyLeft(channelId);
    }
    return ended;
  }

  async endAll(reason: CallEndReason): Promise<void> {
    await Promise.all([...this.#calls.values()].map((call) => call.end(reason)));
  }

  /** Shutdown after draining: each agent says goodbye (bounded in time), then the call ends. */
  async endAllPolitely(goodbyeTimeoutMs: number): Promise<void> {
    await Promise.all([...this.#calls.values()].map((call) => call.endPolitely(goodbyeTimeoutMs)));
  }

  /** Callers being turned away (busy sound playing) have been dealt with. */
  turnedAwaySettled(): Promise<void> {
    return this.#turnedAway.settled();
  }

  /** Resolves when no call is in progress, or after `timeoutMs`. */
  async drained(timeoutMs: number): Promise<boolean> {
    const deadline = performance.now() + timeoutMs;
    while (this.#calls.size > 0 && performance.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, Math.min(100, deadline - performance.now())));
    }
    return this.#calls.size === 0;
  }

  #onCallerArrived(channel: Channel, args: readonly string[]): void {
    const app = this.#services.config.ari.app;
    if (
      parseOwnedId(app, channel.id) !== null ||
      this.#byCaller.has(channel.id) ||
      this.#transfers.has(channel.id)
    ) {
      // A channel of ours that arrived after its call ended (its release hangs it up), or a repeat.
      this.#log.debug({ channelId: channel.id }, 'ignoring StasisStart of a known channel');
      return;
    }
    if (!this.hasCapacity) {
      const why = this.#accepting ? 'at_capacity' : 'shutting_down';
      this.#services.metrics.callsTurnedAway.inc({ why });
      this.#log.warn({ channelId: channel.id, why, activeCalls: this.#calls.size }, 'turning away a call');
      void this.#turnedAway.turnAway(channel, this.#services);
      return;
    }
    const call = new CallSession(this.#services, newCallId(), channel, args, (ended) => {
      this.#calls.delete(ended.callId);
      this.#byCaller.delete(ended.callerChannelId);
      this.#services.metrics.activeCalls.set(this.#calls.size);
    });
    this.#calls.set(call.callId, call);
    this.#byCaller.set(channel.id, call);
    this.#services.metrics.activeCalls.set(this.#calls.size);
    void call.start();
  }

  #onChannelGone(channelId: string, eventType: string, cause: number | undefined): void {
    this.#turnedAway.callerGone(channelId);
    const transfer = this.#transfers.get(channelId);
    if (transfer) {
      void transfer.partyLeft(channelId);
      return;
    }
    const asCaller = this.#byCaller.get(channelId);
    if (asCaller) {
      asCaller.callerLeft();
      return;
    }
    const owned = parseOwnedId(this.#services.config.ari.app, channelId);
    const call = owned === null ? undefined : this.#calls.get(owned.callId);
    if (!call || call.phase === 'ending' || call.phase === 'ended') return;
    if (owned?.kind === 'xfer') {
      if (eventType !== 'StasisEnd') call.transferTargetGone(cause);
      return;
    }
    call.mediaResourceLost(`channel ${channelId} (${eventType})`);
  }

  #callOf(id: string): CallSession | undefined {
    const owned = parseOwnedId(this.#services.config.ari.app, id);
    return owned === null ? undefined : this.#calls.get(owned.callId);
  }
}

function assertNever(_event: never): void {}
