// Generated from provider/directory/fields.ts by scripts/gen-resources.ts: do not edit; a test fails when it drifts.
// The plain values Agent37Directory's operations take and give.

/** The inputs of Agent37Directory, as check validated them. */
export interface DirectoryInputs {
  /** The instance whose folder this is. A change replaces the resource. */
  instanceId: string;
  /**
   * The local folder, relative to the project folder. Read and hashed at check (no network): a
   * file's mtime or mode alone is no change.
   */
  source: string;
  /**
   * The folder in the instance, as the gateway resolves it (`~/...` under the instance user's home,
   * a relative path under the agent workspace); not `/`, the home or the workspace itself. Check
   * records the resolved absolute path. A change replaces the resource.
   */
  path: string;
  /**
   * Patterns of files to leave out, with `.dockerignore`'s rules (the same as Agent37Template's
   * build context): `*`, `**`, `!` exceptions, the last match decides.
   */
  ignore?: string[];
  /**
   * Delete the files this resource wrote that are gone from `source` (never a file it did not
   * write). Default: true.
   */
  prune?: boolean;
}

/** What an Agent37Directory resolves to. */
export interface DirectoryOutputs {
  /** The instance. */
  instanceId: string;
  /** The folder's resolved absolute path in the instance. */
  path: string;
  /** How many files this resource wrote and holds. */
  files: number;
  /**
   * The tree hash of the files it holds (of the files as they are in the instance after a refresh).
   */
  sha256: string;
  /**
   * What it wrote, one line per file (`path`, a 64-bit content hash, the mtime): what prune and
   * refresh need, about 70 bytes a file.
   */
  manifest: string;
}
