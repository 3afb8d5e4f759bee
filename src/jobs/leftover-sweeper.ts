// Finds bridges and channels that an earlier run of this app left behind in Asterisk (a crash,
// a kill -9, a lost connection) and removes them: our bridges and externalMedia/snoop channels
// by the ids we give them, and callers still parked in our Stasis app that no call of ours is
// serving. Anything that belongs to a call in progress, or is newer than the cut-off, is left alone.

import { parseOwnedId } from '../call/call-ids.ts';
import type { Logger } from '../observability/logger.ts';
import { ignoringGone } from '../telephony/ari/ari-errors.ts';
import type { AriRest } from '../telephony/ari/ari-rest.ts';
import type { Channel } from '../telephony/ari/ari-types.ts';

export interface SweepResult {
  channels: number;
  bridges: number;
  failures: number;
}

export interface LeftoverSweeperOptions {
  ari: AriRest;
  app: string;
  /** True for ids (callers, bridges, channels) of calls in progress. */
  isActive: (id: string) => boolean;
  logger: Logger;
}

export class LeftoverSweeper {
  readonly #options: LeftoverSweeperOptions;
  #running: Promise<SweepResult> | null = null;

  constructor(options: LeftoverSweeperOptions) {
    this.#options = options;
  }

  /** Removes leftovers created before `cutoffEpochMs`. Overlapping runs share one pass. */
  sweep(cutoffEpochMs: number): Promise<SweepResult> {
    this.#running ??= this.#sweep(cutoffEpochMs).finally(() => {
      this.#running = null;
    });
    return this.#running;
  }

  async #sweep(cutoffEpochMs: number): Promise<SweepResult> {
    const { ari, app, isActive, logger } = this.#options;
    const result: SweepResult = { channels: 0, bridges: 0, failures: 0 };
    const old = (creationtime: string) => Date.parse(creationtime) < cutoffEpochMs;

    const [channels, bridges] = await Promise.all([ari.listChannels(), ari.listBridges()]);
    // People talking to each other in one of our bridges (a transfer the previous run bridged)
    // are never cut off; once one of them hangs up, the other is swept.
    const conversations = bridges.filter(
      (bridge) => bridge.channels.filter((id) => !isMediaChannel(app, id)).length >= 2,
    );
    const talking = new Set(conversations.flatMap((bridge) => bridge.channels));
    for (const channel of channels) {
      if (isActive(channel.id) || talking.has(channel.id) || !old(channel.creationtime)) continue;
      if (parseOwnedId(app, channel.id) === null && !isParkedInApp(channel, app)) continue;
      try {
        await ignoringGone(ari.hangup(channel.id, 'normal'));
        result.channels++;
        logger.info({ channelId: channel.id, name: channel.name }, 'removed a leftover channel');
      } catch (error) {
        result.failures++;
        logger.warn(
          { channelId: channel.id, cause: (error as Error).message },
          'could not remove a leftover channel',
        );
      }
    }
    for (const bridge of bridges) {
      const owned = parseOwnedId(app, bridge.id);
      if (owned === null || (owned.kind !== 'br' && owned.kind !== 'xbr')) continue;
      if (isActive(bridge.id) || conversations.includes(bridge) || !old(bridge.creationtime)) continue;
      try {
        await ignoringGone(ari.destroyBridge(bridge.id));
        result.bridges++;
        logger.info({ bridgeId: bridge.id }, 'removed a leftover bridge');
      } catch (error) {
        result.failures++;
        logger.warn(
          { bridgeId: bridge.id, cause: (error as Error).message },
          'could not remove a leftover bridge',
        );
      }
    }
    return result;
  }
}

/** A channel sitting in Stasis(<app>, ...) in the dialplan. */
function isParkedInApp(channel: Channel, app: string): boolean {
  const { app_name: appName, app_data: appData } = channel.dialplan;
  return appName === 'Stasis' && (appData === app || appData.startsWith(`${app},`));
}

/** Our externalMedia and snoop channels: media plumbing, not a party to a conversation. */
function isMediaChannel(app: string, channelId: string): boolean {
  const kind = parseOwnedId(app, channelId)?.kind;
  return kind === 'em' || kind === 'snoop';
}
