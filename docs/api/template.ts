/**
 * `Agent37Template`: a workspace template from a public image or from a folder Agent37 builds,
 * each new image a new revision; and {@link rollingFleet}, instances that follow its revisions a
 * batch at a time. A whole program: examples/rollout.
 *
 * Import them from `pulumi-agent37`. Type token `pulumi-nodejs:dynamic/agent37:Template`;
 * through the provider plugin, `agent37:index:Template`.
 *
 * ## Example
 *
 * ```ts
 * import { Agent37Instance, Agent37Template } from "pulumi-agent37";
 *
 * const app = new Agent37Template("app", {
 *   name: "my-app",
 *   build: { context: "./app" }, // a folder with a Dockerfile; or imageRef: "ghcr.io/acme/app:1.4.0"
 *   defaultPort: 8000,
 * });
 * const web = new Agent37Instance("web", { template: app.pinned }); // "my-app@1", then "my-app@2", ...
 * export const url = web.url;
 * ```
 *
 * ## Inputs
 *
 * {@link Agent37TemplateArgs} (with {@link Agent37TemplateBuildArgs}): `name` (required; a change
 * replaces), exactly one of `imageRef` and `build`, `description`, `defaultPort`,
 * `adoptExisting`. {@link RollingFleetArgs} for {@link rollingFleet}.
 *
 * ## Outputs
 *
 * {@link TemplateOutputs}: `name`, `revision`, `pinned` (`name@revision`, the value for
 * `Agent37Instance.template`), `imageRef`, `imageDigest`, `defaultPort`, `description`, `build`,
 * `buildId`, `contextHash`. {@link RollingFleet} for {@link rollingFleet}.
 *
 * ## Errors
 *
 * - {@link Agent37TemplateBuildError}: the build ended `failed`; the message carries Agent37's
 *   failure code and the end of the build's log. The template keeps its previous revision.
 * - {@link Agent37TemplateInitError}: the template exists but its build or registration did not
 *   finish; Pulumi keeps it in state and the next `up` resumes it.
 * - {@link errors!InputError}: inputs refused at create or update. (A build context over
 *   Agent37's 100,000,000-byte limit is a `check` failure naming `build.context`; a folder that
 *   changes while it is uploaded fails the operation with a message naming `build.context`.)
 * - {@link errors!Agent37ConfigError}, {@link errors!Agent37ApiError} and its subclasses,
 *   {@link errors!Agent37TransportError}, {@link errors!Agent37TimeoutError} and
 *   {@link errors!Agent37DeadlineError}, as for every resource (see {@link errors}).
 * - The instances of {@link rollingFleet} raise what {@link instance!Agent37Instance} raises:
 *   a batch whose readiness gate fails stops the rollout there.
 *
 * @module template
 */
export { Agent37Template, type Agent37TemplateArgs, type Agent37TemplateBuildArgs, type TemplateOutputs, Agent37TemplateBuildError, Agent37TemplateInitError } from "../../provider";
export { type RollingFleetArgs, type RollingFleet } from "../../provider";
// From its module: the index serves it through a getter that loads on first use.
export { rollingFleet } from "../../provider/template/rollout";
