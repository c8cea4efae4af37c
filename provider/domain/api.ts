// Hosting-API calls for custom domains, and what to do about the codes they answer (the
// domain and its verification both meet them). Paths are built with `encodePath`.
import { encodePath, type Agent37Client } from "../core/http";
import { DeleteAck } from "../core/wire";
import { DomainList, DomainObject, VerifyAck } from "./schema";

/** What to do about the codes a domain call meets (the instance-centred advice would mislead). */
export const DOMAIN_ADVICE: Readonly<Record<string, string>> = {
  tier_limit: "Custom domains need top-ups totalling at least $100 on the workspace: top up in the Agent37 dashboard, then run the Pulumi command again.",
  domain_exists: "Another workspace holds this domain: delete it there or declare another domain, then run the Pulumi command again.",
  invalid_request:
    "Agent37 refused the domain: declare the apex domain (acme.com, not www.acme.com; the whole domain is delegated), and keep to 10 domains per workspace, then run the Pulumi command again.",
  not_found: "The domain is no longer in this workspace: `pulumi refresh` drops it from the stack's state.",
};

export class DomainsApi {
  constructor(readonly client: Agent37Client) {}

  /**
   * One POST. Not retried by the client after it may have reached Agent37: `addDomain` looks the
   * domain up first and decides (a repeat could not duplicate it, but its `409 domain_exists`
   * would hide whether this create made the domain).
   */
  create(domain: string) {
    return this.client.call({ method: "POST", path: "/v1/domains", body: { domain }, schema: DomainObject, idempotent: false });
  }

  get(domain: string) {
    return this.client.call({ method: "GET", path: encodePath`/v1/domains/${domain}`, schema: DomainObject, idempotent: true });
  }

  list() {
    return this.client.call({ method: "GET", path: "/v1/domains", schema: DomainList, idempotent: true });
  }

  /** Documented as idempotent and safe to poll. */
  verify(domain: string) {
    return this.client.call({ method: "POST", path: encodePath`/v1/domains/${domain}/verify`, schema: VerifyAck, idempotent: true });
  }

  remove(domain: string) {
    return this.client.call({ method: "DELETE", path: encodePath`/v1/domains/${domain}`, schema: DeleteAck, idempotent: true });
  }
}
