// The `pulumi.dynamic.ResourceProvider` for Agent37SshKey: `POST /v1/ssh-keys` on create, the
// list on refresh (there is no GET by id), `DELETE` on destroy. A key the workspace already
// holds (`409 ssh_key_exists`) is taken over, never duplicated and never an error.
import type * as pulumi from "@pulumi/pulumi";
import { parseAgainst, unwrapSecrets } from "../core/check";
import { Agent37ApiError, NotFoundError } from "../core/errors";
import type { ConnectionOptions } from "../core/connection";
import { plain } from "../core/wire";
import { ConnectedProvider } from "../core/resource-provider";
import { SshKeysApi } from "./api";
import { checkSshKey, withoutComputed } from "./check";
import { diffSshKey } from "./diff";
import { readPublicKey, SshKeyInputs, type SshKeyObject, type SshKeyOutputs } from "./schema";

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
 * Adds the key. When the workspace already has it, the existing key is taken over: as it is
 * when no name is declared or the names agree, else deleted and added again under the declared
 * name (there is no PATCH); the key material is the same, so nothing loses access for longer
 * than that pair of calls.
 */
export async function addSshKey(api: SshKeysApi, inputs: SshKeyInputs): Promise<SshKeyObject> {
  try {
    return await api.create(inputs.publicKey, inputs.name);
  } catch (err) {
    if (!(err instanceof Agent37ApiError) || err.code !== "ssh_key_exists") throw err;
    const fingerprint = readPublicKey(inputs.publicKey)?.fingerprint;
    const existing = (await api.list()).data.find((k) => k.fingerprint === fingerprint);
    if (existing === undefined) {
      // Deleted between the two calls: add it again, once.
      return api.create(inputs.publicKey, inputs.name);
    }
    if (inputs.name === undefined || inputs.name === existing.name) return existing;
    await api.remove(existing.id);
    return api.create(inputs.publicKey, inputs.name);
  }
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
    const fingerprint = readPublicKey(inputs.publicKey)?.fingerprint ?? "";
    return this.explained(
      async () => {
        const key = await addSshKey(this.api(), inputs);
        return { id: key.id, outs: plain(outputsOf(key, inputs.publicKey)) };
      },
      `adding Agent37 SSH key ${fingerprint}${inputs.name === undefined ? "" : ` "${inputs.name}"`}`,
      ADVICE,
    );
  }

  async read(id: string, props: Loose): Promise<pulumi.dynamic.ReadResult> {
    const recorded = unwrapSecrets(props ?? {}) as Partial<SshKeyOutputs>;
    return this.explained(
      async () => {
        const live = (await this.api().list()).data.find((k) => k.id === id);
        if (live === undefined) return { id: "" };
        return { id, props: plain(outputsOf(live, typeof recorded.publicKey === "string" ? recorded.publicKey : "")) };
      },
      `refreshing Agent37 SSH key ${id}`,
      ADVICE,
    );
  }

  /** A key already gone (deleted out of band) is deleted. */
  async delete(id: string): Promise<void> {
    await this.explained(
      async () => {
        try {
          await this.api().remove(id);
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

