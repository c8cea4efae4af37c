// previewMsPerResource: what `pulumi preview` costs per resource in the provider host: Check +
// Diff for 500 distinct resources through one configured host, with a quarter of the changed
// inputs still unknown (the engine's sentinel), as a preview of a stack with dependencies has.
// No network is involved (check and diff are pure), so this is the host's and the
// provider's own overhead, including decoding `__provider` on every call.
//
// The figure is wall time / 500 with 16 resources in flight (the engine checks and diffs
// independent resources in parallel, so that is what a user waits per resource), median of five
// repetitions that alternate with the baseline's. In the details beside it: one resource at a
// time (the latency of a Check + Diff pair), the floor two empty RPCs cost on this machine with
// this Node gRPC client (the real engine is a Go process), the host's CPU time per resource, and
// the provider's own check + diff called in-process, so the figure can be split into transport
// and provider.
import { ProviderClient, UNKNOWN, type ProviderHost } from "../../test/harness";
import { up, destroy, type StateEntry } from "../lib/engine";
import { withEmulator } from "../lib/emulator";
import { now } from "../lib/admin";
import { runPool } from "../lib/pool";
import { cpuMs } from "../lib/rss";
import { median, round } from "../lib/stats";
import type { Side } from "../lib/report";
import { urnOf, type SideName, type Subject } from "../lib/subjects";
import type { PairedMeasure } from "./types";

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

export interface PreviewCase {
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
export function buildCases(subject: Subject, template: StateEntry, prefix: string, count: number): PreviewCase[] {
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
export async function timedRun(host: ProviderHost, cases: PreviewCase[], limit: number, tally: Record<string, number>): Promise<number> {
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

/** The provider's own check + diff per resource (ms), called in this process without the host. */
async function inProcess(subject: Subject, cases: PreviewCase[]): Promise<number> {
  const impl = subject.implementation;
  const start = now();
  for (const c of cases) {
    const checked = impl.check ? await impl.check(c.oldInputs, c.news) : { inputs: c.news };
    if (impl.diff) await impl.diff(c.id, c.olds, checked.inputs ?? c.news);
  }
  return (now() - start) / cases.length;
}

interface Run {
  subject: Subject;
  side: Side;
  host: ProviderHost;
  template?: StateEntry;
  parallel: number[];
  hostCpu: number[];
  tally: Record<string, number>;
}

/**
 * Both providers are measured in one emulator with their hosts side by side, and their
 * repetitions alternate (ours, baseline, ours, ...), so load from anything else on the machine
 * falls on both alike and the ratio stays meaningful.
 */
export const measurePreview: PairedMeasure = async (entries, log) => {
  const failures: Partial<Record<SideName, unknown>> = {};
  await withEmulator(PREVIEW.emulator, async (emulator) => {
    const runs: Run[] = [];
    try {
      await Promise.all(
        entries.map(async ({ subject, side }) => {
          try {
            const host = await subject.startHost(emulator);
            const run: Run = { subject, side, host, parallel: [], hostCpu: [], tally: {} };
            runs.push(run);
            // One real instance gives the state shape the provider really writes.
            run.template = await up(host, subject, { name: "preview-template", user: "preview-template" });
          } catch (error) {
            failures[subject.side] = error;
          }
        }),
      );
      const ready = runs.filter((r): r is Run & { template: StateEntry } => r.template !== undefined && failures[r.subject.side] === undefined);
      for (const r of ready) await timedRun(r.host, buildCases(r.subject, r.template, "warm", PREVIEW.warmup), PREVIEW.concurrency, {});
      for (let rep = 0; rep < PREVIEW.repetitions; rep++) {
        for (const r of ready) {
          const cpuBefore = cpuMs(r.host.pid);
          r.parallel.push(await timedRun(r.host, buildCases(r.subject, r.template, `par${rep}`, PREVIEW.resources), PREVIEW.concurrency, r.tally));
          const cpuAfter = cpuMs(r.host.pid);
          if (cpuBefore !== null && cpuAfter !== null) r.hostCpu.push((cpuAfter - cpuBefore) / PREVIEW.resources);
        }
      }
      for (const r of ready) {
        const sequential = await timedRun(r.host, buildCases(r.subject, r.template, "seq", PREVIEW.resources), 1, {});
        const floor = await rpcFloor(r.host.address);
        const own = buildCases(r.subject, r.template, "own", PREVIEW.resources);
        await inProcess(r.subject, own);
        const providerOwn = await inProcess(r.subject, own);
        const figure = median(r.parallel);
        r.side.figures.previewMsPerResource = round(figure, 3);
        r.side.details["preview"] = {
          resources: PREVIEW.resources,
          repetitions: PREVIEW.repetitions,
          concurrency: PREVIEW.concurrency,
          msPerResource: r.parallel.map((v) => round(v, 3)),
          msPerResourceOneAtATime: round(sequential, 3),
          emptyRpcPairMs: round(floor, 3),
          hostCpuMsPerResource: r.hostCpu.length > 0 ? round(median(r.hostCpu), 3) : null,
          providerOwnMsPerResource: round(providerOwn, 4),
          diffOutcomes: r.tally,
        };
        log(`preview ${r.subject.side}: ${round(figure, 3)} ms/resource with ${PREVIEW.concurrency} in flight (${round(sequential, 3)} one at a time); empty RPC pair ${round(floor, 3)} ms; provider itself ${round(providerOwn, 4)} ms`);
      }
    } finally {
      await Promise.all(
        runs.map(async (r) => {
          if (r.template) await destroy(r.host, r.template).catch(() => undefined);
          await r.host.close();
        }),
      );
    }
  });
  return failures;
};
