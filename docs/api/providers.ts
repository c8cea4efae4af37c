// The value exports name their source modules: the package index serves them through getters
// that load on first use (provider/core/lazy.ts), which the reference cannot follow.
/**
 * The providers behind the resources, and their diff rules as data: for code that runs a
 * provider itself (a test, a custom front door) or needs to know what a change does before
 * Pulumi says so. A program declaring resources needs none of this.
 *
 * Import them from `pulumi-agent37`.
 *
 * ## Example
 *
 * ```ts
 * import { createInstanceProvider, domainChanges } from "pulumi-agent37";
 *
 * // A provider with its own settings instead of the stack's agent37:* config.
 * const provider = createInstanceProvider({ settings: { apiKey: process.env.AGENT37_API_KEY, apiUrl: "http://127.0.0.1:4737" } });
 * // What a change of each input of an Agent37Domain does: { domain: "replace" }.
 * const kinds = domainChanges({ domain: "acme.com" }, { domain: "acme-agents.com" });
 * ```
 *
 * ## Errors
 *
 * A provider raises what its resource raises: see that resource's page and {@link errors}.
 *
 * @module providers
 */
export { PACKAGE_NAME, type ProviderOptions, type ProviderTimings } from "../../provider";
export { createInstanceProvider } from "../../provider/front/dynamic/instance";
export { type RetryPolicy, type RetryDecision } from "../../provider";
export { decideRetry, DEFAULT_RETRY_POLICY } from "../../provider/core/retry";
export { type ExecProviderOptions, type ExecTimings } from "../../provider";
export { createExecProvider } from "../../provider/front/dynamic/providers";
export { type ConfigurableProvider } from "../../provider";
export { createDomainProvider } from "../../provider/front/dynamic/providers";
export { domainChanges, DOMAIN_DIFF_RULES, DOMAIN_STABLE_OUTPUTS } from "../../provider/domain/fields";
export { type VerificationProviderOptions, type VerificationTimings } from "../../provider";
export { createDomainVerificationProvider } from "../../provider/front/dynamic/providers";
export { verificationChanges, VERIFICATION_DIFF_RULES, VERIFICATION_STABLE_OUTPUTS } from "../../provider/domain-verification/fields";
export { createSshKeyProvider } from "../../provider/front/dynamic/providers";
export { sshKeyChanges, SSH_KEY_DIFF_RULES, SSH_KEY_STABLE_OUTPUTS } from "../../provider/ssh-key/fields";
export { type ChangeKind, type DiffRules, type PropertyRule } from "../../provider";
export { propertyChanges } from "../../provider/core/kinds";
export { type TemplateProviderOptions, type TemplateTimings } from "../../provider";
export { createTemplateProvider } from "../../provider/front/dynamic/providers";
export { type TemplateDiff } from "../../provider";
export { diffTemplate, templateChanges, stableOutputs, plannedOutputs, TEMPLATE_STABLE_OUTPUTS } from "../../provider/template/diff";
export { createFileProvider } from "../../provider/front/dynamic/providers";
export { createDirectoryProvider } from "../../provider/front/dynamic/providers";
