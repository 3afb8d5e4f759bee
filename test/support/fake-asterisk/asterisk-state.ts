// The fake's telephony core: channels entering and leaving Stasis, bridges, hangups, and the
// events each of those produces in the order a real Asterisk 22 produced them (see
// /work/shared/asterisk-ari/captured). REST handlers and the test API both drive this.

import type { ChannelState } from '../../../src/telephony/ari/ari-types.ts';
import {
  AsteriskNaming,
  type BridgeRecord,
  bridgeJson,
  type ChannelRecord,
  channelJson,
} from './asterisk-records.ts';
import { asteriskTimestamp } from './asterisk-time.ts';
import type { EventRouter } from './event-router.ts';
import { causeText } from './hangup-causes.ts';
import { PlaybackEngine, type PlaybackEngineOptions } from './playback-engine.ts';
import { Scheduler } from './scheduler.ts';

export type HangupOrigin =
  /** DELETE /channels/{id}: a soft hangup, ChannelHangupRequest {cause: 32, soft: true}. */
  | 'ari'
  /** The far end hung up (SIP BYE): ChannelHangupRequest without a cause. */
  | 'caller'
  /** A snoop whose target went away: its read returns NULL, no hangup request is published. */
  | 'detach';

export interface AsteriskStateOptions {
  router: EventRouter;
  isRegistered: (app: string) => boolean;
  snoopHangupDelayMs: number;
  playback: PlaybackEngineOptions;
}

/** AST_SOFTHANGUP_EXPLICIT: what ChannelHangupRequest.cause carries after DELETE /channels. */
const SOFTHANGUP_EXPLICIT = 32;

export class AsteriskState {
  readonly channels = new Map<string, ChannelRecord>();
  readonly bridges = new Map<string, BridgeRecord>();
  readonly naming = new AsteriskNaming();
  /** Timers belonging to channels and bridges; cleared when Asterisk "restarts". */
  readonly scheduler = new Scheduler();
  readonly playbacks: PlaybackEngine;
  readonly router: EventRouter;
  #options: AsteriskStateOptions;
  #closing = new Set<Promise<void>>();

  constructor(options: AsteriskStateOptions) {
    this.#options = options;
    this.router = options.router;
    this.playbacks = new PlaybackEngine(this, options.playback);
  }

  isRegistered(app: string): boolean {
    return this.#options.isRegistered(app);
  }

  findChannel(id: string): ChannelRecord | undefined {
    const ch = this.channels.get(id);
    return ch?.alive ? ch : undefined;
  }

  findBridge(id: string): BridgeRecord | undefined {
    const b = this.bridges.get(id);
    return b?.alive ? b : undefined;
  }

  addChannel(ch: ChannelRecord): void {
    this.channels.set(ch.id, ch);
  }

  appsOf(ch: ChannelRecord): (string | undefined)[] {
    return [ch.stasisApp, ch.explicitApp];
  }

  emitChannel(
    ch: ChannelRecord,
    type: string,
    fields: Record<string, unknown> = {},
    leading: Record<string, unknown> = {},
  ): void {
    this.router.emit(this.appsOf(ch), type, { ...fields, channel: channelJson(ch) }, leading);
  }

  setState(ch: ChannelRecord, state: ChannelState): void {
    if (ch.state === state) return;
    ch.state = state;
    this.emitChannel(ch, 'ChannelStateChange');
  }

  setVar(ch: ChannelRecord, variable: string, value: string): void {
    ch.vars.set(variable, value);
    this.emitChannel(ch, 'ChannelVarset', {}, { variable, value });
  }

  /** Stasis(app,args): false when the app is not registered (Asterisk then fails the call). */
  enterStasis(ch: ChannelRecord, app: string, args: string[]): boolean {
    if (!this.isRegistered(app)) return false;
    ch.dialplan = { ...ch.dialplan, app_name: 'Stasis', app_data: [app, ...args].join(',') };
    // Only an app that already subscribed (ARI-created channel) sees this one.
    this.setVar(ch, 'STASISSTATUS', '');
    ch.stasisApp = app;
    this.emitChannel(ch, 'StasisStart', { args });
    return true;
  }

  leaveStasis(ch: ChannelRecord): void {
    if (!ch.stasisApp) return;
    this.playbacks.stopTarget(`channel:${ch.id}`);
    if (ch.bridgeId) this.removeFromBridge(ch);
    this.emitChannel(ch, 'StasisEnd');
    ch.stasisApp = undefined;
    // Seen only by an app that subscribed explicitly; a dialplan channel's app stops here.
    this.setVar(ch, 'STASISSTATUS', 'SUCCESS');
  }

  /**
   * Hangs the channel up. With `deferMs`, only the hangup request is published now and the rest
   * follows on the channel's own thread, as after DELETE /channels (the 204 comes first).
   */
  hangup(ch: ChannelRecord, origin: HangupOrigin, cause: number, deferMs?: number): void {
    if (!ch.alive || ch.hangupRequested) return;
    ch.hangupRequested = true;
    if (origin === 'ari')
      this.emitChannel(ch, 'ChannelHangupRequest', {}, { cause: SOFTHANGUP_EXPLICIT, soft: true });
    if (origin === 'caller') this.emitChannel(ch, 'ChannelHangupRequest');
    ch.hangupCause = cause;
    if (ch.endpoint && !ch.endpoint.hungUpBy)
      ch.endpoint.hungUpBy = origin === 'caller' ? 'caller' : 'asterisk';
    if (deferMs === undefined) this.#destroy(ch);
    else this.scheduler.after(deferMs, () => this.#destroy(ch));
  }

  #destroy(ch: ChannelRecord): void {
    if (!ch.alive) return;
    this.leaveStasis(ch);
    if (ch.bridgeId) this.removeFromBridge(ch);
    this.playbacks.stopTarget(`channel:${ch.id}`);
    this.emitChannel(ch, 'ChannelDestroyed', { cause: ch.hangupCause, cause_txt: causeText(ch.hangupCause) });
    this.#forget(ch);
    for (const snoop of this.channels.values()) {
      if (snoop.alive && snoop.snoop?.targetId === ch.id) {
        this.scheduler.after(this.#options.snoopHangupDelayMs, () => this.hangup(snoop, 'detach', 0));
      }
    }
  }

  createBridge(id: string, name: string, bridgeType: 'mixing' | 'holding'): BridgeRecord {
    const bridge: BridgeRecord = {
      id,
      name,
      bridgeType,
      creationtime: asteriskTimestamp(),
      channels: [],
      apps: new Set(),
      alive: true,
    };
    this.bridges.set(id, bridge);
    // Nobody is subscribed to a new bridge yet, except subscribeAll apps.
    this.router.emit([], 'BridgeCreated', { bridge: bridgeJson(bridge) });
    return bridge;
  }

  addToBridge(ch: ChannelRecord, bridge: BridgeRecord): void {
    if (ch.bridgeId === bridge.id) return;
    if (ch.bridgeId) this.removeFromBridge(ch);
    bridge.channels.push(ch.id);
    ch.bridgeId = bridge.id;
    for (const app of this.appsOf(ch)) if (app) bridge.apps.add(app);
    this.router.emit([...this.appsOf(ch), ...bridge.apps], 'ChannelEnteredBridge', {
      bridge: bridgeJson(bridge),
      channel: channelJson(ch),
    });
    if (bridge.channels.length === 2) {
      const [first, second] = bridge.channels.map((id) => this.channels.get(id));
      if (first && second) {
        this.setVar(first, 'BRIDGEPEER', second.name);
        this.setVar(second, 'BRIDGEPEER', first.name);
      }
    }
  }

  removeFromBridge(ch: ChannelRecord): void {
    const bridge = ch.bridgeId ? this.bridges.get(ch.bridgeId) : undefined;
    ch.bridgeId = undefined;
    if (!bridge) return;
    if (ch.vars.get('BRIDGEPEER')) this.setVar(ch, 'BRIDGEPEER', '');
    bridge.channels = bridge.channels.filter((id) => id !== ch.id);
    this.router.emit([...this.appsOf(ch), ...bridge.apps], 'ChannelLeftBridge', {
      bridge: bridgeJson(bridge),
      channel: channelJson(ch),
    });
  }

  destroyBridge(bridge: BridgeRecord): void {
    for (const id of [...bridge.channels]) {
      const ch = this.channels.get(id);
      if (ch) this.removeFromBridge(ch);
    }
    this.playbacks.stopTarget(`bridge:${bridge.id}`);
    bridge.alive = false;
    this.bridges.delete(bridge.id);
    this.router.emit(bridge.apps, 'BridgeDestroyed', { bridge: bridgeJson(bridge) });
  }

  /** Asterisk went away: everything is forgotten without a single event. */
  forgetAll(): void {
    this.scheduler.clear();
    this.playbacks.forgetAll();
    for (const ch of this.channels.values()) {
      if (ch.endpoint && !ch.endpoint.hungUpBy) ch.endpoint.hungUpBy = 'restart';
      this.#forget(ch);
    }
    this.channels.clear();
    for (const b of this.bridges.values()) b.alive = false;
    this.bridges.clear();
  }

  /** Resolves once every RTP socket of a destroyed channel is closed. */
  async settle(): Promise<void> {
    await Promise.all(this.#closing);
  }

  #forget(ch: ChannelRecord): void {
    ch.alive = false;
    ch.stasisApp = undefined;
    ch.bridgeId = undefined;
    this.channels.delete(ch.id);
    if (ch.media) {
      const closing = ch.media.peer.close();
      this.#closing.add(closing);
      void closing.then(() => this.#closing.delete(closing));
    }
  }
}
