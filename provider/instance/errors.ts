// The instance's own error: created, but not ready.
import { Agent37ResourceInitError, reasonOf } from "../core/errors";
import type { InstanceOutputs } from "./types";

/**
 * Error for "the instance exists but did not finish initializing". The provider host reports
 * it as an initialization failure and keeps the instance in state (pulumi dynamic contract).
 */
export class Agent37InitError extends Agent37ResourceInitError {
  override name = "Agent37InitError";
  /**
   * `update`: an update that stopped part way (its readiness gate failed, or a later call was
   * refused). Reported as an init failure too, with the outputs of what now runs, so the state
   * says what runs (both provider hosts record an update's init failure with its properties).
   */
  readonly phase: "create" | "update";
  constructor(id: string, properties: InstanceOutputs, cause: unknown, phase: "create" | "update" = "create") {
    super(
      phase === "create"
        ? `Agent37 instance ${id} was created but failed to initialize: ${reasonOf(cause)}`
        : `the update stopped before it finished: ${reasonOf(cause)}`,
      id,
      properties,
      cause,
    );
    this.phase = phase;
  }
}
