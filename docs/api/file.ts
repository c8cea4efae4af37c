/**
 * `Agent37File`: one file in an instance's workspace (a persona, a prompt, a skill, a config),
 * written through the instance gateway's Files API. The declared bytes are hashed at check, so a
 * changed file previews as an update without a network call; an edit made inside the instance
 * shows as drift on refresh and is restored by the next `up`, never silently overwritten.
 *
 * Import it from `pulumi-agent37`. Type token `pulumi-nodejs:dynamic/agent37:File`; through the
 * provider plugin, `agent37:index:File`.
 *
 * ## Example
 *
 * ```ts
 * import * as pulumi from "@pulumi/pulumi";
 * import { Agent37File, Agent37Instance } from "pulumi-agent37";
 *
 * const agent = new Agent37Instance("agent", { template: "agent37-hermes" });
 * const soul = new Agent37File("soul", {
 *   instanceId: agent.instanceId,
 *   path: "SOUL.md", // under the agent workspace
 *   source: "persona/SOUL.md", // relative to the project folder
 * });
 * const token = new Agent37File("token", {
 *   instanceId: agent.instanceId,
 *   path: "~/.config/tool/token",
 *   content: new pulumi.Config().requireSecret("toolToken"),
 * });
 * ```
 *
 * ## Inputs
 *
 * {@link Agent37FileArgs}: `instanceId` and `path` (required; a change of either replaces),
 * exactly one of `content` and `source`, `overwrite` (default `false`).
 *
 * ## Outputs
 *
 * {@link FileOutputs}: `instanceId`, `path` (resolved), `size`, `modified`, `sha256` (always a
 * secret). Never the content.
 *
 * ## Errors
 *
 * - {@link Agent37FileExistsError}: a create found a file at `path` this resource did not write;
 *   set `overwrite: true` to replace it.
 * - {@link Agent37FileModifiedError}: the file was edited inside the instance since the last
 *   refresh (`412 modified`); run `pulumi refresh`, then `pulumi up`.
 * - {@link Agent37InstanceStoppedError}: the instance is stopped; start it first.
 * - {@link Agent37NotAFileError}: a folder or link is at `path`; it is left alone.
 * - {@link errors!InputError} (check's refusals, each naming its property) and the errors of
 *   every resource (see {@link errors}).
 *
 * @module file
 */
export { Agent37File, type Agent37FileArgs, type FileOutputs, Agent37FileExistsError, Agent37FileModifiedError, Agent37InstanceStoppedError, Agent37NotAFileError } from "../../provider";
