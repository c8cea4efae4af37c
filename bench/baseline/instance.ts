import * as pulumi from "@pulumi/pulumi";
import { baselineProvider } from "./provider";

/** Resource inputs of the baseline, as its users would declare them. */
export interface BaselineInstanceArgs {
  template?: pulumi.Input<string>;
  resources?: pulumi.Input<{ cpu: number; memory: number; disk?: number }>;
  name?: pulumi.Input<string>;
  user?: pulumi.Input<string>;
  metadata?: pulumi.Input<Record<string, string>>;
}

/**
 * The baseline's resource class, shaped like the documentation's examples: the provider object
 * handed to `pulumi.dynamic.Resource`, output properties declared as `undefined` inputs.
 */
export class BaselineInstance extends pulumi.dynamic.Resource {
  public readonly instanceId!: pulumi.Output<string>;
  public readonly url!: pulumi.Output<string>;
  public readonly status!: pulumi.Output<string>;

  constructor(name: string, args: BaselineInstanceArgs, opts?: pulumi.CustomResourceOptions) {
    super(baselineProvider, name, { ...args, instanceId: undefined, url: undefined, status: undefined }, opts);
  }
}
