// The stable entry that serialized providers load by package name:
// `require("pulumi-agent37/dynamic").instanceProvider()`. State written by any version of the
// package calls exactly this; keep the name and the signature.
// First: under an unsupported Node this fails with one line, before any dependency loads.
import "./core/require-node";
import type * as pulumi from "@pulumi/pulumi";
import { watchDynamicHostCalls } from "./core/engine-call";
import type { DynamicAdapter } from "./front/dynamic/adapter";
import type { Resource } from "./core/resource";
import type { ProviderEntry } from "./core/serialized";

// Each implementation loads on its entry's first call: the provider host of a stack with only
// instances never loads the code of templates, domains, keys or commands (docs/bench.md).
/* eslint-disable @typescript-eslint/no-require-imports -- loaded on first use, see above */

/** The dynamic door's adapter over a seam resource (core/resource.ts), loaded with its module. */
function seam<I, O>(resource: Resource<I, O>): pulumi.dynamic.ResourceProvider {
  const { DynamicAdapter: Adapter } = require("./front/dynamic/adapter") as typeof import("./front/dynamic/adapter");
  return new Adapter(resource) as DynamicAdapter<I, O>;
}

/** How each entry makes its implementation: one line a resource. */
const IMPLEMENTATIONS: Record<ProviderEntry, () => pulumi.dynamic.ResourceProvider> = {
  instanceProvider: () => (require("./front/dynamic/instance") as typeof import("./front/dynamic/instance")).createInstanceProvider(),
  execProvider: () => seam((require("./exec/operations") as typeof import("./exec/operations")).execResource),
  domainProvider: () => seam((require("./domain/operations") as typeof import("./domain/operations")).domainResource),
  domainVerificationProvider: () => seam((require("./domain-verification/operations") as typeof import("./domain-verification/operations")).domainVerificationResource),
  sshKeyProvider: () => seam((require("./ssh-key/operations") as typeof import("./ssh-key/operations")).sshKeyResource),
  templateProvider: () => seam((require("./template/operations") as typeof import("./template/operations")).templateResource),
  fileProvider: () => seam((require("./file/operations") as typeof import("./file/operations")).fileResource),
  directoryProvider: () => seam((require("./directory/operations") as typeof import("./directory/operations")).directoryResource),
};

const made = new Map<ProviderEntry, pulumi.dynamic.ResourceProvider>();

/**
 * An entry: the process-wide implementation of `pulumi.dynamic.ResourceProvider` of one resource.
 * One per process: the host configures it (once per serialized provider string, all with the
 * same stack config) and every resource of that type shares its client and caches.
 */
function entry(name: ProviderEntry): () => pulumi.dynamic.ResourceProvider {
  return () => {
    // A create whose caller went away keeps its pending-create marker (instance/create-token.ts),
    // and a wait shows what it waits for (core/progress.ts): the host's calls are watched for both
    // from the first use of a provider on.
    watchDynamicHostCalls();
    let impl = made.get(name);
    if (impl === undefined) made.set(name, (impl = IMPLEMENTATIONS[name]()));
    return impl;
  };
}

/** Agent37Instance's implementation. */
export const instanceProvider = entry("instanceProvider");
/** Agent37Exec's implementation. */
export const execProvider = entry("execProvider");
/** Agent37Domain's implementation. */
export const domainProvider = entry("domainProvider");
/** Agent37DomainVerification's implementation. */
export const domainVerificationProvider = entry("domainVerificationProvider");
/** Agent37SshKey's implementation. */
export const sshKeyProvider = entry("sshKeyProvider");
/** Agent37Template's implementation. */
export const templateProvider = entry("templateProvider");
/** Agent37File's implementation. */
export const fileProvider = entry("fileProvider");
/** Agent37Directory's implementation. */
export const directoryProvider = entry("directoryProvider");
