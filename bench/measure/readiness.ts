// readinessLagMsMedian and healthRequestsPerSecond (design §9: the provider returns within
// 300 ms, median, of the instance turning healthy, sending at most 2 health requests a second).
//
// The emulator runs in this process, so `healthyAt` (admin surface), the request log's `at` and
// the moment `Create` returns here are read from one clock. The gateway of an instance turns
// healthy exactly `bootMs` after the instance reached `running`, so the wait the provider had to
// sit through is [healthyAt - bootMs, healthyAt].
import { up, destroy, type StateEntry } from "../lib/engine";
import { withEmulator } from "../lib/emulator";
import { now } from "../lib/admin";
import { runPool } from "../lib/pool";
import { max, maxInWindow, median, round } from "../lib/stats";
import type { Measure } from "./types";

export const READINESS = {
  creates: 20,
  /** All at once, as `pulumi up` creates independent resources in parallel. */
  concurrency: 20,
  emulator: { provisionMs: 300, bootMs: 1500, lifecycleMs: 50, deleteMs: 20, latencyMs: 0 },
};

const HEALTH_ROUTE = "GET instance:/v1/health";

export const measureReadiness: Measure = async (subject, side, log) => {
  const { bootMs } = READINESS.emulator;
  await withEmulator(READINESS.emulator, async (emulator) => {
    const host = await subject.startHost(emulator);
    const created: { state: StateEntry; returnedAt: number }[] = [];
    try {
      const specs = Array.from({ length: READINESS.creates }, (_, i) => ({ name: `ready-${i}`, user: `ready-${i}` }));
      const results = await runPool(specs, READINESS.concurrency, async (spec) => {
        const state = await up(host, subject, spec);
        created.push({ state, returnedAt: now() });
      });
      const failures = results.filter((r) => r.status === "rejected");
      // healthyAt is only reported while an instance runs: read it before deleting anything.
      const instances = await emulator.admin.instances();
      const { log: requests } = await emulator.admin.requests();
      const lags: number[] = [];
      const rates: number[] = [];
      const peaks: number[] = [];
      const counts: number[] = [];
      for (const { state, returnedAt } of created) {
        const healthyAt = instances.find((i) => i.id === state.id)?.healthyAt;
        if (typeof healthyAt !== "number") continue;
        const runningAt = healthyAt - bootMs;
        const polls = requests.filter((r) => r.route === HEALTH_ROUTE && r.instanceId === state.id && r.at >= runningAt && r.at <= returnedAt).map((r) => r.at);
        lags.push(returnedAt - healthyAt);
        counts.push(polls.length);
        rates.push(polls.length / ((returnedAt - runningAt) / 1000));
        peaks.push(maxInWindow(polls, 1000));
      }
      if (lags.length === 0) throw new Error(`no create completed (${failures.length} failed)`);
      side.figures.readinessLagMsMedian = round(median(lags), 1);
      side.figures.healthRequestsPerSecond = round(max(rates), 2);
      side.details["readiness"] = {
        creates: READINESS.creates,
        completed: lags.length,
        failed: failures.length,
        failures: failures.slice(0, 3).map((f) => String((f as PromiseRejectedResult).reason)),
        bootMs,
        lagMs: { median: round(median(lags), 1), max: round(max(lags), 1), min: round(Math.min(...lags), 1) },
        healthRequestsPerCreate: { median: median(counts), max: max(counts) },
        healthRequestsPerSecond: { median: round(median(rates), 2), max: round(max(rates), 2) },
        peakHealthRequestsInAnySecond: max(peaks),
      };
      log(`readiness ${subject.side}: lag median ${round(median(lags), 1)} ms, max ${round(max(rates), 2)} health req/s`);
    } finally {
      await runPool(created, 16, ({ state }) => destroy(host, state));
      await host.close();
    }
  });
};
