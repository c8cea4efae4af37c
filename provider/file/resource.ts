// Generated from provider/file/fields.ts by scripts/gen-resources.ts: do not edit; a test fails when it drifts.
// The Agent37File resource class users write in their programs.
import type * as pulumi from "@pulumi/pulumi";
import { DeclaredResource, declaredProps, type OutputProperties } from "../core/declared-resource";
import type { FileOutputs } from "./types";

/** Inputs of {@link Agent37File}. */
export interface Agent37FileArgs {
  /** The instance whose file this is. A change replaces the resource. */
  instanceId: pulumi.Input<string>;
  /**
   * Where the file goes, as the gateway resolves it: `~/...` is the instance user's home
   * (`/home/user`), a relative path is under the agent workspace
   * (`/home/user/.agent37-gateway/workspace`). Check records the resolved absolute path. A change
   * replaces the resource.
   */
  path: pulumi.Input<string>;
  /** The file's content (UTF-8; may be a Pulumi secret). Exactly one of `content` and `source`. */
  content?: pulumi.Input<string>;
  /**
   * A local file whose bytes are written, relative to the project folder. Read and hashed at check
   * (no network). Exactly one of `content` and `source`.
   */
  source?: pulumi.Input<string>;
  /**
   * Replace a file that already exists at `path` when the resource is created. Without it, a create
   * refuses a file this resource did not write. Read only at create.
   */
  overwrite?: pulumi.Input<boolean>;
}

const OUTPUT_KEYS = ["size", "modified", "sha256"] as const;

const SECRET_OUTPUTS = ["sha256"];

/**
 * One file in an Agent37 instance, written through the gateway's Files API: a persona, a prompt, a
 * skill, a config. Its content is hashed at check, so a changed file previews as an update with no
 * network call; an edit made inside the instance shows as drift on refresh and is restored by the
 * next `up`, never silently overwritten. The content is never an output.
 */
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging -- its outputs are the interface's (below), set by Pulumi's constructor
export class Agent37File extends DeclaredResource {
  constructor(name: string, args: Agent37FileArgs, opts: pulumi.CustomResourceOptions = {}) {
    super("File", "fileProvider", name, declaredProps(args, ["instanceId", "path", "content", "source", "overwrite"], OUTPUT_KEYS), opts, SECRET_OUTPUTS);
  }
}

// Its outputs, as properties (see core/declared-resource.ts): Pulumi's constructor sets them.
// eslint-disable-next-line @typescript-eslint/no-empty-object-type, @typescript-eslint/no-unsafe-declaration-merging -- its members are the merged ones
export interface Agent37File extends OutputProperties<FileOutputs> {}
