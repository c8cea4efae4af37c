// The one backoff loop for waiting on Agent37: probe, and while the answer is not the one awaited,
// wait a little longer each time (×1.5, capped) until a deadline.
import { Agent37DeadlineError } from "./errors";
import { waitingFor } from "./progress";
import { sleep } from "./sleep";

export interface PollOptions<T> {
  /** First wait between probes (ms); each later one is 1.5 times longer, up to `maxIntervalMs`. */
  intervalMs: number;
  /** Cap of the wait between probes (ms). */
  maxIntervalMs: number;
  /** How long to keep probing (ms), counted from the call. */
  timeoutMs: number;
  /** What is awaited, given the last answer: the deadline error's subject. */
  what: (last: T) => string;
  /** An answer already in hand: judged before the first probe (which then waits first). */
  initial?: { value: T };
  /** What the user is told while it waits (progress.ts): what is awaited, and each answer's short form. */
  progress?: { what: string; state: (last: T) => string };
}

/**
 * Calls `probe` until `done` holds for its answer and returns that answer. Past the deadline it
 * throws `Agent37DeadlineError`; errors of `probe` end the wait as they are.
 */
export function poll<T>(probe: () => Promise<T>, done: (value: T) => boolean, opts: PollOptions<T>): Promise<T> {
  const progress = opts.progress;
  if (progress === undefined) return loop(probe, done, opts, () => undefined);
  return waitingFor(progress.what, (observe) => loop(probe, done, opts, (value) => observe(progress.state(value))));
}

async function loop<T>(probe: () => Promise<T>, done: (value: T) => boolean, opts: PollOptions<T>, seen: (value: T) => void): Promise<T> {
  const deadline = Date.now() + opts.timeoutMs;
  let wait = opts.intervalMs;
  let current = opts.initial !== undefined ? opts.initial.value : await probe();
  while (!done(current)) {
    seen(current);
    if (Date.now() >= deadline) throw new Agent37DeadlineError(opts.what(current), opts.timeoutMs);
    await sleep(wait);
    wait = Math.min(opts.maxIntervalMs, Math.round(wait * 1.5));
    current = await probe();
  }
  return current;
}
