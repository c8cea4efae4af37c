import { setTimeout as delay } from "node:timers/promises";

/** Waits `ms`; rejects at once when `signal` aborts, so a cancelled operation never lingers. */
export async function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (ms <= 0) {
    signal?.throwIfAborted();
    return;
  }
  await delay(ms, undefined, signal === undefined ? undefined : { signal });
}
