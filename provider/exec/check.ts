// `check` and input parsing for Agent37Exec: no network. Values still unknown at preview (the
// engine's sentinel) are left out of validation, as Agent37Instance's check does.
import { InputError, PROVIDER_KEY, isUnknown, propertyName, unwrapSecrets, type CheckFailure } from "../core/check";
import { ExecInputs } from "./schema";

type Loose = Record<string, unknown>;

/** Inputs fit for validation: `__provider`, nulls and unknowns dropped (unknown paths returned). */
function prepare(news: Loose): { value: Loose; unknown: Set<string> } {
  const unknown = new Set<string>();
  const value: Loose = {};
  for (const [key, v] of Object.entries(unwrapSecrets(news ?? {}))) {
    if (key === PROVIDER_KEY || v === null || v === undefined) continue;
    if (isUnknown(v)) {
      unknown.add(key);
      continue;
    }
    if (key === "environment" && v !== null && typeof v === "object" && !Array.isArray(v)) {
      const env: Loose = {};
      for (const [k, ev] of Object.entries(v)) {
        if (isUnknown(ev)) unknown.add(`environment.${k}`);
        else env[k] = ev;
      }
      value[key] = env;
      continue;
    }
    value[key] = v;
  }
  return { value, unknown };
}

function failuresOf(issues: readonly { code: string; path: PropertyKey[]; message: string; keys?: string[]; issues?: { message: string }[] }[], unknown: Set<string>): CheckFailure[] {
  const failures: CheckFailure[] = [];
  for (const issue of issues) {
    if (issue.code === "unrecognized_keys") {
      for (const key of issue.keys ?? []) {
        failures.push({ property: propertyName([...issue.path, key]), reason: `unknown field "${key}" (not an input of Agent37Exec)` });
      }
      continue;
    }
    const property = propertyName(issue.path);
    // A required input that is merely unknown at preview is not missing.
    if (unknown.has(property)) continue;
    const reason = issue.code === "invalid_key" ? (issue.issues?.[0]?.message ?? issue.message) : issue.message;
    failures.push({ property: property || "(inputs)", reason });
  }
  return failures;
}

/** Validates Agent37Exec inputs; every problem is a `{property, reason}` failure. */
export function checkExecInputs(news: Loose): CheckFailure[] {
  const { value, unknown } = prepare(news);
  const result = ExecInputs.safeParse(value);
  return result.success ? [] : failuresOf(result.error.issues as never, unknown);
}

/** Typed inputs (known values only: create and update run after preview). */
export function parseExecInputs(news: Loose): ExecInputs {
  const { value } = prepare(news);
  const result = ExecInputs.safeParse(value);
  if (!result.success) {
    throw new ExecInputError(failuresOf(result.error.issues as never, new Set()));
  }
  return result.data;
}

/** Agent37Exec inputs rejected at create/update time (the engine normally stops them at check). */
export class ExecInputError extends InputError {
  constructor(failures: CheckFailure[]) {
    super(failures);
    this.message = `Invalid Agent37Exec inputs: ${failures.map((f) => `${f.property}: ${f.reason}`).join("; ")}`;
  }
}
