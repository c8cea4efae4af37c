// `check` for Agent37SshKey: no network. The fingerprint and type are computed here from the
// key line, so they are known at preview and the diff compares keys, not their comments.
import { checkAgainst, isUnknown, UNKNOWN, type CheckFailure } from "../core/check";
import { declaredName, readPublicKey, SshKeyInputs } from "./schema";

type Loose = Record<string, unknown>;

/** Inputs `check` adds; not written by users, dropped before validation. */
export const COMPUTED_INPUTS = ["fingerprint", "type"] as const;

export function withoutComputed(news: Loose): Loose {
  const out: Loose = { ...news };
  for (const k of COMPUTED_INPUTS) delete out[k];
  return out;
}

/** The OpenSSH fingerprint of a key line (`SHA256:...`), or undefined when it is not a key line. */
export function sshKeyFingerprint(publicKey: string): string | undefined {
  return readPublicKey(publicKey)?.fingerprint;
}

export function checkSshKey(news: Loose): { inputs: Loose; failures: CheckFailure[] } {
  const own = withoutComputed(news ?? {});
  const failures = checkAgainst(SshKeyInputs, "Agent37SshKey", own);
  const inputs: Loose = { ...own };
  // An empty or blank name is no name: Agent37 names the key after its comment. Dropped here, so
  // the plan (which the engine takes from these inputs) shows the name unknown, not "".
  if (typeof own["name"] === "string" && declaredName(own["name"]) === undefined) delete inputs["name"];
  const line = own["publicKey"];
  if (isUnknown(line)) {
    inputs["fingerprint"] = UNKNOWN;
    inputs["type"] = UNKNOWN;
  } else if (typeof line === "string") {
    const key = readPublicKey(line);
    if (key !== undefined) {
      inputs["fingerprint"] = key.fingerprint;
      inputs["type"] = key.type;
    }
  }
  return { inputs, failures };
}
