// What `pulumi up` shows while a resource waits: one line, `waiting for the gateway's health
// (12 s, agent not healthy yet)`, first after `firstMs` of a wait, then every `everyMs`, replaced by
// the next and cleared when the wait ends. A wait says what it waits for and, as it polls, the
// last state it saw; a door supplies where the lines go (its sink: the engine's status line of
// the resource being served) by running the operation inside `reportingTo`. Like step.ts and
// engine-call.ts, the current reporter travels with the async context, so the waits deep inside
// a resource need no extra parameter: outside any door (in-process use, tests that set none)
// waits report nothing. Lines are timer-driven rather than poll-driven, so one long blocking
// request (an exec of minutes) is reported too.
import { AsyncLocalStorage } from "node:async_hooks";
import { redact } from "./redact";

/** Where a door shows a resource's progress: each line replaces the last; `""` clears it. */
export interface ProgressSink {
  report(message: string): void;
  /** Resolves once the lines reported so far were delivered (or given up); never rejects. */
  flush?(): Promise<void>;
}

/** The time a reporter reads and schedules by (injectable for tests). */
export interface ProgressClock {
  now(): number;
  /** Calls `run` once after `ms`; the function returned cancels it. */
  after(ms: number, run: () => void): () => void;
}

export interface ProgressOptions {
  /** How long a wait runs before its first line. @default 2000 (ms) */
  firstMs?: number;
  /** Time between later lines of the same wait. @default 5000 (ms) */
  everyMs?: number;
  /** @default the real clock (timers that never keep the process alive) */
  clock?: ProgressClock;
}

export const DEFAULT_PROGRESS_FIRST_MS = 2_000;
export const DEFAULT_PROGRESS_EVERY_MS = 5_000;

export const REAL_CLOCK: ProgressClock = {
  now: () => Date.now(),
  after(ms, run) {
    const timer = setTimeout(run, ms);
    timer.unref();
    return () => clearTimeout(timer);
  },
};

/** `12 s`, `3 min 5 s`: a wait's elapsed time as a line shows it. */
export function formatElapsed(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  return s < 60 ? `${s} s` : `${Math.floor(s / 60)} min ${s % 60} s`;
}

/** `waiting for <what> (<elapsed>, <state>)`; the state left out until one was seen. */
export function progressLine(what: string, elapsedMs: number, state: string | undefined): string {
  return `waiting for ${what} (${formatElapsed(elapsedMs)}${state === undefined || state === "" ? "" : `, ${state}`})`;
}

/** Records the last state a wait observed (a status, an HTTP answer's short form). */
export type Observe = (state: string) => void;

interface ActiveWait {
  what: string;
  startedAt: number;
  state: string | undefined;
}

/**
 * One resource operation's progress (one engine call): the waits inside it report through it.
 * Waits may nest (a lifecycle action waiting for its status inside an update); only the innermost
 * one shows a line.
 */
export class ProgressReporter {
  private readonly firstMs: number;
  private readonly everyMs: number;
  private readonly clock: ProgressClock;
  private readonly active: ActiveWait[] = [];
  private showing = false;

  constructor(
    private readonly sink: ProgressSink,
    opts: ProgressOptions = {},
  ) {
    this.firstMs = opts.firstMs ?? DEFAULT_PROGRESS_FIRST_MS;
    this.everyMs = opts.everyMs ?? DEFAULT_PROGRESS_EVERY_MS;
    this.clock = opts.clock ?? REAL_CLOCK;
  }

  /** Runs `run` as a wait for `what`; lines follow while it runs, and the last is cleared after. */
  async wait<T>(what: string, run: (observe: Observe) => Promise<T>): Promise<T> {
    const wait: ActiveWait = { what, startedAt: this.clock.now(), state: undefined };
    this.active.push(wait);
    // When each line is due, from the wait's start. A timer may fire a millisecond before the wall
    // clock says its time came (Node's timers run on another clock), which would show the first
    // line at "1 s": a line says at least the time it was due.
    let dueMs = this.firstMs;
    let cancel = this.clock.after(this.firstMs, () => tick());
    const tick = (): void => {
      const elapsed = Math.max(this.clock.now() - wait.startedAt, dueMs);
      if (this.active[this.active.length - 1] === wait) this.show(progressLine(wait.what, elapsed, wait.state));
      dueMs += this.everyMs;
      cancel = this.clock.after(this.everyMs, tick);
    };
    try {
      return await run((state) => (wait.state = state));
    } finally {
      cancel();
      this.active.splice(this.active.indexOf(wait), 1);
      // A finished wait's line would stay beside the resource (on its `created` line too), so
      // it is cleared, and delivered before the operation goes on and answers.
      if (this.showing) {
        this.showing = false;
        this.send("");
        await this.sink.flush?.().catch(() => undefined);
      }
    }
  }

  private show(line: string): void {
    this.showing = true;
    this.send(line);
  }

  private send(line: string): void {
    try {
      // Waits name ids, names, statuses and codes, never a value of the inputs; the key is
      // taken out all the same, as from every other text that leaves the provider.
      this.sink.report(redact(line));
    } catch {
      // Progress is a courtesy: a sink that fails never fails the operation.
    }
  }
}

const current = new AsyncLocalStorage<ProgressReporter | undefined>();

/** Runs `run` with `reporter` (or none) as the progress of every wait inside it. */
export function reportingTo<T>(reporter: ProgressReporter | undefined, run: () => T): T {
  return current.run(reporter, run);
}

/** Runs `run` as a wait for `what`, reported through the current reporter when there is one. */
export function waitingFor<T>(what: string, run: (observe: Observe) => Promise<T>): Promise<T> {
  const reporter = current.getStore();
  return reporter === undefined ? run(() => undefined) : reporter.wait(what, run);
}
