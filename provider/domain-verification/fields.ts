// The one declaration of Agent37DomainVerification: every input and output once. The zod
// validation, the diff's rules, the preview plan, the plugin's schema and the generated
// `resource.ts` and `types.ts` (scripts/gen-resources.ts) come from it.
// No zod at load (the plugin serves its schema before any resource is used): the field schemas
// load with their first validation.
/* eslint-disable @typescript-eslint/no-require-imports -- see above */
import { declaredChanges, diffRules, stableOutputKeys, type Declaration, type Loose } from "../core/declare";
import type { ChangeKind } from "../core/kinds";

export const DEFAULT_VERIFY_TIMEOUT_SECONDS = 3600;
/** A day: DNS delegation rarely takes longer, and a run waiting longer is better stopped and rerun. */
export const MAX_VERIFY_TIMEOUT_SECONDS = 86_400;

export const DOMAIN_VERIFICATION: Declaration = {
  name: "DomainVerification",
  className: "Agent37DomainVerification",
  entry: "domainVerificationProvider",
  description:
    "Waits until Agent37 sees a custom domain's NS records: create polls `POST /v1/domains/{domain}/verify` with backoff until the domain is `active`, and fails with the nameservers to check when `timeoutSeconds` pass first. Put your DNS provider's NS record between the Agent37Domain and this resource (`dependsOn`), so the wait starts after the record exists. Delete does nothing (the domain stays; delete the Agent37Domain for that).",
  inputs: {
    domain: {
      type: "string",
      required: true,
      onChange: "replace",
      description: "The domain to wait for, usually `domain` of an Agent37Domain. Recorded lowercased. A change replaces.",
      // Normalized (lowercased) before the rules apply, as the domain's own; check records the normalized name.
      schema: () => (require("../core/domain-input") as typeof import("../core/domain-input")).DomainName,
    },
    timeoutSeconds: {
      type: "integer",
      onChange: "update",
      default: DEFAULT_VERIFY_TIMEOUT_SECONDS,
      description: `How long create waits for Agent37 to see the NS records (1..${MAX_VERIFY_TIMEOUT_SECONDS}, default ${DEFAULT_VERIFY_TIMEOUT_SECONDS}). A change is recorded without waiting again (unless the last refresh found the domain pending).`,
      schema: () => (require("./schema") as typeof import("./schema")).TimeoutSeconds,
    },
  },
  outputs: {
    domain: { type: "string", plan: "input", stable: true, description: "The verified domain, lowercased." },
    // A create that succeeds ends `active`; a refresh reads the domain's status again.
    status: { type: "string", plan: { value: "active" }, stable: true, description: "`active` once verified; a refresh reads it again." },
    timeoutSeconds: { type: "integer", plan: "input", description: "How long create waited at most, in seconds (the input, default applied)." },
  },
};

/** The diff's rules, from the declaration: another domain is another verification; a new timeout is recorded in place (it only bounds a wait). */
export const VERIFICATION_DIFF_RULES = diffRules(DOMAIN_VERIFICATION);

/** Outputs an update (a new `timeoutSeconds`) never changes. */
export const VERIFICATION_STABLE_OUTPUTS = stableOutputKeys(DOMAIN_VERIFICATION);

/** Changed inputs and the kind of each change. Pure. */
export function verificationChanges(olds: Loose, news: Loose): Record<string, ChangeKind> {
  return declaredChanges(DOMAIN_VERIFICATION, olds, news);
}
