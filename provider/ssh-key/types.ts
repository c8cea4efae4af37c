// Generated from provider/ssh-key/fields.ts by scripts/gen-resources.ts: do not edit; a test fails when it drifts.
// The plain values Agent37SshKey's operations take and give.

/** The inputs of Agent37SshKey, as check validated them. */
export interface SshKeyInputs {
  /**
   * One OpenSSH public key line (the content of a `.pub` file) of a type Agent37 accepts:
   * ssh-ed25519, ssh-rsa, ecdsa-sha2-nistp256/384/521, sk-ssh-ed25519@openssh.com,
   * sk-ecdsa-sha2-nistp256@openssh.com. A different key replaces the resource; a changed comment
   * alone is no change.
   */
  publicKey: string;
  /**
   * Label shown in the workspace (at most 100 characters). A change replaces the key (there is no
   * rename). Omitted, empty or blank: Agent37 names the key (after its comment), and the key keeps
   * that name.
   */
  name?: string;
  /**
   * Take over the key when the workspace already holds it (another stack's, added by hand, or left
   * by an interrupted update) instead of failing; a declared `name` other than the key's adds it
   * again under that name. Without it, the resource never takes over, renames or deletes a key it
   * did not add. Read only at create.
   */
  adopt?: boolean;
}

/** What an Agent37SshKey resolves to. */
export interface SshKeyOutputs {
  /** Agent37's id of the key (also the resource id). */
  keyId: string;
  /** The key line. */
  publicKey: string;
  /** `SHA256:...`, as `ssh-keygen -l` prints it. */
  fingerprint: string;
  /** The key type, e.g. `ssh-ed25519`. */
  type: string;
  /** The key's label. */
  name: string | null;
  /** Creation time, epoch seconds. */
  created: number | null;
}
