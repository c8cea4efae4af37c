// Front doors: what `pulumi preview` costs per Agent37 instance through the native plugin and
// through Pulumi's dynamic provider host, measured in one run, in one emulator, with the two
// processes side by side and their repetitions alternating (so machine load falls on both).
//
// Each preview of a resource is what the engine sends to that kind of provider: the dynamic
// host gets Check + Diff; the plugin gets Check + Diff and, for a resource that changes, Update
// with `preview: true` (it reports preview support, so the engine asks it for planned outputs).
// The cases are the preview measurement's: state copied from one real create, a quarter
// unchanged, a quarter renamed, a quarter renamed to a value still unknown, a quarter retagged.
import { startPluginHost, emulatorConfig, type ProviderHost } from "../../test/harness";
import { now } from "../lib/admin";
import { withEmulator } from "../lib/emulator";
import { destroy, up, type StateEntry } from "../lib/engine";
import { runPool } from "../lib/pool";
import { cpuMs } from "../lib/rss";
import { median, round } from "../lib/stats";
import type { Subject } from "../lib/subjects";
import { buildCases, PREVIEW, type PreviewCase } from "./preview";
import type { Measure } from "./types";

export const FRONT_DOORS = {
  resources: 300,
  warmup: 60,
  repetitions: 5,
  concurrency: PREVIEW.concurrency,
  emulator: PREVIEW.emulator,
};

export const PLUGIN_TYPE = "agent37:index:Instance";

export interface FrontDoorFigures {
  pluginMsPerResource: number;
  dynamicMsPerResource: number;
  /** Dynamic ÷ plugin: above 1, the plugin previews faster. */
  ratio: number;
  pluginRpcsPerResource: number;
  dynamicRpcsPerResource: number;
  pluginHostCpuMsPerResource: number | null;
  dynamicHostCpuMsPerResource: number | null;
  pluginRuns: number[];
  dynamicRuns: number[];
  resources: number;
  repetitions: number;
  concurrency: number;
}

/** The plugin's view of the same instance: its type token and inputs without `__provider`. */
function pluginSubject(dynamic: Subject): Subject {
  return {
    ...dynamic,
    type: PLUGIN_TYPE,
    provider: "",
    inputs: (spec) => {
      const { __provider: _provider, ...rest } = dynamic.inputs(spec);
      return rest;
    },
  };
}

/** One resource's preview; returns the number of RPCs it took. */
async function preview(host: ProviderHost, c: PreviewCase, plans: boolean): Promise<number> {
  const check = await host.check(c.urn, c.oldInputs, c.news);
  if (check.failures.length > 0) throw new Error(`Check failed for ${c.urn}: ${JSON.stringify(check.failures)}`);
  const diff = await host.diff(c.urn, c.id, c.olds, check.inputs, c.oldInputs);
  if (!plans || diff.changes === "none" || diff.replaces.length > 0) return 2;
  await host.update(c.urn, c.id, c.olds, check.inputs, c.oldInputs, { preview: true });
  return 3;
}

async function timed(host: ProviderHost, cases: PreviewCase[], plans: boolean): Promise<{ ms: number; rpcs: number; cpu: number | null }> {
  const cpuBefore = cpuMs(host.pid);
  const start = now();
  const results = await runPool(cases, FRONT_DOORS.concurrency, (c) => preview(host, c, plans));
  const ms = (now() - start) / cases.length;
  const cpuAfter = cpuMs(host.pid);
  let rpcs = 0;
  for (const r of results) {
    if (r.status === "rejected") throw r.reason;
    rpcs += r.value;
  }
  return { ms, rpcs: rpcs / cases.length, cpu: cpuBefore !== null && cpuAfter !== null ? (cpuAfter - cpuBefore) / cases.length : null };
}

/** Measures both front doors of our provider; writes `details.frontDoors` of our side. */
export const measureFrontDoors: Measure = async (subject, side, log) => {
  if (subject.side !== "ours") return;
  const plugged = pluginSubject(subject);
  await withEmulator(FRONT_DOORS.emulator, async (emulator) => {
    const dynamicHost = await subject.startHost(emulator);
    let pluginHost: ProviderHost | undefined;
    const made: { host: ProviderHost; state: StateEntry }[] = [];
    try {
      const env: NodeJS.ProcessEnv = {};
      for (const [k, v] of Object.entries(process.env)) if (!k.startsWith("AGENT37_")) env[k] = v;
      const started = await startPluginHost({ env });
      pluginHost = started;
      await started.configure(emulatorConfig(emulator));
      const doors = [
        { name: "plugin", host: started as ProviderHost, subject: plugged, plans: true, runs: [] as number[], cpu: [] as number[], rpcs: 0 },
        { name: "dynamic", host: dynamicHost, subject, plans: false, runs: [] as number[], cpu: [] as number[], rpcs: 0 },
      ];
      const templates = new Map<string, StateEntry>();
      for (const d of doors) {
        const state = await up(d.host, d.subject, { name: `front-${d.name}`, user: `front-${d.name}` });
        made.push({ host: d.host, state });
        templates.set(d.name, state);
        await timed(d.host, buildCases(d.subject, state, `warm-${d.name}`, FRONT_DOORS.warmup), d.plans);
      }
      for (let rep = 0; rep < FRONT_DOORS.repetitions; rep++) {
        for (const d of doors) {
          const r = await timed(d.host, buildCases(d.subject, templates.get(d.name) as StateEntry, `r${rep}-${d.name}`, FRONT_DOORS.resources), d.plans);
          d.runs.push(r.ms);
          if (r.cpu !== null) d.cpu.push(r.cpu);
          d.rpcs = r.rpcs;
        }
      }
      const [plugin, dynamic] = doors as [(typeof doors)[number], (typeof doors)[number]];
      const figures: FrontDoorFigures = {
        pluginMsPerResource: round(median(plugin.runs), 3),
        dynamicMsPerResource: round(median(dynamic.runs), 3),
        ratio: round(median(dynamic.runs) / median(plugin.runs), 3),
        pluginRpcsPerResource: round(plugin.rpcs, 2),
        dynamicRpcsPerResource: round(dynamic.rpcs, 2),
        pluginHostCpuMsPerResource: plugin.cpu.length > 0 ? round(median(plugin.cpu), 3) : null,
        dynamicHostCpuMsPerResource: dynamic.cpu.length > 0 ? round(median(dynamic.cpu), 3) : null,
        pluginRuns: plugin.runs.map((v) => round(v, 3)),
        dynamicRuns: dynamic.runs.map((v) => round(v, 3)),
        resources: FRONT_DOORS.resources,
        repetitions: FRONT_DOORS.repetitions,
        concurrency: FRONT_DOORS.concurrency,
      };
      side.details["frontDoors"] = figures;
      log(`front doors: preview ${figures.pluginMsPerResource} ms/resource through the plugin, ${figures.dynamicMsPerResource} through the dynamic host`);
    } finally {
      for (const m of made) await destroy(m.host, m.state).catch(() => undefined);
      await pluginHost?.close();
      await dynamicHost.close();
    }
  });
};

/** The front-door comparison as a Markdown table (docs/bench.md, latest.md). */
export function frontDoorsMarkdown(f: FrontDoorFigures): string {
  return [
    "| front door | preview ms/resource | RPCs/resource | host CPU ms/resource |",
    "| --- | --- | --- | --- |",
    `| plugin (\`agent37:index:Instance\`) | ${f.pluginMsPerResource} | ${f.pluginRpcsPerResource} | ${f.pluginHostCpuMsPerResource ?? "n/a"} |`,
    `| dynamic host (\`Agent37Instance\`) | ${f.dynamicMsPerResource} | ${f.dynamicRpcsPerResource} | ${f.dynamicHostCpuMsPerResource ?? "n/a"} |`,
    "",
    `Dynamic ÷ plugin: ${f.ratio}x (${f.resources} resources × ${f.repetitions} alternating repetitions, ${f.concurrency} in flight; medians).`,
  ].join("\n");
}
