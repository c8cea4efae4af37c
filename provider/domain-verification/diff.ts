// The diff of Agent37DomainVerification, as data (see kinds.ts): another domain is another
// verification; a new timeout is recorded in place (it only bounds a wait).
import { dynamicDiff, propertyChanges, type ChangeKind, type DiffRules } from "../core/kinds";
import { DEFAULT_VERIFY_TIMEOUT_SECONDS } from "./schema";

export const VERIFICATION_DIFF_RULES: DiffRules = {
  domain: { kind: "replace" },
  timeoutSeconds: { kind: "update", absent: DEFAULT_VERIFY_TIMEOUT_SECONDS },
};

/** Outputs an update (a new `timeoutSeconds`) never changes. */
export const VERIFICATION_STABLE_OUTPUTS = ["domain", "status"] as const;

/** Changed inputs and the kind of each change. Pure. */
export function verificationChanges(olds: Record<string, unknown>, news: Record<string, unknown>): Record<string, ChangeKind> {
  return propertyChanges(VERIFICATION_DIFF_RULES, olds, news);
}

export function diffVerification(olds: Record<string, unknown>, news: Record<string, unknown>) {
  return dynamicDiff(verificationChanges(olds, news), { stables: VERIFICATION_STABLE_OUTPUTS });
}
