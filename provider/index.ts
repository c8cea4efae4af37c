// Public exports of pulumi-agent37. Assembled here only; implementation lives beside it.
// First: under an unsupported Node this fails with one line, before any dependency loads.
import "./core/require-node";
export const PACKAGE_NAME = "pulumi-agent37";
export { Agent37Instance, type Agent37InstanceArgs } from "./instance/resource";
export type {
  InstanceOutputs,
  PortOutput,
  PublicPortOutput,
  HealthOutput,
  StatusReasonOutput,
  BudgetOutput,
  HealthCheckOutput,
} from "./instance/types";
export {
  Agent37Error,
  Agent37ResourceInitError,
  Agent37ApiError,
  Agent37TransportError,
  Agent37TimeoutError,
  Agent37DeadlineError,
  Agent37SchemaError,
  Agent37ConfigError,
  Agent37StateError,
  Agent37HealthTimeoutError,
  InvalidApiKeyError,
  IpNotAllowedError,
  InvalidRequestError,
  ForbiddenError,
  NotFoundError,
  InsufficientBalanceError,
  InstanceLimitReachedError,
  TierLimitError,
  SharedUnavailableError,
  CapacityUnavailableError,
  TryAgainError,
  NoCapacityError,
  ProvisioningFailedError,
  PublicPortExistsError,
  RateLimitedError,
} from "./core/errors";
export { InputError, type CheckFailure, type SecretValue } from "./core/check";
export { Agent37InitError, createInstanceProvider, type ProviderOptions, type ProviderTimings } from "./front/dynamic/instance";
export { decideRetry, DEFAULT_RETRY_POLICY, type RetryPolicy, type RetryDecision } from "./core/retry";
export { Agent37Exec, type Agent37ExecArgs } from "./exec/resource";
export type { HealthStatus } from "./instance/types";
export type { ExecOutputs } from "./exec/types";
export { Agent37ExecError, type ExecPhase } from "./exec/errors";
export { createExecProvider, type ExecProviderOptions } from "./front/dynamic/providers";
export type { ExecTimings } from "./exec/types";
export { Agent37Domain, type Agent37DomainArgs } from "./domain/resource";
export type { DomainOutputs } from "./domain/types";
export { Agent37DomainExistsError, Agent37DomainInitError, Agent37DomainNotOursError } from "./domain/errors";
export { domainChanges, DOMAIN_DIFF_RULES, DOMAIN_STABLE_OUTPUTS } from "./domain/fields";
export { Agent37DomainVerification, type Agent37DomainVerificationArgs } from "./domain-verification/resource";
export type { DomainVerificationOutputs as VerificationOutputs } from "./domain-verification/types";
export { Agent37DomainVerificationError } from "./domain-verification/errors";
export type { VerificationTimings } from "./domain-verification/operations";
export { createDomainVerificationProvider, type VerificationProviderOptions } from "./front/dynamic/providers";
export { verificationChanges, VERIFICATION_DIFF_RULES, VERIFICATION_STABLE_OUTPUTS } from "./domain-verification/fields";
export { Agent37SshKey, type Agent37SshKeyArgs } from "./ssh-key/resource";
export type { SshKeyOutputs } from "./ssh-key/types";
export { Agent37SshKeyInitError, Agent37SshKeyNotOursError } from "./ssh-key/errors";
export { createDirectoryProvider, createDomainProvider, createFileProvider, createSshKeyProvider, type ConfigurableProvider } from "./front/dynamic/providers";
export { Agent37File, type Agent37FileArgs } from "./file/resource";
export { Agent37Directory, type Agent37DirectoryArgs } from "./directory/resource";
export type { DirectoryOutputs } from "./directory/types";
export { Agent37DirectoryInitError } from "./directory/errors";
export type { FileOutputs } from "./file/types";
export { Agent37FileExistsError, Agent37FileModifiedError, Agent37InstanceStoppedError, Agent37NotAFileError } from "./file/errors";
export { sshKeyChanges, sshKeyFingerprint, SSH_KEY_DIFF_RULES, SSH_KEY_STABLE_OUTPUTS } from "./ssh-key/fields";
export { propertyChanges, type ChangeKind, type DiffRules, type PropertyRule } from "./core/kinds";
export { Agent37Template, type Agent37TemplateArgs, type Agent37TemplateBuildArgs } from "./template/resource";
export type { TemplateOutputs } from "./template/types";
export { Agent37TemplateBuildError, Agent37TemplateInitError } from "./template/errors";
export { createTemplateProvider, type TemplateProviderOptions, type TemplateTimings } from "./template/provider";
export { diffTemplate, templateChanges, stableOutputs, plannedOutputs, TEMPLATE_STABLE_OUTPUTS, type TemplateDiff } from "./template/diff";
export { rollingFleet, type RollingFleetArgs, type RollingFleet } from "./template/rollout";
