// The stable entry that serialized providers load by package name:
// `require("pulumi-agent37/dynamic").instanceProvider()`. State written by any version of the
// package calls exactly this; keep the name and the signature.
// First: under an unsupported Node this fails with one line, before any dependency loads.
import "./core/require-node";
import type * as pulumi from "@pulumi/pulumi";
import { watchDynamicHostCalls } from "./core/engine-call";
import type { DynamicAdapter } from "./front/dynamic/adapter";
import type { Resource } from "./core/resource";
import type { Agent37InstanceProvider } from "./front/dynamic/instance";
import type { Agent37TemplateProvider } from "./template/provider";

// Each implementation loads on its entry's first call: the provider host of a stack with only
// instances never loads the code of templates, domains, keys or commands (docs/bench.md).
/* eslint-disable @typescript-eslint/no-require-imports -- loaded on first use, see above */

/** The dynamic door's adapter over a seam resource (core/resource.ts), loaded with its module. */
function seam<I, O>(resource: Resource<I, O>): DynamicAdapter<unknown, unknown> {
  const { DynamicAdapter: Adapter } = require("./front/dynamic/adapter") as typeof import("./front/dynamic/adapter");
  return new Adapter(resource) as unknown as DynamicAdapter<unknown, unknown>;
}

let instance: Agent37InstanceProvider | undefined;

/**
 * The process-wide implementation of `pulumi.dynamic.ResourceProvider` for Agent37Instance.
 * One per process: the host configures it (once per serialized provider string, all with the
 * same stack config) and every resource shares its client and caches.
 */
export function instanceProvider(): pulumi.dynamic.ResourceProvider {
  // A create whose caller went away keeps its pending-create marker (create-token.ts), and a
  // wait shows what it waits for (core/progress.ts): the host's calls are watched for both from
  // the first use of a provider on.
  watchDynamicHostCalls();
  instance ??= new (require("./front/dynamic/instance") as typeof import("./front/dynamic/instance")).Agent37InstanceProvider();
  return instance;
}

let exec: DynamicAdapter<unknown, unknown> | undefined;

/** The process-wide implementation of `pulumi.dynamic.ResourceProvider` for Agent37Exec. */
export function execProvider(): pulumi.dynamic.ResourceProvider {
  watchDynamicHostCalls();
  exec ??= seam((require("./exec/operations") as typeof import("./exec/operations")).execResource);
  return exec;
}

let domain: DynamicAdapter<unknown, unknown> | undefined;

/** The process-wide implementation of `pulumi.dynamic.ResourceProvider` for Agent37Domain. */
export function domainProvider(): pulumi.dynamic.ResourceProvider {
  watchDynamicHostCalls();
  domain ??= seam((require("./domain/operations") as typeof import("./domain/operations")).domainResource);
  return domain;
}

let domainVerification: DynamicAdapter<unknown, unknown> | undefined;

/** The process-wide implementation of `pulumi.dynamic.ResourceProvider` for Agent37DomainVerification. */
export function domainVerificationProvider(): pulumi.dynamic.ResourceProvider {
  watchDynamicHostCalls();
  domainVerification ??= seam((require("./domain-verification/operations") as typeof import("./domain-verification/operations")).domainVerificationResource);
  return domainVerification;
}

let sshKey: DynamicAdapter<unknown, unknown> | undefined;

/** The process-wide implementation of `pulumi.dynamic.ResourceProvider` for Agent37SshKey. */
export function sshKeyProvider(): pulumi.dynamic.ResourceProvider {
  watchDynamicHostCalls();
  sshKey ??= seam((require("./ssh-key/operations") as typeof import("./ssh-key/operations")).sshKeyResource);
  return sshKey;
}

let template: Agent37TemplateProvider | undefined;

/** The process-wide implementation of `pulumi.dynamic.ResourceProvider` for Agent37Template. */
export function templateProvider(): pulumi.dynamic.ResourceProvider {
  watchDynamicHostCalls();
  template ??= new (require("./template/provider") as typeof import("./template/provider")).Agent37TemplateProvider();
  return template;
}

let file: DynamicAdapter<unknown, unknown> | undefined;

/** The process-wide implementation of `pulumi.dynamic.ResourceProvider` for Agent37File. */
export function fileProvider(): pulumi.dynamic.ResourceProvider {
  watchDynamicHostCalls();
  file ??= seam((require("./file/operations") as typeof import("./file/operations")).fileResource);
  return file;
}

let directory: DynamicAdapter<unknown, unknown> | undefined;

/** The process-wide implementation of `pulumi.dynamic.ResourceProvider` for Agent37Directory. */
export function directoryProvider(): pulumi.dynamic.ResourceProvider {
  watchDynamicHostCalls();
  directory ??= seam((require("./directory/operations") as typeof import("./directory/operations")).directoryResource);
  return directory;
}
