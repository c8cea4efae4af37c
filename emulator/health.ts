import type { TemplateDef } from "./catalog";
import type { InstanceRecord } from "./model";
import type { Runtime } from "./runtime";

/**
 * The gateway's boot, computed from timestamps at request time (no timers):
 * - `down`: the container is not running;
 * - `starting`: first half of `bootMs` after `running`: nothing listens yet (502 at the edge);
 * - `booting`: gateway up, agent not yet (`healthy: false`);
 * - `ready`: from `bootFrom + bootMs` on.
 * Port-less templates never have a gateway.
 */
export type GatewayPhase = "down" | "none" | "starting" | "booting" | "ready";

export function gatewayPhase(rt: Runtime, rec: InstanceRecord, tpl: TemplateDef | undefined, t: number): GatewayPhase {
  if (rec.status !== "running" || rec.bootFrom === null) return "down";
  if (!tpl || tpl.agents.length === 0) return "none";
  const elapsed = t - rec.bootFrom;
  if (elapsed < rt.opts.bootMs / 2) return "starting";
  if (elapsed < rt.opts.bootMs) return "booting";
  return "ready";
}

/**
 * The moment health first turned true in the current boot, or null. An `unhealthy` fault that
 * held health down during this boot moves that moment to when the fault stopped applying.
 */
export function healthyAt(rt: Runtime, rec: InstanceRecord, tpl: TemplateDef | undefined, t: number): number | null {
  if (rec.status !== "running" || rec.bootFrom === null || !tpl || tpl.agents.length === 0) return null;
  let at = rec.bootFrom + rt.opts.bootMs;
  if (rec.unhealthyUntil !== null && rec.unhealthyUntil >= rec.bootFrom) {
    if (rt.faults.pinsUnhealthy(rec.id)) return null;
    at = Math.max(at, rec.unhealthyUntil, rt.faults.liftedAt);
  }
  return t >= at ? at : null;
}
