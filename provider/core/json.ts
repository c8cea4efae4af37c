// JSON values as they cross the provider protocol, shared by every resource: equality, and
// dropping what the host cannot encode. No dependency: the error classes use it, and they load
// in every program (zod, which the rest of wire.ts needs, does not load with them).

import type { Loose } from "./declare";

/** `v` as a plain object, or undefined for anything else (arrays included). */
export function asObject(v: unknown): Loose | undefined {
  return v !== null && typeof v === "object" && !Array.isArray(v) ? (v as Loose) : undefined;
}

/** Structural equality of JSON values; key order does not matter. */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((v, i) => jsonEqual(v, b[i]));
  }
  const oa = asObject(a);
  const ob = asObject(b);
  if (oa === undefined || ob === undefined) return false;
  const ka = Object.keys(oa).filter((k) => oa[k] !== undefined);
  const kb = Object.keys(ob).filter((k) => ob[k] !== undefined);
  if (ka.length !== kb.length) return false;
  return ka.every((k) => jsonEqual(oa[k], ob[k]));
}

/** Drops `undefined` everywhere (the provider host cannot encode it). */
export function plain<T>(value: T): T {
  if (Array.isArray(value)) return value.map((v) => plain(v)) as T;
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = plain(v);
    return out as T;
  }
  return value;
}
