// The Agent37Domain resource class users write in their programs.
import * as pulumi from "@pulumi/pulumi";
import { thinProvider } from "../core/serialized";

// Captures nothing but the name of the implementation entry: see core/serialized.ts.
const serializedProvider = thinProvider("domainProvider");

/** Inputs of {@link Agent37Domain}. */
export interface Agent37DomainArgs {
  /**
   * The apex domain to delegate to Agent37 (`acme-agents.com`; not a subdomain, not under
   * agent37.app or agent37.com). Recorded lowercased. A change replaces the resource.
   */
  domain: pulumi.Input<string>;
  /**
   * Take over the domain when the workspace already holds it (another stack's, added by hand, or
   * left by an interrupted `pulumi up` of this resource) instead of failing. Without it, a create
   * that finds the domain already there fails and changes nothing: the resource never takes over
   * or deletes a domain it did not add. Once taken over, destroying the resource deletes the
   * domain. Read only at create: a change is no diff.
   */
  adopt?: pulumi.Input<boolean>;
}

const OUTPUT_KEYS = ["status", "nameservers", "dnsName", "created"] as const;

/**
 * A custom domain of the workspace (`POST /v1/domains`). Its outputs are known as soon as it is
 * created: point the domain's NS records (`dnsName`) at `nameservers` with your DNS provider's
 * record resource, then let an {@link Agent37DomainVerification} wait until Agent37 sees them.
 * The resource id is the domain. Needs top-ups totalling $100 on the workspace.
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
  /** Epoch seconds. */
  declare readonly created: pulumi.Output<number | null>;

  constructor(name: string, args: Agent37DomainArgs, opts: pulumi.CustomResourceOptions = {}) {
    const props: Record<string, unknown> = { domain: args.domain, adopt: args.adopt };
    for (const key of OUTPUT_KEYS) props[key] = undefined;
    super(serializedProvider, name, props, opts, "agent37", "Domain");
  }
}
