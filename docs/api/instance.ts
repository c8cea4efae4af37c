/**
 * `Agent37Instance`: one Agent37 instance, created and updated in place, its outputs resolved
 * only once what runs in it is ready.
 *
 * Import it from `pulumi-agent37`. Type token `pulumi-nodejs:dynamic/agent37:Instance`; through
 * the provider plugin, `agent37:index:Instance`.
 *
 * ## Example
 *
 * ```ts
 * import { Agent37Instance } from "pulumi-agent37";
 *
 * const agent = new Agent37Instance("support-bot", {
 *   template: "agent37-hermes",
 *   resources: { cpu: 2, memory: 4 },
 *   name: "support-bot",
 *   env: { SUPPORT_QUEUE: "tier-1" },
 *   ports: [9119],
 * });
 * export const url = agent.url;                    // https://<id>.agent37.app
 * export const dashboard = agent.urlForPort(9119); // per-port URL
 * ```
 *
 * ## Inputs
 *
 * {@link Agent37InstanceArgs}: every input is optional; one left out is not managed. Which
 * change updates in place and which replaces is listed on each input and in the README's
 * "Inputs reference".
 *
 * ## Outputs
 *
 * The resource's {@link Agent37Instance} properties, the same as {@link InstanceOutputs}
 * (with {@link PortOutput}, {@link PublicPortOutput}, {@link HealthOutput},
 * {@link StatusReasonOutput}, {@link BudgetOutput} and {@link HealthCheckOutput}).
 *
 * ## Errors
 *
 * In a program, an error reaches you as the message of the failed step of `pulumi up`; the
 * classes tell code that runs the provider itself ({@link providers!createInstanceProvider})
 * what happened:
 *
 * - {@link errors!InputError}: inputs refused at create or update (a preview's `check` reports the same
 *   rules as failures, {@link errors!CheckFailure}).
 * - {@link Agent37InitError}: the instance exists but did not turn ready; Pulumi keeps it in state
 *   ("created but failed to initialize") and the next `up` resumes it. Its cause is one of:
 * - {@link Agent37HealthTimeoutError}: the readiness gate ran out of `health.timeoutSeconds`.
 * - {@link Agent37StateError}: the instance stopped, failed or was deleted while waited for.
 * - {@link errors!Agent37ConfigError}: no API key, or a key that cannot go into a header.
 * - {@link errors!Agent37ApiError} and its subclasses, chosen by Agent37's error code
 *   ({@link errors!InvalidApiKeyError}, {@link errors!InsufficientBalanceError},
 *   {@link errors!InstanceLimitReachedError}, {@link errors!SharedUnavailableError},
 *   {@link errors!CapacityUnavailableError}, {@link errors!NoCapacityError},
 *   {@link errors!ProvisioningFailedError}, {@link errors!PublicPortExistsError},
 *   {@link errors!RateLimitedError}, ...), once retries are spent.
 * - {@link errors!Agent37TransportError}, {@link errors!Agent37TimeoutError} and
 *   {@link errors!Agent37DeadlineError}: no answer, or none in time.
 * - {@link errors!Agent37SchemaError}: an answer not of the documented shape.
 * - A create whose answer was lost and whose instance list could not be read either ("the
 *   create may have made the instance ..."): run `pulumi up` again; the next create finds that
 *   instance first.
 *
 * @module instance
 */
export { Agent37Instance, type Agent37InstanceArgs } from "../../provider";
export type { InstanceOutputs, PortOutput, PublicPortOutput, HealthOutput, StatusReasonOutput, BudgetOutput, HealthStatus, HealthCheckOutput } from "../../provider";
export { Agent37InitError, Agent37HealthTimeoutError, Agent37StateError } from "../../provider";
