import { AppBehaviour as AppBehaviourSchema } from "./app";
import { RESERVED_DEFAULT_PORTS, type WorkspaceTemplateSeed } from "./catalog";
import { API_KEY_PATTERN, newApiKey } from "./ids";
import type { AppBehaviour } from "./types";

export type ApiGeneration = "2026-08" | "2026-06";

/** How a workspace is funded; drives the instance cap, shape tier and the balance gate. */
export interface WorkspaceSeed {
  key: string;
  /** Total top-ups so far (micros). 0 = free tier (cap 1, 2/4 only). @default 250_000_000 */
  topUpsMicros?: number;
  /** Wallet balance (micros); create needs one day of the running rate. @default 100_000_000 ($1 on free tier) */
  balanceMicros?: number;
  /** Whether `type: "shared"` is enabled. @default true when funded, false on free tier */
  shared?: boolean;
}

export interface EmulatorOptions {
  /** @default 4737; 0 picks a free port */
  port?: number;
  /** @default "127.0.0.1" */
  host?: string;
  /** Each key is its own workspace; none: one key is generated. */
  keys?: string[];
  /** API generation served (docs/emulator.md, "API generations"). @default "2026-08" */
  api?: ApiGeneration;
  /** Create: time in `provisioning` before `running` (ms). @default 300 */
  provisionMs?: number;
  /** From `running` until the gateway's /v1/health reports healthy (ms). @default 500 */
  bootMs?: number;
  /** Transitional time of stop/start/restart/update/resize (ms). @default 200 */
  lifecycleMs?: number;
  /** Time in `deleting` before `deleted` (ms). @default 100 */
  deleteMs?: number;
  /** Fixed extra latency on every hosting-API response (ms). @default 0 */
  latencyMs?: number;
  /** Persist state to this JSON file and reload it at start. */
  statePath?: string;
  /** No console output. @default false */
  quiet?: boolean;
  /**
   * Print one line per finished request to stdout: method, path (never the query string), status
   * and milliseconds, and the instance for an instance-plane request. Never a header, a key or a
   * body; an API key that a client put in the path is redacted. Independent of `quiet`, which
   * silences everything else. @default false
   */
  logRequests?: boolean;
  /**
   * `blocking`: lifecycle calls answer once the terminal state is reached (as the docs'
   * examples show); `async`: they answer at once with the transitional status (the docs leave
   * open which the real service does; docs/emulator.md, "Lifecycle").
   * @default "blocking"
   */
  lifecycleMode?: "blocking" | "async";
  /** Extra workspaces with their own funding (tiers, balance, shared entitlement). */
  workspaces?: WorkspaceSeed[];
  /** Exec time limit (ms). @default 280_000 (the documented 280 s) */
  execTimeoutMs?: number;
  /**
   * Multiplies every instance's `idle_timeout_seconds` before auto-sleep applies it, so tests can
   * see a 60 s timeout (the documented minimum) elapse in 60 ms with `0.001`. @default 1
   */
  idleScale?: number;
  /** Per-stream exec output cap (bytes). @default 524_288 (512 KB) */
  execMaxBytes?: number;
  /**
   * Cap of one file body the gateway's Files API accepts (`PUT /v1/files/content`), in bytes; a
   * larger one is `413 payload_too_large`. The docs give none; the emulator's own bound.
   * @default 100_000_000
   */
  filesMaxBytes?: number;
  /**
   * DNS cannot be observed offline: a custom domain turns active at its first verify at least
   * this long after it was added (ms).
   * @default 0
   */
  verifyMs?: number;
  /** Workspace templates seeded in every workspace next to `sandbox` (revision 1, no agents). */
  workspaceTemplates?: WorkspaceTemplateSeed[];
  /**
   * How the stand-in app of workspace templates behaves, per template name and optionally per
   * revision (docs/emulator.md, "Instances of workspace templates"); changeable at run time
   * through `/_emulator/apps`.
   */
  apps?: AppBehaviour[];
  /** Time a started template build spends in `building` (ms). @default 200 */
  buildMs?: number;
  /**
   * Time a template image spends being copied into private storage: a build's `ingesting`
   * phase, and the wait of `POST /v1/templates` and of a `PATCH` that changes `image_ref` (ms).
   * @default 50
   */
  ingestMs?: number;
  /**
   * Time a client has to send a whole request, headers and body (ms); a slower one is answered
   * `408` and its connection closed. Answers may take longer (exec, SSE).
   *
   * @default 30_000
   */
  requestTimeoutMs?: number;
}

export interface NormalizedWorkspace {
  key: string;
  topUpsMicros: number;
  balanceMicros: number;
  shared: boolean;
}

export interface NormalizedOptions {
  port: number;
  host: string;
  api: ApiGeneration;
  provisionMs: number;
  bootMs: number;
  lifecycleMs: number;
  deleteMs: number;
  latencyMs: number;
  statePath: string | undefined;
  quiet: boolean;
  logRequests: boolean;
  lifecycleMode: "blocking" | "async";
  workspaces: NormalizedWorkspace[];
  /** True when no key was given and one was generated (it may be replaced by the state file's). */
  generatedKey: boolean;
  execTimeoutMs: number;
  execMaxBytes: number;
  filesMaxBytes: number;
  idleScale: number;
  verifyMs: number;
  workspaceTemplates: WorkspaceTemplateSeed[];
  apps: AppBehaviour[];
  buildMs: number;
  ingestMs: number;
  requestTimeoutMs: number;
}

const FUNDED_TOP_UPS = 250_000_000;

/**
 * An invalid option: `option` is the programmatic name (`workspaces[].key`), `rule` what it must
 * be, so the CLI can say the same about its flag (`--key`).
 */
export class EmulatorOptionError extends TypeError {
  override readonly name = "EmulatorOptionError";
  constructor(
    readonly option: string,
    readonly rule: string,
  ) {
    super(`Emulator option \`${option}\` ${rule}`);
  }
}

/**
 * Agent37's documented key form is only "starts with `sk_live_`". The emulator adds that the rest
 * is at least one letter, digit, `_` or `-`: a key must fit an HTTP header unchanged, and the CLI's
 * `--key KEY:TIER` splits at the colon.
 */
export const KEY_RULE = "must start with `sk_live_` (the form of Agent37 keys), followed by at least one letter, digit, `_` or `-` (the emulator's own rule, so the key fits an HTTP header and the KEY:TIER form)";

function nonNegative(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value < 0) throw new EmulatorOptionError(name, `must be a non-negative number (got ${String(value)})`);
  return value;
}

function positive(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value <= 0) throw new EmulatorOptionError(name, `must be a positive number (got ${String(value)})`);
  return value;
}

function checkKey(key: unknown, where: string): void {
  // The key itself is never quoted: a near-miss may be a real key.
  if (typeof key !== "string" || !API_KEY_PATTERN.test(key)) throw new EmulatorOptionError(where, KEY_RULE);
}

export function normalizeWorkspace(seed: WorkspaceSeed): NormalizedWorkspace {
  checkKey(seed.key, "workspaces[].key");
  const topUpsMicros = nonNegative("workspaces[].topUpsMicros", seed.topUpsMicros, FUNDED_TOP_UPS);
  const free = topUpsMicros === 0;
  return {
    key: seed.key,
    topUpsMicros,
    // Free workspaces start with the documented one-time $1 credit.
    balanceMicros: nonNegative("workspaces[].balanceMicros", seed.balanceMicros, free ? 1_000_000 : 100_000_000),
    shared: seed.shared ?? !free,
  };
}

const SEED_NAME = /^[a-z][a-z0-9-]{1,62}$/;

function checkTemplateSeeds(seeds: readonly WorkspaceTemplateSeed[]): WorkspaceTemplateSeed[] {
  const names = new Set<string>(["sandbox"]);
  return seeds.map((seed, i) => {
    const where = `workspaceTemplates[${i}]`;
    const name: unknown = seed.name;
    if (typeof name !== "string" || !SEED_NAME.test(name) || name.startsWith("agent37-")) {
      throw new TypeError(`Emulator option \`${where}.name\` must match ^[a-z][a-z0-9-]{1,62}$ and not start with agent37- (got ${JSON.stringify(name)})`);
    }
    if (names.has(name)) throw new TypeError(`Emulator option \`${where}.name\`: ${JSON.stringify(name)} is already a template of every workspace`);
    names.add(name);
    const port: unknown = seed.defaultPort;
    if (port !== undefined && port !== null && (typeof port !== "number" || !Number.isInteger(port) || port < 1 || port > 65535 || RESERVED_DEFAULT_PORTS.has(port))) {
      throw new TypeError(`Emulator option \`${where}.defaultPort\` must be null or an integer 1..65535 other than ${[...RESERVED_DEFAULT_PORTS].join(", ")} (got ${JSON.stringify(port)})`);
    }
    return { ...seed };
  });
}

function checkApps(apps: readonly unknown[]): AppBehaviour[] {
  return apps.map((app, i) => {
    const parsed = AppBehaviourSchema.safeParse(app);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const field = issue?.path.map(String).join(".") ?? "";
      throw new TypeError(`Emulator option \`apps[${i}]${field ? `.${field}` : ""}\`: ${issue?.message ?? "invalid"}`);
    }
    return parsed.data;
  });
}

export function normalizeOptions(options: EmulatorOptions = {}): NormalizedOptions {
  const port = options.port ?? 4737;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new EmulatorOptionError("port", `must be an integer 0..65535 (got ${String(port)})`);
  const api = options.api ?? "2026-08";
  if (api !== "2026-08" && api !== "2026-06") throw new EmulatorOptionError("api", `must be "2026-08" or "2026-06" (got ${String(api)})`);
  const lifecycleMode = options.lifecycleMode ?? "blocking";
  if (lifecycleMode !== "blocking" && lifecycleMode !== "async") throw new EmulatorOptionError("lifecycleMode", `must be "blocking" or "async"`);

  const workspaces: NormalizedWorkspace[] = [];
  const seen = new Set<string>();
  const add = (ws: NormalizedWorkspace): void => {
    if (seen.has(ws.key)) return;
    seen.add(ws.key);
    workspaces.push(ws);
  };
  for (const key of options.keys ?? []) {
    checkKey(key, "keys");
    add(normalizeWorkspace({ key }));
  }
  for (const seed of options.workspaces ?? []) add(normalizeWorkspace(seed));
  const generatedKey = workspaces.length === 0;
  if (generatedKey) add(normalizeWorkspace({ key: newApiKey() }));

  return {
    port,
    host: options.host ?? "127.0.0.1",
    api,
    provisionMs: nonNegative("provisionMs", options.provisionMs, 300),
    bootMs: nonNegative("bootMs", options.bootMs, 500),
    lifecycleMs: nonNegative("lifecycleMs", options.lifecycleMs, 200),
    deleteMs: nonNegative("deleteMs", options.deleteMs, 100),
    latencyMs: nonNegative("latencyMs", options.latencyMs, 0),
    statePath: options.statePath,
    quiet: options.quiet ?? false,
    logRequests: options.logRequests ?? false,
    lifecycleMode,
    workspaces,
    generatedKey,
    execTimeoutMs: nonNegative("execTimeoutMs", options.execTimeoutMs, 280_000),
    execMaxBytes: nonNegative("execMaxBytes", options.execMaxBytes, 512 * 1024),
    filesMaxBytes: nonNegative("filesMaxBytes", options.filesMaxBytes, 100_000_000),
    idleScale: positive("idleScale", options.idleScale, 1),
    verifyMs: nonNegative("verifyMs", options.verifyMs, 0),
    workspaceTemplates: checkTemplateSeeds(options.workspaceTemplates ?? []),
    apps: checkApps(options.apps ?? []),
    buildMs: nonNegative("buildMs", options.buildMs, 200),
    ingestMs: nonNegative("ingestMs", options.ingestMs, 50),
    requestTimeoutMs: positive("requestTimeoutMs", options.requestTimeoutMs, 30_000),
  };
}

/** Loopback hosts: exec and the admin surface are only offered there. */
export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, "").toLowerCase();
  return h === "localhost" || h === "::1" || h === "127.0.0.1" || /^127\.\d+\.\d+\.\d+$/.test(h) || h === "::ffff:127.0.0.1";
}
