// What the API is asked for, computed from inputs without I/O: the create body, the resize body,
// and the plan of an update (which calls, with which bodies). `reconcile.ts` carries the plan out.
import type { Loose } from "../core/declare";
import { plain } from "../core/wire";
import type { CreateBody, PatchBody } from "./api";
import { changedInputs, publicPortsDelta } from "./diff";
import { PENDING_CREATE_KEY, type InstanceInputs, type PublicPortInput } from "./inputs";
import { userMetadata, type InstanceOutputs } from "./outputs";

/** A resize body: the fields that grow. */
export type Size = { cpu?: number; memory?: number; disk?: number };

/** What an update asks of the API, before any status is read. */
export interface UpdatePlan {
  targetRunning: boolean;
  /** Labels and auto-sleep (`PATCH`); empty when none changed. */
  patch: PatchBody;
  /** A new monthly cap, when it changed. */
  cap: number | undefined;
  /** A new template, when it changed. */
  template: string | undefined;
  /** The grow asked for by the recorded size (re-read before it is sent). */
  resize: Size | undefined;
  ports: { remove: number[]; add: PublicPortInput[] };
}

/** The calls that bring an instance recorded as `olds` to `desired`. */
export function planUpdate(olds: Partial<InstanceOutputs>, desired: InstanceInputs): UpdatePlan {
  const changes = changedInputs(olds, desired as Loose);
  const patch: PatchBody = {};
  if (changes.has("name")) patch.name = desired.name === "" ? null : (desired.name ?? null);
  if (changes.has("user")) patch.user = desired.user === "" ? null : (desired.user ?? null);
  if (changes.has("metadata")) patch.metadata = desired.metadata ?? {};
  if (changes.has("autoSleep") && desired.autoSleep !== undefined) patch.auto_sleep = desired.autoSleep;
  if (changes.has("idleTimeoutSeconds") && desired.idleTimeoutSeconds !== undefined) {
    patch.idle_timeout_seconds = desired.idleTimeoutSeconds;
  }
  const desiredCap = desired.budget?.monthlyCapMicros;
  const ports = changes.has("publicPorts")
    ? publicPortsDelta(olds.publicPorts ?? [], desired.publicPorts ?? [])
    : { remove: [], add: [] };
  return {
    targetRunning: (desired.state ?? "running") === "running",
    patch,
    cap: desiredCap !== undefined && desiredCap !== (olds.budget?.monthlyCapMicros ?? 0) ? desiredCap : undefined,
    template: changes.has("template") ? desired.template : undefined,
    resize: changes.get("resources") === "update" ? growOf(olds.resources, desired.resources) : undefined,
    ports: { remove: ports.remove, add: ports.add as PublicPortInput[] },
  };
}

export function createBody(inputs: InstanceInputs, marker: string): CreateBody {
  const body: CreateBody = { metadata: { ...userMetadata(inputs.metadata), [PENDING_CREATE_KEY]: marker } };
  if (inputs.template !== undefined) body.template = inputs.template;
  if (inputs.resources !== undefined) body.resources = plain({ ...inputs.resources }) as NonNullable<CreateBody["resources"]>;
  if (inputs.type !== undefined) body.type = inputs.type;
  if (inputs.user !== undefined && inputs.user !== "") body.user = inputs.user;
  if (inputs.name !== undefined && inputs.name !== "") body.name = inputs.name;
  if (inputs.env !== undefined && Object.keys(inputs.env).length > 0) body.env = inputs.env;
  if (inputs.budget !== undefined) {
    body.budget = {};
    if (inputs.budget.monthlyCapMicros !== undefined) body.budget.monthly_cap_micros = inputs.budget.monthlyCapMicros;
    if (inputs.budget.creditMicros !== undefined) body.budget.credit_micros = inputs.budget.creditMicros;
  }
  if (inputs.autoSleep !== undefined) body.auto_sleep = inputs.autoSleep;
  if (inputs.idleTimeoutSeconds !== undefined) body.idle_timeout_seconds = inputs.idleTimeoutSeconds;
  // The create body takes `{port, prefix}`; a label can only be given when adding a port, so
  // labelled ports are added right after create.
  const unlabelled = (inputs.publicPorts ?? []).filter((p) => p.label === undefined);
  if (unlabelled.length > 0) body.public_ports = unlabelled.map((p) => ({ port: p.port, ...(p.prefix !== undefined ? { prefix: p.prefix } : {}) }));
  return body;
}

/** The resize body: the fields that grow (cpu and memory move together as a shape). */
export function growOf(current: InstanceOutputs["resources"] | undefined, desired: InstanceInputs["resources"]): Size | undefined {
  if (desired === undefined) return undefined;
  const out: Size = {};
  if (desired.cpu !== undefined && desired.memory !== undefined && (desired.cpu !== current?.cpu || desired.memory !== current?.memory)) {
    out.cpu = desired.cpu;
    out.memory = desired.memory;
  }
  if (desired.disk !== undefined && desired.disk !== current?.disk) out.disk = desired.disk;
  return Object.keys(out).length > 0 ? out : undefined;
}
