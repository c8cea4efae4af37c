// What the SDK suites of test/cli share: running a command with its output kept for the
// failure message, the tools they need on PATH, and a stack's environment against an emulator.
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { RunningEmulator } from "pulumi-agent37/emulator";

export const REPO = path.resolve(__dirname, "..", "..");
export const VERSION = (JSON.parse(fs.readFileSync(path.join(REPO, "package.json"), "utf8")) as { version: string }).version;

export interface RunOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  timeoutMs?: number;
}

/** Runs a command to its end; a non-zero exit rejects with the command, its stdout and stderr. */
export function run(command: string, args: readonly string[], options: RunOptions = {}): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    execFile(command, args, { cwd: options.cwd, env: options.env ?? process.env, timeout: options.timeoutMs ?? 600_000, maxBuffer: 64 << 20 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`${command} ${args.join(" ")} failed (${err.message.split("\n")[0]}):\n--- stdout\n${stdout}\n--- stderr\n${stderr}`));
      else resolve({ stdout, stderr });
    });
  });
}

/** The full path of a command on PATH, or a clear failure naming what puts it there. */
export function onPath(command: string, why: string): string {
  for (const dir of (process.env.PATH ?? "").split(path.delimiter)) {
    const candidate = path.join(dir, command);
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      return candidate;
    } catch {
      // not in this folder
    }
  }
  throw new Error(`${command} is not on PATH: ${why}`);
}

export const ENGINE_TOOLS = "CI's engine leg puts the pulumi CLI and the executable plugin pulumi-resource-agent37 on PATH for test/cli";

/** A fresh folder under the OS temp dir. */
export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/**
 * The environment of an Automation-API program against `emulator`: a file backend of its own,
 * a passphrase secrets provider, and the emulator's address and key for the program to set as
 * the stack's `agent37:*` config.
 */
export function stackEnv(emulator: RunningEmulator, dir: string): NodeJS.ProcessEnv {
  const backend = path.join(dir, "backend");
  fs.mkdirSync(backend, { recursive: true });
  return {
    ...process.env,
    PULUMI_BACKEND_URL: `file://${backend}`,
    PULUMI_CONFIG_PASSPHRASE: "sdk-test",
    PULUMI_SKIP_UPDATE_CHECK: "1",
    PULUMI_HOME: path.join(dir, "pulumi-home"),
    AGENT37_API_URL: emulator.url,
    AGENT37_API_KEY: emulator.keys[0] ?? "",
    AGENT37_INSTANCE_URL_TEMPLATE: `http://{host}.localhost:${emulator.port}`,
  };
}

export interface Step {
  step: string;
  [field: string]: unknown;
}

/** The JSON lines an SDK program prints on stdout, one per step. */
export function steps(stdout: string): Step[] {
  return stdout
    .split("\n")
    .filter((line) => line.startsWith("{"))
    .map((line) => JSON.parse(line) as Step);
}

/** Emulator timings short enough for a test, as the engine suites use. */
export const FAST_EMULATOR = { port: 0, quiet: true, provisionMs: 50, bootMs: 100, lifecycleMs: 50, deleteMs: 30 } as const;
