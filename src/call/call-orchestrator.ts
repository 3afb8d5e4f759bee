// Routes ARI events to calls. A StasisStart is either a channel callbridge created itself
// (externalMedia, snoop: it settles a wait in ChannelArrivals) or a caller, which becomes a new
// CallSession. Hangups, lost media objects and finished playbacks go to the call they belong to,
// found by the caller's channel id or by the call id inside the ids we assigned.
import type { Logger } from '../observability/logger.ts';
import type { AriEvent, Channel } from '../telephony/ari/ari-types.ts';
import { newCallId, parseOwnedId } from './call-ids.ts';
import { type CallEndReason, type CallServices, CallSession } from './call-session.ts';

export class CallOrchestrator {
  readonly #services: CallServices;
  readonly #log: Logger;
  readonly #calls = new Map<string, CallSession>();
  readonly #byCaller = new Map<string, CallSession>();
  #accepting = true;

  constructor(services: CallServices) {
    this.#services = services;
    this.#log = services.logger;
  }

  get activeCalls(): number {
    return this.#calls.size;
  }

  calls(): IterableIterator<CallSession> {
    return this.#calls.values();
  }

  /** True if this id (a channel, bridge or playback) belongs to a call in progress. */
  owns(id: string): boolean {
    if (this.#byCaller.has(id)) return true;
    const owned = parseOwnedId(this.#services.config.ari.app, id);
    return owned !== null && this.#calls.has(owned.callId);
  }

  handleEvent = (event: AriEvent): void => {
    switch (event.type) {
      case 'StasisStart':
        if (this.#services.arrivals.deliver(event)) return;
        this.#onCallerArrived(event.channel, event.args);
        return;
      case 'StasisEnd':
      case 'ChannelHangupRequest':
      case 'ChannelDestroyed':
        this.#onChannelGone(event.channel.id, event.type);
        return;
      case 'BridgeDestroyed':
        this.#callOf(event.bridge.id)?.mediaResourceLost(`bridge ${event.bridge.id}`);
        return;
      case 'PlaybackFinished':
        this.#callOf(event.playback.id)?.playbackFinished(event.playback.id);
        return;
      case 'ChannelDtmfReceived':
        this.#byCaller.get(event.channel.id)?.log.debug({ digit: event.digit }, 'caller pressed a key');
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
    return ended;
  }

  async endAll(reason: CallEndReason): Promise<void> {
    await Promise.all([...this.#calls.values()].map((call) => call.end(reason)));
  }

  #onCallerArrived(channel: Channel, args: readonly string[]): void {
    const app = this.#services.config.ari.app;
    if (parseOwnedId(app, channel.id) !== null || this.#byCaller.has(channel.id)) {
      // A channel of ours that arrived after its call ended (its release hangs it up), or a repeat.
      this.#log.debug({ channelId: channel.id }, 'ignoring StasisStart of a known channel');
      return;
    }
    if (!this.#accepting) {
      this.#log.warn({ channelId: channel.id }, 'turning away a call: shutting down');
      void this.#services.ari.hangup(channel.id, 'congestion').catch(() => undefined);
      return;
    }
    const call = new CallSession(this.#services, newCallId(), channel, args, (ended) => {
      this.#calls.delete(ended.callId);
      this.#byCaller.delete(ended.callerChannelId);
    });
    this.#calls.set(call.callId, call);
    this.#byCaller.set(channel.id, call);
    void call.start();
  }

  #onChannelGone(channelId: string, eventType: string): void {
    const asCaller = this.#byCaller.get(channelId);
    if (asCaller) {
      asCaller.callerLeft();
      return;
    }
    const call = this.#callOf(channelId);
    if (call && call.phase !== 'ending' && call.phase !== 'ended') {
      call.mediaResourceLost(`channel ${channelId} (${eventType})`);
    }
  }

  #callOf(id: string): CallSession | undefined {
    const owned = parseOwnedId(this.#services.config.ari.app, id);
    return owned === null ? undefined : this.#calls.get(owned.callId);
  }
}

function assertNever(_event: never): void {}
