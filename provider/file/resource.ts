// Generated from provider/file/fields.ts by scripts/gen-resources.ts: do not edit; a test fails when it drifts.
// The Agent37File resource class users write in their programs.
import * as pulumi from "@pulumi/pulumi";
import { thinProvider } from "../core/serialized";
import { pauseStackTraces } from "../core/stack-traces";

// Captures nothing but the name of the implementation entry: see core/serialized.ts.
const serializedProvider = thinProvider("fileProvider");

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
export class Agent37File extends pulumi.dynamic.Resource {
  /** The instance. */
  declare readonly instanceId: pulumi.Output<string>;
  /** The file's resolved absolute path in the instance. */
  declare readonly path: pulumi.Output<string>;
  /** Bytes written. */
  declare readonly size: pulumi.Output<number>;
  /** The file's modification time as the gateway reports it (epoch ms, fractional). */
  declare readonly modified: pulumi.Output<number>;
  /** SHA-256 (hex) of what was written: of the file as it is in the instance after a refresh. */
  declare readonly sha256: pulumi.Output<string>;

  constructor(name: string, args: Agent37FileArgs, opts: pulumi.CustomResourceOptions = {}) {
    const props: Record<string, unknown> = { instanceId: args.instanceId, path: args.path, content: args.content, source: args.source, overwrite: args.overwrite };
    for (const key of OUTPUT_KEYS) props[key] = undefined;
    // Without Pulumi's per-property stack traces: see core/stack-traces.ts.
    const resume = pauseStackTraces();
    try {
      super(serializedProvider, name, props, { ...opts, additionalSecretOutputs: [...(opts.additionalSecretOutputs ?? []), ...SECRET_OUTPUTS] }, "agent37", "File");
    } catch (error) {
      throw resume(error);
    } finally {
      resume();
    }
  }
}
