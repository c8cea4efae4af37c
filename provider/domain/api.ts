// Hosting-API calls for custom domains, and what to do about the codes they answer (the
// domain and its verification both meet them). Paths are built with `encodePath`.
import { encodePath, type Agent37Client } from "../core/http";
import { DeleteAck } from "../core/wire";
import { DomainList, DomainObject, VerifyAck } from "./schema";

// In a module of its own, which loads no validator: the domain's errors word themselves with it
// and load with `pulumi-agent37` (provider/index.ts).
export { DOMAIN_ADVICE } from "./advice";

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
