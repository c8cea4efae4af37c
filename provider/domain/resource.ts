// Generated from provider/domain/fields.ts by scripts/gen-resources.ts: do not edit; a test fails when it drifts.
// The Agent37Domain resource class users write in their programs.
import * as pulumi from "@pulumi/pulumi";
import { thinProvider } from "../core/serialized";
import { pauseStackTraces } from "../core/stack-traces";

// Captures nothing but the name of the implementation entry: see core/serialized.ts.
const serializedProvider = thinProvider("domainProvider");

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
export class Agent37Domain extends pulumi.dynamic.Resource {
  /** The domain, lowercased. */
  declare readonly domain: pulumi.Output<string>;
  /** `pending` at create; `active` once verified (a refresh shows the change). */
  declare readonly status: pulumi.Output<string>;
  /** The two nameservers the domain's NS records must name. */
  declare readonly nameservers: pulumi.Output<string[]>;
  /** The record name of those NS records (the domain itself). */
  declare readonly dnsName: pulumi.Output<string>;
  /** Creation time, epoch seconds. */
  declare readonly created: pulumi.Output<number | null>;

  constructor(name: string, args: Agent37DomainArgs, opts: pulumi.CustomResourceOptions = {}) {
    const props: Record<string, unknown> = { domain: args.domain, adopt: args.adopt };
    for (const key of OUTPUT_KEYS) props[key] = undefined;
    // Without Pulumi's per-property stack traces: see core/stack-traces.ts.
    const resume = pauseStackTraces();
    try {
      super(serializedProvider, name, props, opts, "agent37", "Domain");
    } catch (error) {
      throw resume(error);
    } finally {
      resume();
    }
  }
}
