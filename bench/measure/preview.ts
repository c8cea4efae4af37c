// previewMsPerResource: what `pulumi preview` costs per resource in the provider host: Check +
// Diff for 500 distinct resources through one configured host, with a quarter of the changed
// inputs still unknown (the engine's sentinel), as a preview of a stack with dependencies has.
// No network is involved (design §5: check and diff are pure), so this is the host's and the
// provider's own overhead, including decoding `__provider` on every call.
//
// The figure is wall time / 500 with 16 resources in flight (the engine checks and diffs
// independent resources in parallel), median of the repetitions. Beside it, in the details: the
// same run one resource at a time (the latency of one Check + Diff), the floor that two empty
// RPCs cost on this machine with this Node gRPC client (the real engine is a Go process), and
// the host's own CPU time per resource.
import { ProviderClient, UNKNOWN, type ProviderHost } from "../../test/harness";
import { up, destroy, type StateEntry } from "../lib/engine";
import { withEmulator } from "../lib/emulator";
import { now } from "../lib/admin";
import { runPool } from "../lib/pool";
import { cpuMs } from "../lib/rss";
import { median, round } from "../lib/stats";
import { urnOf, type Subject } from "../lib/subjects";
import type { Measure } from "./types";

export const PREVIEW = {
  resources: 500,
  warmup: 100,
  repetitions: 5,
  /** Resources in flight, as in the fleet run. */
  concurrency: 16,
  /** Pairs of empty RPCs timed for the floor. */
  floorPairs: 200,
  emulator: { provisionMs: 50, bootMs: 50, lifecycleMs: 50, deleteMs: 20, latencyMs: 0 },
};

interface PreviewCase {
  urn: string;
  id: string;
  olds: Record<string, unknown>;
  oldInputs: Record<string, unknown>;
  news: Record<string, unknown>;
}

/**
 * Resource `i` of a preview: state copied from one real create (so outputs have the provider's
 * real shape), renamed; new inputs unchanged, relabelled, relabelled to an unknown, or retagged.
 */
function buildCases(subject: Subject, template: StateEntry, prefix: string, count: number): PreviewCase[] {
  const cases: PreviewCase[] = [];
  for (let i = 0; i < count; i++) {
    const name = `${prefix}-${i}`;
    const user = `u-${name}`;
    const label = [name, `${name}-renamed`, UNKNOWN, name][i % 4] as string;
    const newUser = i % 4 === 3 ? `${user}-2` : user;
    cases.push({
      urn: urnOf(subject, name),
      id: `${template.id}${i}`.slice(-10).padStart(10, "p"),
      olds: { ...template.outputs, name, user },
      oldInputs: { ...template.inputs, name, user },
      news: subject.inputs({ name, user: newUser, label }),
    });
  }
  return cases;
}

async function checkAndDiff(host: ProviderHost, c: PreviewCase): Promise<string> {
  const check = await host.check(c.urn, c.oldInputs, c.news);
  if (check.failures.length > 0) throw new Error(`Check failed for ${c.urn}: ${JSON.stringify(check.failures)}`);
  const diff = await host.diff(c.urn, c.id, c.olds, check.inputs, c.oldInputs);
  return diff.replaces.length > 0 ? "replace" : diff.changes;
}

/** Wall time per resource (ms) for `cases`, `limit` in flight; tallies the diff outcomes. */
async function timedRun(host: ProviderHost, cases: PreviewCase[], limit: number, tally: Record<string, number>): Promise<number> {
  const start = now();
  const results = await runPool(cases, limit, (c) => checkAndDiff(host, c));
  const elapsed = now() - start;
  for (const r of results) {
    if (r.status === "rejected") throw r.reason;
    tally[r.value] = (tally[r.value] ?? 0) + 1;
  }
  return elapsed / cases.length;
}

/** Wall time (ms) of two empty RPCs (`GetPluginInfo`) back to back: the transport's own cost. */
async function rpcFloor(address: string): Promise<number> {
  const client = new ProviderClient(address);
  try {
    for (let i = 0; i < 50; i++) await client.getPluginInfo();
    const start = now();
    for (let i = 0; i < PREVIEW.floorPairs; i++) {
      await client.getPluginInfo();
      await client.getPluginInfo();
    }
    return (now() - start) / PREVIEW.floorPairs;
  } finally {
    client.close();
  }
}

export const measurePreview: Measure = async (subject, side, log) => {
  await withEmulator(PREVIEW.emulator, async (emulator) => {
    const host = await subject.startHost(emulator);
    try {
      // One real instance gives the state shape the provider really writes.
      const template = await up(host, subject, { name: "preview-template", user: "preview-template" });
      const tally: Record<string, number> = {};
      await timedRun(host, buildCases(subject, template, "warm", PREVIEW.warmup), PREVIEW.concurrency, {});
      const concurrent: number[] = [];
      const hostCpu: number[] = [];
      for (let rep = 0; rep < PREVIEW.repetitions; rep++) {
        const cpuBefore = cpuMs(host.pid);
        concurrent.push(await timedRun(host, buildCases(subject, template, `par${rep}`, PREVIEW.resources), PREVIEW.concurrency, tally));
        const cpuAfter = cpuMs(host.pid);
        if (cpuBefore !== null && cpuAfter !== null) hostCpu.push((cpuAfter - cpuBefore) / PREVIEW.resources);
      }
      const sequential = await timedRun(host, buildCases(subject, template, "seq", PREVIEW.resources), 1, {});
      const floor = await rpcFloor(host.address);
      const figure = median(concurrent);
      side.figures.previewMsPerResource = round(figure, 3);
      side.details["preview"] = {
        resources: PREVIEW.resources,
        concurrency: PREVIEW.concurrency,
        repetitions: PREVIEW.repetitions,
        msPerResource: concurrent.map((v) => round(v, 3)),
        sequentialMsPerResource: round(sequential, 3),
        emptyRpcPairMs: round(floor, 3),
        hostCpuMsPerResource: hostCpu.length > 0 ? round(median(hostCpu), 3) : null,
        diffOutcomes: tally,
      };
      log(`preview ${subject.side}: ${round(figure, 3)} ms/resource (${PREVIEW.concurrency} in flight), ${round(sequential, 3)} one at a time, empty RPC pair ${round(floor, 3)} ms`);
      await destroy(host, template);
    } finally {
      await host.close();
    }
  });
};
