// `check` and input parsing for Agent37Template: no network. A build's context is read here and
// its content hash recorded as the input `contextHash`, so a preview shows a changed source file
// as an update without any API call or upload. Values still unknown at preview are left out.
import type { z } from "zod";
import { InputError, PROVIDER_KEY, isUnknown, propertyName, unwrapSecrets, type CheckFailure } from "../core/check";
import { ContextError, inspectContext } from "./context";
import { TemplateInputs } from "./schema";

type Loose = Record<string, unknown>;

/** Inputs fit for validation: `__provider`, `contextHash`, nulls and unknowns dropped (unknown paths returned). */
function prepare(news: Loose): { value: Loose; unknown: Set<string> } {
  const unknown = new Set<string>();
  const value: Loose = {};
  for (const [key, v] of Object.entries(unwrapSecrets(news ?? {}))) {
    if (key === PROVIDER_KEY || key === "contextHash" || v === null || v === undefined) continue;
    if (isUnknown(v)) {
      unknown.add(key);
      continue;
    }
    if (key === "build" && v !== null && typeof v === "object" && !Array.isArray(v)) {
      const b: Loose = {};
      for (const [k, bv] of Object.entries(v as Loose)) {
        if (bv === null || bv === undefined) continue;
        if (isUnknown(bv)) unknown.add(`build.${k}`);
        else b[k] = bv;
      }
      value[key] = b;
      continue;
    }
    value[key] = v;
  }
  return { value, unknown };
}

function failuresOf(issues: readonly z.core.$ZodIssue[], unknown: Set<string>): CheckFailure[] {
  const failures: CheckFailure[] = [];
  for (const issue of issues) {
    if (issue.code === "unrecognized_keys") {
      for (const key of issue.keys) {
        failures.push({ property: propertyName([...issue.path, key]), reason: `unknown field "${key}" (not an input of Agent37Template)` });
      }
      continue;
    }
    const property = propertyName(issue.path);
    if (unknown.has(property)) continue;
    failures.push({ property: property || "(inputs)", reason: issue.message });
  }
  return failures;
}

/** The source rule: exactly one of `imageRef` and `build` (an unknown one counts as set). */
function sourceFailures(value: Loose, unknown: Set<string>): CheckFailure[] {
  const image = value.imageRef !== undefined || unknown.has("imageRef");
  const build = value.build !== undefined || unknown.has("build");
  if (image && build) return [{ property: "imageRef", reason: "set exactly one of imageRef and build, not both" }];
  if (!image && !build) return [{ property: "imageRef", reason: "set exactly one of imageRef (a public image) and build (a folder with a Dockerfile)" }];
  return [];
}

export interface TemplateCheck {
  /** The inputs to record, `contextHash` added for a build whose context is known. */
  inputs: Loose;
  failures: CheckFailure[];
}

/**
 * Validates Agent37Template inputs; every problem is a `{property, reason}` failure. A build's
 * context is scanned, size-checked and hashed (reads files, never the network).
 */
export async function checkTemplateInputs(news: Loose): Promise<TemplateCheck> {
  const { value, unknown } = prepare(news);
  const failures = [...sourceFailures(value, unknown)];
  const parsed = TemplateInputs.safeParse(value);
  if (!parsed.success) {
    for (const f of failuresOf(parsed.error.issues, unknown)) {
      if (!failures.some((g) => g.property === f.property && g.reason === f.reason)) failures.push(f);
    }
  }
  const inputs: Loose = { ...news };
  delete inputs.contextHash;
  const build = value.build as Loose | undefined;
  const contextKnown = build !== undefined && typeof build.context === "string" && !unknown.has("build.context") && !unknown.has("build.dockerfile");
  const buildValid = !failures.some((f) => f.property.startsWith("build"));
  if (contextKnown && buildValid) {
    try {
      const { contextHash } = await inspectContext(build.context as string, build.dockerfile as string | undefined);
      inputs.contextHash = contextHash;
    } catch (err) {
      if (!(err instanceof ContextError)) throw err;
      failures.push({ property: err.property, reason: err.message });
    }
  }
  return { inputs, failures };
}

/** Typed inputs (known values only: create and update run after preview). */
export function parseTemplateInputs(news: Loose): TemplateInputs {
  const { value } = prepare(news);
  const failures = sourceFailures(value, new Set());
  const result = TemplateInputs.safeParse(value);
  if (!result.success) failures.push(...failuresOf(result.error.issues, new Set()));
  if (failures.length > 0 || !result.success) throw new TemplateInputError(failures);
  const hash = unwrapSecrets(news ?? {}).contextHash;
  return { ...result.data, ...(typeof hash === "string" && !isUnknown(hash) ? { contextHash: hash } : {}) };
}

/** Agent37Template inputs rejected at create/update time (the engine normally stops them at check). */
export class TemplateInputError extends InputError {
  constructor(failures: CheckFailure[]) {
    super(failures);
    this.message = `Invalid Agent37Template inputs: ${failures.map((f) => `${f.property}: ${f.reason}`).join("; ")}`;
  }
}
