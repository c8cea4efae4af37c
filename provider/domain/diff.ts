// The diff of Agent37Domain, as data (see kinds.ts): the domain is the resource, so a change
// replaces it. Nothing is updated in place, so no output ever changes in an update.
import { dynamicDiff, propertyChanges, type ChangeKind, type DiffRules } from "../core/kinds";

export const DOMAIN_DIFF_RULES: DiffRules = { domain: { kind: "replace" } };

/** Outputs an update never changes (all: there is no update). */
export const DOMAIN_STABLE_OUTPUTS = ["domain", "status", "nameservers", "dnsName", "created"] as const;

/** Changed inputs and the kind of each change. Pure. */
export function domainChanges(olds: Record<string, unknown>, news: Record<string, unknown>): Record<string, ChangeKind> {
  return propertyChanges(DOMAIN_DIFF_RULES, olds, news);
}

export function diffDomain(olds: Record<string, unknown>, news: Record<string, unknown>) {
  return dynamicDiff(domainChanges(olds, news), { stables: DOMAIN_STABLE_OUTPUTS });
}
