// When to answer a ringing call. In "when-ready" mode the call is answered once the greeting's
// first audio is buffered, so it starts playing the moment the caller is connected; ring.maxMs
// caps the ringing when the model is slow, ring.minMs lets an operator keep a ring or two.
// In "immediately" mode it is answered at once and prepared afterwards.

export interface AnswerTimingSettings {
  answer: 'when-ready' | 'immediately';
  minMs: number;
  maxMs: number;
}

export type AnswerTrigger = 'immediately' | 'ready' | 'max_ring';

/** Resolves when the call should be answered, given when it arrived (performance.now() time). */
export async function waitForAnswerMoment(
  ready: Promise<unknown>,
  arrivedAt: number,
  settings: AnswerTimingSettings,
  now: () => number = () => performance.now(),
): Promise<AnswerTrigger> {
  if (settings.answer === 'immediately') return 'immediately';
  let timer: NodeJS.Timeout | undefined;
  const capped = new Promise<AnswerTrigger>((resolve) => {
    timer = setTimeout(() => resolve('max_ring'), Math.max(0, arrivedAt + settings.maxMs - now()));
  });
  const trigger = await Promise.race([
    ready.then(
      () => 'ready' as const,
      () => 'ready' as const,
    ),
    capped,
  ]);
  clearTimeout(timer);
  const waitMore = arrivedAt + settings.minMs - now();
  if (waitMore > 0) await new Promise((resolve) => setTimeout(resolve, waitMore));
  return trigger;
}

/** Follows a promise so its outcome can be read synchronously once it has settled. */
export function trackOutcome(promise: Promise<unknown>): { failure: () => unknown } {
  let failure: unknown = null;
  promise.catch((error: unknown) => {
    failure = error ?? new Error('failed');
  });
  return { failure: () => failure };
}
