// Rolling a template revision out to a fleet in batches, in a program: each batch of instances
// depends on the one before, so Pulumi moves the next batch only after the previous one passed
// its readiness gate on the new revision, and stops at the first batch that does not.
import type * as pulumi from "@pulumi/pulumi";
import { Agent37Instance, type Agent37InstanceArgs } from "../instance/resource";

/** Inputs of {@link rollingFleet}. */
export interface RollingFleetArgs {
  /**
   * The template every instance runs, usually `template.pinned` of an `Agent37Template`: a new
   * revision changes it, and that change is what rolls out.
   */
  template: pulumi.Input<string>;
  /** Resource names of the instances, in rollout order (the first batch takes the first names). */
  names: readonly string[];
  /**
   * Instances updated together. Each batch starts when every instance of the previous batch
   * has moved and turned ready.
   * @default 1
   */
  batchSize?: number;
  /** Inputs shared by every instance (all but `template`). */
  instance?: Omit<Agent37InstanceArgs, "template">;
  /** Resource options for every instance; each batch's dependency on the previous is added to them. */
  opts?: pulumi.CustomResourceOptions;
}

/** The fleet {@link rollingFleet} declares. */
export interface RollingFleet {
  /** Every instance, in `names` order. */
  instances: Agent37Instance[];
  /** The same instances, by batch. */
  batches: Agent37Instance[][];
}

/**
 * Declares `names.length` instances of `template`, updated batch by batch: each batch
 * `dependsOn` the previous one. On a new revision, Pulumi updates the first batch in place
 * (`POST /update` and the readiness gate); a batch that fails its gate fails the run with the
 * instance named, and the later batches keep serving the previous revision.
 *
 * ```ts
 * const app = new Agent37Template("app", { name: "my-app", build: { context: "./app" }, defaultPort: 8000 });
 * const fleet = rollingFleet({ template: app.pinned, names: ["web-1", "web-2", "web-3", "web-4"], batchSize: 2 });
 * ```
 */
export function rollingFleet(args: RollingFleetArgs): RollingFleet {
  const size = args.batchSize ?? 1;
  if (!Number.isInteger(size) || size < 1) throw new Error(`rollingFleet: batchSize must be a whole number of at least 1 (got ${String(args.batchSize)})`);
  if (new Set(args.names).size !== args.names.length) throw new Error("rollingFleet: names must be unique (they are Pulumi resource names)");
  const batches: Agent37Instance[][] = [];
  for (let start = 0; start < args.names.length; start += size) {
    const previous = batches[batches.length - 1] ?? [];
    const own = args.opts?.dependsOn;
    const dependsOn = [...(own === undefined ? [] : Array.isArray(own) ? own : [own]), ...previous] as pulumi.Input<pulumi.Resource>[];
    batches.push(
      args.names
        .slice(start, start + size)
        .map((name) => new Agent37Instance(name, { ...args.instance, template: args.template }, { ...args.opts, dependsOn })),
    );
  }
  return { instances: batches.flat(), batches };
}
