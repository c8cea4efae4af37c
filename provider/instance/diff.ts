// `diff`: pure comparison of the new inputs with the recorded outputs (the engine passes the
// old *outputs* to a dynamic provider). An omitted input is not managed: it is never reported
// as a change (except `state`, default "running", and `env`/`ports`/`health`, which the resource
// owns completely: omitting them means the default). An input that means what is recorded (the
// default given explicitly, `ports` in another order) is no change, and an update then leaves
// the outputs as they are (outputs.ts, the echoes). Unknown values (preview) are "may change": in-place inputs report an update,
// replace-column inputs a replace. State written by earlier versions may lack fields; a
// missing old value is never a reason to replace.
import { isUnknown, containsUnknown, InputError } from "../core/check";
import type { Loose } from "../core/declare";
import { asObject, jsonEqual } from "../core/wire";
import { healthCheckEcho, stateOfStatus, userMetadata, type InstanceOutputs } from "./outputs";
import type { HealthInputs } from "./inputs";

export type FieldChange = "update" | "replace";

/** Inputs whose change replaces the instance (README, "Inputs reference", column "on change"). */
export const REPLACE_INPUTS = ["type", "env", "resources", "adoptInstanceId", "budget"] as const;

const emptyToNull = (v: unknown): unknown => (v === "" || v === undefined ? null : v);

export { stateOfStatus };

/** Classifies the `resources` change: none, grow in place, or a shrink (replace). */
export function resourcesChange(oldRes: unknown, newRes: unknown): FieldChange | undefined {
  if (newRes === undefined || newRes === null) return undefined;
  if (isUnknown(newRes)) return "replace";
  const n = asObject(newRes);
  const o = asObject(oldRes);
  if (n === undefined) return undefined;
  let grow = false;
  for (const key of ["cpu", "memory", "disk"] as const) {
    const nv = n[key];
    if (nv === undefined || nv === null) continue;
    if (isUnknown(nv)) return "replace";
    const ov = o?.[key];
    if (typeof ov !== "number") {
      grow = true;
      continue;
    }
    if (typeof nv === "number" && nv < ov) return "replace";
    if (typeof nv === "number" && nv > ov) grow = true;
  }
  return grow ? "update" : undefined;
}

interface PublicPortLike {
  port?: unknown;
  prefix?: unknown;
  label?: unknown;
}

/** Ports to remove and entries to add so the public ports match `desired`. */
export function publicPortsDelta(
  current: readonly PublicPortLike[],
  desired: readonly PublicPortLike[],
): { remove: number[]; add: PublicPortLike[] } {
  const remove: number[] = [];
  const add: PublicPortLike[] = [];
  for (const cur of current) {
    const want = desired.find((d) => d.port === cur.port);
    if (want === undefined || !samePublicPort(cur, want)) remove.push(cur.port as number);
  }
  for (const want of desired) {
    const cur = current.find((c) => c.port === want.port);
    if (cur === undefined || !samePublicPort(cur, want)) add.push(want);
  }
  return { remove, add };
}

function samePublicPort(cur: PublicPortLike, want: PublicPortLike): boolean {
  if (emptyToNull(want.prefix) !== emptyToNull(cur.prefix)) return false;
  // A label can only be set when a port is added, so a new label means remove and add.
  if (want.label !== undefined && emptyToNull(want.label) !== emptyToNull(cur.label)) return false;
  return true;
}

/**
 * Per-input change classification. `olds` are the recorded outputs; `news` the new inputs
 * (possibly holding unknowns). Returns only inputs that change.
 */
export function changedInputs(olds: Partial<InstanceOutputs> | Loose, news: Loose): Map<string, FieldChange> {
  const o = olds as Loose;
  const out = new Map<string, FieldChange>();
  const has = (k: string) => news[k] !== undefined && news[k] !== null;

  if (has("template") && (isUnknown(news.template) || news.template !== o.template)) out.set("template", "update");

  const res = resourcesChange(o.resources, news.resources);
  if (res !== undefined) out.set("resources", res);

  if (has("type") && (isUnknown(news.type) || news.type !== (o.type ?? "dedicated"))) out.set("type", "replace");

  for (const k of ["name", "user"]) {
    if (has(k) && (isUnknown(news[k]) || emptyToNull(news[k]) !== emptyToNull(o[k]))) out.set(k, "update");
  }
  if (has("metadata")) {
    const nm = news.metadata;
    if (containsUnknown(nm) || !jsonEqual(userMetadata(asObject(nm)), userMetadata(asObject(o.metadata)))) out.set("metadata", "update");
  }

  // env is write-only and immutable: the whole map is owned; absent means none.
  if (o.env !== undefined) {
    const ne = news.env ?? {};
    if (containsUnknown(ne) || !jsonEqual(ne, o.env)) out.set("env", "replace");
  }

  if (has("autoSleep") && (isUnknown(news.autoSleep) || news.autoSleep !== (o.autoSleep ?? false))) out.set("autoSleep", "update");
  if (
    has("idleTimeoutSeconds") &&
    (isUnknown(news.idleTimeoutSeconds) || news.idleTimeoutSeconds !== (o.idleTimeoutSeconds ?? 300))
  ) {
    out.set("idleTimeoutSeconds", "update");
  }

  if (has("publicPorts")) {
    const np = news.publicPorts;
    if (containsUnknown(np) || !Array.isArray(np)) out.set("publicPorts", "update");
    else {
      const current = Array.isArray(o.publicPorts) ? (o.publicPorts as PublicPortLike[]) : [];
      const delta = publicPortsDelta(current, np as PublicPortLike[]);
      if (delta.add.length > 0 || delta.remove.length > 0) out.set("publicPorts", "update");
    }
  }

  if (has("budget")) {
    const nb = news.budget;
    const ob = asObject(o.budget);
    if (isUnknown(nb)) out.set("budget", "replace");
    else {
      const b = asObject(nb) ?? {};
      const credit = b.creditMicros;
      if (credit !== undefined && (isUnknown(credit) || credit !== (ob?.creditMicros ?? 0))) out.set("budget", "replace");
      else {
        const cap = b.monthlyCapMicros;
        if (cap !== undefined && (isUnknown(cap) || cap !== (ob?.monthlyCapMicros ?? 0))) out.set("budget", "update");
      }
    }
  }

  const desiredState = news.state ?? "running";
  const currentState = stateOfStatus(o.status);
  if (isUnknown(desiredState) || (currentState !== undefined && desiredState !== currentState)) out.set("state", "update");
  // A `failed` instance (seen by a refresh) is repaired in place by the update: see reconcile.
  if (o.status === "failed") out.set("state", "update");

  // `ports` only changes outputs (derived URLs), but it is a change all the same.
  const np = news.ports ?? [];
  if (containsUnknown(np)) out.set("ports", "update");
  else if (Array.isArray(np)) {
    const want = [...new Set(np as number[])].sort((a, b) => a - b);
    if (Array.isArray(o.requestedPorts)) {
      const had = [...new Set(o.requestedPorts as number[])].sort((a, b) => a - b);
      if (!jsonEqual(want, had)) out.set("ports", "update");
    } else {
      // State from before `requestedPorts` was recorded: change only if a port has no URL yet.
      const urls = asObject(o.portUrls) ?? {};
      if (want.some((p) => urls[String(p)] === undefined)) out.set("ports", "update");
    }
  }

  // `health` is a setting of the provider (no API call), and its absence means the default gate,
  // so it is owned completely like `env`: any change of the recorded echo is an update (the gate
  // may run, and the echo changes). State from 0.1.0 has no echo: never a change there.
  if ("healthCheck" in o) {
    const nh = news.health;
    if (containsUnknown(nh) || !jsonEqual(healthCheckEcho(nh as HealthInputs | undefined), o.healthCheck ?? null)) out.set("health", "update");
  }

  if (has("adoptInstanceId")) {
    const a = news.adoptInstanceId;
    if (isUnknown(a) || (a !== o.instanceId && a !== o.adoptInstanceId)) out.set("adoptInstanceId", "replace");
  }
  return out;
}

export interface DiffOutcome {
  changes: boolean;
  replaces: string[];
  deleteBeforeReplace: boolean;
}

/**
 * The provider's diff. `deleteBeforeReplace` is false: instance ids are minted by the server,
 * so the replacement never clashes with the old instance and create-before-delete keeps the
 * service up during a replace.
 */
export function diffInstance(olds: Loose, news: Loose): DiffOutcome {
  const changed = instanceChanges(olds, news);
  return { changes: changed.size > 0, replaces: replacesOf(changed), deleteBeforeReplace: false };
}

/** The inputs whose change replaces the instance. */
export const replacesOf = (changed: ReadonlyMap<string, FieldChange>): string[] => [...changed].filter(([, c]) => c === "replace").map(([k]) => k);

/** The diff's changes (changedInputs), refused when a replace would delete the instance it adopts. */
export function instanceChanges(olds: Loose, news: Loose): Map<string, FieldChange> {
  const changed = changedInputs(olds ?? {}, news ?? {});
  refuseReplacingAdopted(olds ?? {}, news ?? {}, replacesOf(changed));
  return changed;
}

/**
 * A resource that still adopts the instance it holds cannot be replaced: the replacement's
 * create would adopt that same instance, and the replace's delete of the "old" one would then
 * destroy the live instance and leave the state pointing at a deleted id. Refuse the plan with a
 * message that names the inputs and the two ways out.
 */
function refuseReplacingAdopted(olds: Loose, news: Loose, replaces: string[]): void {
  const adopt = news.adoptInstanceId;
  if (typeof adopt !== "string" || isUnknown(adopt) || replaces.length === 0) return;
  if (adopt !== olds.instanceId && adopt !== olds.adoptInstanceId) return;
  throw new InputError(
    replaces.map((property) => ({
      property,
      reason:
        `a change of ${property} replaces the instance, but this resource adopts instance ${adopt}: ` +
        `the replacement would adopt that same instance and the replace would then delete it. ` +
        `Keep ${property} as it was, or remove adoptInstanceId so that Pulumi creates a new instance ` +
        `(and deletes the adopted one).`,
    })),
  );
}
