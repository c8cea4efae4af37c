/**
 * `Agent37Exec`: shell commands run inside an instance on create, update and destroy, the
 * only way into a port-less sandbox. Details: docs/exec.md.
 *
 * Import it from `pulumi-agent37`. Type token `pulumi-nodejs:dynamic/agent37:Exec`; through the
 * provider plugin, `agent37:index:Exec`.
 *
 * ## Example
 *
 * ```ts
 * import * as pulumi from "@pulumi/pulumi";
 * import { Agent37Exec, Agent37Instance } from "pulumi-agent37";
 *
 * const config = new pulumi.Config();
 * const sandbox = new Agent37Instance("sandbox", { template: "sandbox" });
 * const bootstrap = new Agent37Exec("bootstrap", {
 *   instanceId: sandbox.instanceId,
 *   create: "mkdir -p app && printf '%s' \"$API_TOKEN\" > app/token && echo ready",
 *   delete: "rm -rf app",
 *   environment: { API_TOKEN: config.requireSecret("apiToken") },
 *   triggers: [config.get("seedVersion") ?? "1"],
 * });
 * export const bootstrapped = bootstrap.stdout;
 * ```
 *
 * ## Inputs
 *
 * {@link Agent37ExecArgs}: `instanceId` and `create` are required; a change of `instanceId`
 * replaces, a change of a command, `triggers`, `environment` or `expectExitCode` runs the
 * command again.
 *
 * ## Outputs
 *
 * {@link ExecOutputs}: `exitCode`, `stdout`, `stderr` (each at most 512 KB, environment values
 * masked; secret, {@link SecretValue}, when a secret went into the run), `truncated`, `ranAt`.
 *
 * ## Errors
 *
 * - {@link Agent37ExecError}: the command exited with a code other than `expectExitCode`
 *   (carrying the code and the tail of its output), ran past the 280 s limit, or its outcome
 *   cannot be vouched for (the answer was lost: an exec is never sent twice).
 * - {@link instance!Agent37StateError}: the instance is stopped (or turned so) when the command
 *   should run.
 * - {@link errors!InputError}: inputs refused at create or update.
 * - {@link errors!Agent37ConfigError}, {@link errors!Agent37ApiError} and its subclasses,
 *   {@link errors!Agent37TransportError} and {@link errors!Agent37DeadlineError}, as for every
 *   resource (see {@link errors}).
 *
 * @module exec
 */
export { Agent37Exec, type Agent37ExecArgs, type ExecOutputs, type SecretValue, Agent37ExecError, type ExecPhase } from "../../provider";
