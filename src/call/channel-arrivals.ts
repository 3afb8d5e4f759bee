// Waits for the StasisStart of channels callbridge creates itself. Asterisk's HTTP reply to
// externalMedia can arrive before the channel's StasisStart, and bridging it before then fails
// with 422 "Channel not in Stasis application"; the expectation is registered before the
// request is sent, so a StasisStart that wins the race is not missed.
import type { Channel, StasisStartEvent } from '../telephony/ari/ari-types.ts';

interface Waiter {
  resolve: (channel: Channel) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

export class ChannelArrivals {
  readonly #waiters = new Map<string, Waiter>();

  /** Call before creating the channel; resolves with it once it has entered the app. */
  expect(channelId: string, timeoutMs: number): Promise<Channel> {
    return new Promise<Channel>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#waiters.delete(channelId);
        reject(new Error(`channel ${channelId} did not enter the Stasis app within ${timeoutMs} ms`));
      }, timeoutMs);
      this.#waiters.set(channelId, { resolve, reject, timer });
    });
  }

  /** Settles the wait for this channel, if one is registered. Returns whether it was expected. */
  deliver(event: StasisStartEvent): boolean {
    const waiter = this.#waiters.get(event.channel.id);
    if (!waiter) return false;
    clearTimeout(waiter.timer);
    this.#waiters.delete(event.channel.id);
    waiter.resolve(event.channel);
    return true;
  }

  cancel(channelId: string, reason: string): void {
    const waiter = this.#waiters.get(channelId);
    if (!waiter) return;
    clearTimeout(waiter.timer);
    this.#waiters.delete(channelId);
    waiter.reject(new Error(reason));
  }

  get waiting(): number {
    return this.#waiters.size;
  }
}
