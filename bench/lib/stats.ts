// Pure helpers for turning samples into the figures the bench reports.

/** Median of the samples (mean of the middle two for an even count); NaN when there are none. */
export function median(samples: readonly number[]): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  if (sorted.length % 2 === 1) return sorted[mid] as number;
  return ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** The p-th percentile (0..100) by nearest rank; NaN when there are no samples. */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1] as number;
}

/** The largest sample; NaN when there are none. */
export function max(samples: readonly number[]): number {
  return samples.length === 0 ? Number.NaN : Math.max(...samples);
}

/**
 * How many times the baseline's figure is ours (baseline ÷ ours). For figures where lower is
 * better, above 1 means ours is better. `null` when either side is missing or ours is 0 (the
 * quotient would say nothing a reader can use; the table prints both values instead).
 */
export function ratio(ours: number | null | undefined, baseline: number | null | undefined): number | null {
  if (ours === null || ours === undefined || baseline === null || baseline === undefined) return null;
  if (!Number.isFinite(ours) || !Number.isFinite(baseline) || ours === 0) return null;
  return baseline / ours;
}

/** Rounds to `digits` decimals, keeping `null` and non-finite values out of the JSON. */
export function round(value: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

/**
 * The most timestamps (ms) that fall in any half-open window `[t, t + windowMs)`: the peak
 * request rate a server sees, free of the fencepost that a count over a short span suffers.
 */
export function maxInWindow(timestamps: readonly number[], windowMs: number): number {
  const sorted = [...timestamps].sort((a, b) => a - b);
  let best = 0;
  let start = 0;
  for (let end = 0; end < sorted.length; end++) {
    while ((sorted[end] as number) - (sorted[start] as number) >= windowMs) start++;
    best = Math.max(best, end - start + 1);
  }
  return best;
}

/**
 * Requests a second sent by a poller: (n - 1) / (last - first) for n polls, the rate at
 * which they were sent. A plain n / wait over a window that starts and ends with a poll counts
 * one poll too many (4 polls 500 ms apart span 1.5 s: "2.7 a second" for a steady 2 a second),
 * so the plain quotient is a poor rate. With fewer than two polls: n / wait.
 */
export function pollingRate(polls: readonly number[], waitSeconds: number): number {
  if (polls.length < 2) return waitSeconds > 0 ? polls.length / waitSeconds : 0;
  const span = (Math.max(...polls) - Math.min(...polls)) / 1000;
  return span > 0 ? (polls.length - 1) / span : Number.POSITIVE_INFINITY;
}
