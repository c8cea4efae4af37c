// Providers with explicit options for the seam resources (tests, embedding); the host uses the
// entries of `pulumi-agent37/dynamic` instead. Typed as the dynamic provider they are, so the
// public types name neither the adapter nor the declaration (whose rules are zod schemas).
import type * as pulumi from "@pulumi/pulumi";
import type { ConnectionOptions } from "../../core/connection";
import type { Resource } from "../../core/resource";
import { directoryResource } from "../../directory/operations";
import { domainResource } from "../../domain/operations";
import { verificationResource, type VerificationTimings } from "../../domain-verification/operations";
import { execResourceWith } from "../../exec/operations";
import type { ExecTimings } from "../../exec/types";
import { fileResource } from "../../file/operations";
import { sshKeyResource } from "../../ssh-key/operations";
import type { TemplateTimings } from "../../template/build";
import { templateResourceWith } from "../../template/operations";
import { DynamicAdapter } from "./adapter";

/** A configurable `pulumi.dynamic.ResourceProvider` of one resource. */
export type ConfigurableProvider = pulumi.dynamic.ResourceProvider & { configure(req: pulumi.dynamic.ConfigureRequest): Promise<void> };

/** The provider of a resource whose waits tests shorten: `timings` go to the resource, the rest to the connection. */
function timedProvider<T, I, O>(resourceWith: (timings?: Partial<T>) => Resource<I, O>, options: ConnectionOptions & { timings?: Partial<T> }): DynamicAdapter<I, O> {
  const { timings, ...connection } = options;
  return new DynamicAdapter(resourceWith(timings), connection);
}

/** A provider with explicit options (tests, embedding). The host uses `sshKeyProvider()`. */
export function createSshKeyProvider(options?: ConnectionOptions): ConfigurableProvider {
  return new DynamicAdapter(sshKeyResource, options);
}

/** A provider with explicit options (tests, embedding). The host uses `domainProvider()`. */
export function createDomainProvider(options?: ConnectionOptions): ConfigurableProvider {
  return new DynamicAdapter(domainResource, options);
}

export interface VerificationProviderOptions extends ConnectionOptions {
  timings?: Partial<VerificationTimings>;
}

/** A provider with explicit options (tests, embedding). The host uses `domainVerificationProvider()`. */
export function createDomainVerificationProvider(options: VerificationProviderOptions = {}): ConfigurableProvider {
  return timedProvider(verificationResource, options);
}

export interface ExecProviderOptions extends ConnectionOptions {
  /** How Agent37Exec waits for its instance to run (tests shorten it). */
  timings?: Partial<ExecTimings>;
}

/** A provider with explicit options (tests, embedding). The host uses `execProvider()`. */
export function createExecProvider(options: ExecProviderOptions = {}): ConfigurableProvider {
  return timedProvider(execResourceWith, options);
}

/** A provider with explicit options (tests, embedding). The host uses `fileProvider()`. */
export function createFileProvider(options?: ConnectionOptions): ConfigurableProvider {
  return new DynamicAdapter(fileResource, options);
}

/** A provider with explicit options (tests, embedding). The host uses `directoryProvider()`. */
export function createDirectoryProvider(options?: ConnectionOptions): ConfigurableProvider {
  return new DynamicAdapter(directoryResource, options);
}

export interface TemplateProviderOptions extends ConnectionOptions {
  /** How a build is waited for (tests shorten it). */
  timings?: Partial<TemplateTimings>;
}

/** The provider `createTemplateProvider` returns: every operation, updates in place included. */
export type Agent37TemplateProvider = ConfigurableProvider & Required<Pick<pulumi.dynamic.ResourceProvider, "check" | "diff" | "create" | "read" | "update" | "delete">>;

/** A provider with explicit options (tests, embedding). The host uses `templateProvider()`. */
export function createTemplateProvider(options: TemplateProviderOptions = {}): Agent37TemplateProvider {
  return timedProvider(templateResourceWith, options);
}
