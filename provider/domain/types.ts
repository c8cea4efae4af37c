// Generated from provider/domain/fields.ts by scripts/gen-resources.ts: do not edit; a test fails when it drifts.
// The plain values Agent37Domain's operations take and give.

/** The inputs of Agent37Domain, as check validated them. */
export interface DomainInputs {
  /**
   * The apex domain to delegate to Agent37 (`acme-agents.com`: a name registered under a public
   * suffix, not a subdomain, not an IP address, not under agent37.app or agent37.com). Recorded
   * lowercased. A change replaces the resource.
   */
  domain: string;
  /**
   * Take over the domain when the workspace already holds it (another stack's, added by hand, or
   * left by an interrupted update) instead of failing. Without it, the resource never takes over or
   * deletes a domain it did not add; once taken over, destroying the resource deletes the domain.
   * Read only at create.
   */
  adopt?: boolean;
}

/** What an Agent37Domain resolves to. */
export interface DomainOutputs {
  /** The domain, lowercased. */
  domain: string;
  /** `pending` at create; `active` once verified (a refresh shows the change). */
  status: string;
  /** The two nameservers the domain's NS records must name. */
  nameservers: string[];
  /** The record name of those NS records (the domain itself). */
  dnsName: string;
  /** Creation time, epoch seconds. */
  created: number | null;
}
