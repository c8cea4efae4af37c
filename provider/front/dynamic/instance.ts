// Agent37Instance's dynamic provider: the seam's adapter over its resource (instance/provider.ts),
// what `instanceProvider()` (dynamic.ts) and `createInstanceProvider` return, as in 0.1.0. Apart
// from providers.ts so that the host of a stack with only instances loads no other resource.
import type * as pulumi from "@pulumi/pulumi";
import type { ConnectionOptions } from "../../core/connection";
import type { InstanceInputs } from "../../instance/inputs";
import type { InstanceOutputs } from "../../instance/outputs";
import { instanceResourceWith } from "../../instance/provider";
import type { ProviderTimings } from "../../instance/types";
import { DynamicAdapter } from "./adapter";

export { Agent37InitError } from "../../instance/errors";
export type { ProviderTimings } from "../../instance/types";

export interface ProviderOptions extends ConnectionOptions {
  timings?: Partial<ProviderTimings>;
}

/**
 * The dynamic door's provider for Agent37Instance, typed as the dynamic provider it is: the
 * shipped declarations name neither the adapter nor the inputs' schema (its validator's types;
 * test/consumer-types.test.ts).
 */
export type Agent37InstanceProvider = Required<Pick<pulumi.dynamic.ResourceProvider, "check" | "diff" | "create" | "read" | "update" | "delete">> & {
  configure(req: pulumi.dynamic.ConfigureRequest): Promise<void>;
};

/** A provider with explicit options (tests, embedding). The host uses `instanceProvider()`. */
export function createInstanceProvider(options: ProviderOptions = {}): Agent37InstanceProvider {
  return new DynamicAdapter<InstanceInputs, InstanceOutputs>(instanceResourceWith(options.timings), options);
}
