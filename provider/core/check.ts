// `check`: validate inputs with the zod schema, without network. Values still unknown at
// preview arrive as the engine's sentinel string; they are never validated as real values.
import type * as z from "zod";
import { Agent37Error } from "./errors";
import type { Schema } from "./schema-type";

/** The engine's placeholder for a value not known until apply (Pulumi's `rpc.unknownValue`). */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

export const PROVIDER_KEY = "__provider";

/** Pulumi's marker for a secret value envelope (`{[SECRET_SIG]: SECRET_VALUE, value}`). */
const SECRET_SIG = "4dabf18193072939515e22adb298388d";
const SECRET_VALUE = "1b47061264138c4ac30d75fd1eb44270";

/** Pulumi's secret envelope: a provider output in this form is stored and shown as a secret. */
export interface SecretValue<T> {
  [SECRET_SIG]: typeof SECRET_VALUE;
  value: T;
}

/**
 * Wraps `value` in the secret envelope. The engine keeps the secret bit of what a provider
 * returns even from a provider that does not accept secrets (the dynamic host), so this is how
 * an output the engine cannot know to be secret becomes one.
 */
export function asSecret<T>(value: T): SecretValue<T> {
  return { [SECRET_SIG]: SECRET_VALUE, value };
}

/**
 * Replaces secret envelopes by their values. The engine sends this provider plaintext (it does
 * not accept secrets), but a value wrapped by other tooling must still compare as its value.
 */
export function unwrapSecrets<T>(value: T): T {
  if (Array.isArray(value)) return value.map((v) => unwrapSecrets(v)) as T;
  if (value !== null && typeof value === "object") {
    const o = value as Record<string, unknown>;
    if (o[SECRET_SIG] === SECRET_VALUE) return unwrapSecrets(o.value) as T;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(o)) out[k] = unwrapSecrets(v);
    return out as T;
  }
  return value;
}

/** Whether `v` is a secret envelope. */
export function isSecret(v: unknown): boolean {
  return v !== null && typeof v === "object" && (v as Record<string, unknown>)[SECRET_SIG] === SECRET_VALUE;
}

/** Whether `v` is a secret or holds one anywhere inside. */
export function containsSecret(v: unknown): boolean {
  if (isSecret(v)) return true;
  if (Array.isArray(v)) return v.some(containsSecret);
  if (v !== null && typeof v === "object") return Object.values(v).some(containsSecret);
  return false;
}

/** Top-level keys whose value arrived as, or holding, a secret (a provider that accepts secrets: the plugin). */
export function secretKeys(props: Record<string, unknown>): string[] {
  return Object.keys(props ?? {}).filter((k) => containsSecret(props[k]));
}

/**
 * Marks `keys` of `outs` secret (those already in the envelope stay as they are): the resource's
 * always-secret outputs plus every output whose input came in secret, so a value that was secret
 * going in stays secret coming out.
 */
export function withSecrets(outs: Record<string, unknown>, keys: Iterable<string>): Record<string, unknown> {
  const out = { ...outs };
  for (const k of keys) if (k in out && out[k] !== undefined && !isSecret(out[k])) out[k] = asSecret(out[k]);
  return out;
}

/** Inputs with every null object entry removed (null means "omitted"), at any depth; unknowns kept. */
export function dropNulls<T>(value: T): T {
  if (Array.isArray(value)) return value.map((v) => dropNulls(v)) as T;
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (v !== null && v !== undefined) out[k] = dropNulls(v);
    return out as T;
  }
  return value;
}

export interface CheckFailure {
  property: string;
  reason: string;
}

type Path = (string | number)[];

export function isUnknown(v: unknown): boolean {
  return v === UNKNOWN;
}

/** Whether a value is, or contains, an unknown. */
export function containsUnknown(v: unknown): boolean {
  if (v === UNKNOWN) return true;
  if (Array.isArray(v)) return v.some(containsUnknown);
  if (v !== null && typeof v === "object") return Object.values(v).some(containsUnknown);
  return false;
}

/**
 * Copy of the inputs fit for validation: `__provider` dropped, `null` treated as absent, unknown
 * object fields removed (their paths recorded). Unknown array elements stay in place so indexes
 * keep matching; their issues are filtered by path.
 */
function prepare(value: unknown, path: Path, unknownPaths: Path[]): unknown {
  if (Array.isArray(value)) {
    return value.map((v, i) => {
      if (v === UNKNOWN) unknownPaths.push([...path, i]);
      return v === UNKNOWN ? v : prepare(v, [...path, i], unknownPaths);
    });
  }
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      if (path.length === 0 && k === PROVIDER_KEY) continue;
      if (v === null || v === undefined) continue;
      if (v === UNKNOWN) {
        unknownPaths.push([...path, k]);
        continue;
      }
      out[k] = prepare(v, [...path, k], unknownPaths);
    }
    return out;
  }
  return value;
}

function related(a: Path, b: Path): boolean {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (String(a[i]) !== String(b[i])) return false;
  return true;
}

/** `resources.disk`, `env.FOO`, `publicPorts[1].port`. */
export function propertyName(path: readonly PropertyKey[]): string {
  let out = "";
  for (const p of path) {
    if (typeof p === "number") out += `[${p}]`;
    else out += out === "" ? String(p) : `.${String(p)}`;
  }
  return out;
}

function failuresOf(issues: z.core.$ZodIssue[], unknownPaths: Path[], resource = "Agent37Instance"): CheckFailure[] {
  const failures: CheckFailure[] = [];
  for (const issue of issues) {
    const path = issue.path.map((p) => (typeof p === "symbol" ? String(p) : p)) as Path;
    if (issue.code === "unrecognized_keys") {
      for (const key of issue.keys) {
        failures.push({ property: propertyName([...path, key]), reason: `unknown field "${key}" (not an input of ${resource})` });
      }
      continue;
    }
    if (path.length > 0 && unknownPaths.some((u) => related(u, path))) continue;
    const dependsOn = (issue as { params?: { dependsOn?: Path[] } }).params?.dependsOn;
    if (dependsOn?.some((d) => unknownPaths.some((u) => related(u, d)))) continue;
    if (issue.code === "invalid_key") {
      const inner = issue.issues[0]?.message ?? issue.message;
      failures.push({ property: propertyName(path), reason: inner });
      continue;
    }
    failures.push({ property: propertyName(path) || "(inputs)", reason: issue.message });
  }
  return failures;
}

/**
 * Validates a resource's inputs against its schema; returns every problem as a `{property,
 * reason}` failure. Unknown values (preview) are left out, and so are the problems they cause.
 */
export function checkAgainst(schema: Schema<unknown>, resource: string, news: Record<string, unknown>): CheckFailure[] {
  const unknownPaths: Path[] = [];
  const prepared = prepare(unwrapSecrets(news ?? {}), [], unknownPaths);
  const result = schema.safeParse(prepared);
  if (result.success) return [];
  return failuresOf(result.error.issues as z.core.$ZodIssue[], unknownPaths, resource);
}

/** Parses known inputs into their typed form (after a successful check); `null`s and `__provider` dropped. */
export function parseAgainst<T>(schema: Schema<T>, resource: string, news: Record<string, unknown>): T {
  const unknownPaths: Path[] = [];
  const prepared = prepare(unwrapSecrets(news ?? {}), [], unknownPaths);
  const result = schema.safeParse(prepared);
  if (!result.success) throw new InputError(failuresOf(result.error.issues as z.core.$ZodIssue[], [], resource), resource);
  return result.data;
}

/** Inputs rejected at create/update time (the engine normally stops them at check). */
export class InputError extends Agent37Error {
  override name = "Agent37InputError";
  readonly failures: CheckFailure[];
  constructor(failures: CheckFailure[], resource = "Agent37Instance") {
    super(`Invalid ${resource} inputs: ${failures.map((f) => `${f.property}: ${f.reason}`).join("; ")}`);
    this.failures = failures;
  }
}
