// Runs the real `pulumi` CLI for the end-to-end tests: a local file backend in a temporary
// folder, a passphrase for the stack's secrets, a PULUMI_HOME of its own (so nothing is read from
// or written to the user's ~/.pulumi), and nothing that reaches beyond loopback: no update check,
// no plugin download. `pulumi` and `pulumi-language-yaml` come from PATH, or from .ci/pulumi/bin
// where .ci/run builds them.
import { execFile, spawn, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { setTimeout as delay } from "node:timers/promises";
import { REPO_ROOT } from "../harness";

export const PASSPHRASE = "agent37-cli-tests";
const CI_BIN = path.join(REPO_ROOT, ".ci", "pulumi", "bin");

function onPath(file: string, dirs: string[]): string | undefined {
  for (const dir of dirs) {
    const candidate = path.join(dir, file);
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      return candidate;
    } catch {
      // not in this folder
    }
  }
  return undefined;
}

/** The folder holding `pulumi` and `pulumi-language-yaml`; a clear error when there is none. */
export function pulumiBinDir(): string {
  const dirs = [...(process.env.PATH ?? "").split(path.delimiter).filter(Boolean), CI_BIN];
  const cli = onPath("pulumi", dirs);
  if (cli === undefined) {
    throw new Error(`no pulumi CLI on PATH or in ${CI_BIN}: these tests run the real CLI; bash .ci/run builds it (the engine leg)`);
  }
  const dir = path.dirname(cli);
  if (onPath("pulumi-language-yaml", [dir, ...dirs]) === undefined) throw new Error(`no pulumi-language-yaml next to ${cli} or on PATH`);
  return dir;
}

export interface Backend {
  /** The backend folder (`file://` URL target). */
  dir: string;
  /** PULUMI_HOME of these runs. */
  home: string;
  env: NodeJS.ProcessEnv;
  remove(): void;
}

/**
 * A fresh local backend and the environment for `pulumi` runs against it. `extraPath` folders go
 * first on PATH (e.g. the dynamic provider's launcher). Agent37 settings of the machine's own
 * environment are dropped, so only the stack's configuration points the providers anywhere.
 */
export function newBackend(extraPath: string[] = []): Backend {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "agent37-cli-"));
  const dir = path.join(root, "backend");
  const home = path.join(root, "home");
  fs.mkdirSync(dir);
  fs.mkdirSync(home);
  const env: NodeJS.ProcessEnv = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("AGENT37_") && !k.startsWith("PULUMI_")));
  Object.assign(env, {
    // The Node running the tests first, so `#!/usr/bin/env node` plugins run on it.
    PATH: [...extraPath, path.dirname(process.execPath), pulumiBinDir(), process.env.PATH ?? ""].join(path.delimiter),
    PULUMI_BACKEND_URL: `file://${dir}`,
    PULUMI_HOME: home,
    PULUMI_CONFIG_PASSPHRASE: PASSPHRASE,
    PULUMI_SKIP_UPDATE_CHECK: "1",
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
    PULUMI_AUTOMATION_API_SKIP_VERSION_CHECK: "true",
    PULUMI_SUPPRESS_COPILOT_LINK: "true",
    NO_COLOR: "1",
  });
  return { dir, home, env, remove: () => fs.rmSync(root, { recursive: true, force: true }) };
}

export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** `pulumi <args>` in `cwd`; rejects on a non-zero exit unless `allowFailure`, with the output in the error. */
export function pulumi(args: string[], opts: { cwd: string; backend: Backend; allowFailure?: boolean; timeoutMs?: number }): Promise<Run> {
  return new Promise((resolve, reject) => {
    execFile(
      "pulumi",
      [...args, "--non-interactive"],
      { cwd: opts.cwd, env: opts.backend.env, timeout: opts.timeoutMs ?? 240_000, maxBuffer: 64 * 1024 * 1024, encoding: "utf8" },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === "number" ? error.code : null;
        const run = { code, stdout, stderr };
        if (code !== 0 && !opts.allowFailure) reject(new Error(`pulumi ${args.join(" ")} failed (${error?.message}):\n${stdout}\n${stderr}`));
        else resolve(run);
      },
    );
  });
}

/** `pulumi <args>` as a child process the test holds (to signal it), with its output captured. */
export function spawnPulumi(args: string[], opts: { cwd: string; backend: Backend }): { child: ChildProcess; output: () => string; exited: Promise<number | null> } {
  const child = spawn("pulumi", [...args, "--non-interactive"], { cwd: opts.cwd, env: opts.backend.env, stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  child.stdout?.setEncoding("utf8").on("data", (c: string) => (out += c));
  child.stderr?.setEncoding("utf8").on("data", (c: string) => (out += c));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return { child, output: () => out, exited };
}

/** Polls `probe` (the emulator's state, never the clock) until `test` holds; fails after `timeoutMs`. */
export async function until<T>(probe: () => Promise<T>, test: (v: T) => boolean, what: string, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (test(v)) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(v)}`);
    await delay(50);
  }
}

/**
 * Ctrl-C twice, as a user stops a run: SIGINT, then a second one once the CLI says it is
 * cancelling, so the engine exits with its operations unfinished. Resolves to the exit code.
 */
export async function ctrlCTwice(run: ReturnType<typeof spawnPulumi>): Promise<number | null> {
  run.child.kill("SIGINT");
  const deadline = Date.now() + 30_000;
  while (!/cancel/i.test(run.output()) && Date.now() < deadline) await delay(20);
  run.child.kill("SIGINT");
  return run.exited;
}

/** A Pulumi YAML program that loads the plugin from this repository: `resources` and `outputs` lines, indented as YAML wants. */
export function yamlProgram(project: string, name: string, resources: string[], outputs: string[] = []): void {
  const lines = [`name: ${name}`, "runtime: yaml", "packages:", `  agent37: ${path.join(REPO_ROOT, "plugin")}`, "resources:", ...resources];
  if (outputs.length > 0) lines.push("outputs:", ...outputs);
  fs.writeFileSync(path.join(project, "Pulumi.yaml"), [...lines, ""].join("\n"));
}

/** One step of `pulumi preview --json`. */
export interface PreviewStep {
  op: string;
  urn: string;
  detailedDiff?: Record<string, { kind: string }> | null;
}

/** The steps of `pulumi preview --json`, by resource name (the last URN segment). */
export function stepsByName(json: string): Record<string, PreviewStep> {
  const parsed = JSON.parse(json) as { steps?: PreviewStep[] };
  return Object.fromEntries((parsed.steps ?? []).map((s) => [s.urn.split("::").pop() as string, s]));
}

/** Every file under `dir`, recursively, as [path, content]; folders named in `skip` and symlinks are left out. */
export function filesUnder(dir: string, skip: string[] = []): [string, string][] {
  const out: [string, string][] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory() && !skip.includes(entry.name)) out.push(...filesUnder(file, skip));
    else if (entry.isFile()) out.push([file, fs.readFileSync(file, "latin1")]);
  }
  return out;
}
