/**
 * `npm run demo` end to end: the compiled demo (built by `npm test`'s build step) runs the basic
 * example's lifecycle through the provider host against its embedded emulator.
 */
import { spawn } from "node:child_process";
import * as path from "node:path";
import { REPO_ROOT } from "../harness";
import { runDemo as runDemoInProcess } from "../../scripts/demo";

function runCompiledDemo(): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(REPO_ROOT, "dist", "scripts", "demo.js")], { cwd: REPO_ROOT, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.on("error", reject);
    child.on("exit", (code) => resolve({ code, output }));
  });
}

describe("the demo", () => {
  let result: { code: number | null; output: string };
  beforeAll(async () => {
    result = await runCompiledDemo();
  }, 120_000);

  it("exits 0 after the whole lifecycle", () => {
    expect(result.output).toMatch(/\[demo\] OK in/);
    expect(result.code).toBe(0);
  });

  it("runs preview, up with health progress, a health request, update, refresh and destroy in order", () => {
    const phases = [...result.output.matchAll(/^\[(\w+)\]/gm)].map((m) => m[1]);
    const order = ["setup", "preview", "up", "outputs", "health", "update", "refresh", "destroy", "demo"];
    expect(order.map((p) => phases.indexOf(p))).toEqual([...order.map((p) => phases.indexOf(p))].sort((a, b) => a - b));
    expect(order.every((p) => phases.includes(p))).toBe(true);
    expect(result.output).toMatch(/\[up\] support-bot: \w+, waiting for health \.\.\. \(\d+\.\ds\)/);
    expect(result.output).toMatch(/\[health\] GET http:\/\/[a-z0-9]{10}\.localhost:\d+\/v1\/health -> 200/);
  });

  it("never prints an API key", () => {
    expect(result.output).not.toMatch(/sk_live_/);
  });
});

describe("the demo on failure", () => {
  it("rejects with the cause, never printing the key, and leaves no provider host running", async () => {
    const lines: string[] = [];
    let pid = 0;
    const error = await runDemoInProcess({
      print: (line) => lines.push(line),
      onHost: (p) => (pid = p),
      faults: [{ method: "POST", path: "/v1/instances", kind: "status", status: 402, code: "insufficient_balance", message: "Top up to continue." }],
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toMatch(/insufficient_balance/);
    expect(`${lines.join("\n")}${(error as Error).message}`).not.toMatch(/sk_live_/);
    expect(pid).toBeGreaterThan(0);
    expect(() => process.kill(pid, 0)).toThrow();
  });
});
