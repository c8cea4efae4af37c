// Agent37SshKey on the seam (core/resource.ts): `POST /v1/ssh-keys` on create, the list on
// refresh (there is no GET by id), `DELETE` on destroy. A key the workspace already holds is
// never duplicated, and never taken over unless the program says `adopt: true`. Values arrive
// decoded and validated; the front doors' adapters do the wire work.
import { Agent37ApiError, NotFoundError } from "../core/errors";
import { Agent37UnconfirmedCreateError, createByNaturalKey, type NaturalCreate } from "../core/natural-create";
import type { OperationContext, Resource } from "../core/resource";
import { UNKNOWN, isUnknown } from "../core/check";
import type { Loose } from "../core/declare";
import { SshKeysApi } from "./api";
import { Agent37SshKeyInitError, Agent37SshKeyNotOursError } from "./errors";
import { SSH_KEY } from "./fields";
import { declaredName, readPublicKey, type SshKeyObject } from "./schema";
import type { SshKeyInputs, SshKeyOutputs } from "./types";

const ADVICE: Readonly<Record<string, string>> = {
  invalid_request: "Agent37 refused the key: give one OpenSSH public key line of a supported type, and keep to 20 keys per workspace, then run the Pulumi command again.",
  not_found: "The key is no longer in this workspace: `pulumi refresh` drops it from the stack's state.",
};

function outputsOf(key: SshKeyObject, publicKey: string): SshKeyOutputs {
  return {
    keyId: key.id,
    publicKey,
    fingerprint: key.fingerprint,
    type: key.type ?? readPublicKey(publicKey)?.type ?? "",
    name: key.name ?? null,
    created: key.created ?? null,
  };
}

const fingerprintOf = (inputs: SshKeyInputs): string => readPublicKey(inputs.publicKey)?.fingerprint ?? "";
const isKeyExists = (err: unknown): boolean => err instanceof Agent37ApiError && err.code === "ssh_key_exists";

async function byFingerprint(api: SshKeysApi, fingerprint: string): Promise<SshKeyObject | undefined> {
  return (await api.list()).data.find((k) => k.fingerprint === fingerprint);
}

/**
 * Adds the key exactly once (core/natural-create.ts): a key the workspace held before this
 * create is refused unless `adopt` says to take it over; this create's own lost answer is found
 * by fingerprint (and, when a name was declared, by that name: a key found under another name
 * is not this create's) and taken. An adopted key held under another name than the declared one
 * is added again under it (there is no PATCH): the program asked for both.
 */
export async function addSshKey(api: SshKeysApi, inputs: SshKeyInputs, timing?: Pick<NaturalCreate<SshKeyObject>, "backoffMs">): Promise<SshKeyObject> {
  const fingerprint = fingerprintOf(inputs);
  const name = declaredName(inputs.name);
  const create = () =>
    createByNaturalKey<SshKeyObject>({
      lookup: () => byFingerprint(api, fingerprint),
      post: () => api.create(inputs.publicKey, name),
      isExists: isKeyExists,
      couldBeOurs: (found) => name === undefined || found.name === name,
      ...timing,
    });
  const outcome = await create();
  if (outcome.made) return outcome.object;
  const existing = outcome.object;
  if (inputs.adopt !== true) throw new Agent37SshKeyNotOursError(fingerprint, { id: existing.id, name: existing.name ?? null });
  if (name === undefined || name === existing.name) return existing;
  await api.remove(existing.id);
  const again = await create();
  if (!again.made) throw new Agent37SshKeyNotOursError(fingerprint, { id: again.object.id, name: again.object.name ?? null });
  return again.object;
}

/** The key a resource holds: by `keyId`, or (an unconfirmed create's, id = fingerprint) by fingerprint. */
async function find(api: SshKeysApi, id: string, recorded: Partial<SshKeyOutputs>): Promise<SshKeyObject | undefined> {
  const keys = (await api.list()).data;
  const keyId = typeof recorded.keyId === "string" && recorded.keyId !== "" ? recorded.keyId : id;
  return keys.find((k) => k.id === keyId) ?? (keyId.startsWith("SHA256:") ? keys.find((k) => k.fingerprint === keyId) : undefined);
}

const api = (ctx: OperationContext): SshKeysApi => new SshKeysApi(ctx.client());

export const sshKeyResource: Resource<SshKeyInputs, SshKeyOutputs> = {
  declaration: SSH_KEY,
  advice: ADVICE,

  // The fingerprint and type are computed here from the key line, so they are known at preview
  // and the diff compares keys, not their comments. An empty or blank name is no name (Agent37
  // names the key after its comment): dropped, so the plan shows the name unknown, not "".
  complete(inputs: Loose): Loose {
    const out: Loose = { ...inputs };
    if (typeof out["name"] === "string" && declaredName(out["name"]) === undefined) delete out["name"];
    const line = out["publicKey"];
    if (isUnknown(line)) {
      out["fingerprint"] = UNKNOWN;
      out["type"] = UNKNOWN;
    } else if (typeof line === "string") {
      const key = readPublicKey(line);
      if (key !== undefined) {
        out["fingerprint"] = key.fingerprint;
        out["type"] = key.type;
      }
    }
    return out;
  },

  // A workspace holds a key once (by fingerprint): replacing a key by itself under another name
  // must delete the old one first; a different key is created before the old one goes.
  deleteBeforeReplace: (changes) => changes["fingerprint"] === undefined,

  // Only an unconfirmed create (an init failure) is updated: what it finds is Agent37's.
  planUpdate: (olds, planned) => (olds.keyId === "" ? planned : olds),

  operation(kind, { id, inputs }) {
    if (kind === "read") return `refreshing Agent37 SSH key ${id}`;
    if (kind === "delete") return `deleting Agent37 SSH key ${id}`;
    const subject = inputs === undefined ? "" : `${fingerprintOf(inputs)}${declaredName(inputs.name) === undefined ? "" : ` "${declaredName(inputs.name)}"`}${inputs.adopt === true ? " (adopt)" : ""}`;
    return `${kind === "create" ? "adding" : "finishing"} Agent37 SSH key ${subject}`;
  },

  initFailure: (explained, inputs) => (explained instanceof Agent37UnconfirmedCreateError ? new Agent37SshKeyInitError(inputs, fingerprintOf(inputs), explained) : undefined),

  async create(inputs, ctx) {
    const outputs = outputsOf(await addSshKey(api(ctx), inputs), inputs.publicKey);
    return { id: outputs.keyId, outputs };
  },

  async read(id, olds, ctx) {
    const live = await find(api(ctx), id, olds);
    return live === undefined ? undefined : { outputs: outputsOf(live, typeof olds.publicKey === "string" ? olds.publicKey : "") };
  },

  /**
   * Every change replaces (there is no PATCH), so an update is only ever the engine finishing
   * this resource's unconfirmed create (an init failure, recorded under the fingerprint): the
   * key is looked up by fingerprint, and added if it is missing.
   */
  async update(_id, olds, news, ctx) {
    const fingerprint = fingerprintOf(news);
    const live = (await api(ctx).list()).data.find((k) => (olds.keyId ? k.id === olds.keyId : k.fingerprint === fingerprint));
    // Recorded by this resource's own create, so the key found under that fingerprint is its own.
    return outputsOf(live ?? (await addSshKey(api(ctx), news)), news.publicKey);
  },

  async delete(id, olds, ctx) {
    // An unconfirmed create's resource is recorded under the fingerprint: find its key first.
    const keyId = typeof olds.keyId === "string" && olds.keyId !== "" ? olds.keyId : id.startsWith("SHA256:") ? (await find(api(ctx), id, olds))?.id : id;
    if (keyId === undefined) return;
    try {
      await api(ctx).remove(keyId);
    } catch (err) {
      if (!(err instanceof NotFoundError)) throw err;
    }
  },
};
