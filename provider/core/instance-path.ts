// Instance paths as the gateway resolves them (the docs' "Files" page): `~` is the instance
// user's home, a relative path is under the agent workspace, `..` resolves lexically. Pure, so
// check can record the resolved path without a network call.
import * as path from "node:path";

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
