// The instance's own error: created, but not ready.
import { Agent37Error } from "../core/errors";
import { redact, redactDeep } from "../core/redact";
import { plain } from "../core/wire";
import type { InstanceOutputs } from "./outputs";

/**
 * Error for "the instance exists but did not finish initializing". The provider host reports
 * it as an initialization failure and keeps the instance in state (pulumi dynamic contract).
 */
export class Agent37InitError extends Agent37Error {
  override name = "Agent37InitError";
  readonly id: string;
  readonly properties: Record<string, unknown>;
  readonly reasons: string[];
  constructor(id: string, properties: InstanceOutputs, cause: unknown) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    super(`Agent37 instance ${id} was created but failed to initialize: ${reason}`, { cause });
    this.id = id;
    this.properties = redactDeep(plain(properties)) as unknown as Record<string, unknown>;
    this.reasons = [redact(reason)];
  }
}
