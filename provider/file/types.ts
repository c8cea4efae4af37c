// Generated from provider/file/fields.ts by scripts/gen-resources.ts: do not edit; a test fails when it drifts.
// The plain values Agent37File's operations take and give.

/** The inputs of Agent37File, as check validated them. */
export interface FileInputs {
  /** The instance whose file this is. A change replaces the resource. */
  instanceId: string;
  /**
   * Where the file goes, as the gateway resolves it: `~/...` is the instance user's home
   * (`/home/user`), a relative path is under the agent workspace
   * (`/home/user/.agent37-gateway/workspace`). Check records the resolved absolute path. A change
   * replaces the resource.
   */
  path: string;
  /** The file's content (UTF-8; may be a Pulumi secret). Exactly one of `content` and `source`. */
  content?: string;
  /**
   * A local file whose bytes are written, relative to the project folder. Read and hashed at check
   * (no network). Exactly one of `content` and `source`.
   */
  source?: string;
  /**
   * Replace a file that already exists at `path` when the resource is created. Without it, a create
   * refuses a file this resource did not write. Read only at create.
   */
  overwrite?: boolean;
}

/** What an Agent37File resolves to. */
export interface FileOutputs {
  /** The instance. */
  instanceId: string;
  /** The file's resolved absolute path in the instance. */
  path: string;
  /** Bytes written. */
  size: number;
  /** The file's modification time as the gateway reports it (epoch ms, fractional). */
  modified: number;
  /** SHA-256 (hex) of what was written: of the file as it is in the instance after a refresh. */
  sha256: string;
}
