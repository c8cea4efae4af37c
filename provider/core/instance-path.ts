// Instance paths as the gateway resolves them (the docs' "Files" page): `~` is the instance
// user's home, a relative path is under the agent workspace, `..` resolves lexically. Pure, so
// check can record the resolved path without a network call. Also what Agent37File and
// Agent37Directory share about their `path`: its declaration, its check and the words that name
// an operation on it.
import * as path from "node:path";
import { isUnknown, type CheckFailure } from "./check";
import type { InputField, Loose } from "./declare";

export const HOME_DIR = "/home/user";
export const WORKSPACE_DIR = "/home/user/.agent37-gateway/workspace";

/** The absolute path the gateway writes for `raw`. */
export function resolveInstancePath(raw: string): string {
  let p = raw;
  if (p === "~") p = HOME_DIR;
  else if (p.startsWith("~/")) p = `${HOME_DIR}/${p.slice(2)}`;
  return path.posix.resolve(WORKSPACE_DIR, p);
}

/**
 * Why `raw` cannot be a path this resource writes, or undefined. A folder target (a
 * Directory's) must not be the workspace itself either: pruning it would reach everything.
 */
export function instancePathProblem(raw: string, property: string, folder = false): string | undefined {
  if (raw.trim() === "") return `${property} must not be empty`;
  if (raw.includes("\u0000")) return `${property} must not contain a NUL byte`;
  const resolved = resolveInstancePath(raw);
  if (resolved === "/") return `${property} resolves to / (give a file or folder below it)`;
  if (folder && (resolved === WORKSPACE_DIR || resolved === HOME_DIR)) return `${property} resolves to ${resolved} itself: give a folder inside it (e.g. \`skills\`)`;
  return undefined;
}

/** The `path` input of a resource that writes into an instance: a change replaces it; the gateway's limit on its length. */
export function instancePathInput(description: string): InputField {
  return { type: "string", required: true, onChange: "replace", maxLength: 4096, description };
}

/** Check's refusal of a known `path` that is no path this resource writes (see `instancePathProblem`). */
export function instancePathFailures(inputs: Loose, folder = false): CheckFailure[] {
  const p = inputs["path"];
  if (typeof p !== "string" || isUnknown(p)) return [];
  const problem = instancePathProblem(p, "path", folder);
  return problem === undefined ? [] : [{ property: "path", reason: problem }];
}

/** The checked inputs with a known, accepted `path` resolved: check records the absolute path. */
export function withResolvedPath(inputs: Loose, failures: readonly CheckFailure[]): Loose {
  const out: Loose = { ...inputs };
  const p = out["path"];
  if (typeof p === "string" && !isUnknown(p) && !failures.some((f) => f.property === "path")) out["path"] = resolveInstancePath(p);
  return out;
}

/**
 * The words that name an operation on an instance path (`writing Agent37 file /home/user/x in
 * instance ab12`): the declared path resolved, else the recorded one, else the resource id.
 */
export function instancePathOperation(
  verb: string,
  noun: string,
  { id, inputs, olds }: { id?: string; inputs?: { path: string; instanceId: string }; olds?: { path?: string; instanceId?: string } },
): string {
  const target = inputs === undefined ? (olds?.path ?? id) : resolveInstancePath(inputs.path);
  const instance = inputs?.instanceId ?? olds?.instanceId ?? "";
  return `${verb} Agent37 ${noun} ${target} in instance ${instance}`;
}
