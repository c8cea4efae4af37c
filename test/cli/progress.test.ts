/**
 * Progress through the real `pulumi` CLI: while an instance's gateway boots (slowed down in the
 * emulator to several seconds), `pulumi up` shows on the instance's row what it waits for and
 * for how long, before the row's `created` line; through each door: the plugin's executable from
 * a YAML program, and the dynamic provider host from an inline TypeScript program. Loopback only.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { LocalWorkspace } from "@pulumi/pulumi/automation";
import { startEmulator, type RunningEmulator } from "../../emulator";
import { REPO_ROOT } from "../harness";
import { newBackend, pulumi, type Backend } from "./cli";

const KEY = "sk_live_cli0progress0key0000";
/** The gateway's boot: 502 for half of it, then up but not healthy. Lines start 2 s into a wait. */
const BOOT_MS = 6_000;

let emulator: RunningEmulator;
const cleanups: (() => void)[] = [];

beforeAll(async () => {
  emulator = await startEmulator({ port: 0, quiet: true, keys: [KEY], provisionMs: 100, bootMs: BOOT_MS, lifecycleMs: 100, deleteMs: 50 });
});
afterAll(async () => {
  await emulator?.close();
  for (const c of cleanups) c();
});

function tempDir(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function tracked(backend: Backend): Backend {
  cleanups.push(() => backend.remove());
  return backend;
}

/**
 * The lines of `output` about the resource `name` of type `type`: the progress lines (its row
 * while creating, with a `waiting for` in the last column) and the index of its `created` line.
 */
function rowsOf(output: string, type: string, name: string): { lines: string[]; progress: number[]; created: number } {
  const lines = output.split("\n");
  const row = new RegExp(`^\\s*\\+\\s+${type.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")}\\s+${name}\\s+`);
  const progress: number[] = [];
  let created = -1;
  lines.forEach((line, i) => {
    if (!row.test(line)) return;
    if (/\screating \(\d+s\)\s+waiting for the gateway's health \(\d+ s(, [^)]+)?\)\s*$/.test(line)) progress.push(i);
    if (created === -1 && /\screated \(\d+s\)/.test(line)) created = i;
  });
  return { lines, progress, created };
}

describe("progress lines in `pulumi up`", () => {
  it("the plugin door (YAML): the instance's row says it waits for the gateway's health, before `created`", async () => {
    const project = tempDir("agent37-progress-yaml-");
    // The repository's plugin folder, started by the engine as an executable.
    fs.writeFileSync(
      path.join(project, "Pulumi.yaml"),
      [
        "name: progress-yaml",
        "runtime: yaml",
        "plugins:",
        "  providers:",
        "    - name: agent37",
        `      path: ${JSON.stringify(path.join(REPO_ROOT, "plugin"))}`,
        "resources:",
        "  slow:",
        "    type: agent37:index:Instance",
        "    properties:",
        "      name: slow",
        "",
      ].join("\n"),
    );
    const backend = tracked(newBackend());
    const run = (args: string[]) => pulumi(args, { cwd: project, backend });
    await run(["stack", "init", "dev"]);
    await run(["config", "set", "--secret", "agent37:apiKey", KEY]);
    await run(["config", "set", "agent37:apiUrl", emulator.url]);

    const up = await run(["up", "--yes", "--skip-preview"]);
    const output = up.stdout + up.stderr;
    const { lines, progress, created } = rowsOf(output, "agent37:index:Instance", "slow");
    expect({ progress: progress.length > 0, created: created >= 0, output }).toMatchObject({ progress: true, created: true });
    expect(progress.every((i) => i < created)).toBe(true);
    // The first line comes about 2 s into the wait, the edge still answering for the gateway.
    expect(lines[progress[0] as number]).toMatch(/waiting for the gateway's health \([2-4] s, 502 container_\w+\)/);
    // The line is gone from the row once the wait ended: the created line shows none.
    expect(lines[created]).not.toContain("waiting for");
    // A status, not a message: nothing of it in the diagnostics summary.
    expect(output).not.toMatch(/Diagnostics:[\s\S]*waiting for/);
    expect(output).not.toContain(KEY);
    await run(["destroy", "--yes", "--skip-preview"]);
  });

  it("the dynamic door (inline TypeScript): the same line on the dynamic resource's row, before `created`", async () => {
    // The engine starts the dynamic provider host in the program's folder, where
    // `require("pulumi-agent37/dynamic")` must resolve, as in a user's project.
    const workDir = tempDir("agent37-progress-inline-");
    fs.mkdirSync(path.join(workDir, "node_modules"));
    fs.symlinkSync(path.join(REPO_ROOT, "node_modules", "@pulumi"), path.join(workDir, "node_modules", "@pulumi"));
    fs.symlinkSync(REPO_ROOT, path.join(workDir, "node_modules", "pulumi-agent37"));
    const backend = tracked(newBackend([path.join(REPO_ROOT, "node_modules", "@pulumi", "pulumi")]));
    // The Automation API finds `pulumi` on this process's PATH.
    const oldPath = process.env.PATH;
    process.env.PATH = backend.env.PATH;
    cleanups.push(() => (process.env.PATH = oldPath));
    const program = async (): Promise<Record<string, unknown>> => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { Agent37Instance } = require("pulumi-agent37") as typeof import("../../provider");
      const slow = new Agent37Instance("slow", { name: "slow" });
      return { id: slow.instanceId };
    };
    const stack = await LocalWorkspace.createOrSelectStack({ projectName: "progress-inline", stackName: "dev", program }, { workDir, envVars: backend.env as Record<string, string> });
    await stack.setAllConfig({ "agent37:apiKey": { value: KEY, secret: true }, "agent37:apiUrl": { value: emulator.url } });

    let output = "";
    const up = await stack.up({ onOutput: (text) => (output += text) });
    expect(up.summary.result).toBe("succeeded");
    const { lines, progress, created } = rowsOf(output, "pulumi-nodejs:dynamic/agent37:Instance", "slow");
    expect({ progress: progress.length > 0, created: created >= 0, output }).toMatchObject({ progress: true, created: true });
    expect(progress.every((i) => i < created)).toBe(true);
    expect(lines[progress[0] as number]).toMatch(/waiting for the gateway's health \([2-4] s, 502 container_\w+\)/);
    expect(lines[created]).not.toContain("waiting for");
    expect(output).not.toMatch(/Diagnostics:[\s\S]*waiting for/);
    expect(output).not.toContain(KEY);
    await stack.destroy();
  });
});
