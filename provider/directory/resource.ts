// Generated from provider/directory/fields.ts by scripts/gen-resources.ts: do not edit; a test fails when it drifts.
// The Agent37Directory resource class users write in their programs.
import type * as pulumi from "@pulumi/pulumi";
import { DeclaredResource, declaredProps, type OutputProperties } from "../core/declared-resource";
import type { DirectoryOutputs } from "./types";

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
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging -- its outputs are the interface's (below), set by Pulumi's constructor
export class Agent37Directory extends DeclaredResource {
  constructor(name: string, args: Agent37DirectoryArgs, opts: pulumi.CustomResourceOptions = {}) {
    super("Directory", "directoryProvider", name, declaredProps(args, ["instanceId", "source", "path", "ignore", "prune"], OUTPUT_KEYS), opts);
  }
}

// Its outputs, as properties (see core/declared-resource.ts): Pulumi's constructor sets them.
// eslint-disable-next-line @typescript-eslint/no-empty-object-type, @typescript-eslint/no-unsafe-declaration-merging -- its members are the merged ones
export interface Agent37Directory extends OutputProperties<DirectoryOutputs> {}
