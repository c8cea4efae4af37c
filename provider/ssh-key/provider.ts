// The `pulumi.dynamic.ResourceProvider` for Agent37SshKey: `POST /v1/ssh-keys` on create, the
// list on refresh (there is no GET by id), `DELETE` on destroy. A key the workspace already
// holds is never duplicated, and never taken over unless the program says `adopt: true`.
import type * as pulumi from "@pulumi/pulumi";
import { parseAgainst, unwrapSecrets } from "../core/check";
import { Agent37ApiError, Agent37Error, Agent37ResourceInitError, NotFoundError, reasonOf } from "../core/errors";
import { Agent37UnconfirmedCreateError, createByNaturalKey, type NaturalCreate } from "../core/natural-create";
import type { ConnectionOptions } from "../core/connection";
import { plain } from "../core/wire";
import { ConnectedProvider } from "../core/resource-provider";
import { SshKeysApi } from "./api";
import { checkSshKey, withoutComputed } from "./check";
import { diffSshKey } from "./diff";
import { declaredName, readPublicKey, SshKeyInputs } from "./schema";
import type { SshKeyApiObject as SshKeyObject, SshKeyCheckedInputs, SshKeyOutputs } from "./types";

type Loose = Record<string, unknown>;

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
  constructor(inputs: SshKeyCheckedInputs, fingerprint: string, cause: unknown) {
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
export async function addSshKey(api: SshKeysApi, inputs: SshKeyCheckedInputs, timing?: Pick<NaturalCreate<SshKeyObject>, "backoffMs">): Promise<SshKeyObject> {
  const fingerprint = readPublicKey(inputs.publicKey)?.fingerprint ?? "";
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

export class Agent37SshKeyProvider extends ConnectedProvider implements pulumi.dynamic.ResourceProvider {
  private api(): SshKeysApi {
    return new SshKeysApi(this.client());
  }

  async check(_olds: Loose, news: Loose): Promise<pulumi.dynamic.CheckResult> {
    return checkSshKey(news);
  }

  async diff(_id: string, olds: Loose, news: Loose): Promise<pulumi.dynamic.DiffResult> {
    return diffSshKey(olds, news);
  }

  async create(raw: Loose): Promise<pulumi.dynamic.CreateResult> {
    const inputs = parseAgainst(SshKeyInputs, "Agent37SshKey", withoutComputed(raw));
    const outs = await this.add(inputs, "adding");
    return { id: outs.keyId, outs: plain(outs) };
  }

  /**
   * Every change replaces (there is no PATCH), so an update is only ever the engine finishing
   * this resource's unconfirmed create (an init failure, recorded under the fingerprint): the
   * key is looked up by fingerprint, and added if it is missing.
   */
  async update(_id: string, olds: Loose, news: Loose): Promise<pulumi.dynamic.UpdateResult> {
    const inputs = parseAgainst(SshKeyInputs, "Agent37SshKey", withoutComputed(news));
    const recorded = unwrapSecrets(olds ?? {}) as Partial<SshKeyOutputs>;
    const fingerprint = readPublicKey(inputs.publicKey)?.fingerprint ?? "";
    const live = await this.explained(
      async () => (await this.api().list()).data.find((k) => (recorded.keyId ? k.id === recorded.keyId : k.fingerprint === fingerprint)),
      `finishing Agent37 SSH key ${fingerprint}`,
      ADVICE,
    );
    // Recorded by this resource's own create, so the key found under that fingerprint is its own.
    if (live !== undefined) return { outs: plain(outputsOf(live, inputs.publicKey)) };
    return { outs: plain(await this.add(inputs, "finishing")) };
  }

  private async add(inputs: SshKeyCheckedInputs, verb: string): Promise<SshKeyOutputs> {
    const fingerprint = readPublicKey(inputs.publicKey)?.fingerprint ?? "";
    const name = declaredName(inputs.name);
    try {
      return await this.explained(
        async () => outputsOf(await addSshKey(this.api(), inputs), inputs.publicKey),
        `${verb} Agent37 SSH key ${fingerprint}${name === undefined ? "" : ` "${name}"`}${inputs.adopt === true ? " (adopt)" : ""}`,
        ADVICE,
      );
    } catch (err) {
      if (err instanceof Agent37UnconfirmedCreateError) throw new Agent37SshKeyInitError(inputs, fingerprint, err);
      throw err;
    }
  }

  /** The key this resource holds: by `keyId`, or (an unconfirmed create's, id = fingerprint) by fingerprint. */
  private async find(id: string, recorded: Partial<SshKeyOutputs>): Promise<SshKeyObject | undefined> {
    const keys = (await this.api().list()).data;
    const keyId = typeof recorded.keyId === "string" && recorded.keyId !== "" ? recorded.keyId : id;
    return keys.find((k) => k.id === keyId) ?? (keyId.startsWith("SHA256:") ? keys.find((k) => k.fingerprint === keyId) : undefined);
  }

  async read(id: string, props: Loose): Promise<pulumi.dynamic.ReadResult> {
    const recorded = unwrapSecrets(props ?? {}) as Partial<SshKeyOutputs>;
    return this.explained(
      async () => {
        const live = await this.find(id, recorded);
        if (live === undefined) return { id: "" };
        return { id, props: plain(outputsOf(live, typeof recorded.publicKey === "string" ? recorded.publicKey : "")) };
      },
      `refreshing Agent37 SSH key ${id}`,
      ADVICE,
    );
  }

  /** A key already gone (deleted out of band) is deleted. */
  async delete(id: string, props: Loose): Promise<void> {
    const recorded = unwrapSecrets(props ?? {}) as Partial<SshKeyOutputs>;
    await this.explained(
      async () => {
        // An unconfirmed create's resource is recorded under the fingerprint: find its key first.
        const keyId = typeof recorded.keyId === "string" && recorded.keyId !== "" ? recorded.keyId : id.startsWith("SHA256:") ? (await this.find(id, recorded))?.id : id;
        if (keyId === undefined) return;
        try {
          await this.api().remove(keyId);
        } catch (err) {
          if (!(err instanceof NotFoundError)) throw err;
        }
      },
      `deleting Agent37 SSH key ${id}`,
      ADVICE,
    );
  }
}

/** A provider with explicit options (tests, embedding). The host uses `sshKeyProvider()`. */
export function createSshKeyProvider(options?: ConnectionOptions): Agent37SshKeyProvider {
  return new Agent37SshKeyProvider(options);
}

