// What an Agent37DomainVerification records after a create or update, from the checked inputs
// alone (no API call): the planned outputs a preview shows. (The domain's own plan comes from its
// declaration, fields.ts.)
import { UNKNOWN, unwrapSecrets } from "../core/check";
import { DEFAULT_VERIFY_TIMEOUT_SECONDS } from "../domain-verification/schema";

type Loose = Record<string, unknown>;

const known = (v: unknown): unknown => (v === undefined || v === null ? UNKNOWN : v);

/** A verification that succeeds ends `active`, with the timeout it was given. */
export function plannedVerificationOutputs(newsRaw: Loose): Loose {
  const news = unwrapSecrets(newsRaw ?? {});
  return { domain: known(news.domain), status: "active", timeoutSeconds: news.timeoutSeconds ?? DEFAULT_VERIFY_TIMEOUT_SECONDS };
}
