import { z } from "zod";
import type { Assert, Same } from "../provider/core/schema-type";
import { now } from "./clock";
import type * as Plain from "./types";

export const FaultRule = z
  .object({
    method: z.string().optional(),
    path: z.string(),
    plane: z.enum(["api", "instance"]).optional(),
    instanceId: z.string().optional(),
    kind: z.enum(["status", "status-after", "garble-after", "delay", "reset-after", "reset-before", "reset-mid-body", "unhealthy"]),
    /** `garble-after`: how the answer's body is spoiled (its status is kept). */
    garble: z.enum(["truncate", "html", "iso-created"]).optional(),
    status: z.number().int().min(400).max(599).optional(),
    code: z.string().optional(),
    message: z.string().optional(),
    retryAfterSeconds: z.number().min(0).optional(),
    delayMs: z.number().min(0).optional(),
    /** `reset-mid-body`: how many bytes of the request's body arrive before the connection drops. */
    afterBytes: z.number().int().min(0).optional(),
    count: z.number().int().min(1).optional(),
    /** Let this many matching requests through untouched before the rule applies. */
    skip: z.number().int().min(1).optional(),
    probability: z.number().min(0).max(1).optional(),
  })
  .strict();
export type FaultRule = Plain.FaultRule;
type _PlainFaultRule = Assert<Same<z.output<typeof FaultRule>, Plain.FaultRule>>;

export const FaultPlan = z.object({ seed: z.number().int().optional(), faults: z.array(FaultRule) }).strict();
export type FaultPlan = Plain.FaultPlan;
type _PlainFaultPlan = Assert<Same<z.output<typeof FaultPlan>, Plain.FaultPlan>>;

/** mulberry32: tiny, seedable, good enough to make "10% of requests" repeatable. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `*` matches one path segment, `**` the rest of the path (zero or more segments). */
export function pathMatches(pattern: string, path: string): boolean {
  const p = pattern.split("/").filter(Boolean);
  const s = path.split("/").filter(Boolean);
  for (let i = 0; i < p.length; i++) {
    const seg = p[i];
    if (seg === "**") return true;
    if (i >= s.length) return false;
    if (seg !== "*" && seg !== s[i]) return false;
  }
  return p.length === s.length;
}

export interface RequestFacts {
  method: string;
  path: string;
  plane: "api" | "instance";
  instanceId: string | undefined;
}

export interface FaultDecision {
  /** Sum of the matching `delay` rules. */
  delayMs: number;
  /** The first matching non-delay rule, if any. */
  rule: FaultRule | undefined;
}

interface ActiveRule {
  rule: FaultRule;
  remaining: number | undefined;
  /** Matches still to let through (`skip`). */
  toSkip: number;
}

/**
 * The fault plan. Rules are checked in plan order; each match of a `count` rule uses one of its
 * applications, and `probability` rules draw from a PRNG seeded by the plan, so the same seed and
 * the same request sequence give the same faults.
 */
export class Faults {
  private rules: ActiveRule[] = [];
  private rng = mulberry32(1);
  /** When the plan last stopped holding health down (see `healthyAt`). */
  liftedAt = 0;

  set(plan: FaultPlan): void {
    const hadUnhealthy = this.rules.some((r) => r.rule.kind === "unhealthy");
    this.rules = plan.faults.map((rule) => ({ rule, remaining: rule.count, toSkip: rule.skip ?? 0 }));
    this.rng = mulberry32(plan.seed ?? 1);
    if (hadUnhealthy) this.liftedAt = now();
  }

  clear(): void {
    this.set({ faults: [] });
  }

  plan(): { rule: FaultRule; remaining: number | undefined }[] {
    return this.rules.map((r) => ({ rule: r.rule, remaining: r.remaining }));
  }

  private matches(r: ActiveRule, req: RequestFacts): boolean {
    const plane = r.rule.plane ?? (r.rule.kind === "unhealthy" ? "instance" : "api");
    if (plane !== req.plane) return false;
    if (r.remaining !== undefined && r.remaining <= 0) return false;
    if (r.rule.method !== undefined && r.rule.method.toUpperCase() !== req.method) return false;
    if (r.rule.instanceId !== undefined && r.rule.instanceId !== req.instanceId) return false;
    return pathMatches(r.rule.path, req.path);
  }

  /** Consumes one application of `r` if it fires (count left, probability drawn). */
  private fires(r: ActiveRule): boolean {
    if (r.toSkip > 0) {
      r.toSkip -= 1;
      return false;
    }
    if (r.rule.probability !== undefined && this.rng() >= r.rule.probability) return false;
    if (r.remaining !== undefined) r.remaining -= 1;
    return true;
  }

  /** Decides the faults for one request (everything but `unhealthy`, which the gateway asks about). */
  decide(req: RequestFacts): FaultDecision {
    let delayMs = 0;
    for (const r of this.rules) {
      if (r.rule.kind === "unhealthy" || !this.matches(r, req)) continue;
      if (!this.fires(r)) continue;
      if (r.rule.kind === "delay") {
        delayMs += r.rule.delayMs ?? 0;
        continue;
      }
      return { delayMs, rule: r.rule };
    }
    return { delayMs, rule: undefined };
  }

  /** Whether an `unhealthy` rule holds this health request at `healthy: false` (consumes a count). */
  holdsUnhealthy(req: RequestFacts): boolean {
    for (const r of this.rules) {
      if (r.rule.kind !== "unhealthy" || !this.matches(r, req)) continue;
      if (this.fires(r)) return true;
    }
    return false;
  }

  /** Whether an unlimited `unhealthy` rule covers this instance (it cannot have turned healthy yet). */
  pinsUnhealthy(instanceId: string): boolean {
    return this.rules.some((r) => r.rule.kind === "unhealthy" && r.remaining === undefined && r.rule.probability === undefined && (r.rule.instanceId === undefined || r.rule.instanceId === instanceId));
  }
}
