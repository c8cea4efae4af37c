/**
 * `Agent37DomainVerification`: the wait until Agent37 sees a domain's delegation (it polls
 * `POST /v1/domains/{domain}/verify` with backoff). Kept apart from
 * {@link domain!Agent37Domain} so that your DNS provider's NS records sit between the two.
 *
 * Import it from `pulumi-agent37`. Type token
 * `pulumi-nodejs:dynamic/agent37:DomainVerification`; through the provider plugin,
 * `agent37:index:DomainVerification`.
 *
 * ## Example
 *
 * ```ts
 * import * as pulumi from "@pulumi/pulumi";
 * import { Agent37Domain, Agent37DomainVerification, Agent37Instance } from "pulumi-agent37";
 *
 * declare const nsRecords: pulumi.Resource; // your registrar's NS records, naming domain.nameservers
 *
 * const domain = new Agent37Domain("brand", { domain: "acme-agents.com" });
 * const verified = new Agent37DomainVerification("brand-verified", { domain: domain.domain }, { dependsOn: [nsRecords] });
 * const agent = new Agent37Instance("agent", { template: "agent37-hermes" }, { dependsOn: [verified] });
 * export const mirror = agent.domainUrls; // ["https://<id>.acme-agents.com"]
 * ```
 *
 * ## Inputs
 *
 * {@link Agent37DomainVerificationArgs}: `domain` (required; usually the domain resource's
 * `domain` output; a change replaces) and `timeoutSeconds` (default 3600: how long one create
 * waits).
 *
 * ## Outputs
 *
 * {@link VerificationOutputs}: `domain`, `status` (`active` after create), `timeoutSeconds`.
 *
 * ## Errors
 *
 * - {@link Agent37DomainVerificationError}: the domain stayed `pending` for the whole
 *   `timeoutSeconds`; the message names the nameservers its NS records must name. Nothing is
 *   recorded, and the next `up` waits again.
 * - {@link errors!NotFoundError}: the domain is not in the workspace.
 * - {@link errors!InputError}, {@link errors!Agent37ConfigError}, {@link errors!Agent37ApiError}
 *   and its subclasses, {@link errors!Agent37TransportError} and
 *   {@link errors!Agent37DeadlineError}, as for every resource (see {@link errors}).
 *
 * @module domain-verification
 */
export { Agent37DomainVerification, type Agent37DomainVerificationArgs, type VerificationOutputs, Agent37DomainVerificationError } from "../../provider";
