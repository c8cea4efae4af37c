/**
 * `Agent37Directory`: a local folder kept in sync with a folder in an instance (skills, prompts,
 * knowledge files), through the instance gateway's Files API. The folder is hashed at check
 * (with `ignore` applied by the same rules as Agent37Template's `.dockerignore`), so a changed
 * file previews as an update with no network call, and a touched mtime or mode is no change.
 *
 * Import it from `pulumi-agent37`. Type token `pulumi-nodejs:dynamic/agent37:Directory`; through
 * the provider plugin, `agent37:index:Directory`.
 *
 * ## Example
 *
 * ```ts
 * import { Agent37Directory, Agent37Instance } from "pulumi-agent37";
 *
 * const agent = new Agent37Instance("agent", { template: "agent37-hermes" });
 * const skills = new Agent37Directory("skills", {
 *   instanceId: agent.instanceId,
 *   source: "skills", // relative to the project folder
 *   path: "skills", // under the agent workspace
 *   ignore: ["*.draft.md"],
 * });
 * ```
 *
 * ## Inputs
 *
 * {@link Agent37DirectoryArgs}: `instanceId`, `source` and `path` (required; a new `instanceId`
 * or `path` replaces), `ignore`, `prune` (default `true`).
 *
 * ## Outputs
 *
 * {@link DirectoryOutputs}: `instanceId`, `path` (resolved), `files`, `sha256` (the tree hash)
 * and `manifest` (what it wrote: a path, a 64-bit hash and an mtime a line, for prune and refresh).
 *
 * ## Errors
 *
 * - {@link Agent37DirectoryInitError}: a sync stopped part-way; what was written is kept, and the
 *   next `up` finishes without sending those files again.
 * - The errors of {@link file!Agent37File} for each file (a file it did not write, an edit made
 *   since the last refresh, a stopped instance), and those of every resource (see {@link errors}).
 *
 * @module directory
 */
export { Agent37Directory, type Agent37DirectoryArgs, type DirectoryOutputs, Agent37DirectoryInitError } from "../../provider";
