// readinessLagMsMedian and healthRequestsPerSecond (target: the provider returns within
// 300 ms, median, of the instance turning healthy, sending at most 2 health requests a second).
//
// The emulators run in this process, so `healthyAt` (admin surface), the request log's `at` and
// the moment `Create` returns here are read from one clock. A gateway turns healthy exactly
// `bootMs` after its instance reached `running`, so the wait the provider sat through is
// [healthyAt - bootMs, healthyAt].
//
// Boot time is deterministic in the emulator, so with one `bootMs` every create would meet the
// provider's polling schedule at the same phase and the lag would be a property of the chosen
// number, not of the provider (a poller that happens to ask right after the flip looks perfect).
// The creates are therefore spread over ten emulators whose boot times step through one 500 ms
// polling period (1500, 1550, ... 1950 ms), two creates each. Five emulators (and their hosts)
// run at a time; all hosts of a batch are up before its ten creates start together.
import type { BenchEmulator } from "../lib/emulator";
import { up, destroy, type StateEntry } from "../lib/engine";
import { startBenchEmulator } from "../lib/emulator";
import { now, type AdminInstance, type RequestLogEntry } from "../lib/admin";
import { runPool } from "../lib/pool";
import { max, maxInWindow, median, percentile, pollingRate, round } from "../lib/stats";
import type { Subject } from "../lib/subjects";
import type { ProviderHost } from "../../test/harness";
import type { Measure } from "./types";

export const READINESS = {
  bootMs: Array.from({ length: 10 }, (_, i) => 1500 + 50 * i),
  createsPerBoot: 2,
  /** Emulators (and provider hosts) alive at once. */
  batch: 5,
  emulator: { provisionMs: 300, lifecycleMs: 50, deleteMs: 20, latencyMs: 0 },
};

const HEALTH_ROUTE = "GET instance:/v1/health";

interface Sample {
  bootMs: number;
  lag: number;
  polls: number[];
  waitSeconds: number;
  afterHealthy: string[];
}

interface Group {
  bootMs: number;
  emulator: BenchEmulator;
  host?: ProviderHost;
  created: { state: StateEntry; returnedAt: number }[];
}

/** The creates of one group, then its samples, read before anything is deleted (healthyAt is only reported while an instance runs). */
async function createAndSample(subject: Subject, group: Group, host: ProviderHost): Promise<{ samples: Sample[]; failures: string[] }> {
  const { bootMs, emulator, created } = group;
  const specs = Array.from({ length: READINESS.createsPerBoot }, (_, i) => ({ name: `ready-${bootMs}-${i}`, user: `ready-${bootMs}-${i}` }));
  const results = await runPool(specs, specs.length, async (spec) => {
    const state = await up(host, subject, spec);
    created.push({ state, returnedAt: now() });
  });
  const instances: AdminInstance[] = await emulator.admin.instances();
  const { log: requests }: { log: RequestLogEntry[] } = await emulator.admin.requests();
  const samples: Sample[] = [];
  for (const { state, returnedAt } of created) {
    const healthyAt = instances.find((i) => i.id === state.id)?.healthyAt;
    if (typeof healthyAt !== "number") continue;
    const runningAt = healthyAt - bootMs;
    const mine = requests.filter((r) => r.instanceId === state.id && r.at <= returnedAt);
    samples.push({
      bootMs,
      lag: returnedAt - healthyAt,
      polls: mine.filter((r) => r.route === HEALTH_ROUTE && r.at >= runningAt).map((r) => r.at),
      waitSeconds: (returnedAt - runningAt) / 1000,
      afterHealthy: mine.filter((r) => r.at > healthyAt).map((r) => r.route),
    });
  }
  return { samples, failures: results.flatMap((r) => (r.status === "rejected" ? [String(r.reason)] : [])) };
}

/** One batch: emulators and hosts up first, then every group's creates at once, then cleanup. */
async function batch(subject: Subject, boots: number[]): Promise<{ samples: Sample[]; failures: string[] }> {
  const groups: Group[] = [];
  try {
    await Promise.all(
      boots.map(async (bootMs) => {
        const group: Group = { bootMs, emulator: await startBenchEmulator({ ...READINESS.emulator, bootMs }), created: [] };
        groups.push(group);
        group.host = await subject.startHost(group.emulator);
      }),
    );
    const outcomes = await Promise.all(groups.map((g) => createAndSample(subject, g, g.host as ProviderHost)));
    return { samples: outcomes.flatMap((o) => o.samples), failures: outcomes.flatMap((o) => o.failures) };
  } finally {
    await Promise.all(
      groups.map(async (g) => {
        const host = g.host;
        if (host) {
          await runPool(g.created, 16, ({ state }) => destroy(host, state));
          await host.close();
        }
        await g.emulator.close();
      }),
    );
  }
}

export const measureReadiness: Measure = async (subject, side, log) => {
  const samples: Sample[] = [];
  const failures: string[] = [];
  for (let i = 0; i < READINESS.bootMs.length; i += READINESS.batch) {
    const done = await batch(subject, READINESS.bootMs.slice(i, i + READINESS.batch));
    samples.push(...done.samples);
    failures.push(...done.failures);
  }
  if (samples.length === 0) throw new Error(`no create completed (${failures.length} failed: ${failures[0] ?? ""})`);

  const lags = samples.map((s) => s.lag);
  const rates = samples.map((s) => pollingRate(s.polls, s.waitSeconds));
  const plainRates = samples.map((s) => s.polls.length / s.waitSeconds);
  const afterHealthy: Record<string, number> = {};
  for (const s of samples) for (const route of s.afterHealthy) afterHealthy[route] = (afterHealthy[route] ?? 0) + 1;

  side.figures.readinessLagMsMedian = round(median(lags), 1);
  side.figures.healthRequestsPerSecond = round(max(rates), 2);
  side.details["readiness"] = {
    creates: READINESS.bootMs.length * READINESS.createsPerBoot,
    completed: samples.length,
    failed: failures.length,
    failures: failures.slice(0, 3),
    lagMs: { median: round(median(lags), 1), p90: round(percentile(lags, 90), 1), max: round(max(lags), 1), min: round(Math.min(...lags), 1) },
    lagMsMedianByBootMs: Object.fromEntries(READINESS.bootMs.map((b) => [b, round(median(samples.filter((s) => s.bootMs === b).map((s) => s.lag)), 1)])),
    healthRequestsPerCreate: { median: median(samples.map((s) => s.polls.length)), max: max(samples.map((s) => s.polls.length)) },
    healthRequestsPerSecond: { median: round(median(rates), 2), max: round(max(rates), 2) },
    countOverWaitPerSecond: { median: round(median(plainRates), 2), max: round(max(plainRates), 2) },
    peakHealthRequestsInAnySecond: max(samples.map((s) => maxInWindow(s.polls, 1000))),
    requestsAfterHealthy: afterHealthy,
  };
  log(`readiness ${subject.side}: lag median ${round(median(lags), 1)} ms, health polls at most ${round(max(rates), 2)}/s (count over wait: ${round(max(plainRates), 2)}/s)`);
};
