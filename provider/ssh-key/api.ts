// Hosting-API calls for workspace SSH keys. Paths are built with `encodePath`.
import { encodePath, type Agent37Client } from "../core/http";
import { DeleteAck } from "../core/wire";
import { SshKeyList, SshKeyObject } from "./schema";

export class SshKeysApi {
  constructor(readonly client: Agent37Client) {}

  /** A repeat cannot duplicate a key (it answers `409 ssh_key_exists`), which `create` adopts. */
  create(publicKey: string, name: string | undefined) {
    return this.client.call({
      method: "POST",
      path: "/v1/ssh-keys",
      body: name === undefined ? { public_key: publicKey } : { public_key: publicKey, name },
      schema: SshKeyObject,
      idempotent: false,
    });
  }

  /** There is no `GET /v1/ssh-keys/{id}`: lookups go through the list. */
  list() {
    return this.client.call({ method: "GET", path: "/v1/ssh-keys", schema: SshKeyList, idempotent: true });
  }

  remove(id: string) {
    return this.client.call({ method: "DELETE", path: encodePath`/v1/ssh-keys/${id}`, schema: DeleteAck, idempotent: true });
  }
}
