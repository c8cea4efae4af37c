// fleetWallRatio and hostRssMb (target: 200 instances through one host, 16 in flight,
// within 1.2x of the ideal).
//
// The ideal is what a perfect client would take on this emulator: ceil(instances / 16) rounds,
// each as long as the platform itself needs to make one instance healthy, measured on the idle
// emulator before the run as `healthyAt - (moment the create request was sent)` for a direct
// POST from this process, median of three. So the ratio charges the provider for everything it
// adds: readiness lag, host and serialization overhead, and any slowdown under 16 in flight.
import type { BenchEmulator } from "../lib/emulator";
import { up, destroy, type StateEntry } from "../lib/engine";
import { withEmulator } from "../lib/emulator";
import { now } from "../lib/admin";
import { runPool } from "../lib/pool";
import { rssMb } from "../lib/rss";
import { median, round } from "../lib/stats";
import type { Measure } from "./types";

export const FLEET = {
  concurrency: 16,
  /** Instances per side. The baseline's fixed 5 s polling makes each of its rounds ~5 s, so it runs fewer, against an ideal scaled the same way. */
  instances: { ours: 200, baseline: 48 },
  platformSamples: 3,
  // With a fixed boot every create meets the provider's polling at the same phase; at 1500 ms our
  // provider looks about 250 ms after the flip (the mean for a 500 ms period), not luckily early.
  emulator: { provisionMs: 800, bootMs: 1500, lifecycleMs: 50, deleteMs: 20, latencyMs: 50 },
};

/** The platform's own create-to-healthy time, measured with direct API calls. */
async function platformMs(emulator: BenchEmulator): Promise<number[]> {
  const key = emulator.keys[0] ?? "";
  const samples: number[] = [];
  for (let i = 0; i < FLEET.platformSamples; i++) {
    const sentAt = now();
    const res = await fetch(`${emulator.url}/v1/instances`, {
      method: "POST",
      headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
      body: JSON.stringify({ template: "agent37-hermes", name: `platform-${i}` }),
    });
    if (res.status !== 201) throw new Error(`platform probe create answered ${res.status}: ${await res.text()}`);
    const { id } = (await res.json()) as { id: string };
    let healthyAt: number | null | undefined;
    // Condition wait on the admin surface: healthyAt appears once the gateway is healthy.
    const deadline = now() + 30_000;
    while (typeof healthyAt !== "number") {
      if (now() > deadline) throw new Error(`platform probe ${id} never turned healthy`);
      healthyAt = (await emulator.admin.instances()).find((x) => x.id === id)?.healthyAt;
      if (typeof healthyAt !== "number") await new Promise((resolve) => setTimeout(resolve, 10));
    }
    samples.push(healthyAt - sentAt);
    const del = await fetch(`${emulator.url}/v1/instances/${id}`, { method: "DELETE", headers: { authorization: `Bearer ${key}` } });
    await del.text();
  }
  await emulator.admin.settled(10_000);
  return samples;
}

export const measureFleet: Measure = async (subject, side, log) => {
  const count = FLEET.instances[subject.side];
  await withEmulator(FLEET.emulator, async (emulator) => {
    const platform = await platformMs(emulator);
    const single = median(platform);
    const rounds = Math.ceil(count / FLEET.concurrency);
    const ideal = rounds * single;
    const host = await subject.startHost(emulator);
    const states: StateEntry[] = [];
    try {
      const rssBefore = rssMb(host.pid);
      const specs = Array.from({ length: count }, (_, i) => ({ name: `fleet-${i}`, user: `fleet-${i}` }));
      const start = now();
      const results = await runPool(specs, FLEET.concurrency, async (spec) => {
        states.push(await up(host, subject, spec));
      });
      const wall = now() - start;
      const rssAfter = rssMb(host.pid);
      const failed = results.filter((r) => r.status === "rejected");
      if (failed.length > 0) throw new Error(`${failed.length} of ${count} fleet creates failed: ${String((failed[0] as PromiseRejectedResult).reason)}`);
      side.figures.fleetWallRatio = round(wall / ideal, 3);
      side.figures.hostRssMb = rssAfter === null ? null : round(rssAfter, 1);
      const deleteStart = now();
      const deletes = await runPool(states, FLEET.concurrency, (state) => destroy(host, state));
      const deleteWall = now() - deleteStart;
      side.details["fleet"] = {
        instances: count,
        concurrency: FLEET.concurrency,
        emulator: FLEET.emulator,
        platformMsSamples: platform.map((v) => round(v, 1)),
        singleCreatePlatformMs: round(single, 1),
        rounds,
        idealMs: round(ideal, 0),
        wallMs: round(wall, 0),
        deleteWallMs: round(deleteWall, 0),
        deleteFailures: deletes.filter((r) => r.status === "rejected").length,
        hostRssMb: { beforeFleet: rssBefore === null ? null : round(rssBefore, 1), afterFleet: rssAfter === null ? null : round(rssAfter, 1) },
      };
      if (subject.side === "baseline") {
        side.notes.fleetWallRatio = `bounded to ${count} instances (${rounds} rounds of ${FLEET.concurrency}); the ideal is scaled to the same rounds`;
        side.notes.hostRssMb = `after ${count} creates, not 200`;
      }
      log(`fleet ${subject.side}: ${count} creates in ${round(wall / 1000, 1)} s, ideal ${round(ideal / 1000, 1)} s, ratio ${round(wall / ideal, 3)}`);
    } finally {
      await host.close();
    }
  });
};
