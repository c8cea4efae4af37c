/**
 * `Agent37SshKey`: an SSH public key of the workspace. Agent37 has no update for keys, so every
 * change replaces; a workspace holds a key once (by fingerprint).
 *
 * Import it from `pulumi-agent37`. Type token `pulumi-nodejs:dynamic/agent37:SshKey`; through
 * the provider plugin, `agent37:index:SshKey`.
 *
 * ## Example
 *
 * ```ts
 * import * as fs from "node:fs";
 * import * as os from "node:os";
 * import { Agent37SshKey } from "pulumi-agent37";
 *
 * const deploy = new Agent37SshKey("deploy", {
 *   publicKey: fs.readFileSync(`${os.homedir()}/.ssh/id_ed25519.pub`, "utf8").trim(),
 *   name: "deploy",
 * });
 * export const fingerprint = deploy.fingerprint; // SHA256:..., known at preview
 * ```
 *
 * ## Inputs
 *
 * {@link Agent37SshKeyArgs}: `publicKey` (required, one OpenSSH line), `name`, `adopt`.
 *
 * ## Outputs
 *
 * {@link SshKeyOutputs}: `keyId`, `fingerprint`, `type`, `name`, `created`, `publicKey`.
 * {@link sshKeyFingerprint} computes a line's fingerprint as `ssh-keygen -l` prints it.
 *
 * ## Errors
 *
 * - {@link Agent37SshKeyNotOursError}: the workspace already holds the key and this resource did
 *   not add it; set `adopt: true` to take it over. Nothing is changed.
 * - {@link Agent37SshKeyInitError}: the create's outcome stayed unknown; Pulumi records the key
 *   under its fingerprint and the next `up` finishes it.
 * - {@link errors!InputError} (a `publicKey` that is not one supported OpenSSH line; never
 *   echoed), {@link errors!Agent37ConfigError}, {@link errors!Agent37ApiError} and its
 *   subclasses, {@link errors!Agent37TransportError} and {@link errors!Agent37DeadlineError}, as
 *   for every resource (see {@link errors}).
 *
 * @module ssh-key
 */
export { Agent37SshKey, type Agent37SshKeyArgs, type SshKeyOutputs, Agent37SshKeyNotOursError, Agent37SshKeyInitError } from "../../provider";
// From its module: the index serves it through a getter that loads on first use.
export { sshKeyFingerprint } from "../../provider/ssh-key/fields";
