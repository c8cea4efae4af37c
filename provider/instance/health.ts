// The readiness gate: after an instance is `running`, poll its URL until what runs in it is ready.
// What "ready" means depends on the template:
// - templates that carry agents (the system ones) run the Agent37 gateway: `GET /v1/health`
//   until `ok: true` and `healthy` is not false;
// - workspace templates run the user's own image: its URL is ready when the app itself answers,
//   with any status, or with the expected one at `health.path`. The edge's own answers (its
//   flat-form transport errors, e.g. `502 container_unreachable`) never count;
// - a workspace template that declares no port gets no gate unless the inputs ask for one.
//
// Cadence: the first request goes out at once; each later one starts `intervalMs` after the
// previous answer arrived. Counting from the answer (not from the send) means the server never
// sees two polls closer than the interval, however a busy network or event loop bunches them,
// so it never sees more than 2 a second at the 500 ms default; the gate returns at most one
// interval (plus a round trip) after the instance turns ready. Edge errors (502/503/504) and
// transport failures are the normal look of a booting instance, so they keep the same cadence
// for the first `steadyMs`; after that the interval stretches up to `maxBackoffMs`. The
// gateway version is read in the background as soon as the gateway first answers, so nothing is
// left to ask once it turns healthy. A 401 from the edge means the key is wrong: the wait ends
// at once.
import { Agent37HealthTimeoutError, Agent37TransportError, createApiError, InvalidApiKeyError } from "../core/errors";
import type { Agent37Client, PlaneResponse } from "../core/http";
import { Pacer } from "../core/poll";
import { waitingFor, type Observe } from "../core/progress";
import { buildOutputs, type HealthOutput, type TemplateInfo } from "./outputs";
import { Health, Version, type Instance } from "./api-schema";
import type { InstanceContext } from "./context";
import type { HealthInputs, HealthStatus, InstanceInputs } from "./inputs";
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

const NO_ANSWER = "no answer yet";

/**
 * What one answer means to a gate: done (with a result), or not yet (how to wait; the answer for
 * the timeout error, and its short form for the progress line).
 */
type Verdict<T> = { done: T } | { notYet: "steady" | "backoff"; last: string; state: string };

interface Gate<T> {
  /** What the gate waits for, as its errors and progress lines say it. */
  waitingFor: string;
  refusesKey: (res: PlaneResponse) => boolean;
  judge: (res: PlaneResponse) => Verdict<T> | Promise<Verdict<T>>;
}

/**
 * Polls `GET url` with the cadence above until `judge` says done, the deadline passes (a timeout
 * error naming the URL and the last answer), or the edge refuses the key. While it waits, the
 * user sees what it waits for and the last answer's short form (core/progress.ts).
 */
function pollUntil<T>(client: Agent37Client, url: string, opts: HealthGateOptions, gate: Gate<T>): Promise<T> {
  return waitingFor(gate.waitingFor, (observe) => pollLoop(client, url, opts, gate, observe));
}

async function pollLoop<T>(client: Agent37Client, url: string, opts: HealthGateOptions, gate: Gate<T>, observe: Observe): Promise<T> {
  const timeoutMs = opts.timeoutMs ?? 600_000;
  const intervalMs = opts.intervalMs ?? DEFAULT_HEALTH_INTERVAL_MS;
  const maxBackoffMs = opts.maxBackoffMs ?? 2_000;
  const startedAt = Date.now();
  const steadyUntil = startedAt + (opts.steadyMs ?? 30_000);
  // Steady at the interval; after `steadyMs`, answers that call for it (no answer, an error
  // status) wait longer each time, up to the cap; the last wait ends at the deadline.
  const pace = new Pacer({ intervalMs, maxIntervalMs: maxBackoffMs }, { timeoutMs, clampToDeadline: true, ...(opts.signal === undefined ? {} : { signal: opts.signal }) });
  let last = NO_ANSWER;
  for (;;) {
    const started = Date.now();
    let notYet: "steady" | "backoff" = "steady";
    try {
      const res = await client.plane("GET", url, Math.max(1, Math.min(opts.requestTimeoutMs ?? 5_000, pace.deadline - started)), opts.signal);
      if (gate.refusesKey(res)) {
        const err = createApiError(401, res.body, { method: "GET", url });
        throw new InvalidApiKeyError({
          status: 401,
          code: err.code,
          apiMessage: `the instance rejected the API key while waiting for ${gate.waitingFor}${err.apiMessage ? ` (${err.apiMessage})` : ""}`,
          request: { method: "GET", url },
        });
      }
      const verdict = await gate.judge(res);
      if ("done" in verdict) return verdict.done;
      ({ notYet, last } = verdict);
      observe(verdict.state);
      if (notYet === "steady") pace.steady();
    } catch (err) {
      if (err instanceof InvalidApiKeyError) throw err;
      if (opts.signal?.aborted) throw err;
      // A request cut short by the deadline says nothing about the instance: the error keeps
      // naming the answer before it.
      if (!pace.expired || last === NO_ANSWER) last = err instanceof Error ? err.message : String(err);
      observe(err instanceof Agent37TransportError ? `no answer (${err.transportCode})` : "no answer");
      notYet = "backoff";
    }
    if (pace.expired) throw new Agent37HealthTimeoutError(url, timeoutMs, last, gate.waitingFor === GATEWAY ? undefined : gate.waitingFor);
    if (notYet === "backoff" && Date.now() >= steadyUntil) pace.grow();
    await pace.sleep(false);
  }
}

const GATEWAY = "the gateway's health";

/** The gateway gate: `GET {baseUrl}{path}` until `{ok: true}` and `healthy` is not false. */
export async function waitHealthy(client: Agent37Client, opts: HealthGateOptions): Promise<HealthResult> {
  const url = joinUrl(opts.baseUrl, opts.path ?? "/v1/health");
  let version: Promise<string> | undefined;
  return pollUntil(client, url, opts, { waitingFor: GATEWAY, refusesKey: (res) => res.status === 401, judge: async (res): Promise<Verdict<HealthResult>> => {
    if (res.status !== 200) return { notYet: "backoff", last: answer(res), state: shortAnswer(res) };
    const parsed = Health.safeParse(res.body);
    if (!parsed.success) return { notYet: "steady", last: `200 with an unexpected body: ${res.text.slice(0, 200)}`, state: "200 with an unexpected body" };
    const h = parsed.data;
    const healthy = h.healthy ?? h.hermes ?? true;
    if (h.ok && healthy) {
      const checkedAt = new Date().toISOString();
      return { done: { ok: true, healthy: true, agent: h.agent ?? "", version: await (version ?? fetchVersion(client, opts.baseUrl, opts.signal)), checkedAt } };
    }
    if (h.ok) version ??= fetchVersion(client, opts.baseUrl, opts.signal);
    return { notYet: "steady", last: answer(res), state: h.ok ? `gateway up, ${h.agent || "agent"} not healthy yet` : "gateway not ok yet" };
  } });
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

// ---- the app gate (workspace templates) ----------------------------------------------------

/**
 * The edge's flat-form codes and the status each comes with. An answer
 * whose body is `{"error": "<one of these>"}` at that status is the edge's, not the app's.
 */
const EDGE_CODES: Readonly<Record<string, number>> = {
  invalid_api_key: 401,
  instance_suspended: 402,
  ip_not_allowed: 403,
  not_found: 404,
  internal_error: 500,
  container_unavailable: 502,
  container_unreachable: 502,
  upstream_unreachable: 502,
  instance_saturated: 503,
  host_mesh_not_ready: 503,
  wake_timeout: 503,
  wake_failed: 503,
  unavailable: 503,
  upstream_timeout: 504,
};

/**
 * The edge's code when `res` is the edge's own answer rather than the app's, else undefined.
 * The edge speaks a flat JSON form, `{"error": "<code>"}` with a string code. A documented code
 * at its documented status is the edge's; so is any flat-form 502, 503 or 504 (the edge's
 * transport-error family is open-ended). An app that answers in exactly that form cannot be told
 * apart from the edge (README, "Readiness").
 */
export function edgeCode(res: { status: number; body: unknown }): string | undefined {
  const body = res.body;
  if (body === null || typeof body !== "object" || Array.isArray(body)) return undefined;
  const code = (body as Record<string, unknown>)["error"];
  if (typeof code !== "string") return undefined;
  if (EDGE_CODES[code] === res.status) return code;
  return res.status === 502 || res.status === 503 || res.status === 504 ? code : undefined;
}

/** Whether `status` is one `expected` allows: a code, a class such as `"2xx"`, or a list of them. */
export function statusMatches(expected: HealthStatus, status: number): boolean {
  const items = Array.isArray(expected) ? expected : [expected];
  return items.some((e) => (typeof e === "number" ? e === status : e.toLowerCase() === `${Math.floor(status / 100)}xx`));
}

/** `204`, `"2xx"`, `[200, "3xx"]` as a reader would write them. */
export function describeStatus(expected: HealthStatus): string {
  return (Array.isArray(expected) ? expected : [expected]).map(String).join(" or ");
}

export interface AppGateOptions extends HealthGateOptions {
  /** Status the app must answer at `path`; undefined: any answer of the app. */
  status?: HealthStatus;
}

export interface AppReadyResult {
  /** The status of the answer that ended the gate. */
  status: number;
  checkedAt: string;
}

/** The app gate: `GET {baseUrl}{path}` until the app itself answers (with `status`, when given). */
export function waitAppReady(client: Agent37Client, opts: AppGateOptions): Promise<AppReadyResult> {
  const url = joinUrl(opts.baseUrl, opts.path ?? "/");
  const want = opts.status;
  return pollUntil(client, url, opts, {
    waitingFor: want === undefined ? "the app to answer" : `the app to answer ${describeStatus(want)}`,
    // Only the edge's own 401 means the key is wrong: an app may answer 401 to a probe of its own.
    refusesKey: (res) => edgeCode(res) === "invalid_api_key",
    judge: (res) => {
      if (edgeCode(res) !== undefined) return { notYet: "backoff", last: `${answer(res)} (from the edge, not the app)`, state: shortAnswer(res) };
      if (want === undefined || statusMatches(want, res.status)) return { done: { status: res.status, checkedAt: new Date().toISOString() } };
      return { notYet: "steady", last: `${answer(res)} (from the app)`, state: `the app answered ${res.status}` };
    },
  });
}

function answer(res: PlaneResponse): string {
  const text = res.text.trim().slice(0, 200);
  return text === "" ? `${res.status}` : `${res.status} ${text}`;
}

/** An answer for a progress line: its status and the edge's code, never its body. */
function shortAnswer(res: PlaneResponse): string {
  const code = edgeCode(res);
  return code === undefined ? `${res.status}` : `${res.status} ${code}`;
}

// ---- which gate ----------------------------------------------------------------------------

/** What the provider knows of what runs behind an instance's URL. */
export interface GateTemplate {
  /** `gateway` for templates that carry agents (system templates); `app` for workspace templates. */
  runs: "gateway" | "app";
  /** The template's `default_port`; null when it declares none. */
  defaultPort: number | null;
}

export type GatePlan =
  | { kind: "gateway"; path: string }
  | { kind: "app"; path: string; status: HealthStatus | undefined };

/**
 * The gate for a template and the `health` inputs, or null for none:
 * - `disabled: true`: none;
 * - `status` given: that status at `path` (default `/v1/health` for the gateway, `/` for an app);
 * - gateway: `/v1/health` (or `path`) until healthy;
 * - app: any answer of the app at `/`, or a `2xx` at `path` when one is given; none for a
 *   template without a `default_port` unless `path` or `status` asks for one.
 */
export function planGate(template: GateTemplate, health: HealthInputs | undefined): GatePlan | null {
  if (health?.disabled === true) return null;
  const asked = health?.path !== undefined || health?.status !== undefined;
  if (template.runs === "gateway") {
    const path = health?.path ?? "/v1/health";
    return health?.status === undefined ? { kind: "gateway", path } : { kind: "app", path, status: health.status };
  }
  if (template.defaultPort === null && !asked) return null;
  return { kind: "app", path: health?.path ?? "/", status: health?.status ?? (health?.path !== undefined ? "2xx" : undefined) };
}

/** Runs the planned gate; the health output it resolves to. */
export async function runGate(client: Agent37Client, plan: GatePlan, opts: HealthGateOptions): Promise<HealthOutput> {
  if (plan.kind === "gateway") {
    const h = await waitHealthy(client, { ...opts, path: plan.path });
    return { ok: h.ok, healthy: h.healthy, agent: h.agent, version: h.version, checkedAt: h.checkedAt };
  }
  const r = await waitAppReady(client, { ...opts, path: plan.path, ...(plan.status !== undefined ? { status: plan.status } : {}) });
  return { ok: true, healthy: true, agent: "", version: "", checkedAt: r.checkedAt, status: r.status };
}

/** The readiness gate for the template's kind, when it applies; the health output or null. */
export async function gate(ctx: InstanceContext, instance: Instance, template: TemplateInfo, inputs: InstanceInputs): Promise<HealthOutput | null> {
  if (template.private || instance.status !== "running") return null;
  const plan = planGate({ runs: template.runs ?? "gateway", defaultPort: template.defaultPort }, inputs.health);
  if (plan === null) return null;
  const { url } = buildOutputs(instance, { template, inputs, health: null, urlTemplate: ctx.connection.current().instanceUrlTemplate });
  if (url === "") return null;
  return runGate(ctx.api.client, plan, { baseUrl: url, timeoutMs: (inputs.health?.timeoutSeconds ?? 600) * 1000, intervalMs: ctx.timings.healthIntervalMs });
}
