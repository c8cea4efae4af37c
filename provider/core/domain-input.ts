// A custom domain's name as an input (Agent37Domain's `domain`, and the DomainVerification's that
// waits for it): the rules of core/domain-name.ts, shared with the emulator, in words that name
// the field and the rule, as the zod schema both declarations load on their first validation.
import * as z from "zod";
import { isUnknown, type CheckFailure } from "./check";
import type { Loose } from "./declare";
import { domainNameIssue, normalizeDomainName } from "./domain-name";

/**
 * Why `name` (lowercased) cannot be a custom domain, or undefined: each message names the field
 * and the rule. The rules (apex by the public suffix list, no IP address, no numeric or reserved
 * TLD, not the platform's own domains) are shared with the emulator: provider/core/domain-name.ts.
 */
export function domainNameProblem(name: string): string | undefined {
  const issue = domainNameIssue(name);
  if (issue === undefined) return undefined;
  switch (issue.kind) {
    case "too-long":
      return "domain must be at most 253 characters";
    case "single-label":
      return "domain must be an apex domain name such as acme-agents.com";
    case "ip-address":
      return "domain must be a domain name such as acme-agents.com, not an IP address";
    case "bad-label":
      return `domain has an invalid label ${JSON.stringify(issue.label)}: labels are 1-63 letters, digits or hyphens, not starting or ending with a hyphen`;
    case "numeric-tld":
      return `domain must end in a top-level domain of letters, not the number ${JSON.stringify(issue.tld)} (IP addresses and numeric names cannot be delegated)`;
    case "bad-tld":
      return `domain has an invalid top-level domain ${JSON.stringify(issue.tld)}: a top-level domain is letters (or an xn-- name)`;
    case "reserved-tld":
      return `domain must not be under the reserved top-level domain .${issue.tld}, which never resolves on the internet`;
    case "platform":
      return `domain must not be ${issue.platform} or under it (Agent37 serves it itself)`;
    case "public-suffix":
      return `domain must be a domain registered under a public suffix, not the public suffix ${issue.suffix} itself`;
    case "subdomain":
      return `domain must be an apex domain (the whole domain is delegated to Agent37): ${name} is a subdomain of ${issue.apex}; declare ${issue.apex}`;
  }
}

/** How Agent37 records a name: trimmed, lowercased, without a trailing dot. */
export const normalizeDomain = normalizeDomainName;

/** A domain name as users write it, normalized before the rules apply. */
export const DomainName = z
  .string({ error: "domain must be a string" })
  .transform(normalizeDomain)
  .superRefine((name, ctx) => {
    const problem = domainNameProblem(name);
    if (problem !== undefined) ctx.addIssue({ code: "custom", message: problem });
  });

/**
 * Checked inputs with `domain` as Agent37 records it (lowercased), so `Acme.com` and `acme.com`
 * are the same resource; a name the rules refused (or one still unknown) is left as written.
 */
export function withNormalizedDomain(inputs: Loose, failures: readonly CheckFailure[]): Loose {
  const domain = inputs["domain"];
  if (typeof domain !== "string" || isUnknown(domain) || failures.some((f) => f.property === "domain")) return inputs;
  return { ...inputs, domain: normalizeDomain(domain) };
}
