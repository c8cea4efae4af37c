// `check` for Agent37Domain and Agent37DomainVerification: no network. The domain is recorded
// as Agent37 records it (lowercased), so `Acme.com` and `acme.com` are the same resource.
import { checkAgainst, isUnknown, type CheckFailure } from "../core/check";
import type { z } from "zod";
import { normalizeDomain } from "./schema";

type Loose = Record<string, unknown>;

/** Validates `news` against `schema`; the checked inputs carry the normalized domain. */
export function checkWithDomain(schema: z.ZodType, resource: string, news: Loose): { inputs: Loose; failures: CheckFailure[] } {
  const failures = checkAgainst(schema, resource, news);
  const inputs: Loose = { ...news };
  const domain = news["domain"];
  if (typeof domain === "string" && !isUnknown(domain) && !failures.some((f) => f.property === "domain")) inputs["domain"] = normalizeDomain(domain);
  return { inputs, failures };
}
