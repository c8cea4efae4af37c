// `npm run bench`: measures the targets of docs/bench.md for our provider and for the baseline
// (bench/baseline), writes bench/results/latest.json and latest.md, and prints the table.
//
//   node dist/bench/run.js [--only providerBytes,preview,readiness,fleet,faults,frontDoors,contextHash,upload,directory,cli] [--side ours|baseline]
//
// A partial run (--only / --side) prints its table and writes only bench/results/partial.tmp,
// except the real-CLI section's table (docs/bench.md, bench/results/cli.md), which any run that
// measured it rewrites: `npm run bench -- --only cli` measures that section alone.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { now } from "./lib/admin";
import { buildRows, emptySide, formatMarkdownTable, formatTable, replaceBetween, type FigureKey, type Side } from "./lib/report";
import { round } from "./lib/stats";
import { baselineSubject, oursSubject, type SideName, type Subject } from "./lib/subjects";
import { CLI_BENCH, cliMarkdown, measureCli, type CliFigures } from "./measure/cli";
import { FAULTS, FAULT_PLAN, measureFaults } from "./measure/faults";
import { FLEET, measureFleet } from "./measure/fleet";
import { FRONT_DOORS, frontDoorsMarkdown, measureFrontDoors, type FrontDoorFigures } from "./measure/front-doors";
import { measurePreview, PREVIEW } from "./measure/preview";
import { measureProviderBytes } from "./measure/provider-bytes";
import { measureReadiness, READINESS } from "./measure/readiness";
import { measureContextHash, measureUploadRss, TEMPLATE_BENCH } from "./measure/template";
import { DIRECTORY_BENCH, directoryMarkdown, measureDirectory, type DirectoryFigures } from "./measure/directory";
import type { Measure, PairedMeasure } from "./measure/types";

type Step = { name: string; figures: FigureKey[] } & ({ measure: Measure } | { paired: PairedMeasure });

const STEPS: Step[] = [
  { name: "providerBytes", figures: ["providerBytes"], measure: measureProviderBytes },
  { name: "preview", figures: ["previewMsPerResource"], paired: measurePreview },
  { name: "readiness", figures: ["readinessLagMsMedian", "healthRequestsPerSecond"], measure: measureReadiness },
  { name: "fleet", figures: ["fleetWallRatio", "hostRssMb"], measure: measureFleet },
  { name: "faults", figures: ["faultRun"], measure: measureFaults },
  // Our provider through its two front doors (the plugin and the dynamic host); no ours/baseline row.
  { name: "frontDoors", figures: [], measure: measureFrontDoors },
  { name: "contextHash", figures: ["contextHashRatio"], measure: measureContextHash },
  { name: "upload", figures: ["uploadRssGrowthMb"], measure: measureUploadRss },
  // Agent37Directory's sync against one PUT at a time (ours only; its own section, like the CLI's).
  { name: "directory", figures: [], measure: measureDirectory },
  // `pulumi preview` through the real CLI (skipped, with the reason, when there is none); no ours/baseline row.
  { name: "cli", figures: [], measure: measureCli },
];

const FRONT_DOORS_START = "<!-- bench:front-doors:start -->";
const FRONT_DOORS_END = "<!-- bench:front-doors:end -->";
const CLI_START = "<!-- bench:cli:start -->";
const CLI_END = "<!-- bench:cli:end -->";
const DIRECTORY_START = "<!-- bench:directory:start -->";
const DIRECTORY_END = "<!-- bench:directory:end -->";

/** bench/results in the repository, from either the sources or dist/bench. */
const RESULTS_DIR = path.resolve(__dirname, __dirname.includes(`${path.sep}dist${path.sep}`) ? "../../bench/results" : "results");

function parseArgs(argv: string[]): { only: Set<string> | undefined; sides: SideName[] } {
  let only: Set<string> | undefined;
  let sides: SideName[] = ["ours", "baseline"];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = argv[i + 1];
    if (arg === "--only" && value !== undefined) {
      only = new Set(value.split(","));
      const unknown = [...only].filter((n) => !STEPS.some((s) => s.name === n));
      if (unknown.length > 0) throw new Error(`--only: unknown step ${unknown.join(", ")}; steps: ${STEPS.map((s) => s.name).join(", ")}`);
      i++;
    } else if (arg === "--side" && (value === "ours" || value === "baseline")) {
      sides = [value];
      i++;
    } else {
      throw new Error(`unknown argument ${String(arg)}; usage: run.js [--only step,step] [--side ours|baseline]`);
    }
  }
  return { only, sides };
}

function log(line: string): void {
  process.stdout.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${line}\n`);
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

async function main(): Promise<number> {
  const { only, sides } = parseArgs(process.argv.slice(2));
  const started = now();
  const result: Record<SideName, Side> = { ours: emptySide(), baseline: emptySide() };
  const subjects: Partial<Record<SideName, Subject>> = {};
  const unavailable: Partial<Record<SideName, string>> = {};
  for (const side of sides) {
    try {
      subjects[side] = side === "ours" ? await oursSubject() : await baselineSubject();
    } catch (error) {
      unavailable[side] = message(error);
      log(`${side}: cannot load the provider: ${message(error)}`);
    }
  }

  let oursFailed = unavailable.ours !== undefined;
  const recordFailure = (step: Step, side: SideName, error: unknown): void => {
    if (side === "ours") oursFailed = true;
    log(`${step.name} ${side} failed: ${message(error)}`);
    for (const f of step.figures) {
      result[side].figures[f] = null;
      result[side].notes[f] = `could not run: ${message(error)}`;
    }
  };
  for (const step of STEPS) {
    if (only && !only.has(step.name)) continue;
    const present = sides.filter((side) => {
      if (subjects[side]) return true;
      for (const f of step.figures) result[side].notes[f] = `not measured: ${unavailable[side] ?? "not loaded"}`;
      return false;
    });
    if ("paired" in step) {
      const stepStart = now();
      const entries = present.map((side) => ({ subject: subjects[side] as Subject, side: result[side] }));
      try {
        const failures = await step.paired(entries, log);
        for (const [side, error] of Object.entries(failures)) recordFailure(step, side as SideName, error);
      } catch (error) {
        for (const side of present) recordFailure(step, side, error);
      }
      for (const side of present) result[side].details[`${step.name}Seconds`] = round((now() - stepStart) / 1000, 1);
      continue;
    }
    for (const side of present) {
      const stepStart = now();
      try {
        await step.measure(subjects[side] as Subject, result[side], log);
      } catch (error) {
        recordFailure(step, side, error);
      }
      result[side].details[`${step.name}Seconds`] = round((now() - stepStart) / 1000, 1);
    }
  }

  const durationMs = now() - started;
  const rows = buildRows(result.ours.figures, result.baseline.figures);
  const table = formatTable(rows);
  process.stdout.write(`\n${table}\n\nbench took ${round(durationMs / 1000, 1)} s\n`);
  for (const side of sides) {
    for (const [figure, note] of Object.entries(result[side].notes)) process.stdout.write(`  note (${side}) ${figure}: ${note}\n`);
  }
  const frontDoors = result.ours.details["frontDoors"] as FrontDoorFigures | undefined;
  const frontDoorsTable = frontDoors ? frontDoorsMarkdown(frontDoors) : undefined;
  if (frontDoorsTable) process.stdout.write(`\nFront doors of our provider:\n${frontDoorsTable}\n`);
  const cli = result.ours.details["cli"] as (CliFigures & { skipped?: string }) | undefined;
  const cliTable = cli && cli.skipped === undefined ? cliMarkdown(cli) : undefined;
  if (cli?.skipped !== undefined) process.stdout.write(`\nReal CLI section skipped: ${cli.skipped}\n`);
  if (cliTable) {
    process.stdout.write(`\nThrough the pulumi CLI:\n${cliTable}\n`);
    // The section stands alone (its own floors, in its own run), so any run that measured it publishes it.
    fs.mkdirSync(RESULTS_DIR, { recursive: true });
    fs.writeFileSync(path.join(RESULTS_DIR, "cli.json"), `${JSON.stringify({ ...cli, settings: CLI_BENCH, generatedAt: new Date().toISOString() }, null, 2)}\n`);
    fs.writeFileSync(path.join(RESULTS_DIR, "cli.md"), `${cliTable}\n\nMeasured ${new Date().toISOString()} on ${os.cpus().length} CPUs, Node ${process.version}.\n`);
    const docs = path.resolve(RESULTS_DIR, "../../docs/bench.md");
    const text = fs.existsSync(docs) ? fs.readFileSync(docs, "utf8") : undefined;
    const updated = text === undefined ? undefined : replaceBetween(text, `${cliTable}\n\nMeasured ${new Date().toISOString().slice(0, 10)} on ${os.cpus().length} CPUs, Node ${process.version}.`, CLI_START, CLI_END);
    if (updated !== undefined) {
      fs.writeFileSync(docs, updated);
      log(`updated the real-CLI figures in ${path.relative(process.cwd(), docs)}`);
    }
  }

  const directory = result.ours.details["directory"] as DirectoryFigures | undefined;
  if (directory) {
    const table = directoryMarkdown(directory);
    process.stdout.write(`\nAgent37Directory:\n${table}\n`);
    // Like the CLI's, the section stands alone (ours only, its own pairs), so any run that measured it publishes it.
    const stamp = `Measured ${new Date().toISOString().slice(0, 10)} on ${os.cpus().length} CPUs, Node ${process.version}.`;
    fs.mkdirSync(RESULTS_DIR, { recursive: true });
    fs.writeFileSync(path.join(RESULTS_DIR, "directory.json"), `${JSON.stringify({ ...directory, settings: DIRECTORY_BENCH, generatedAt: new Date().toISOString() }, null, 2)}\n`);
    fs.writeFileSync(path.join(RESULTS_DIR, "directory.md"), `${table}\n\n${stamp}\n`);
    const docs = path.resolve(RESULTS_DIR, "../../docs/bench.md");
    const text = fs.existsSync(docs) ? fs.readFileSync(docs, "utf8") : undefined;
    const updated = text === undefined ? undefined : replaceBetween(text, `${table}\n\n${stamp}`, DIRECTORY_START, DIRECTORY_END);
    if (updated !== undefined) {
      fs.writeFileSync(docs, updated);
      log(`updated the Agent37Directory figures in ${path.relative(process.cwd(), docs)}`);
    }
  }

  if (only || sides.length < 2) {
    // Scratch output of a partial run (ignored by git: *.tmp), for looking at the details.
    fs.mkdirSync(RESULTS_DIR, { recursive: true });
    fs.writeFileSync(path.join(RESULTS_DIR, "partial.tmp"), `${JSON.stringify(result, null, 2)}\n`);
  } else {
    const ratios: Record<string, number | null> = {};
    const pass: Record<string, boolean | null> = {};
    for (const row of rows) {
      ratios[row.figure] = row.ratio === null ? null : round(row.ratio, 3);
      pass[row.figure] = row.pass;
    }
    const json = {
      ...result.ours.figures,
      baseline: { ...result.baseline.figures, notes: result.baseline.notes },
      ratios,
      pass,
      targets: Object.fromEntries(rows.filter((r) => r.target).map((r) => [r.figure, r.target])),
      notes: result.ours.notes,
      details: { ours: result.ours.details, baseline: result.baseline.details },
      frontDoors: frontDoors ?? null,
      settings: { preview: PREVIEW, readiness: READINESS, fleet: FLEET, faults: { ...FAULTS, plan: FAULT_PLAN }, frontDoors: FRONT_DOORS, template: TEMPLATE_BENCH, cli: CLI_BENCH },
      environment: { node: process.version, platform: `${os.platform()} ${os.arch()}`, cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model ?? null },
      generatedAt: new Date().toISOString(),
      durationMs: round(durationMs, 0),
    };
    fs.mkdirSync(RESULTS_DIR, { recursive: true });
    fs.writeFileSync(path.join(RESULTS_DIR, "latest.json"), `${JSON.stringify(json, null, 2)}\n`);
    const markdown = `${formatMarkdownTable(rows)}\n\nMeasured ${json.generatedAt} on ${json.environment.cpus} CPUs (${json.environment.cpuModel ?? "unknown"}), Node ${process.version}; the run took ${round(durationMs / 1000, 0)} s.\n`;
    fs.writeFileSync(path.join(RESULTS_DIR, "latest.md"), frontDoorsTable ? `${markdown}\n## Front doors\n\n${frontDoorsTable}\n` : markdown);
    log(`wrote ${path.relative(process.cwd(), path.join(RESULTS_DIR, "latest.json"))} and latest.md`);
    // docs/bench.md carries the latest table between markers, so the published figures are the measured ones.
    const docs = path.resolve(RESULTS_DIR, "../../docs/bench.md");
    let updated = fs.existsSync(docs) ? replaceBetween(fs.readFileSync(docs, "utf8"), markdown) : undefined;
    if (updated !== undefined && frontDoorsTable) updated = replaceBetween(updated, frontDoorsTable, FRONT_DOORS_START, FRONT_DOORS_END) ?? updated;
    if (updated !== undefined) {
      fs.writeFileSync(docs, updated);
      log(`updated the latest figures in ${path.relative(process.cwd(), docs)}`);
    }
  }
  return oursFailed ? 1 : 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  },
);
