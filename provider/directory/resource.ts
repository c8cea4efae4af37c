// Generated from provider/directory/fields.ts by scripts/gen-resources.ts: do not edit; a test fails when it drifts.
// The Agent37Directory resource class users write in their programs.
import * as pulumi from "@pulumi/pulumi";
import { thinProvider } from "../core/serialized";
import { pauseStackTraces } from "../core/stack-traces";

// Captures nothing but the name of the implementation entry: see core/serialized.ts.
const serializedProvider = thinProvider("directoryProvider");

/** Inputs of {@link Agent37Directory}. */
export interface Agent37DirectoryArgs {
  /** The instance whose folder this is. A change replaces the resource. */
  instanceId: pulumi.Input<string>;
  /**
   * The local folder, relative to the project folder. Read and hashed at check (no network): a
   * file's mtime or mode alone is no change.
   */
  source: pulumi.Input<string>;
  /**
   * The folder in the instance, as the gateway resolves it (`~/...` under the instance user's home,
   * a relative path under the agent workspace); not `/`, the home or the workspace itself. Check
   * records the resolved absolute path. A change replaces the resource.
   */
  path: pulumi.Input<string>;
  /**
   * Patterns of files to leave out, with `.dockerignore`'s rules (the same as Agent37Template's
   * build context): `*`, `**`, `!` exceptions, the last match decides.
   */
  ignore?: pulumi.Input<pulumi.Input<string>[]>;
  /**
   * Delete the files this resource wrote that are gone from `source` (never a file it did not
   * write). Default: true.
   */
  prune?: pulumi.Input<boolean>;
}

const OUTPUT_KEYS = ["files", "sha256", "manifest"] as const;

/**
 * A local folder kept in sync with a folder in an Agent37 instance (skills, prompts, knowledge
 * files), through the gateway's Files API. The folder is hashed at check, so a changed file
 * previews as an update with no network call; an update writes exactly the files whose content
 * changed and deletes exactly the files it wrote that are gone locally. It never overwrites or
 * deletes a file it did not write.
 */
export class Agent37Directory extends pulumi.dynamic.Resource {
  /** The instance. */
  declare readonly instanceId: pulumi.Output<string>;
  /** The folder's resolved absolute path in the instance. */
  declare readonly path: pulumi.Output<string>;
  /** How many files this resource wrote and holds. */
  declare readonly files: pulumi.Output<number>;
  /**
   * The tree hash of the files it holds (of the files as they are in the instance after a refresh).
   */
  declare readonly sha256: pulumi.Output<string>;
  /**
   * What it wrote, one line per file (`path`, a 64-bit content hash, the mtime): what prune and
   * refresh need, about 70 bytes a file.
   */
  declare readonly manifest: pulumi.Output<string>;

  constructor(name: string, args: Agent37DirectoryArgs, opts: pulumi.CustomResourceOptions = {}) {
    const props: Record<string, unknown> = { instanceId: args.instanceId, source: args.source, path: args.path, ignore: args.ignore, prune: args.prune };
    for (const key of OUTPUT_KEYS) props[key] = undefined;
    // Without Pulumi's per-property stack traces: see core/stack-traces.ts.
    const resume = pauseStackTraces();
    try {
      super(serializedProvider, name, props, opts, "agent37", "Directory");
    } catch (error) {
      throw resume(error);
    } finally {
      resume();
    }
  }
}
