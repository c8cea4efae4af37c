// Generated from provider/domain/fields.ts by scripts/gen-resources.ts: do not edit; a test fails when it drifts.
// The Agent37Domain resource class users write in their programs.
import type * as pulumi from "@pulumi/pulumi";
import { DeclaredResource, declaredProps, type OutputProperties } from "../core/declared-resource";
import type { DomainOutputs } from "./types";

/** Inputs of {@link Agent37Domain}. */
export interface Agent37DomainArgs {
  /**
   * The apex domain to delegate to Agent37 (`acme-agents.com`: a name registered under a public
   * suffix, not a subdomain, not an IP address, not under agent37.app or agent37.com). Recorded
   * lowercased. A change replaces the resource.
   */
  domain: pulumi.Input<string>;
  /**
   * Take over the domain when the workspace already holds it (another stack's, added by hand, or
   * left by an interrupted update) instead of failing. Without it, the resource never takes over or
   * deletes a domain it did not add; once taken over, destroying the resource deletes the domain.
   * Read only at create.
   */
  adopt?: pulumi.Input<boolean>;
}

const OUTPUT_KEYS = ["status", "nameservers", "dnsName", "created"] as const;

/**
 * A custom domain of the workspace, never one it did not add unless `adopt` is set. Its outputs are
 * known as soon as it is created: point the domain's NS records (`dnsName`) at `nameservers` with
 * your DNS provider, then let a DomainVerification wait until Agent37 sees them. The resource id is
 * the domain. Needs top-ups totalling $100 on the workspace.
 */
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging -- its outputs are the interface's (below), set by Pulumi's constructor
export class Agent37Domain extends DeclaredResource {
  constructor(name: string, args: Agent37DomainArgs, opts: pulumi.CustomResourceOptions = {}) {
    super("Domain", "domainProvider", name, declaredProps(args, ["domain", "adopt"], OUTPUT_KEYS), opts);
  }
}

// Its outputs, as properties (see core/declared-resource.ts): Pulumi's constructor sets them.
// eslint-disable-next-line @typescript-eslint/no-empty-object-type, @typescript-eslint/no-unsafe-declaration-merging -- its members are the merged ones
export interface Agent37Domain extends OutputProperties<DomainOutputs> {}
