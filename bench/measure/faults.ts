// faultRun (target: 300 lifecycles with 10% injected faults: 0 failed runs a retry should
// have saved, 0 duplicate instances, 0 leaked instances).
//
// Each lifecycle is `pulumi up` (Check, Create), `pulumi up` with a changed label (Check, Diff,
// Update in place), `pulumi refresh` (Read) and `pulumi destroy` (Delete), through one host,
// 16 lifecycles in flight, against a seeded fault plan in which roughly one request in ten on
// either plane fails in a way the API documents as transient. Every injected fault is one a
// retry should survive, so every failed lifecycle counts.
//
// Afterwards the plan is cleared and whatever the engine still holds in state is destroyed (as
// the next `pulumi destroy` would). Then:
// - duplicates: instances beyond the first with the same lifecycle tag (`user`): a create sent
//   twice;
// - leaked: instances not deleted: ones the engine never learned of (an ambiguous create that
//   the provider gave up on) or could not delete.
import type { AdminInstance, FaultRule } from "../lib/admin";
import { change, destroy, refresh, up, StepError, type StateEntry } from "../lib/engine";
import { withEmulator } from "../lib/emulator";
import { now } from "../lib/admin";
import { runPool } from "../lib/pool";
import { round } from "../lib/stats";
import type { Measure } from "./types";

export const FAULTS = {
  seed: 37,
  concurrency: 16,
  /** Lifecycles per side: each baseline create waits at least one 5 s poll, so it runs fewer. */
  lifecycles: { ours: 300, baseline: 48 },
  emulator: { provisionMs: 100, bootMs: 200, lifecycleMs: 50, deleteMs: 50, latencyMs: 0 },
};

/**
 * The plan. Rules are tried in order, each drawing its own chance; the first non-delay rule that
 * fires answers the request (delays add up). Per request this gives about 10% faults on both
 * planes (create: ~12%, other API calls: ~10%, health: ~9%) plus ~3% slow answers.
 */
export const FAULT_PLAN: FaultRule[] = [
  { method: "POST", path: "/v1/instances", kind: "status", status: 503, code: "no_capacity", message: "No host can fit this shape right now.", probability: 0.03 },
  { method: "POST", path: "/v1/instances", kind: "reset-after", probability: 0.03 },
  { method: "DELETE", path: "/v1/instances/*", kind: "reset-after", probability: 0.02 },
  { method: "PATCH", path: "/v1/instances/*", kind: "status", status: 409, code: "try_again", message: "The instance is changing state; try again.", probability: 0.02 },
  { method: "DELETE", path: "/v1/instances/*", kind: "status", status: 409, code: "try_again", message: "The instance is changing state; try again.", probability: 0.02 },
  { path: "/v1/**", kind: "status", status: 429, code: "rate_limited", message: "Too many requests.", retryAfterSeconds: 1, probability: 0.02 },
  { path: "/v1/**", kind: "status", status: 502, code: "internal_error", message: "Bad gateway.", probability: 0.015 },
  { path: "/v1/**", kind: "status", status: 503, code: "try_again", message: "Service unavailable.", probability: 0.015 },
  { path: "/v1/**", kind: "status", status: 504, code: "internal_error", message: "Gateway timeout.", probability: 0.01 },
  { path: "/v1/**", kind: "delay", delayMs: 300, probability: 0.03 },
  { plane: "instance", path: "/v1/health", kind: "status", status: 502, code: "container_unreachable", probability: 0.04 },
  { plane: "instance", path: "/v1/health", kind: "status", status: 503, code: "instance_saturated", probability: 0.03 },
  { plane: "instance", path: "/v1/health", kind: "reset-before", probability: 0.02 },
  { plane: "instance", path: "/v1/health", kind: "delay", delayMs: 300, probability: 0.03 },
];

/**
 * From the admin listing after a run (deleted instances included): `duplicates` = instances
 * beyond the first with the same lifecycle tag (`user`), `leaked` = instances not deleted.
 */
export function tallyInstances(instances: readonly Pick<AdminInstance, "user" | "status">[]): { duplicates: number; leaked: Pick<AdminInstance, "user" | "status">[] } {
  const perTag = new Map<string, number>();
  for (const inst of instances) {
    const tag = inst.user ?? "(untagged)";
    perTag.set(tag, (perTag.get(tag) ?? 0) + 1);
  }
  const duplicates = [...perTag.values()].reduce((sum, n) => sum + Math.max(0, n - 1), 0);
  return { duplicates, leaked: instances.filter((i) => i.status !== "deleted") };
}

interface Outcome {
  state: StateEntry | undefined;
  failedStep?: string;
  error?: string;
}

export const measureFaults: Measure = async (subject, side, log) => {
  const lifecycles = FAULTS.lifecycles[subject.side];
  await withEmulator(FAULTS.emulator, async (emulator) => {
    const host = await subject.startHost(emulator);
    try {
      await emulator.admin.setFaults(FAULTS.seed, FAULT_PLAN);
      const start = now();
      const outcomes = await runPool(
        Array.from({ length: lifecycles }, (_, i) => i),
        FAULTS.concurrency,
        async (i): Promise<Outcome> => {
          const tag = `lc-${i}`;
          let state: StateEntry | undefined;
          try {
            state = await up(host, subject, { name: tag, user: tag });
            state = await change(host, subject, state, { name: tag, user: tag, label: `${tag}-renamed` });
            state = await refresh(host, state);
            await destroy(host, state);
            return { state: undefined };
          } catch (error) {
            const kept = error instanceof StepError ? error.state : state;
            return { state: kept, failedStep: error instanceof StepError ? error.step : "unknown", error: error instanceof Error ? error.message : String(error) };
          }
        },
      );
      const wall = now() - start;
      const { log: requests } = await emulator.admin.requests();
      await emulator.admin.clearFaults();

      const settled = outcomes.map((o) => (o.status === "fulfilled" ? o.value : { state: undefined, failedStep: "harness", error: String(o.reason) }));
      const failed = settled.filter((o) => o.failedStep !== undefined);
      // The next `pulumi destroy`: whatever is still in state, with the faults gone.
      const leftovers = settled.flatMap((o) => (o.state ? [o.state] : []));
      const cleanup = await runPool(leftovers, FAULTS.concurrency, (state) => destroy(host, state));

      const instances = await emulator.admin.settled(15_000);
      const { duplicates, leaked } = tallyInstances(instances);

      side.figures.faultRun = { lifecycles, failed: failed.length, duplicates, leaked: leaked.length };
      const faulted = requests.filter((r) => r.fault !== undefined);
      const byKind: Record<string, number> = {};
      for (const r of faulted) {
        const kind = `${r.plane} ${r.fault ?? ""}${r.fault === "status" ? ` ${r.status}` : ""}`;
        byKind[kind] = (byKind[kind] ?? 0) + 1;
      }
      const failedSteps: Record<string, number> = {};
      for (const f of failed) failedSteps[f.failedStep ?? "?"] = (failedSteps[f.failedStep ?? "?"] ?? 0) + 1;
      side.details["faultRun"] = {
        lifecycles,
        concurrency: FAULTS.concurrency,
        seed: FAULTS.seed,
        wallMs: round(wall, 0),
        requests: requests.length,
        faultedRequests: faulted.length,
        faultRate: requests.length === 0 ? null : round(faulted.length / requests.length, 3),
        faultsByKind: byKind,
        failedSteps,
        sampleErrors: failed.slice(0, 3).map((f) => f.error),
        cleanupDestroys: leftovers.length,
        cleanupFailures: cleanup.filter((r) => r.status === "rejected").length,
        leakedStatuses: leaked.map((i) => i.status),
      };
      if (subject.side === "baseline") side.notes.faultRun = `bounded to ${lifecycles} lifecycles (its creates wait for 5 s polls); compare rates`;
      log(`faults ${subject.side}: ${lifecycles} lifecycles, ${failed.length} failed, ${duplicates} duplicates, ${leaked.length} leaked, ${round(wall / 1000, 1)} s`);
    } finally {
      await host.close();
    }
  });
};
