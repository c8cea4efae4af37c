// The one declaration of Agent37Domain: every input and output once. The zod validation, the
// diff's rules, the preview plan, the plugin's schema and the generated `resource.ts` and
// `types.ts` (scripts/gen-resources.ts) come from it.
import { declaredChanges, diffRules, stableOutputKeys, type Declaration, type Loose } from "../core/declare";
import type { ChangeKind } from "../core/kinds";
// No zod at load (the plugin serves its schema before any resource is used): the name's schema
// loads with its first validation.
/* eslint-disable @typescript-eslint/no-require-imports -- see above */

export const DOMAIN: Declaration = {
  name: "Domain",
  className: "Agent37Domain",
  entry: "domainProvider",
  description:
    "A custom domain of the workspace, never one it did not add unless `adopt` is set. Its outputs are known as soon as it is created: point the domain's NS records (`dnsName`) at `nameservers` with your DNS provider, then let a DomainVerification wait until Agent37 sees them. The resource id is the domain. Needs top-ups totalling $100 on the workspace.",
  inputs: {
    domain: {
      type: "string",
      required: true,
      onChange: "replace",
      description:
        "The apex domain to delegate to Agent37 (`acme-agents.com`: a name registered under a public suffix, not a subdomain, not an IP address, not under agent37.app or agent37.com). Recorded lowercased. A change replaces the resource.",
      // Normalized (lowercased) before the rules apply; check records the normalized name.
      schema: () => (require("./schema") as typeof import("./schema")).DomainName,
    },
    adopt: {
      type: "boolean",
      onChange: "none",
      description:
        "Take over the domain when the workspace already holds it (another stack's, added by hand, or left by an interrupted update) instead of failing. Without it, the resource never takes over or deletes a domain it did not add; once taken over, destroying the resource deletes the domain. Read only at create.",
    },
  },
  outputs: {
    domain: { type: "string", plan: "input", description: "The domain, lowercased." },
    // A domain this workspace already held is taken over as it is: its status is Agent37's.
    status: { type: "string", plan: "unknown", description: "`pending` at create; `active` once verified (a refresh shows the change)." },
    nameservers: { type: "string[]", plan: "unknown", description: "The two nameservers the domain's NS records must name." },
    dnsName: { type: "string", plan: { input: "domain" }, description: "The record name of those NS records (the domain itself)." },
    created: { type: "integer", nullable: true, plan: "unknown", description: "Creation time, epoch seconds." },
  },
};

/** The diff's rules, from the declaration: the domain is the resource, so a change replaces it. */
export const DOMAIN_DIFF_RULES = diffRules(DOMAIN);

/** Outputs an update never changes (all: there is no update). */
export const DOMAIN_STABLE_OUTPUTS = stableOutputKeys(DOMAIN);

/** Changed inputs and the kind of each change. Pure. */
export function domainChanges(olds: Loose, news: Loose): Record<string, ChangeKind> {
  return declaredChanges(DOMAIN, olds, news);
}
