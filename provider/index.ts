// Public exports of pulumi-agent37. Assembled here only; implementation lives beside it.
// What a program needs to declare resources loads with the package: the resource classes and the
// error classes (real classes, so `instanceof` works), from modules that load no validator. The
// factories, the diff rules and the template helpers are getters that load their module on first
// use (core/lazy.ts), so `require("pulumi-agent37")` does not load every resource's
// implementation with zod (docs/plugin.md, "Start-up"). Each getter is written out as
// `Object.defineProperty(exports, "name", { enumerable: true, get() { return mod.name; } })`, the
// form Node's CommonJS export detection sees, so that ES modules still import them by name.
// First: under an unsupported Node this fails with one line, before any dependency loads.
import "./core/require-node";
import { lazyModule } from "./core/lazy";
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
export { Agent37InitError } from "./instance/errors";
export type { ProviderOptions, ProviderTimings } from "./front/dynamic/instance";
export type { RetryPolicy, RetryDecision } from "./core/retry";
export { Agent37Exec, type Agent37ExecArgs } from "./exec/resource";
export type { HealthStatus } from "./instance/types";
export type { ExecOutputs } from "./exec/types";
export { Agent37ExecError, type ExecPhase } from "./exec/errors";
export type { ExecProviderOptions, VerificationProviderOptions, ConfigurableProvider } from "./front/dynamic/providers";
export type { ExecTimings } from "./exec/types";
export { Agent37Domain, type Agent37DomainArgs } from "./domain/resource";
export type { DomainOutputs } from "./domain/types";
export { Agent37DomainExistsError, Agent37DomainInitError, Agent37DomainNotOursError } from "./domain/errors";
export { Agent37DomainVerification, type Agent37DomainVerificationArgs } from "./domain-verification/resource";
export type { DomainVerificationOutputs as VerificationOutputs } from "./domain-verification/types";
export { Agent37DomainVerificationError } from "./domain-verification/errors";
export type { VerificationTimings } from "./domain-verification/operations";
export { Agent37SshKey, type Agent37SshKeyArgs } from "./ssh-key/resource";
export type { SshKeyOutputs } from "./ssh-key/types";
export { Agent37SshKeyInitError, Agent37SshKeyNotOursError } from "./ssh-key/errors";
export { Agent37File, type Agent37FileArgs } from "./file/resource";
export { Agent37Directory, type Agent37DirectoryArgs } from "./directory/resource";
export type { DirectoryOutputs } from "./directory/types";
export { Agent37DirectoryInitError } from "./directory/errors";
export type { FileOutputs } from "./file/types";
export { Agent37FileExistsError, Agent37FileModifiedError, Agent37InstanceStoppedError, Agent37NotAFileError } from "./file/errors";
export type { ChangeKind, DiffRules, PropertyRule } from "./core/kinds";
export { Agent37Template, type Agent37TemplateArgs, type Agent37TemplateBuildArgs } from "./template/resource";
export type { TemplateOutputs } from "./template/types";
export { Agent37TemplateBuildError, Agent37TemplateInitError } from "./template/errors";
export type { TemplateProviderOptions } from "./front/dynamic/providers";
export type { TemplateTimings } from "./template/build";
export type { TemplateDiff } from "./template/diff";
export type { RollingFleetArgs, RollingFleet } from "./template/rollout";

// Loaded on first use (see the top). Types only here: the getters below load the modules.
/* eslint-disable @typescript-eslint/no-require-imports -- each module loads on its first use, see the top */
import type * as InstanceProviderModule from "./front/dynamic/instance";
import type * as RetryModule from "./core/retry";
import type * as DynamicProvidersModule from "./front/dynamic/providers";
import type * as DomainFieldsModule from "./domain/fields";
import type * as VerificationFieldsModule from "./domain-verification/fields";
import type * as SshKeyFieldsModule from "./ssh-key/fields";
import type * as KindsModule from "./core/kinds";
import type * as TemplateDiffModule from "./template/diff";
import type * as RolloutModule from "./template/rollout";
const instanceProvider = lazyModule(() => require("./front/dynamic/instance") as typeof InstanceProviderModule);
const retry = lazyModule(() => require("./core/retry") as typeof RetryModule);
const dynamicProviders = lazyModule(() => require("./front/dynamic/providers") as typeof DynamicProvidersModule);
const domainFields = lazyModule(() => require("./domain/fields") as typeof DomainFieldsModule);
const verificationFields = lazyModule(() => require("./domain-verification/fields") as typeof VerificationFieldsModule);
const sshKeyFields = lazyModule(() => require("./ssh-key/fields") as typeof SshKeyFieldsModule);
const kinds = lazyModule(() => require("./core/kinds") as typeof KindsModule);
const templateDiff = lazyModule(() => require("./template/diff") as typeof TemplateDiffModule);
const rollout = lazyModule(() => require("./template/rollout") as typeof RolloutModule);
/* eslint-enable @typescript-eslint/no-require-imports */

export declare const createInstanceProvider: typeof InstanceProviderModule.createInstanceProvider;
Object.defineProperty(exports, "createInstanceProvider", { enumerable: true, get() { return instanceProvider.createInstanceProvider; } });
export declare const decideRetry: typeof RetryModule.decideRetry;
Object.defineProperty(exports, "decideRetry", { enumerable: true, get() { return retry.decideRetry; } });
export declare const DEFAULT_RETRY_POLICY: typeof RetryModule.DEFAULT_RETRY_POLICY;
Object.defineProperty(exports, "DEFAULT_RETRY_POLICY", { enumerable: true, get() { return retry.DEFAULT_RETRY_POLICY; } });
export declare const createExecProvider: typeof DynamicProvidersModule.createExecProvider;
Object.defineProperty(exports, "createExecProvider", { enumerable: true, get() { return dynamicProviders.createExecProvider; } });
export declare const createDomainVerificationProvider: typeof DynamicProvidersModule.createDomainVerificationProvider;
Object.defineProperty(exports, "createDomainVerificationProvider", { enumerable: true, get() { return dynamicProviders.createDomainVerificationProvider; } });
export declare const createDirectoryProvider: typeof DynamicProvidersModule.createDirectoryProvider;
Object.defineProperty(exports, "createDirectoryProvider", { enumerable: true, get() { return dynamicProviders.createDirectoryProvider; } });
export declare const createDomainProvider: typeof DynamicProvidersModule.createDomainProvider;
Object.defineProperty(exports, "createDomainProvider", { enumerable: true, get() { return dynamicProviders.createDomainProvider; } });
export declare const createFileProvider: typeof DynamicProvidersModule.createFileProvider;
Object.defineProperty(exports, "createFileProvider", { enumerable: true, get() { return dynamicProviders.createFileProvider; } });
export declare const createSshKeyProvider: typeof DynamicProvidersModule.createSshKeyProvider;
Object.defineProperty(exports, "createSshKeyProvider", { enumerable: true, get() { return dynamicProviders.createSshKeyProvider; } });
export declare const domainChanges: typeof DomainFieldsModule.domainChanges;
Object.defineProperty(exports, "domainChanges", { enumerable: true, get() { return domainFields.domainChanges; } });
export declare const DOMAIN_DIFF_RULES: typeof DomainFieldsModule.DOMAIN_DIFF_RULES;
Object.defineProperty(exports, "DOMAIN_DIFF_RULES", { enumerable: true, get() { return domainFields.DOMAIN_DIFF_RULES; } });
export declare const DOMAIN_STABLE_OUTPUTS: typeof DomainFieldsModule.DOMAIN_STABLE_OUTPUTS;
Object.defineProperty(exports, "DOMAIN_STABLE_OUTPUTS", { enumerable: true, get() { return domainFields.DOMAIN_STABLE_OUTPUTS; } });
export declare const verificationChanges: typeof VerificationFieldsModule.verificationChanges;
Object.defineProperty(exports, "verificationChanges", { enumerable: true, get() { return verificationFields.verificationChanges; } });
export declare const VERIFICATION_DIFF_RULES: typeof VerificationFieldsModule.VERIFICATION_DIFF_RULES;
Object.defineProperty(exports, "VERIFICATION_DIFF_RULES", { enumerable: true, get() { return verificationFields.VERIFICATION_DIFF_RULES; } });
export declare const VERIFICATION_STABLE_OUTPUTS: typeof VerificationFieldsModule.VERIFICATION_STABLE_OUTPUTS;
Object.defineProperty(exports, "VERIFICATION_STABLE_OUTPUTS", { enumerable: true, get() { return verificationFields.VERIFICATION_STABLE_OUTPUTS; } });
export declare const sshKeyChanges: typeof SshKeyFieldsModule.sshKeyChanges;
Object.defineProperty(exports, "sshKeyChanges", { enumerable: true, get() { return sshKeyFields.sshKeyChanges; } });
export declare const sshKeyFingerprint: typeof SshKeyFieldsModule.sshKeyFingerprint;
Object.defineProperty(exports, "sshKeyFingerprint", { enumerable: true, get() { return sshKeyFields.sshKeyFingerprint; } });
export declare const SSH_KEY_DIFF_RULES: typeof SshKeyFieldsModule.SSH_KEY_DIFF_RULES;
Object.defineProperty(exports, "SSH_KEY_DIFF_RULES", { enumerable: true, get() { return sshKeyFields.SSH_KEY_DIFF_RULES; } });
export declare const SSH_KEY_STABLE_OUTPUTS: typeof SshKeyFieldsModule.SSH_KEY_STABLE_OUTPUTS;
Object.defineProperty(exports, "SSH_KEY_STABLE_OUTPUTS", { enumerable: true, get() { return sshKeyFields.SSH_KEY_STABLE_OUTPUTS; } });
export declare const propertyChanges: typeof KindsModule.propertyChanges;
Object.defineProperty(exports, "propertyChanges", { enumerable: true, get() { return kinds.propertyChanges; } });
export declare const createTemplateProvider: typeof DynamicProvidersModule.createTemplateProvider;
Object.defineProperty(exports, "createTemplateProvider", { enumerable: true, get() { return dynamicProviders.createTemplateProvider; } });
export declare const diffTemplate: typeof TemplateDiffModule.diffTemplate;
Object.defineProperty(exports, "diffTemplate", { enumerable: true, get() { return templateDiff.diffTemplate; } });
export declare const templateChanges: typeof TemplateDiffModule.templateChanges;
Object.defineProperty(exports, "templateChanges", { enumerable: true, get() { return templateDiff.templateChanges; } });
export declare const stableOutputs: typeof TemplateDiffModule.stableOutputs;
Object.defineProperty(exports, "stableOutputs", { enumerable: true, get() { return templateDiff.stableOutputs; } });
export declare const plannedOutputs: typeof TemplateDiffModule.plannedOutputs;
Object.defineProperty(exports, "plannedOutputs", { enumerable: true, get() { return templateDiff.plannedOutputs; } });
export declare const TEMPLATE_STABLE_OUTPUTS: typeof TemplateDiffModule.TEMPLATE_STABLE_OUTPUTS;
Object.defineProperty(exports, "TEMPLATE_STABLE_OUTPUTS", { enumerable: true, get() { return templateDiff.TEMPLATE_STABLE_OUTPUTS; } });
export declare const rollingFleet: typeof RolloutModule.rollingFleet;
Object.defineProperty(exports, "rollingFleet", { enumerable: true, get() { return rollout.rollingFleet; } });
