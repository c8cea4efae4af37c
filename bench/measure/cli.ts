// The real engine: `pulumi preview` through the `pulumi` CLI (PATH, or .ci/pulumi/bin where
// .ci/run builds it), a local file backend in a temporary folder, loopback only (the environment
// of the end-to-end tests, test/cli/cli.ts). Two parts, each in alternating pairs so that machine
// load falls on both sides of every ratio alike (the order within a pair alternates too):
//
// - start: a one-instance Pulumi YAML stack through the plugin's executable against an empty
//   YAML stack (what starting the plugin and its first calls add to a preview);
// - perResource: 10 and 100 instances, on a new stack and with nothing to change, against the
//   same stack on a provider that does nothing, through each door: the dynamic door as an
//   Automation API inline program in Node (bench/cli/inline-driver.ts, one process per run), the
//   plugin door as Pulumi YAML (the do-nothing plugin: bench/cli/null-plugin.ts). The same stack:
//   the floor's resources declare the same inputs and outputs, and its creates record the outputs
//   one of our instances recorded, so its state has the shape of ours (27 outputs, env a secret).
//   Nothing to change is also measured against a floor that records only its inputs (3 of them),
//   which shows what recording an instance's outputs costs the engine and the program
//   (docs/bench.md).
//
// No CLI (or no YAML language host): the section is skipped with the reason, never failed.
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { REPO_ROOT } from "../../test/harness";
import { newBackend, pulumi, pulumiBinDir, type Backend } from "../../test/cli/cli";
import { isSecret } from "../../provider/core/check";
import { buildSchema } from "../../provider/core/schema";
import { MODULES } from "../../provider/front/plugin/registry";
import { instanceArgs, type DriverArgs, type NullOutputs } from "../cli/inline-driver";
import { INSTANCE_DECL } from "../../provider/instance/fields";
import { now } from "../lib/admin";
import { withEmulator, type BenchEmulator } from "../lib/emulator";
import { median, round } from "../lib/stats";
import type { Measure } from "./types";

/**
 * Settings; BENCH_CLI_PAIRS overrides the number of measured pairs of both parts. Seven pairs:
 * on two shared cores one preview of the same stack moves by 20% from run to run, and medians
 * of five pairs read per-resource ratios 0.1 apart from one run to the next.
 */
export const CLI_BENCH = {
  startPairs: Number(process.env.BENCH_CLI_PAIRS ?? 7),
  pairs: Number(process.env.BENCH_CLI_PAIRS ?? 7),
  sizes: (process.env.BENCH_CLI_SIZES ?? "10,100").split(",").map(Number),
  doors: (process.env.BENCH_CLI_DOORS ?? "dynamic,plugin").split(",") as Door[],
  targets: { startRatio: 1.6, perResourceRatioAt100: 1.2 },
  emulator: { provisionMs: 50, bootMs: 100, lifecycleMs: 50, deleteMs: 20, latencyMs: 0 },
};

type Door = "dynamic" | "plugin";
type Kind = "ours" | "null" | "echo";
type Case = "newStack" | "noChange" | "noChangeEcho";

export interface PairFigures {
  oursMs: number;
  floorMs: number;
  /** ours ÷ floor (medians). */
  ratio: number;
  oursRuns: number[];
  floorRuns: number[];
}

export interface CliFigures {
  cliVersion: string;
  start?: PairFigures;
  /** door → size → case. */
  perResource: Partial<Record<Door, Record<string, Partial<Record<Case, PairFigures>>>>>;
  errors: string[];
  pairs: number;
  startPairs: number;
}

export const CLI_TYPE = "agent37:index:Instance";
const NULL_PACKAGE = "agent37null";
const STACK = "bench";

/**
 * Runs the sides in turn `rounds` times after one warm-up each, the order rotating from round to
 * round (so that each side runs first, last and between alike); the times of each side.
 */
async function rotate(rounds: number, sides: (() => Promise<number>)[]): Promise<number[][]> {
  for (const side of sides) await side();
  const runs: number[][] = sides.map(() => []);
  for (let r = 0; r < rounds; r++) {
    for (let j = 0; j < sides.length; j++) {
      const i = (r + j) % sides.length;
      (runs[i] as number[]).push(await (sides[i] as () => Promise<number>)());
    }
  }
  return runs;
}

/** Ours against a floor, from the runs of both. */
function pairFigures(as: number[], bs: number[]): PairFigures {
  return {
    oursMs: round(median(as), 0),
    floorMs: round(median(bs), 0),
    ratio: round(median(as) / median(bs), 3),
    oursRuns: as.map((v) => round(v, 0)),
    floorRuns: bs.map((v) => round(v, 0)),
  };
}

/** Runs `a` and `b` alternately `pairs` times after one warm-up each (the order alternates too). */
async function alternate(pairs: number, a: () => Promise<number>, b: () => Promise<number>): Promise<PairFigures> {
  const [as, bs] = await rotate(pairs, [a, b]);
  return pairFigures(as as number[], bs as number[]);
}

/** The outputs the floor's resources declare: the instance's, and which are secret. */
const FLOOR_OUTPUTS = {
  keys: Object.keys(INSTANCE_DECL.outputs),
  secret: Object.entries(INSTANCE_DECL.outputs)
    .filter(([, f]) => f.secret === true)
    .map(([k]) => k),
};

/**
 * The outputs the first instance of a stack recorded (`pulumi stack export --show-secrets`),
 * secrets as plain values and named: what the floor's creates record.
 */
async function recordedOutputs(args: string[], cwd: string, backend: Backend): Promise<NullOutputs> {
  const exported = JSON.parse((await pulumi(["stack", "export", "--show-secrets", ...args], { cwd, backend })).stdout) as {
    deployment: { resources?: { type: string; custom?: boolean; outputs?: Record<string, unknown> }[] };
  };
  const instance = exported.deployment.resources?.find((r) => r.custom === true && r.type.endsWith(":Instance"));
  if (instance?.outputs === undefined) throw new Error("the stack holds no instance with outputs");
  const outputs: Record<string, unknown> = {};
  const secret: string[] = [];
  for (const [k, v] of Object.entries(instance.outputs)) {
    if (k === "__provider") continue;
    // A secret in `stack export --show-secrets` is Pulumi's envelope with `plaintext` (JSON) for its value.
    const sealed = isSecret(v) ? (v as { plaintext?: string }).plaintext : undefined;
    if (sealed !== undefined) secret.push(k);
    outputs[k] = sealed !== undefined ? JSON.parse(sealed) : v;
  }
  return { outputs, secret };
}

/** Fails unless the floor recorded the outputs ours did (the same keys, the same secret ones). */
function expectSameShape(what: string, ours: NullOutputs, floor: NullOutputs): void {
  const keys = (o: NullOutputs) => JSON.stringify([Object.keys(o.outputs).sort(), [...o.secret].sort()]);
  if (keys(ours) !== keys(floor)) throw new Error(`${what}: the floor recorded ${keys(floor)}, ours ${keys(ours)}`);
}

/** The backend with the floor's outputs in the environment of its processes. */
function withNullOutputs(backend: Backend, outputs: NullOutputs): Backend {
  return { ...backend, env: { ...backend.env, BENCH_NULL_OUTPUTS: JSON.stringify(outputs) } };
}

function emulatorConfig(emulator: BenchEmulator): [string, string, boolean][] {
  return [
    ["agent37:apiKey", emulator.keys[0] as string, true],
    ["agent37:apiUrl", emulator.url, false],
    ["agent37:instanceUrlTemplate", `http://{host}.localhost:${emulator.port}`, false],
  ];
}

/** The schema of the do-nothing plugin: ours, its package renamed, without provider config. */
function nullSchema(): string {
  const schema = buildSchema(MODULES) as unknown as Record<string, unknown>;
  delete schema.config;
  delete schema.provider;
  delete schema.language;
  schema.name = NULL_PACKAGE;
  return JSON.stringify(schema).replaceAll('"agent37:', `"${NULL_PACKAGE}:`).replaceAll("#/types/agent37:", `#/types/${NULL_PACKAGE}:`);
}

/** A folder holding the do-nothing plugin's executable, `pulumi-resource-agent37null`. */
function writeNullPlugin(root: string): string {
  const dir = path.join(root, "null-plugin");
  fs.mkdirSync(dir);
  const entry = path.join(REPO_ROOT, "dist", "bench", "cli", "null-plugin.js");
  const exe = path.join(dir, `pulumi-resource-${NULL_PACKAGE}`);
  fs.writeFileSync(exe, `#!/usr/bin/env node\nrequire(${JSON.stringify(entry)});\n`, { mode: 0o755 });
  fs.writeFileSync(path.join(dir, "schema.json"), nullSchema());
  return dir;
}

/** A Pulumi YAML project of `count` instances of `kind` (0: an empty stack). */
function yamlProject(root: string, name: string, kind: Kind, count: number, nullDir: string): string {
  const dir = path.join(root, name);
  fs.mkdirSync(dir);
  const pkg = kind === "ours" ? "agent37" : NULL_PACKAGE;
  const lines = [`name: ${name}`, "runtime: yaml"];
  if (count > 0) lines.push("packages:", `  ${pkg}: ${JSON.stringify(kind === "ours" ? path.join(REPO_ROOT, "plugin") : nullDir)}`, "resources:");
  for (let i = 0; i < count; i++) {
    const a = instanceArgs(i);
    lines.push(`  agent-${i}:`, `    type: ${pkg}:index:Instance`, "    properties:", `      template: ${a.template}`);
    lines.push(`      resources: { cpu: ${a.resources.cpu}, memory: ${a.resources.memory} }`, `      name: ${a.name}`);
  }
  fs.writeFileSync(path.join(dir, "Pulumi.yaml"), `${lines.join("\n")}\n`);
  return dir;
}

async function initStack(cwd: string, backend: Backend, config: [string, string, boolean][]): Promise<void> {
  await pulumi(["stack", "init", STACK], { cwd, backend });
  for (const [k, v, secret] of config) await pulumi(["config", "set", ...(secret ? ["--secret"] : []), k, v], { cwd, backend });
}

async function timedPulumi(args: string[], cwd: string, backend: Backend): Promise<number> {
  const start = now();
  await pulumi(args, { cwd, backend, timeoutMs: 600_000 });
  return now() - start;
}

/** The Automation API driver in a process of its own; resolves to the command's own time. */
function driver(args: DriverArgs, backend: Backend): Promise<{ ms: number; changes: Record<string, number> }> {
  const script = path.join(REPO_ROOT, "dist", "bench", "cli", "inline-driver.js");
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [script, JSON.stringify(args)], { env: backend.env, maxBuffer: 64 * 1024 * 1024, timeout: 600_000, encoding: "utf8" }, (error, stdout, stderr) => {
      const line = stdout.split("\n").find((l) => l.startsWith("BENCH_RESULT "));
      if (error || line === undefined) reject(new Error(`inline ${args.action} of ${args.kind} × ${args.count} failed: ${error?.message ?? ""}\n${stderr.slice(-2000)}`));
      else resolve(JSON.parse(line.slice("BENCH_RESULT ".length)) as { ms: number; changes: Record<string, number> });
    });
  });
}

/** A project folder where `require("pulumi-agent37")` and `@pulumi/pulumi` resolve, as in a user's. */
function inlineWorkDir(root: string): string {
  const dir = path.join(root, "inline");
  fs.mkdirSync(path.join(dir, "node_modules"), { recursive: true });
  fs.symlinkSync(path.join(REPO_ROOT, "node_modules", "@pulumi"), path.join(dir, "node_modules", "@pulumi"));
  fs.symlinkSync(REPO_ROOT, path.join(dir, "node_modules", "pulumi-agent37"));
  fs.writeFileSync(path.join(dir, "Pulumi.yaml"), "name: agent37-bench-inline\nruntime: nodejs\n");
  return dir;
}

function expectChanges(what: string, changes: Record<string, number>, op: string, count: number): void {
  if ((changes[op] ?? 0) < count) throw new Error(`${what}: expected ${count} resources to ${op}, got ${JSON.stringify(changes)}`);
}

/**
 * The nothing-to-change figures: ours, the floor and the echoing floor in turn. `measure(kind)`
 * times one preview of `kind`'s stack.
 */
async function noChangeFigures(pairs: number, measure: (k: Kind) => () => Promise<number>): Promise<Pick<Record<Case, PairFigures>, "noChange" | "noChangeEcho">> {
  const [ours, floor, echo] = (await rotate(pairs, [measure("ours"), measure("null"), measure("echo")])) as [number[], number[], number[]];
  return { noChange: pairFigures(ours, floor), noChangeEcho: pairFigures(ours, echo) };
}

/**
 * One door at one size: new-stack pairs (ours, the floor), then up of ours, of the floor (its
 * creates recording the outputs ours recorded) and of the echoing floor, nothing-to-change
 * rounds of the three, destroy of all.
 */
async function measureDoor(door: Door, count: number, ctx: { root: string; backend: Backend; emulator: BenchEmulator; nullDir: string; workDir: string }, pairs: number, log: (l: string) => void): Promise<Partial<Record<Case, PairFigures>>> {
  const out: Partial<Record<Case, PairFigures>> = {};
  const config = emulatorConfig(ctx.emulator);
  const kinds: Kind[] = ["ours", "null", "echo"];
  const logCase = (c: Case, what: string): void => {
    const p = out[c] as PairFigures;
    log(`cli: ${door} door, ${count} instances, ${what}: ${p.oursMs} ms vs ${p.floorMs} ms (${p.ratio}x)`);
  };
  const logNoChange = (): void => {
    logCase("noChange", "nothing to change");
    logCase("noChangeEcho", "nothing to change, against a floor recording its inputs only");
  };
  if (door === "plugin") {
    const dirs = Object.fromEntries(kinds.map((k) => [k, yamlProject(ctx.root, `yaml-${k}-${count}`, k, count, ctx.nullDir)])) as Record<Kind, string>;
    for (const k of kinds) await initStack(dirs[k], ctx.backend, config);
    const preview = (k: Kind) => () => timedPulumi(["preview"], dirs[k], ctx.backend);
    out.newStack = await alternate(pairs, preview("ours"), preview("null"));
    logCase("newStack", "new stack");
    try {
      const up = (k: Kind, backend: Backend) => pulumi(["up", "--yes", "--skip-preview"], { cwd: dirs[k], backend, timeoutMs: 900_000 });
      await up("ours", ctx.backend);
      const recorded = await recordedOutputs([], dirs.ours, ctx.backend);
      await up("null", withNullOutputs(ctx.backend, recorded));
      expectSameShape(`plugin door × ${count}`, recorded, await recordedOutputs([], dirs.null, ctx.backend));
      await up("echo", ctx.backend);
      Object.assign(out, await noChangeFigures(pairs, preview));
      logNoChange();
    } finally {
      for (const k of kinds) await pulumi(["destroy", "--yes", "--skip-preview"], { cwd: dirs[k], backend: ctx.backend, timeoutMs: 900_000, allowFailure: true });
    }
    return out;
  }
  const args = (kind: Kind, action: DriverArgs["action"]): DriverArgs => ({ workDir: ctx.workDir, project: "agent37-bench-inline", stack: `${kind}-${count}`, kind, count, action, outputs: FLOOR_OUTPUTS });
  for (const k of kinds) {
    await pulumi(["stack", "init", `${k}-${count}`], { cwd: ctx.workDir, backend: ctx.backend });
    for (const [key, v, secret] of config) await pulumi(["config", "set", "--stack", `${k}-${count}`, ...(secret ? ["--secret"] : []), key, v], { cwd: ctx.workDir, backend: ctx.backend });
  }
  const preview = (k: Kind, op: string) => async () => {
    const r = await driver(args(k, "preview"), ctx.backend);
    expectChanges(`inline preview of ${k} × ${count}`, r.changes, op, count);
    return r.ms;
  };
  out.newStack = await alternate(pairs, preview("ours", "create"), preview("null", "create"));
  logCase("newStack", "new stack");
  try {
    const up = async (k: Kind, backend: Backend) => expectChanges(`inline up of ${k} × ${count}`, (await driver(args(k, "up"), backend)).changes, "create", count);
    await up("ours", ctx.backend);
    const recorded = await recordedOutputs(["--stack", `ours-${count}`], ctx.workDir, ctx.backend);
    await up("null", withNullOutputs(ctx.backend, recorded));
    expectSameShape(`dynamic door × ${count}`, recorded, await recordedOutputs(["--stack", `null-${count}`], ctx.workDir, ctx.backend));
    await up("echo", ctx.backend);
    Object.assign(out, await noChangeFigures(pairs, (k) => preview(k, "same")));
    logNoChange();
  } finally {
    for (const k of kinds) await driver(args(k, "destroy"), ctx.backend).catch(() => undefined);
  }
  return out;
}

/** The real-CLI section; writes `details.cli` of our side (or `details.cli.skipped`). */
export const measureCli: Measure = async (subject, side, log) => {
  if (subject.side !== "ours") return;
  try {
    pulumiBinDir();
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    log(`cli: skipped: ${reason}`);
    side.details["cli"] = { skipped: reason };
    return;
  }
  const backend = newBackend([path.dirname(require.resolve("@pulumi/pulumi/package.json"))]);
  const root = path.dirname(backend.dir);
  try {
    const nullDir = writeNullPlugin(root);
    backend.env["BENCH_NULL_SCHEMA"] = path.join(nullDir, "schema.json");
    const version = (await pulumi(["version"], { cwd: root, backend })).stdout.trim();
    const figures: CliFigures = { cliVersion: version, perResource: {}, errors: [], pairs: CLI_BENCH.pairs, startPairs: CLI_BENCH.startPairs };
    side.details["cli"] = figures;
    await withEmulator(CLI_BENCH.emulator, async (emulator) => {
      const config = emulatorConfig(emulator);
      try {
        const empty = yamlProject(root, "yaml-empty", "ours", 0, nullDir);
        const one = yamlProject(root, "yaml-one", "ours", 1, nullDir);
        await initStack(empty, backend, config);
        await initStack(one, backend, config);
        figures.start = await alternate(
          CLI_BENCH.startPairs,
          () => timedPulumi(["preview"], one, backend),
          () => timedPulumi(["preview"], empty, backend),
        );
        log(`cli: preview of one instance through the plugin ${figures.start.oursMs} ms, of an empty stack ${figures.start.floorMs} ms (${figures.start.ratio}x)`);
      } catch (error) {
        figures.errors.push(`start: ${error instanceof Error ? error.message : String(error)}`);
        log(`cli: start failed: ${figures.errors.at(-1)?.slice(0, 2000)}`);
      }
      const workDir = inlineWorkDir(root);
      for (const door of CLI_BENCH.doors) {
        for (const count of CLI_BENCH.sizes) {
          try {
            const byCase = await measureDoor(door, count, { root, backend, emulator, nullDir, workDir }, CLI_BENCH.pairs, log);
            ((figures.perResource[door] ??= {})[String(count)] = byCase);
          } catch (error) {
            figures.errors.push(`${door} × ${count}: ${error instanceof Error ? error.message : String(error)}`);
            log(`cli: ${door} door × ${count} failed: ${figures.errors.at(-1)?.slice(0, 2000)}`);
          }
        }
      }
    });
  } finally {
    backend.remove();
  }
};

const verdict = (ratio: number | undefined, target: number): string => (ratio === undefined ? "-" : ratio <= target ? "pass" : "FAIL");

/** The real-CLI figures as a Markdown table (docs/bench.md, latest.md). */
export function cliMarkdown(f: CliFigures): string {
  const rows = ["| preview through the `pulumi` CLI | ours ms | floor ms | ratio | target |", "| --- | --- | --- | --- | --- |"];
  if (f.start) rows.push(`| one instance (YAML, plugin) vs an empty YAML stack | ${f.start.oursMs} | ${f.start.floorMs} | ${f.start.ratio}x | <= ${CLI_BENCH.targets.startRatio} (${verdict(f.start.ratio, CLI_BENCH.targets.startRatio)}) |`);
  const doorName: Record<Door, string> = { dynamic: "dynamic door (inline TypeScript)", plugin: "plugin door (YAML)" };
  const caseName: Record<Case, string> = {
    newStack: "new stack, vs a do-nothing provider",
    noChange: "nothing to change, vs a do-nothing provider",
    noChangeEcho: "nothing to change, vs a do-nothing provider recording only its inputs",
  };
  for (const door of Object.keys(f.perResource) as Door[]) {
    for (const [size, cases] of Object.entries(f.perResource[door] ?? {})) {
      for (const c of Object.keys(cases) as Case[]) {
        const p = cases[c] as PairFigures;
        const target = size === "100" && c !== "noChangeEcho" ? `<= ${CLI_BENCH.targets.perResourceRatioAt100} (${verdict(p.ratio, CLI_BENCH.targets.perResourceRatioAt100)})` : "-";
        rows.push(`| ${doorName[door]}, ${size} instances, ${caseName[c]} | ${p.oursMs} | ${p.floorMs} | ${p.ratio}x | ${target} |`);
      }
    }
  }
  const notes = [`\n\`pulumi\` ${f.cliVersion}; medians of ${f.startPairs} (start) and ${f.pairs} (per resource) alternating pairs after one warm-up each (nothing to change: ${f.pairs} rounds of ours and both floors, the order rotating).`];
  if (f.errors.length > 0) notes.push(`Could not measure: ${f.errors.map((e) => e.split("\n")[0]).join("; ")}.`);
  return `${rows.join("\n")}\n${notes.join(" ")}`;
}
