// What an Agent37Domain and an Agent37DomainVerification record after a create or update,
// from the checked inputs alone (no API call): the planned outputs a preview shows.
import { UNKNOWN, unwrapSecrets } from "../core/check";
import { DEFAULT_VERIFY_TIMEOUT_SECONDS } from "../domain-verification/schema";

type Loose = Record<string, unknown>;

const known = (v: unknown): unknown => (v === undefined || v === null ? UNKNOWN : v);

/**
 * A new domain: its name (checked, so lowercased) and the NS record name (the domain itself) are
 * known; the status (a domain this workspace already held is taken over as it is), the
 * nameservers and the time are Agent37's.
 */
export function plannedDomainOutputs(newsRaw: Loose): Loose {
  const domain = known(unwrapSecrets(newsRaw ?? {}).domain);
  return { domain, status: UNKNOWN, nameservers: UNKNOWN, dnsName: domain, created: UNKNOWN };
}

/** A verification that succeeds ends `active`, with the timeout it was given. */
export function plannedVerificationOutputs(newsRaw: Loose): Loose {
  const news = unwrapSecrets(newsRaw ?? {});
  return { domain: known(news.domain), status: "active", timeoutSeconds: news.timeoutSeconds ?? DEFAULT_VERIFY_TIMEOUT_SECONDS };
}
