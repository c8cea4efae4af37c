// agent37:index:SshKey in the plugin: its schema, and its operations from the same provider the
// dynamic door runs.
/* eslint-disable @typescript-eslint/no-require-imports -- the implementation loads when the plugin first serves this module (registry.ts) */
import { changesOf, opsFromProvider } from "../ops";
import type { PluginModule, PropertySpec } from "../spec";

export const SSH_KEY = "agent37:index:SshKey";

const str = (description: string): PropertySpec => ({ type: "string", description });

/** Workspace SSH keys. */
export const sshKeyModule: PluginModule = {
  resources: {
    [SSH_KEY]: {
      description:
        "A workspace SSH key. The fingerprint (OpenSSH's `SHA256:` form) is computed from `publicKey` during check, so it is known at preview. A key the workspace already holds is never added twice, and taken over only with `adopt: true`.",
      inputProperties: {
        publicKey: {
          ...str("One OpenSSH public key line (the content of a `.pub` file) of a type Agent37 accepts: ssh-ed25519, ssh-rsa, ecdsa-sha2-nistp256/384/521, sk-ssh-ed25519@openssh.com, sk-ecdsa-sha2-nistp256@openssh.com. A different key replaces the resource; a changed comment alone is no change."),
          willReplaceOnChanges: true,
        },
        name: {
          ...str("Label shown in the workspace (at most 100 characters). A change replaces the key (there is no rename). Omitted, empty or blank: Agent37 names the key (after its comment), and the key keeps that name."),
          willReplaceOnChanges: true,
        },
        adopt: {
          type: "boolean",
          description:
            "Take over the key when the workspace already holds it (another stack's, added by hand, or left by an interrupted update) instead of failing; a declared `name` other than the key's adds it again under that name. Without it, the resource never takes over, renames or deletes a key it did not add. Read only at create.",
        },
      },
      requiredInputs: ["publicKey"],
      properties: {
        keyId: str("Agent37's id of the key (also the resource id)."),
        publicKey: str("The key line."),
        fingerprint: str("`SHA256:...`, as `ssh-keygen -l` prints it."),
        type: str("The key type, e.g. `ssh-ed25519`."),
        name: str("The key's label."),
        created: { type: "integer", description: "Creation time, epoch seconds." },
      },
      required: ["keyId", "publicKey", "fingerprint", "type"],
    },
  },
  instantiate() {
    const { sshKeyChanges } = require("../../../ssh-key/diff") as typeof import("../../../ssh-key/diff");
    const { plannedSshKeyOutputs } = require("../../../ssh-key/plan") as typeof import("../../../ssh-key/plan");
    const { Agent37SshKeyProvider } = require("../../../ssh-key/provider") as typeof import("../../../ssh-key/provider");
    const provider = new Agent37SshKeyProvider();
    return {
      configure(config) {
        provider.configure({ config } as never);
      },
      resources: {
        [SSH_KEY]: opsFromProvider(provider, {
          changes: (olds, news) => changesOf(sshKeyChanges(olds, news)),
          planCreate: (news) => plannedSshKeyOutputs(news),
          // Only an unconfirmed create (an init failure) is updated: what it finds is Agent37's.
          planUpdate: (olds, news) => (olds["keyId"] === "" ? plannedSshKeyOutputs(news) : olds),
        }),
      },
    };
  },
};
