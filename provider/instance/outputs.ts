// Maps an Agent37 instance (snake_case, either API generation) to the resource's outputs
// (camelCase). Outputs never hold `undefined` (the provider host rejects it): absent values
// are `null`, `""`, `[]` or `{}` as listed in docs/provider.md.
import type { Instance } from "./api-schema";
import { PROVIDER_METADATA_PREFIX, type HealthInputs, type InstanceInputs } from "./inputs";
import type { BudgetOutput, HealthOutput, InstanceOutputs, PortOutput } from "./types";
import { deriveDefaultUrl, derivePortUrl } from "./urls";

export type { BudgetOutput, HealthOutput, InstanceOutputs, PortOutput, PublicPortOutput, StatusReasonOutput } from "./types";

/** What the provider knows about an instance's template. */
export interface TemplateInfo {
  /** The template's `default_port`; null when it declares none (the URL then routes to 3737). */
  defaultPort: number | null;
  /** 2026-06 only, an empty `ports` list: no URL, empty `ports`, no readiness gate. */
  private: boolean;
  /**
   * What serves the URL: the Agent37 gateway (templates that carry agents) or the user's own
   * app (workspace templates), which decides the readiness gate.
   * @default "gateway"
   */
  runs?: "gateway" | "app";
}

/** Status → the `state` it satisfies. Sleeping is still "running" (it wakes on demand). */
export function stateOfStatus(status: unknown): "running" | "stopped" | undefined {
  if (status === "stopped" || status === "stopping") return "stopped";
  if (typeof status !== "string" || status === "failed" || status === "deleted" || status === "deleting") return undefined;
  return "running";
}

export function userMetadata(m: Record<string, unknown> | null | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (m === null || m === undefined) return out;
  for (const [k, v] of Object.entries(m)) if (!k.startsWith(PROVIDER_METADATA_PREFIX)) out[k] = v;
  return out;
}

/** 2026-06 instances list their ports (`ports` array); 2026-08 instances do not. */
export function templateInfoFromPorts(instance: Instance): TemplateInfo | undefined {
  if (instance.ports === undefined) return undefined;
  const def = instance.ports.find((p) => p.default);
  return { defaultPort: def?.port ?? null, private: instance.ports.length === 0 };
}

export function computePorts(
  instance: Instance,
  template: TemplateInfo,
  requestedPorts: readonly number[],
  urlTemplate: string | undefined,
): { url: string; ports: PortOutput[]; portUrls: Record<string, string> } {
  let ports: PortOutput[];
  let url: string;
  if (instance.ports !== undefined) {
    // The API's list is the truth: opaque non-default URLs are taken verbatim, never guessed.
    ports = instance.ports.map((p) => ({ port: p.port, default: p.default, url: p.url }));
    url = ports.find((p) => p.default)?.url ?? "";
  } else {
    ports = [];
    url = "";
    if (!template.private) {
      url = instance.url ?? deriveDefaultUrl(instance.id, urlTemplate);
      ports.push({ port: template.defaultPort ?? 3737, default: true, url });
    }
    const extra = [...new Set(requestedPorts)].filter((p) => !ports.some((e) => e.port === p)).sort((a, b) => a - b);
    for (const port of extra) {
      ports.push({ port, default: false, url: derivePortUrl({ id: instance.id, port, instanceUrl: instance.url, urlTemplate }) });
    }
  }
  const portUrls: Record<string, string> = {};
  for (const p of ports) portUrls[String(p.port)] = p.url;
  return { url, ports, portUrls };
}

export interface OutputContext {
  template: TemplateInfo;
  /** The inputs in effect (for echoes and values the API omits). */
  inputs: InstanceInputs;
  health: HealthOutput | null;
  urlTemplate: string | undefined;
  /** Earlier outputs, for values neither the API nor the inputs provide. */
  previous?: Partial<InstanceOutputs> | undefined;
}

// ---- echoes of inputs the API does not return ----------------------------------------------
//
// The rule, shared by the update and the preview plan (plan.ts) so that both say the same: an
// input that means what is recorded (`type: "dedicated"` where none was given, the default;
// `budget.monthlyCapMicros: 0` where no cap was set; `ports` in another order) leaves the recorded
// echo as it is, so that a diff that reports no change is an update that changes nothing. An
// omitted field is not managed and keeps the recorded value (Agent37 keeps it too). A create
// (no recorded outputs) records what it was given.

/** Agent37's defaults for the echoed inputs (agent37-api.md, the create body). */
const DEFAULT_TYPE = "dedicated";
const DEFAULT_MICROS = 0;

/** The `type` echo (`previous` is undefined for a create). */
export function typeEcho(given: string | undefined, previous: Partial<InstanceOutputs> | undefined): string | null {
  if (previous === undefined) return given ?? null;
  const prev = previous.type ?? null;
  if (given === undefined || given === (prev ?? DEFAULT_TYPE)) return prev;
  return given;
}

/** The `budget` echo, per field (a field never set reads as Agent37's default, 0). */
export function budgetEcho(given: InstanceInputs["budget"], previous: Partial<InstanceOutputs> | undefined): BudgetOutput | null {
  if (previous === undefined) {
    return given === undefined ? null : { monthlyCapMicros: given.monthlyCapMicros ?? null, creditMicros: given.creditMicros ?? null };
  }
  const prev = previous.budget ?? null;
  const field = (g: number | undefined, p: number | null | undefined): number | null =>
    g === undefined || g === (p ?? DEFAULT_MICROS) ? (p ?? null) : g;
  const monthlyCapMicros = field(given?.monthlyCapMicros, prev?.monthlyCapMicros);
  const creditMicros = field(given?.creditMicros, prev?.creditMicros);
  if (prev === null && monthlyCapMicros === null && creditMicros === null) return null;
  return { monthlyCapMicros, creditMicros };
}

const portSet = (ports: readonly number[]): string => JSON.stringify([...new Set(ports)].sort((a, b) => a - b));

/** The `requestedPorts` echo: the same ports in another order keep the recorded list. */
export function requestedPortsEcho(given: readonly number[] | undefined, previous: Partial<InstanceOutputs> | undefined): number[] {
  const want = [...(given ?? [])];
  const prev = previous?.requestedPorts;
  if (Array.isArray(prev) && portSet(prev) === portSet(want)) return [...prev];
  return want;
}

/** Agent37Instance's default readiness gate settings (README, "Readiness"). */
const DEFAULT_HEALTH_TIMEOUT_SECONDS = 600;

/**
 * The `healthCheck` echo: the `health` input without what means the default (`disabled: false`,
 * `timeoutSeconds: 600`), null when nothing is left (the default gate).
 */
export function healthCheckEcho(given: HealthInputs | undefined | null): HealthInputs | null {
  if (given === undefined || given === null) return null;
  const out: HealthInputs = {};
  if (given.path !== undefined) out.path = given.path;
  if (given.status !== undefined) out.status = given.status;
  if (given.timeoutSeconds !== undefined && given.timeoutSeconds !== DEFAULT_HEALTH_TIMEOUT_SECONDS) out.timeoutSeconds = given.timeoutSeconds;
  if (given.disabled === true) out.disabled = true;
  return Object.keys(out).length === 0 ? null : out;
}

export function buildOutputs(instance: Instance, ctx: OutputContext): InstanceOutputs {
  const { inputs, previous } = ctx;
  const requested = inputs.ports ?? [];
  const { url, ports, portUrls } = computePorts(instance, ctx.template, requested, ctx.urlTemplate);
  const reason = instance.status_reason;
  const desiredPublic = inputs.publicPorts ?? [];
  return {
    instanceId: instance.id,
    url,
    ports,
    portUrls,
    status: instance.status,
    state: stateOfStatus(instance.status) ?? null,
    statusReason:
      reason === null || reason === undefined
        ? null
        : {
            code: reason.code ?? "",
            message: reason.message ?? "",
            detail: reason.detail ?? null,
            operation: reason.operation ?? null,
            at: reason.at ?? null,
          },
    template: instance.template ?? inputs.template ?? previous?.template ?? "",
    templateRevision: instance.template_revision ?? null,
    imageRef: instance.image_ref ?? null,
    imageDigest: instance.image_digest ?? null,
    resources: instance.resources
      ? { cpu: instance.resources.cpu, memory: instance.resources.memory, disk: instance.resources.disk }
      : (previous?.resources ?? null),
    publicPorts: (instance.public_ports ?? []).map((p) => {
      // The docs list `label` on the POST answer but not on the instance object: keep the one we asked for.
      const asked = desiredPublic.find((d) => d.port === p.port);
      const prevLabel = previous?.publicPorts?.find((o) => o.port === p.port)?.label ?? null;
      return {
        port: p.port,
        url: p.url,
        domainUrls: p.domain_urls ?? [],
        prefix: p.prefix ?? null,
        label: p.label !== undefined ? p.label : (asked?.label ?? prevLabel),
        created: p.created ?? null,
      };
    }),
    domainUrls: instance.domain_urls ?? [],
    name: instance.name ?? null,
    user: instance.user ?? null,
    metadata: userMetadata(instance.metadata),
    autoSleep: instance.auto_sleep ?? inputs.autoSleep ?? previous?.autoSleep ?? false,
    idleTimeoutSeconds: instance.idle_timeout_seconds ?? inputs.idleTimeoutSeconds ?? previous?.idleTimeoutSeconds ?? 300,
    created: instance.created ?? null,
    health: ctx.health,
    type: typeEcho(inputs.type, previous),
    env: inputs.env ?? previous?.env ?? {},
    budget: budgetEcho(inputs.budget, previous),
    requestedPorts: requestedPortsEcho(requested, previous),
    adoptInstanceId: inputs.adoptInstanceId ?? previous?.adoptInstanceId ?? null,
    healthCheck: healthCheckEcho(inputs.health),
  };
}

/** A recorded health output, or null when there is none. */
export function healthOf(v: unknown): HealthOutput | null {
  return v !== null && typeof v === "object" && "ok" in v ? (v as HealthOutput) : null;
}
