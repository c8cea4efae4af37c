/**
 * Shared pieces of the reliability suites: an emulator and a provider host wired together, the
 * engine-form inputs of an Agent37Instance, a host wrapper that records every response and error,
 * the retriable fault plan, and a seeded PRNG.
 */
import { Agent37Instance } from "pulumi-agent37";
import type { EmulatorOptions, FaultRule, RunningEmulator } from "pulumi-agent37/emulator";
import {
  emulatorConfig,
  HostError,
  PROVIDER_KEY,
  serializeProvider,
  startProviderHost,
  startRig as startHarnessRig,
  type ProviderHost,
  type Rig,
} from "../harness";
import { mulberry32 } from "../../emulator/faults";

export const TYPE = "pulumi-nodejs:dynamic/agent37:Instance";
/** The metadata key an unfinished create carries (removed once the create finished). */
export const PENDING_CREATE_KEY = "pulumi-agent37:pending-create";

/** Emulator timings short enough for hundreds of lifecycles, long enough to keep every phase real. */
export const QUICK_EMULATOR: EmulatorOptions = { port: 0, quiet: true, provisionMs: 20, bootMs: 0, lifecycleMs: 20, deleteMs: 20 };

/** mulberry32: small, seedable, and the same generator the emulator's fault plan uses. */
export const prng = mulberry32;

let providerString: Promise<string> | undefined;

/**
 * The `__provider` a real `Agent37Instance` registers (the same string for every instance, so
 * one serialization serves a suite). The instance is declared with a secret env so the test can
 * also prove the serialized provider captures none of it.
 */
export function agent37Provider(): Promise<string> {
  providerString ??= serializeProvider(() => {
    new Agent37Instance("probe", { env: { PROBE_SECRET: "probe-env-value-not-in-provider" } });
  });
  return providerString;
}

/** Engine-form inputs of an instance: what the engine sends the host after the program ran. */
export async function inputsOf(args: Record<string, unknown>): Promise<Record<string, unknown>> {
  return { [PROVIDER_KEY]: await agent37Provider(), ...args };
}

export type { Rig };

/** One emulator (with the quick timings above unless overridden) and one provider host configured for it. */
export function startRig(options: EmulatorOptions = {}, key?: string): Promise<Rig> {
  return startHarnessRig({ ...QUICK_EMULATOR, ...options }, key);
}

/** A second host on the same emulator, configured with another key (one configuration per host process). */
export async function hostWithKey(emulator: RunningEmulator, key: string): Promise<ProviderHost> {
  const host = await startProviderHost();
  try {
    await host.configure(emulatorConfig(emulator, key));
  } catch (error) {
    await host.close();
    throw error;
  }
  return host;
}

/** Everything that came back from the host: results, errors (with their init-failure details). */
export interface Recorded {
  method: string;
  result?: unknown;
  error?: HostError | Error;
}

/** A host that records every answer and every error, and forwards calls unchanged. */
export function recordingHost(host: ProviderHost): { host: ProviderHost; answers: Recorded[] } {
  const answers: Recorded[] = [];
  const rec = async <T>(method: string, run: () => Promise<T>): Promise<T> => {
    try {
      const result = await run();
      answers.push({ method, result });
      return result;
    } catch (error) {
      answers.push({ method, error: error instanceof Error ? error : new Error(String(error)) });
      throw error;
    }
  };
  return {
    answers,
    host: {
      address: host.address,
      pid: host.pid,
      configure: (config, o) => rec("Configure", () => host.configure(config, o)),
      check: (urn, olds, news, o) => rec("Check", () => host.check(urn, olds, news, o)),
      diff: (urn, id, olds, news, oldInputs, o) => rec("Diff", () => host.diff(urn, id, olds, news, oldInputs, o)),
      create: (urn, props, o) => rec("Create", () => host.create(urn, props, o)),
      read: (urn, id, props, inputs, o) => rec("Read", () => host.read(urn, id, props, inputs, o)),
      update: (urn, id, olds, news, oldInputs, o) => rec("Update", () => host.update(urn, id, olds, news, oldInputs, o)),
      delete: (urn, id, props, oldInputs, o) => rec("Delete", () => host.delete(urn, id, props, oldInputs, o)),
      output: () => host.output(),
      close: () => host.close(),
    },
  };
}

/** Rejects when `promise` has not settled within `ms`, so a hang is a counted failure, not a stuck suite. */
export function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not settle within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** One fault rule of the plan, as `/_emulator/faults` takes it (the emulator's own definition). */
export type { FaultRule };

/** A retriable fault kind: its rule without the probability, and how to recognise it in the request log. */
export interface FaultKind {
  label: string;
  rule: Omit<FaultRule, "probability">;
}

/**
 * Every kind of fault a retry can save, on the hosting API and the instance plane. 502/503/504
 * "from the edge" carry the codes a gateway in front of Agent37 would send, not Agent37's own.
 */
export const RETRIABLE_FAULTS: readonly FaultKind[] = [
  { label: "api 503 no_capacity", rule: { path: "/**", plane: "api", kind: "status", status: 503, code: "no_capacity", message: "No capacity right now, try again shortly." } },
  { label: "api 409 try_again", rule: { path: "/**", plane: "api", kind: "status", status: 409, code: "try_again", message: "Another operation is in progress, try again." } },
  { label: "api 429 Retry-After", rule: { path: "/**", plane: "api", kind: "status", status: 429, code: "rate_limited", retryAfterSeconds: 1 } },
  { label: "api 502 edge", rule: { path: "/**", plane: "api", kind: "status", status: 502, code: "bad_gateway", message: "Bad gateway." } },
  { label: "api 503 edge", rule: { path: "/**", plane: "api", kind: "status", status: 503, code: "service_unavailable", message: "Service unavailable." } },
  { label: "api 504 edge", rule: { path: "/**", plane: "api", kind: "status", status: 504, code: "gateway_timeout", message: "Gateway timeout." } },
  { label: "api reset before acting", rule: { path: "/**", plane: "api", kind: "reset-before" } },
  { label: "api reset after acting", rule: { path: "/**", plane: "api", kind: "reset-after" } },
  { label: "api slow response", rule: { path: "/**", plane: "api", kind: "delay", delayMs: 400 } },
  { label: "instance 502 edge", rule: { path: "/**", plane: "instance", kind: "status", status: 502, code: "container_unreachable" } },
  { label: "instance 503 edge", rule: { path: "/**", plane: "instance", kind: "status", status: 503, code: "instance_saturated" } },
  { label: "instance 504 edge", rule: { path: "/**", plane: "instance", kind: "status", status: 504, code: "upstream_timeout" } },
  { label: "instance reset", rule: { path: "/**", plane: "instance", kind: "reset-before" } },
  { label: "instance slow response", rule: { path: "/**", plane: "instance", kind: "delay", delayMs: 400 } },
];

/**
 * The plan that faults `rate` of each plane's requests, spread evenly over that plane's kinds:
 * with k rules each firing with p = 1 - (1 - rate)^(1/k), a request escapes all of them with
 * probability 1 - rate. With `primeEach`, every kind also fires once on its plane's next
 * request, so even a short run meets every kind (the draws alone might miss a rare one).
 */
export function faultPlan(rate: number, kinds: readonly FaultKind[] = RETRIABLE_FAULTS, opts: { primeEach?: boolean } = {}): FaultRule[] {
  const perPlane = (plane: string) => kinds.filter((k) => k.rule.plane === plane).length;
  const primers: FaultRule[] = opts.primeEach === true ? kinds.map((k) => ({ ...k.rule, count: 1 })) : [];
  return [
    ...primers,
    ...kinds.map((k) => {
      const n = perPlane(k.rule.plane ?? "api");
      return { ...k.rule, probability: 1 - (1 - rate) ** (1 / n) };
    }),
  ];
}

/** Which kind of `RETRIABLE_FAULTS` a request-log entry shows (undefined: not faulted). */
export function faultLabel(entry: { plane: string; status: number; fault?: string }, kinds: readonly FaultKind[] = RETRIABLE_FAULTS): string | undefined {
  if (entry.fault === undefined) return undefined;
  const candidates = kinds.filter((k) => k.rule.plane === entry.plane && k.rule.kind === entry.fault);
  if (entry.fault !== "status") return candidates[0]?.label;
  // Two 503 kinds on the API differ only by code, which the log does not record: name the status.
  const byStatus = candidates.filter((k) => k.rule.status === entry.status);
  return byStatus.length === 1 ? byStatus[0]?.label : `${entry.plane} ${entry.status}`;
}

/** Every string reachable from an error: message, stack, own properties, init-failure details, causes. */
export function errorText(err: unknown, depth = 0): string {
  if (!(err instanceof Error) || depth > 5) return JSON.stringify(err) ?? String(err);
  const own = Object.fromEntries(Object.getOwnPropertyNames(err).map((k) => [k, (err as unknown as Record<string, unknown>)[k]]));
  return [err.message, err.stack ?? "", JSON.stringify(own, (_k, v: unknown) => (v instanceof Error ? undefined : v)), errorText(err.cause, depth + 1)].join("\n");
}

/** Whether the host process is still running. */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
