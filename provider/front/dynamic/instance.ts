// Agent37Instance's dynamic provider: the seam's adapter over its resource (instance/provider.ts),
// what `instanceProvider()` (dynamic.ts) and `createInstanceProvider` return, as in 0.1.0. Apart
// from providers.ts so that the host of a stack with only instances loads no other resource.
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

/** The dynamic door's provider for Agent37Instance. */
export class Agent37InstanceProvider extends DynamicAdapter<InstanceInputs, InstanceOutputs> {
  constructor(options: ProviderOptions = {}) {
    super(instanceResourceWith(options.timings), options);
  }
}

/** A provider with explicit options (tests, embedding). The host uses `instanceProvider()`. */
export function createInstanceProvider(options?: ProviderOptions): Agent37InstanceProvider {
  return new Agent37InstanceProvider(options);
}
