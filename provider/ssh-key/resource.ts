// Generated from provider/ssh-key/fields.ts by scripts/gen-resources.ts: do not edit; a test fails when it drifts.
// The Agent37SshKey resource class users write in their programs.
import type * as pulumi from "@pulumi/pulumi";
import { DeclaredResource, declaredProps, type OutputProperties } from "../core/declared-resource";
import type { SshKeyOutputs } from "./types";

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
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging -- its outputs are the interface's (below), set by Pulumi's constructor
export class Agent37SshKey extends DeclaredResource {
  constructor(name: string, args: Agent37SshKeyArgs, opts: pulumi.CustomResourceOptions = {}) {
    super("SshKey", "sshKeyProvider", name, declaredProps(args, ["publicKey", "name", "adopt"], OUTPUT_KEYS), opts);
  }
}

// Its outputs, as properties (see core/declared-resource.ts): Pulumi's constructor sets them.
// eslint-disable-next-line @typescript-eslint/no-empty-object-type, @typescript-eslint/no-unsafe-declaration-merging -- its members are the merged ones
export interface Agent37SshKey extends OutputProperties<SshKeyOutputs> {}
