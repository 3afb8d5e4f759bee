import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { waitForAnswerMoment } from '../../../src/call/answer-timing.ts';

const settings = { answer: 'when-ready' as const, minMs: 500, maxMs: 4000 };
const never = new Promise<void>(() => undefined);

describe('waitForAnswerMoment', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('answers when ready, but not before ring.minMs', async () => {
    const wait = waitForAnswerMoment(
      Promise.resolve(),
      Date.now(),
      settings,
      new AbortController().signal,
      () => Date.now(),
    );
    let trigger: string | undefined;
    void wait.then((t) => {
      trigger = t;
    });
    await vi.advanceTimersByTimeAsync(499);
    expect(trigger).toBeUndefined();
    await vi.advanceTimersByTimeAsync(1);
    expect(trigger).toBe('ready');
  });

  it('answers at ring.maxMs when the model is slow', async () => {
    const wait = waitForAnswerMoment(never, Date.now(), settings, new AbortController().signal, () =>
      Date.now(),
    );
    await vi.advanceTimersByTimeAsync(4000);
    expect(await wait).toBe('max_ring');
    expect(vi.getTimerCount()).toBe(0);
  });

  it('stops at once, leaving no timer, when the caller hangs up while it rings', async () => {
    const ending = new AbortController();
    const wait = waitForAnswerMoment(never, Date.now(), settings, ending.signal, () => Date.now());
    await vi.advanceTimersByTimeAsync(100);
    ending.abort();
    expect(await wait).toBe('cancelled');
    expect(vi.getTimerCount()).toBe(0);
  });

  it('stops during the ring.minMs wait too', async () => {
    const ending = new AbortController();
    const wait = waitForAnswerMoment(Promise.resolve(), Date.now(), settings, ending.signal, () =>
      Date.now(),
    );
    await vi.advanceTimersByTimeAsync(10);
    ending.abort();
    expect(await wait).toBe('cancelled');
    expect(vi.getTimerCount()).toBe(0);
  });
});
