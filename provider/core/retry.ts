// Retry policy as data plus one pure decision function (no I/O, no clock): the client asks
// `decideRetry` after each failed attempt and sleeps for the returned delay.
import { Agent37ApiError, Agent37Error, Agent37SchemaError, Agent37TransportError } from "./errors";

export interface RetryPolicy {
  /** Attempts in total, the first included. @default 6 */
  maxAttempts: number;
  /** Backoff base: attempt n waits about base * 2^(n-1), with jitter. @default 250 (ms) */
  baseDelayMs: number;
  /** Cap of one backoff wait. @default 8000 (ms) */
  maxDelayMs: number;
  /** A `Retry-After` longer than this is clamped to it. @default 30000 (ms) */
  maxRetryAfterMs: number;
  /** Statuses retried on idempotent calls (any code not listed as never-retry). */
  retriableStatuses: readonly number[];
  /** Agent37 codes that mean "nothing happened, try later": retried on every call, create included. */
  retriableCodes: readonly string[];
  /** Agent37 codes never retried, whatever the status. */
  neverRetryCodes: readonly string[];
  /** Transport failures retried on idempotent calls (see Agent37TransportError.transportCode). */
  retriableTransportCodes: readonly string[];
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 6,
  baseDelayMs: 250,
  maxDelayMs: 8_000,
  maxRetryAfterMs: 30_000,
  retriableStatuses: [429, 502, 503, 504],
  // `capacity_unavailable` (start/resize: no host has room; nothing changed) clears as hosts free up.
  retriableCodes: ["no_capacity", "try_again", "rate_limited", "capacity_unavailable"],
  neverRetryCodes: [
    "invalid_api_key",
    "ip_not_allowed",
    "invalid_request",
    "forbidden",
    "not_found",
    "insufficient_balance",
    "instance_limit_reached",
    "tier_limit",
    "shared_unavailable",
    "public_port_exists",
  ],
  retriableTransportCodes: [
    "ECONNRESET",
    "ECONNREFUSED",
    "EPIPE",
    "ETIMEDOUT",
    "ENETUNREACH",
    "EHOSTUNREACH",
    "EAI_AGAIN",
    "UND_ERR_SOCKET",
    "UND_ERR_CLOSED",
    "UND_ERR_CONNECT_TIMEOUT",
    "UND_ERR_HEADERS_TIMEOUT",
    "UND_ERR_BODY_TIMEOUT",
    "ATTEMPT_TIMEOUT",
  ],
};

export interface RetryInput {
  /** Attempts made so far (1 after the first failure). */
  attempt: number;
  error: unknown;
  /** Whether repeating the call cannot cause a second effect. */
  idempotent: boolean;
  /** Time left before the operation's deadline. */
  remainingMs: number;
  /** Uniform [0, 1); injected so the function stays pure. */
  random: number;
  policy?: RetryPolicy;
}

export type RetryDecision = { retry: true; delayMs: number } | { retry: false; reason: string };

/** Decides whether a failed attempt is retried and after how long. Pure. */
export function decideRetry(input: RetryInput): RetryDecision {
  const policy = input.policy ?? DEFAULT_RETRY_POLICY;
  const { error, attempt, idempotent } = input;
  if (attempt >= policy.maxAttempts) return { retry: false, reason: `gave up after ${attempt} attempts` };
  if (!(error instanceof Agent37Error)) return { retry: false, reason: "unknown error" };
  if (error instanceof Agent37SchemaError) return { retry: false, reason: "response shape mismatch" };

  let retryAfterMs: number | undefined;
  if (error instanceof Agent37ApiError) {
    if (policy.neverRetryCodes.includes(error.code)) return { retry: false, reason: `code ${error.code}` };
    const byCode = policy.retriableCodes.includes(error.code);
    const byStatus = policy.retriableStatuses.includes(error.status) && (idempotent || error.status === 429);
    if (!byCode && !byStatus) return { retry: false, reason: `status ${error.status} (${error.code})` };
    if (error.retryAfterSeconds !== undefined) {
      retryAfterMs = Math.min(Math.max(0, error.retryAfterSeconds * 1000), policy.maxRetryAfterMs);
    }
  } else if (error instanceof Agent37TransportError) {
    // Nothing reached the server: safe to repeat any call, create included.
    const safe = !error.mayHaveReachedServer || idempotent;
    if (!safe) return { retry: false, reason: `ambiguous ${error.transportCode} on a non-idempotent call` };
    if (!policy.retriableTransportCodes.includes(error.transportCode)) {
      return { retry: false, reason: `transport ${error.transportCode}` };
    }
  } else {
    return { retry: false, reason: error.name };
  }

  const exp = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  // "Equal jitter": at least half the backoff, so retries never bunch at zero.
  const backoff = Math.round(exp / 2 + (exp / 2) * input.random);
  const delayMs = retryAfterMs ?? backoff;
  if (delayMs > input.remainingMs) return { retry: false, reason: "deadline would pass before the next attempt" };
  return { retry: true, delayMs };
}

/** Parses a `Retry-After` header (delta seconds or HTTP date) into seconds; undefined if absent/invalid. */
export function parseRetryAfter(header: string | undefined, now: number = Date.now()): number | undefined {
  if (header === undefined || header.trim() === "") return undefined;
  const trimmed = header.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Number(trimmed);
  const at = Date.parse(trimmed);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, (at - now) / 1000);
}
