// Generated from provider/ssh-key/fields.ts by scripts/gen-resources.ts: do not edit; a test fails when it drifts.
// The Agent37SshKey resource class users write in their programs.
import * as pulumi from "@pulumi/pulumi";
import { thinProvider } from "../core/serialized";
import { pauseStackTraces } from "../core/stack-traces";

// Captures nothing but the name of the implementation entry: see core/serialized.ts.
const serializedProvider = thinProvider("sshKeyProvider");

/** Inputs of {@link Agent37SshKey}. */
export interface Agent37SshKeyArgs {
  /**
   * One OpenSSH public key line (the content of a `.pub` file) of a type Agent37 accepts:
   * ssh-ed25519, ssh-rsa, ecdsa-sha2-nistp256/384/521, sk-ssh-ed25519@openssh.com,
   * sk-ecdsa-sha2-nistp256@openssh.com. A different key replaces the resource; a changed comment
   * alone is no change.
   */
  publicKey: pulumi.Input<string>;
  /**
   * Label shown in the workspace (at most 100 characters). A change replaces the key (there is no
   * rename). Omitted, empty or blank: Agent37 names the key (after its comment), and the key keeps
   * that name.
   */
  name?: pulumi.Input<string>;
  /**
   * Take over the key when the workspace already holds it (another stack's, added by hand, or left
   * by an interrupted update) instead of failing; a declared `name` other than the key's adds it
   * again under that name. Without it, the resource never takes over, renames or deletes a key it
   * did not add. Read only at create.
   */
  adopt?: pulumi.Input<boolean>;
}

const OUTPUT_KEYS = ["keyId", "fingerprint", "type", "created"] as const;

/**
 * A workspace SSH key. The fingerprint (OpenSSH's `SHA256:` form) is computed from `publicKey`
 * during check, so it is known at preview. A key the workspace already holds is never added twice,
 * and taken over only with `adopt: true`.
 */
export class Agent37SshKey extends pulumi.dynamic.Resource {
  /** Agent37's id of the key (also the resource id). */
  declare readonly keyId: pulumi.Output<string>;
  /** The key line. */
  declare readonly publicKey: pulumi.Output<string>;
  /** `SHA256:...`, as `ssh-keygen -l` prints it. */
  declare readonly fingerprint: pulumi.Output<string>;
  /** The key type, e.g. `ssh-ed25519`. */
  declare readonly type: pulumi.Output<string>;
  /** The key's label. */
  declare readonly name: pulumi.Output<string | null>;
  /** Creation time, epoch seconds. */
  declare readonly created: pulumi.Output<number | null>;

  constructor(name: string, args: Agent37SshKeyArgs, opts: pulumi.CustomResourceOptions = {}) {
    const props: Record<string, unknown> = { publicKey: args.publicKey, name: args.name, adopt: args.adopt };
    for (const key of OUTPUT_KEYS) props[key] = undefined;
    // Without Pulumi's per-property stack traces: see core/stack-traces.ts.
    const resume = pauseStackTraces();
    try {
      super(serializedProvider, name, props, opts, "agent37", "SshKey");
    } catch (error) {
      throw resume(error);
    } finally {
      resume();
    }
  }
}
