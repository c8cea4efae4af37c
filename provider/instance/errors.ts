// The instance's own error: created, but not ready.
import { Agent37ResourceInitError, reasonOf } from "../core/errors";
import type { InstanceOutputs } from "./outputs";

/**
 * Error for "the instance exists but did not finish initializing". The provider host reports
 * it as an initialization failure and keeps the instance in state (pulumi dynamic contract).
 */
export class Agent37InitError extends Agent37ResourceInitError {
  override name = "Agent37InitError";
  constructor(id: string, properties: InstanceOutputs, cause: unknown) {
    super(`Agent37 instance ${id} was created but failed to initialize: ${reasonOf(cause)}`, id, properties, cause);
  }
}
