/**
 * Fractional epoch milliseconds: request-log `at`, `healthyAt` and boot timing all use this
 * clock so a test can measure sub-millisecond gaps (e.g. between a 429 and its retry).
 */
export function now(): number {
  return performance.timeOrigin + performance.now();
}

/** Epoch seconds, the unit of every hosting-API timestamp. */
export function epochSeconds(ms: number = now()): number {
  return Math.floor(ms / 1000);
}

/** Resolves after `ms`, or rejects with the signal's reason when the emulator closes first. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (ms <= 0 && !signal?.aborted) return Promise.resolve();
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
