// Polls a condition; the test helpers' way to wait for asynchronous effects without sleeping.

export function waitUntil(condition: () => boolean, timeoutMs: number, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const check = (): void => {
      let done: boolean;
      try {
        done = condition();
      } catch (err) {
        reject(err);
        return;
      }
      if (done) resolve();
      else if (Date.now() >= deadline)
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`));
      else setTimeout(check, 5);
    };
    check();
  });
}
