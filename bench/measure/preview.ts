// previewMsPerResource: what `pulumi preview` costs per resource in the provider host: Check +
// Diff for 500 distinct resources through one configured host, with a quarter of the changed
// inputs still unknown (the engine's sentinel), as a preview of a stack with dependencies has.
// No network is involved (design §5: check and diff are pure), so this is the host's and the
// provider's own overhead, including decoding `__provider` on every call.
//
// The figure is wall time / 500 with one resource at a time (the latency of a Check + Diff
// pair), median of five repetitions. In the details beside it: the same with 16 in flight (the
// engine runs independent steps in parallel; on 2 busy cores that is no faster), the floor two
// empty RPCs cost on this machine with this Node gRPC client (the real engine is a Go process),
// the host's CPU time per resource, and the provider's own check + diff called in-process, so the
// figure can be split into transport and provider.
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

export const measurePreview: Measure = async (subject, side, log) => {
  await withEmulator(PREVIEW.emulator, async (emulator) => {
    const host = await subject.startHost(emulator);
    try {
      // One real instance gives the state shape the provider really writes.
      const template = await up(host, subject, { name: "preview-template", user: "preview-template" });
      const tally: Record<string, number> = {};
      await timedRun(host, buildCases(subject, template, "warm", PREVIEW.warmup), 1, {});
      const sequential: number[] = [];
      const hostCpu: number[] = [];
      for (let rep = 0; rep < PREVIEW.repetitions; rep++) {
        const cpuBefore = cpuMs(host.pid);
        sequential.push(await timedRun(host, buildCases(subject, template, `seq${rep}`, PREVIEW.resources), 1, tally));
        const cpuAfter = cpuMs(host.pid);
        if (cpuBefore !== null && cpuAfter !== null) hostCpu.push((cpuAfter - cpuBefore) / PREVIEW.resources);
      }
      const concurrent = await timedRun(host, buildCases(subject, template, "par", PREVIEW.resources), PREVIEW.concurrency, {});
      const floor = await rpcFloor(host.address);
      const own = buildCases(subject, template, "own", PREVIEW.resources);
      await inProcess(subject, own);
      const providerOwn = await inProcess(subject, own);
      const figure = median(sequential);
      side.figures.previewMsPerResource = round(figure, 3);
      side.details["preview"] = {
        resources: PREVIEW.resources,
        repetitions: PREVIEW.repetitions,
        msPerResource: sequential.map((v) => round(v, 3)),
        msPerResourceWith16InFlight: round(concurrent, 3),
        emptyRpcPairMs: round(floor, 3),
        hostCpuMsPerResource: hostCpu.length > 0 ? round(median(hostCpu), 3) : null,
        providerOwnMsPerResource: round(providerOwn, 4),
        diffOutcomes: tally,
      };
      log(`preview ${subject.side}: ${round(figure, 3)} ms/resource (${round(concurrent, 3)} with ${PREVIEW.concurrency} in flight); empty RPC pair ${round(floor, 3)} ms; provider itself ${round(providerOwn, 4)} ms`);
      await destroy(host, template);
    } finally {
      await host.close();
    }
  });
};
