// What an Agent37SshKey records after a create, from the checked inputs alone (no API call):
// the planned outputs a preview shows. `check` computed the fingerprint and type from the key
// line, so they are known; the id and time are Agent37's, and so is the name when none is given
// (omitted, empty or blank: Agent37 names the key after its comment, so the plan says unknown).
import { UNKNOWN, unwrapSecrets } from "../core/check";
import { declaredName } from "./schema";

type Loose = Record<string, unknown>;

const known = (v: unknown): unknown => (v === undefined || v === null ? UNKNOWN : v);

export function plannedSshKeyOutputs(newsRaw: Loose): Loose {
  const news = unwrapSecrets(newsRaw ?? {});
  return {
    keyId: UNKNOWN,
    publicKey: known(news.publicKey),
    fingerprint: known(news.fingerprint),
    type: known(news.type),
    name: known(declaredName(news.name)),
    created: UNKNOWN,
  };
}
