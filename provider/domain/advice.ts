// What to do about the codes a domain call meets. Apart from api.ts, which loads the validator:
// the domain's and the verification's error classes load with `pulumi-agent37` (provider/index.ts)
// and word their messages with this.

/** What to do about the codes a domain call meets (the instance-centred advice would mislead). */
export const DOMAIN_ADVICE: Readonly<Record<string, string>> = {
  tier_limit: "Custom domains need top-ups totalling at least $100 on the workspace: top up in the Agent37 dashboard, then run the Pulumi command again.",
  domain_exists: "Another workspace holds this domain: delete it there or declare another domain, then run the Pulumi command again.",
  invalid_request:
    "Agent37 refused the domain: declare the apex domain (acme.com, not www.acme.com; the whole domain is delegated), and keep to 10 domains per workspace, then run the Pulumi command again.",
  not_found: "The domain is no longer in this workspace: `pulumi refresh` drops it from the stack's state.",
};
