// The failures of Agent37SshKey that are its own: a key the workspace holds and this resource did
// not add, and a create whose outcome stayed unknown (an init failure that keeps it in state).
import { Agent37Error, Agent37ResourceInitError, reasonOf } from "../core/errors";
import { declaredName, readPublicKey } from "./key-line";
import type { SshKeyInputs, SshKeyOutputs } from "./types";

/**
 * The workspace holds the key, and this resource did not add it: another stack's, added by
 * hand, or left by an earlier `pulumi up` of this resource that was killed before Pulumi
 * recorded it. Taken over only with `adopt: true`.
 */
export class Agent37SshKeyNotOursError extends Agent37Error {
  override name = "Agent37SshKeyNotOursError";
  constructor(
    readonly fingerprint: string,
    readonly existing: { id: string; name: string | null },
  ) {
    super(
      `the key ${fingerprint} is already in this workspace as ${existing.id}${existing.name === null ? "" : ` ("${existing.name}")`}, and this resource did not add it ` +
        "(another stack manages it, it was added by hand, or an earlier `pulumi up` of this resource was interrupted before Pulumi recorded it)\n" +
        "What to do: Agent37SshKey never takes over, renames or deletes a key it did not add. To take this key over, set `adopt: true` on this resource " +
        "(it then manages the key, and destroying it deletes the key); otherwise remove this resource, then run the Pulumi command again.",
    );
  }
}

/**
 * The create's outcome stayed unknown (its answer was lost, and so was the lookup that would
 * tell). Reported as an init failure under the key's fingerprint (Agent37's id is not known), so
 * Pulumi records the resource and the next `up` finishes it: the key is looked up by
 * fingerprint, and added if it is missing. Such a resource keeps the fingerprint as its id;
 * `keyId` holds Agent37's id once known.
 */
export class Agent37SshKeyInitError extends Agent37ResourceInitError {
  override name = "Agent37SshKeyInitError";
  constructor(inputs: SshKeyInputs, fingerprint: string, cause: unknown) {
    super(
      `Agent37 SSH key ${fingerprint} may have been added, but that could not be confirmed: ${reasonOf(cause)}\n` +
        "It is kept in the stack's state under its fingerprint: run `pulumi up` again to finish it (the key is looked up, and added if it is missing), " +
        "or `pulumi destroy` to delete it.",
      fingerprint,
      {
        keyId: "",
        publicKey: inputs.publicKey,
        fingerprint,
        type: readPublicKey(inputs.publicKey)?.type ?? "",
        name: declaredName(inputs.name) ?? null,
        created: null,
      } satisfies SshKeyOutputs,
      cause,
    );
  }
}
