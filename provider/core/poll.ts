// The one backoff mechanism for waiting on Agent37: a wait that starts at a steady interval and
// grows by a factor up to a cap (`Backoff`, `backoffDelay`), paced against a deadline and an
// abort signal (`Pacer`), and the loop built on it: probe, and while the answer is not the one
// awaited, wait a little longer each time until the deadline (`poll`). Retry loops that count
// attempts (core/natural-create.ts, instance/create-token.ts) take their waits from
// `backoffDelay`; gates that switch between a steady and a growing wait (instance/health.ts) and
// a template build's steps, which share one deadline (template/build.ts), drive a `Pacer`
// themselves.
import { Agent37DeadlineError } from "./errors";
import { waitingFor } from "./progress";
import { sleep } from "./sleep";

export interface Backoff {
  /** First wait (ms). */
  intervalMs: number;
  /** Each later wait is this many times longer. @default 1.5 */
  factor?: number;
  /** Cap of a wait (ms). */
  maxIntervalMs: number;
}

/** The wait after `wait`: `factor` times longer, rounded, at most the cap. */
function grown(b: Backoff, wait: number): number {
  return Math.min(b.maxIntervalMs, Math.round(wait * (b.factor ?? 1.5)));
}

/** The wait after attempt `attempt` (1, 2, ...): the first interval, then each `factor` times longer, capped. */
export function backoffDelay(b: Backoff, attempt: number): number {
  let wait = Math.min(b.maxIntervalMs, b.intervalMs);
  for (let n = 1; n < attempt; n++) wait = grown(b, wait);
  return wait;
}

/**
 * The pace of one wait: the current interval (steady, or grown after each wait), a deadline that
 * a wait may be clamped to, and a signal that cuts a wait short.
 */
export class Pacer {
  private wait: number;
  readonly deadline: number;

  constructor(
    private readonly backoff: Backoff,
    private readonly opts: { timeoutMs?: number; signal?: AbortSignal; clampToDeadline?: boolean } = {},
  ) {
    this.wait = backoff.intervalMs;
    this.deadline = opts.timeoutMs === undefined ? Infinity : Date.now() + opts.timeoutMs;
  }

  /** Whether the deadline has passed. */
  get expired(): boolean {
    return Date.now() >= this.deadline;
  }

  /** The next wait is the first interval again. */
  steady(): void {
    this.wait = this.backoff.intervalMs;
  }

  /** The next wait is `factor` times longer (capped). */
  grow(): void {
    this.wait = grown(this.backoff, this.wait);
  }

  /** Sleeps the current interval (up to the deadline when clamped); `grow` decides whether the next is longer. */
  async sleep(grow = true): Promise<void> {
    const ms = this.opts.clampToDeadline === true ? Math.min(this.wait, Math.max(0, this.deadline - Date.now())) : this.wait;
    await sleep(ms, this.opts.signal);
    if (grow) this.grow();
  }
}

export interface PollOptions<T> extends Partial<Pick<Backoff, "factor">> {
  /** First wait between probes (ms); each later one is `factor` (1.5) times longer, up to `maxIntervalMs`. */
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
  /** The last wait ends at the deadline, so the last probe is made there. @default false (a wait may end past it) */
  lastProbeAtDeadline?: boolean;
  /** The error past the deadline, given the last answer. @default Agent37DeadlineError naming `what` */
  expired?: (last: T) => Error | Promise<Error>;
  /** Cuts a wait short: the poll then rejects with the abort's reason. */
  signal?: AbortSignal;
}

/**
 * Calls `probe` until `done` holds for its answer and returns that answer. Past the deadline it
 * throws `Agent37DeadlineError` (or `expired`'s error); errors of `probe` end the wait as they are.
 */
export function poll<T>(probe: () => Promise<T>, done: (value: T) => boolean, opts: PollOptions<T>): Promise<T> {
  const progress = opts.progress;
  if (progress === undefined) return loop(probe, done, opts, () => undefined);
  return waitingFor(progress.what, (observe) => loop(probe, done, opts, (value) => observe(progress.state(value))));
}

async function loop<T>(probe: () => Promise<T>, done: (value: T) => boolean, opts: PollOptions<T>, seen: (value: T) => void): Promise<T> {
  const pace = new Pacer(
    { intervalMs: opts.intervalMs, maxIntervalMs: opts.maxIntervalMs, ...(opts.factor === undefined ? {} : { factor: opts.factor }) },
    { timeoutMs: opts.timeoutMs, clampToDeadline: opts.lastProbeAtDeadline === true, ...(opts.signal === undefined ? {} : { signal: opts.signal }) },
  );
  let current = opts.initial !== undefined ? opts.initial.value : await probe();
  while (!done(current)) {
    seen(current);
    if (pace.expired) throw opts.expired !== undefined ? await opts.expired(current) : new Agent37DeadlineError(opts.what(current), opts.timeoutMs);
    await pace.sleep();
    current = await probe();
  }
  return current;
}
