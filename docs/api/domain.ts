/**
 * `Agent37Domain`: an apex domain added to the workspace, delegated to Agent37 by NS records.
 * Its outputs (`nameservers`, `dnsName`) are known right after create, so a DNS record resource
 * can consume them; {@link domain-verification!Agent37DomainVerification} then waits until
 * Agent37 sees the delegation. A whole program: examples/domain.
 *
 * Import it from `pulumi-agent37`. Type token `pulumi-nodejs:dynamic/agent37:Domain`; through
 * the provider plugin, `agent37:index:Domain`.
 *
 * ## Example
 *
 * ```ts
 * import { Agent37Domain } from "pulumi-agent37";
 *
 * const domain = new Agent37Domain("brand", { domain: "acme-agents.com" });
 * export const nameservers = domain.nameservers; // the NS records your registrar must hold
 * export const dnsName = domain.dnsName;
 * ```
 *
 * ## Inputs
 *
 * {@link Agent37DomainArgs}: `domain` (required, an apex name; a change replaces) and `adopt`
 * (take over a domain the workspace already holds).
 *
 * ## Outputs
 *
 * {@link DomainOutputs}: `domain`, `status`, `nameservers`, `dnsName`, `created`.
 *
 * ## Errors
 *
 * - {@link Agent37DomainNotOursError}: the workspace already holds the domain and this resource
 *   did not add it; set `adopt: true` to take it over. Nothing is changed.
 * - {@link Agent37DomainExistsError}: another workspace holds the domain.
 * - {@link Agent37DomainInitError}: the create's outcome stayed unknown; Pulumi records the
 *   domain and the next `up` finishes it.
 * - {@link errors!TierLimitError}: custom domains need top-ups totalling $100 on the workspace.
 * - {@link errors!InputError}, {@link errors!Agent37ConfigError}, {@link errors!Agent37ApiError}
 *   and its subclasses, {@link errors!Agent37TransportError} and
 *   {@link errors!Agent37DeadlineError}, as for every resource (see {@link errors}).
 *
 * @module domain
 */
export { Agent37Domain, type Agent37DomainArgs, type DomainOutputs, Agent37DomainNotOursError, Agent37DomainExistsError, Agent37DomainInitError } from "../../provider";
