// Providers with explicit options for the seam resources (tests, embedding); the host uses the
// entries of `pulumi-agent37/dynamic` instead.
import type { ConnectionOptions } from "../../core/connection";
import { domainResource } from "../../domain/operations";
import type { DomainInputs, DomainOutputs } from "../../domain/types";
import { sshKeyResource } from "../../ssh-key/operations";
import type { SshKeyInputs, SshKeyOutputs } from "../../ssh-key/types";
import { DynamicAdapter } from "./adapter";

/** A provider with explicit options (tests, embedding). The host uses `sshKeyProvider()`. */
export function createSshKeyProvider(options?: ConnectionOptions): DynamicAdapter<SshKeyInputs, SshKeyOutputs> {
  return new DynamicAdapter(sshKeyResource, options);
}

/** A provider with explicit options (tests, embedding). The host uses `domainProvider()`. */
export function createDomainProvider(options?: ConnectionOptions): DynamicAdapter<DomainInputs, DomainOutputs> {
  return new DynamicAdapter(domainResource, options);
}
