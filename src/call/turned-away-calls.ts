// Callers refused before any preparation: at MAX_CONCURRENT_CALLS, or while the daemon drains
// for shutdown. They get the capacity behaviour: a busy sound then a hangup (or a busy signal
// without a sound), or back to the dialplan, e.g. a queue of people.
import type { Channel } from '../telephony/ari/ari-types.ts';
import { runFallback } from './call-fallback.ts';
import { ownedId } from './call-ids.ts';
import type { CallServices } from './call-types.ts';
import { PlaybackWaits } from './playback-waits.ts';

export class TurnedAwayCalls {
  readonly #playbacks = new PlaybackWaits();
  /** Caller channel → its playback id, so a hangup ends the wait. */
  readonly #byCaller = new Map<string, string>();
  readonly #inProgress = new Set<Promise<void>>();

  /** Resolves once every caller being turned away has been dealt with. */
  async settled(): Promise<void> {
    await Promise.all([...this.#inProgress]);
  }

  turnAway(channel: Channel, services: Pick<CallServices, 'ari' | 'config' | 'logger'>): Promise<void> {
    const work = this.#turnAway(channel, services);
    this.#inProgress.add(work);
    void work.finally(() => this.#inProgress.delete(work));
    return work;
  }

  async #turnAway(
    channel: Channel,
    services: Pick<CallServices, 'ari' | 'config' | 'logger'>,
  ): Promise<void> {
    const { ari, config, logger } = services;
    const capacity = config.capacity;
    const log = logger.child({ channelId: channel.id });
    const playbackId = ownedId(config.ari.app, 'pb', `away${this.#playbacks.next()}`);
    this.#byCaller.set(channel.id, playbackId);
    try {
      if (capacity.action === 'busy' && !capacity.sound) {
        await ari.hangup(channel.id, 'busy');
        return;
      }
      const outcome = await runFallback(
        {
          ari,
          callerChannelId: channel.id,
          answered: channel.state === 'Up',
          playbackId,
          waitForPlayback: (id, timeoutMs) => this.#playbacks.wait(id, timeoutMs),
          log,
        },
        { ...capacity, action: capacity.action === 'busy' ? 'hangup' : 'continue' },
        { playSound: true },
      );
      log.info({ outcome }, 'caller turned away');
    } catch (error) {
      log.warn({ cause: (error as Error).message }, 'could not turn the caller away cleanly');
    } finally {
      this.#byCaller.delete(channel.id);
    }
  }

  playbackFinished(playbackId: string): void {
    this.#playbacks.finished(playbackId);
  }

  callerGone(channelId: string): void {
    const playbackId = this.#byCaller.get(channelId);
    if (playbackId !== undefined) this.#playbacks.finished(playbackId);
  }
}
