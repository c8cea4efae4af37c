// What the instance's operations share within one provider: the API, the connection's settings,
// timings, template lookups, and the replacements under way in this run.
import type { Connection } from "../core/connection";
import { plain } from "../core/wire";
import type { InstancesApi } from "./api";
import type { Instance } from "./api-schema";
import { DEFAULT_HEALTH_INTERVAL_MS } from "./health";
import type { InstanceInputs } from "./inputs";
import { buildOutputs, type HealthOutput, type InstanceOutputs, type TemplateInfo } from "./outputs";
import type { TemplateLookups } from "./templates";
import type { ProviderTimings } from "./types";

export type { ProviderTimings } from "./types";

export const DEFAULT_TIMINGS: ProviderTimings = {
  pollIntervalMs: 200,
  maxPollIntervalMs: 2_000,
  settleTimeoutMs: 900_000,
  deleteTimeoutMs: 600_000,
  healthIntervalMs: DEFAULT_HEALTH_INTERVAL_MS,
  createAttempts: 4,
};

export interface InstanceContext {
  readonly api: InstancesApi;
  readonly connection: Connection;
  readonly timings: ProviderTimings;
  readonly templates: TemplateLookups;
  /** Create key → ids of instances being replaced under it in this run: never taken over. */
  readonly replacing: Map<string, Set<string>>;
  /**
   * Create keys whose create is under way in this provider. Creates under one key look for and
   * delete each other's instances, so a second one at the same time is refused.
   */
  readonly creating: Set<string>;
}

/** The outputs this provider reports for `instance` (URLs from the connection's URL template). */
export function outputsOf(
  ctx: InstanceContext,
  instance: Instance,
  template: TemplateInfo,
  inputs: InstanceInputs,
  health: HealthOutput | null,
  previous?: Partial<InstanceOutputs>,
): InstanceOutputs {
  return plain(buildOutputs(instance, { template, inputs, health, urlTemplate: ctx.connection.current().instanceUrlTemplate, previous }));
}
