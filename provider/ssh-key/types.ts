// The public types of Agent37SshKey, plain TypeScript: the package's declarations name no type of
// its dependencies (core/schema-type.ts). The schemas in schema.ts are pinned to these.

/** The inputs as checked (`SshKeyInputs` in schema.ts). */
export interface SshKeyCheckedInputs {
  publicKey: string;
  name?: string | undefined;
  adopt?: boolean | undefined;
}

/** `POST /v1/ssh-keys` -> 201, and the entries of `GET /v1/ssh-keys` (more fields kept). */
export interface SshKeyApiObject {
  [field: string]: unknown;
  id: string;
  name?: string | null | undefined;
  fingerprint: string;
  type?: string | undefined;
  created?: number | undefined;
}

/** What an Agent37SshKey resolves to. */
export interface SshKeyOutputs {
  keyId: string;
  /** Echo of the input. */
  publicKey: string;
  /** OpenSSH's `SHA256:...` form, as `ssh-keygen -l` prints it. */
  fingerprint: string;
  type: string;
  name: string | null;
  /** Epoch seconds. */
  created: number | null;
}
