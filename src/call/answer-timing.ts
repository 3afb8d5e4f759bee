// When to answer a ringing call. In "when-ready" mode the call is answered once the greeting's
// first audio is buffered, so it starts playing the moment the caller is connected; ring.maxMs
// caps the ringing when the model is slow, ring.minMs lets an operator keep a ring or two.
// In "immediately" mode it is answered at once and prepared afterwards.

export interface AnswerTimingSettings {
  answer: 'when-ready' | 'immediately';
  minMs: number;
  maxMs: number;
}

export type AnswerTrigger = 'immediately' | 'ready' | 'max_ring' | 'cancelled';

/**
 * Resolves when the call should be answered, given when it arrived (performance.now() time), or
 * with 'cancelled' as soon as `cancel` aborts (the call ended while ringing): no timer outlives it.
 */
export async function waitForAnswerMoment(
  ready: Promise<unknown>,
  arrivedAt: number,
  settings: AnswerTimingSettings,
  cancel: AbortSignal,
  now: () => number = () => performance.now(),
): Promise<AnswerTrigger> {
  if (settings.answer === 'immediately') return 'immediately';
  const cancelled = new Promise<'cancelled'>((resolve) => {
    if (cancel.aborted) resolve('cancelled');
    else cancel.addEventListener('abort', () => resolve('cancelled'), { once: true });
  });
  let timer: NodeJS.Timeout | undefined;
  try {
    const capped = new Promise<AnswerTrigger>((resolve) => {
      timer = setTimeout(() => resolve('max_ring'), Math.max(0, arrivedAt + settings.maxMs - now()));
    });
    const settle = () => 'ready' as const;
    const trigger = await Promise.race([ready.then(settle, settle), capped, cancelled]);
    clearTimeout(timer);
    const waitMore = arrivedAt + settings.minMs - now();
    if (trigger === 'cancelled' || waitMore <= 0) return trigger;
    const rang = new Promise<AnswerTrigger>((resolve) => {
      timer = setTimeout(() => resolve(trigger), waitMore);
    });
    return await Promise.race([rang, cancelled]);
  } finally {
    clearTimeout(timer);
  }
}

/** Follows a promise so its outcome can be read synchronously once it has settled. */
export function trackOutcome(promise: Promise<unknown>): { failure: () => unknown } {
  let failure: unknown = null;
  promise.catch((error: unknown) => {
    failure = error ?? new Error('failed');
  });
  return { failure: () => failure };
}
