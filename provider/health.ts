// The readiness gate: after an instance is `running`, poll its gateway's `GET /v1/health`
// until `ok: true` and `healthy` is not false (agent37-api §2.2, §6.1).
//
// Cadence: the first request goes out at once; each later one starts `intervalMs` after the
// previous answer arrived. Counting from the answer (not from the send) means the server never
// sees two polls closer than the interval, however a busy network or event loop bunches them,
// so it never sees more than 2 a second at the 500 ms default; the gate returns at most one
// interval (plus a round trip) after the instance turns healthy. Edge errors (502/503/504) and
// transport failures are the normal look of a booting instance, so they keep the same cadence
// for the first `steadyMs`; after that the interval stretches up to `maxBackoffMs`. The
// gateway version is read in the background as soon as the gateway first answers, so nothing is
// left to ask once it turns healthy. A 401 means the key is wrong: the wait ends at once.
import { Agent37HealthTimeoutError, createApiError, InvalidApiKeyError } from "./client/errors";
import type { Agent37Client } from "./client/http";
import { sleep } from "./client/sleep";
import { Health, Version } from "./schema/api";
import { joinUrl } from "./urls";

export interface HealthGateOptions {
  /** Instance default-port URL. */
  baseUrl: string;
  /** @default "/v1/health" */
  path?: string;
  /** @default 600000 (10 minutes) */
  timeoutMs?: number;
  /** Time from one answer to the next request. @default 500 (ms) */
  intervalMs?: number;
  /** How long 5xx answers and transport failures keep the steady cadence. @default 30000 (ms) */
  steadyMs?: number;
  /** @default 2000 (ms) */
  maxBackoffMs?: number;
  /** Per-request timeout. @default 5000 (ms) */
  requestTimeoutMs?: number;
  signal?: AbortSignal;
}

export interface HealthResult {
  ok: boolean;
  healthy: boolean;
  agent: string;
  /** Gateway version from `GET /v1/version`; "" when unavailable. */
  version: string;
  checkedAt: string;
}

export const DEFAULT_HEALTH_INTERVAL_MS = 500;

export async function waitHealthy(client: Agent37Client, opts: HealthGateOptions): Promise<HealthResult> {
  const url = joinUrl(opts.baseUrl, opts.path ?? "/v1/health");
  const timeoutMs = opts.timeoutMs ?? 600_000;
  const intervalMs = opts.intervalMs ?? DEFAULT_HEALTH_INTERVAL_MS;
  const maxBackoffMs = opts.maxBackoffMs ?? 2_000;
  const startedAt = Date.now();
  const deadline = startedAt + timeoutMs;
  const steadyUntil = startedAt + (opts.steadyMs ?? 30_000);
  let wait = intervalMs;
  let last = "no answer yet";
  let version: Promise<string> | undefined;
  for (;;) {
    const started = Date.now();
    let notYet: "steady" | "backoff" = "steady";
    try {
      const res = await client.plane("GET", url, Math.max(1, Math.min(opts.requestTimeoutMs ?? 5_000, deadline - started)), opts.signal);
      if (res.status === 401) {
        const err = createApiError(401, res.body, { method: "GET", url });
        throw new InvalidApiKeyError({
          status: 401,
          code: err.code,
          apiMessage: `the instance rejected the API key while waiting for health${err.apiMessage ? ` (${err.apiMessage})` : ""}`,
          request: { method: "GET", url },
        });
      }
      if (res.status === 200) {
        const parsed = Health.safeParse(res.body);
        if (parsed.success) {
          const h = parsed.data;
          const healthy = h.healthy ?? h.hermes ?? true;
          if (h.ok && healthy) {
            const checkedAt = new Date().toISOString();
            return { ok: true, healthy: true, agent: h.agent ?? "", version: await (version ?? fetchVersion(client, opts.baseUrl, opts.signal)), checkedAt };
          }
          if (h.ok) version ??= fetchVersion(client, opts.baseUrl, opts.signal);
          last = `200 ${res.text.slice(0, 200)}`;
          wait = intervalMs;
        } else {
          last = `200 with an unexpected body: ${res.text.slice(0, 200)}`;
        }
      } else {
        last = `${res.status} ${res.text.slice(0, 200)}`;
        notYet = "backoff";
      }
    } catch (err) {
      if (err instanceof InvalidApiKeyError) throw err;
      if (opts.signal?.aborted) throw err;
      last = err instanceof Error ? err.message : String(err);
      notYet = "backoff";
    }
    const now = Date.now();
    if (now >= deadline) throw new Agent37HealthTimeoutError(url, timeoutMs, last);
    if (notYet === "backoff" && now >= steadyUntil) wait = Math.min(maxBackoffMs, Math.round(wait * 1.5));
    const next = Math.min(now + wait, deadline);
    await sleep(next - now, opts.signal);
  }
}

/** The gateway version, or "" when the instance does not say. */
export async function fetchVersion(client: Agent37Client, baseUrl: string, signal?: AbortSignal): Promise<string> {
  try {
    const res = await client.plane("GET", joinUrl(baseUrl, "/v1/version"), 5_000, signal);
    if (res.status !== 200) return "";
    const parsed = Version.safeParse(res.body);
    return parsed.success ? (parsed.data.version ?? "") : "";
  } catch {
    return "";
  }
}
