// The one declaration of Agent37SshKey: every input and output once. The zod validation, the
// diff's rules, the preview plan, the plugin's schema and the generated `resource.ts` and
// `types.ts` (scripts/gen-resources.ts) come from it.
// No zod at load (the plugin serves its schema before any resource is used): the field schemas
// load with their first validation.
/* eslint-disable @typescript-eslint/no-require-imports -- see above */
import { declaredChanges, stableOutputKeys, diffRules, type Declaration, type Loose } from "../core/declare";
import type { ChangeKind } from "../core/kinds";

export const SSH_KEY: Declaration = {
  name: "SshKey",
  className: "Agent37SshKey",
  entry: "sshKeyProvider",
  description:
    "A workspace SSH key. The fingerprint (OpenSSH's `SHA256:` form) is computed from `publicKey` during check, so it is known at preview. A key the workspace already holds is never added twice, and taken over only with `adopt: true`.",
  inputs: {
    publicKey: {
      type: "string",
      required: true,
      onChange: "replace",
      // A new comment on the same key is no change: the key is compared by its fingerprint.
      comparedAs: "fingerprint",
      description:
        "One OpenSSH public key line (the content of a `.pub` file) of a type Agent37 accepts: ssh-ed25519, ssh-rsa, ecdsa-sha2-nistp256/384/521, sk-ssh-ed25519@openssh.com, sk-ecdsa-sha2-nistp256@openssh.com. A different key replaces the resource; a changed comment alone is no change.",
      schema: () => (require("./schema") as typeof import("./schema")).PublicKeyLine,
    },
    name: {
      type: "string",
      onChange: "replace",
      maxLength: 100,
      description:
        "Label shown in the workspace (at most 100 characters). A change replaces the key (there is no rename). Omitted, empty or blank: Agent37 names the key (after its comment), and the key keeps that name.",
    },
    adopt: {
      type: "boolean",
      onChange: "none",
      description:
        "Take over the key when the workspace already holds it (another stack's, added by hand, or left by an interrupted update) instead of failing; a declared `name` other than the key's adds it again under that name. Without it, the resource never takes over, renames or deletes a key it did not add. Read only at create.",
    },
    fingerprint: { type: "string", computed: true, onChange: "replace", description: "`SHA256:...` of `publicKey`, computed by check." },
    type: { type: "string", computed: true, onChange: "none", description: "The key type of `publicKey`, computed by check." },
  },
  outputs: {
    keyId: { type: "string", plan: "unknown", description: "Agent37's id of the key (also the resource id)." },
    publicKey: { type: "string", plan: "input", description: "The key line." },
    fingerprint: { type: "string", plan: "input", description: "`SHA256:...`, as `ssh-keygen -l` prints it." },
    type: { type: "string", plan: "input", description: "The key type, e.g. `ssh-ed25519`." },
    // Planned from the checked input, which check leaves out when none (or a blank one) was
    // declared: Agent37 then names the key after its comment, so the plan says unknown.
    name: { type: "string", nullable: true, plan: "input", description: "The key's label." },
    created: { type: "integer", nullable: true, plan: "unknown", description: "Creation time, epoch seconds." },
  },
};

/** The diff's rules, from the declaration. */
export const SSH_KEY_DIFF_RULES = diffRules(SSH_KEY);

/** Outputs an update never changes (all: there is no update). */
export const SSH_KEY_STABLE_OUTPUTS = stableOutputKeys(SSH_KEY);

/** Changed inputs and the kind of each change. Pure. */
export function sshKeyChanges(olds: Loose, news: Loose): Record<string, ChangeKind> {
  return declaredChanges(SSH_KEY, olds, news);
}

/** The OpenSSH fingerprint of a key line (`SHA256:...`), or undefined when it is not a key line. */
export function sshKeyFingerprint(publicKey: string): string | undefined {
  // The parser (and node:crypto) loads with the first fingerprint, not with the declaration,
  // which the plugin reads at every start for its schema.
  const r = (require("../core/ssh-public-key") as typeof import("../core/ssh-public-key")).parseSshPublicKey(publicKey);
  return r.ok ? r.key.fingerprint : undefined;
}
