// Hosting-API calls for custom domains. Paths are built with `encodePath`.
import { encodePath, type Agent37Client } from "../core/http";
import { DeleteAck } from "../core/wire";
import { DomainList, DomainObject, VerifyAck } from "./schema";

export class DomainsApi {
  constructor(readonly client: Agent37Client) {}

  /**
   * One POST. Not retried after it may have reached Agent37; a repeat cannot duplicate a domain
   * anyway (it answers `409 domain_exists`), which `create` turns into adoption.
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
