import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { Agent, request } from "undici";

const CLI = path.resolve(__dirname, "..", "..", "dist", "emulator", "cli.js");
const KEY = "sk_live_cliWorkspace0000000000001";

interface Cli {
  child: ChildProcessWithoutNullStreams;
  lines: string[];
  exited: Promise<number | null>;
}

function run(args: string[]): Cli {
  const child = spawn(process.execPath, [CLI, ...args], { stdio: "pipe" });
  const lines: string[] = [];
  let buf = "";
  child.stdout.on("data", (d: Buffer) => {
    buf += d.toString();
    const parts = buf.split("\n");
    buf = parts.pop() ?? "";
    lines.push(...parts);
  });
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return { child, lines, exited };
}

async function listening(cli: Cli): Promise<string> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const line = cli.lines.find((l) => l.startsWith("agent37-emulator listening on "));
    if (line) return line.slice("agent37-emulator listening on ".length);
    if (Date.now() > deadline || cli.child.exitCode !== null) throw new Error(`CLI did not start: ${cli.lines.join("\n")}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

async function waitFor<T>(probe: () => T | undefined): Promise<T> {
  const deadline = Date.now() + 5000;
  for (;;) {
    const v = probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error("condition not met within 5 s");
    await new Promise((r) => setTimeout(r, 10));
  }
}

const agent = new Agent();
afterAll(() => agent.close());

beforeAll(() => {
  if (!fs.existsSync(CLI)) throw new Error("dist/emulator/cli.js is missing: run `npm run build` first (npm test does)");
});

describe("agent37-emulator CLI", () => {
  it("starts with a shebang, prints the listening line and its keys, serves, and exits 0 on SIGTERM", async () => {
    expect(fs.readFileSync(CLI, "utf8").startsWith("#!/usr/bin/env node")).toBe(true);
    const cli = run(["--port", "0", "--key", KEY, "--provision-ms", "5", "--boot-ms", "5"]);
    try {
      const url = await listening(cli);
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(await waitFor(() => cli.lines.find((l) => l.includes(KEY)))).toBe(`  ${KEY}`);
      const r = await request(`${url}/v1/instances`, { method: "POST", headers: { authorization: `Bearer ${KEY}` }, body: "{}", dispatcher: agent });
      expect(r.statusCode).toBe(201);
      await r.body.dump();
    } finally {
      cli.child.kill("SIGTERM");
    }
    expect(await cli.exited).toBe(0);
  });

  it("generates and prints a working key when none is given", async () => {
    const cli = run(["--port", "0", "--api", "2026-06"]);
    try {
      const url = await listening(cli);
      const key = await waitFor(() => cli.lines.map((l) => l.trim()).find((l) => /^sk_live_[A-Za-z0-9]{16,}$/.test(l)));
      const r = await request(`${url}/v1/instances`, { headers: { authorization: `Bearer ${key}` }, dispatcher: agent });
      expect(r.statusCode).toBe(200);
      await r.body.dump();
    } finally {
      cli.child.kill("SIGTERM");
    }
    await cli.exited;
  });

  it("seeds a free-tier workspace from --key KEY:free", async () => {
    const cli = run(["--port", "0", "--key", `${KEY}:free`, "--provision-ms", "5"]);
    try {
      const url = await listening(cli);
      const r = await request(`${url}/v1/instances`, { method: "POST", headers: { authorization: `Bearer ${KEY}` }, body: JSON.stringify({ resources: { cpu: 4, memory: 8 } }), dispatcher: agent });
      expect(r.statusCode).toBe(403);
      expect(((await r.body.json()) as { error: { code: string } }).error.code).toBe("tier_limit");
    } finally {
      cli.child.kill("SIGTERM");
    }
    await cli.exited;
  });

  it("exits 2 with the usage on an invalid flag", async () => {
    const cli = run(["--api", "2025-01"]);
    let stderr = "";
    cli.child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    expect(await cli.exited).toBe(2);
    expect(stderr).toContain("--api must be 2026-08 or 2026-06");
    expect(stderr).toContain("Usage:");
  });

  it("exits 2 naming --key, not the programmatic option, for a key without the sk_live_ prefix", async () => {
    const cli = run(["--port", "0", "--key", "sk_test_0123456789abcdef0123"]);
    let stderr = "";
    cli.child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    expect(await cli.exited).toBe(2);
    expect(stderr).toContain("--key must start with `sk_live_`");
    expect(stderr).not.toContain("workspaces[].key");
    expect(stderr).not.toContain("sk_test_0123456789abcdef0123");
  });

  it("exits 1 naming the state file and the field when the file is invalid", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "agent37-cli-state-"));
    try {
      const statePath = path.join(dir, "state.json");
      fs.writeFileSync(statePath, JSON.stringify({ version: 1, seq: 0, instances: [{ id: "../x" }], templates: {} }));
      const cli = run(["--port", "0", "--key", KEY, "--state", statePath]);
      let stderr = "";
      cli.child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
      expect(await cli.exited).toBe(1);
      expect(stderr).toContain(statePath);
      expect(stderr).toContain("`instances.0.id`");
      expect(cli.lines.join("\n")).not.toContain("listening on");
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
