// The emulator CLI's --help/-h, --version, the opt-in request log (--log) and the line it prints
// when it stops, through the built CLI as a user runs it.
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from "node:child_process";
import * as fs from "node:fs";
import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { Agent, request } from "undici";

const ROOT = path.resolve(__dirname, "..", "..");
const CLI = path.join(ROOT, "dist", "emulator", "cli.js");
const KEY = "sk_live_cliLogWorkspace000000000001";
const VERSION = (JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as { version: string }).version;

interface Cli {
  child: ChildProcessWithoutNullStreams;
  lines: string[];
  stderr: () => string;
  exited: Promise<number | null>;
}

function run(args: string[]): Cli {
  const child = spawn(process.execPath, [CLI, ...args], { stdio: "pipe" });
  const lines: string[] = [];
  let buf = "";
  let err = "";
  child.stdout.on("data", (d: Buffer) => {
    buf += d.toString();
    const parts = buf.split("\n");
    buf = parts.pop() ?? "";
    lines.push(...parts);
  });
  child.stderr.on("data", (d: Buffer) => (err += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return { child, lines, stderr: () => err, exited };
}

async function waitFor<T>(what: string, probe: () => T | undefined): Promise<T> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const v = probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`${what}: not seen within 10 s`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

const listening = (cli: Cli): Promise<string> =>
  waitFor("the listening line", () => cli.lines.find((l) => l.startsWith("agent37-emulator listening on "))?.slice("agent37-emulator listening on ".length));

const agent = new Agent();
afterAll(() => agent.close());

beforeAll(() => {
  if (!fs.existsSync(CLI)) throw new Error("dist/emulator/cli.js is missing: run `npm run build` first (npm test does)");
});

describe("agent37-emulator --help, -h and --version", () => {
  it.each(["--help", "-h"])("%s prints the usage on stdout and exits 0", (flag) => {
    const r = spawnSync(process.execPath, [CLI, flag], { encoding: "utf8" });
    expect(r.status).toBe(0);
    expect(r.stderr).toBe("");
    expect(r.stdout).toMatch(/^Usage: agent37-emulator \[options\]/);
    for (const documented of ["-h, --help", "--version", "--log", "--quiet", "--port N"]) expect(r.stdout).toContain(documented);
  });

  it("--version prints the package version and exits 0", () => {
    const r = spawnSync(process.execPath, [CLI, "--version"], { encoding: "utf8" });
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(`${VERSION}\n`);
  });

  it("an unknown flag still exits 2 with the usage", () => {
    const r = spawnSync(process.execPath, [CLI, "-x"], { encoding: "utf8" });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("Unknown option '-x'");
    expect(r.stderr).toContain("Usage:");
  });
});

describe("agent37-emulator --log", () => {
  it("prints method, path, status and ms per request, and never a key, a header value, a query string or a body", async () => {
    const cli = run(["--port", "0", "--key", KEY, "--log", "--provision-ms", "5", "--boot-ms", "5"]);
    try {
      const url = await listening(cli);
      const secretBody = "body-secret-value-93c1";
      const secretHeader = "header-secret-value-5e2a";
      const secretQuery = "query-secret-value-77d0";
      const auth = { authorization: `Bearer ${KEY}`, "x-agent37-key": KEY, "x-probe": secretHeader };
      const created = await request(`${url}/v1/instances`, { method: "POST", headers: { ...auth, "content-type": "application/json" }, body: JSON.stringify({ name: "logged", env: { TOKEN: secretBody } }), dispatcher: agent });
      expect(created.statusCode).toBe(201);
      const { id } = (await created.body.json()) as { id: string };
      const listed = await request(`${url}/v1/instances?token=${secretQuery}&key=${KEY}`, { headers: auth, dispatcher: agent });
      expect(listed.statusCode).toBe(200);
      await listed.body.dump();
      // A key a client put in the path itself (a mistake a script can make).
      const odd = await request(`${url}/v1/instances/${KEY}`, { headers: auth, dispatcher: agent });
      await odd.body.dump();
      const refused = await request(`${url}/v1/instances`, { headers: { authorization: "Bearer sk_live_wrongKey000000000000000" }, dispatcher: agent });
      expect(refused.statusCode).toBe(401);
      await refused.body.dump();
      // The instance plane (Host: <id>.localhost) and the emulator's own admin surface.
      const port = new URL(url).port;
      const plane = await request(`${url}/v1/health?${secretQuery}`, { headers: { ...auth, host: `${id}.localhost:${port}` }, dispatcher: agent });
      await plane.body.dump();
      const admin = await request(`${url}/_emulator/requests`, { dispatcher: agent });
      await admin.body.dump();

      const logged = (): string[] => cli.lines.filter((l) => l.startsWith("agent37-emulator: "));
      await waitFor("six request lines", () => (logged().length >= 6 ? true : undefined));
      const lines = logged();
      expect(lines).toHaveLength(6);
      for (const line of lines) expect(line).toMatch(/^agent37-emulator: (GET|POST) \/\S* (\d{3}|reset) \d+ms( \[instance [a-z0-9]+\])?( \(fault \S+\))?$/);
      expect(lines[0]).toMatch(/^agent37-emulator: POST \/v1\/instances 201 \d+ms$/);
      expect(lines[1]).toMatch(/^agent37-emulator: GET \/v1\/instances 200 \d+ms$/);
      expect(lines[2]).toMatch(/^agent37-emulator: GET \/v1\/instances\/sk_live_\[REDACTED\] 404 \d+ms$/);
      expect(lines[3]).toMatch(/^agent37-emulator: GET \/v1\/instances 401 \d+ms$/);
      expect(lines[4]).toMatch(new RegExp(`^agent37-emulator: GET /v1/health \\d{3} \\d+ms \\[instance ${id}\\]$`));
      expect(lines[5]).toMatch(/^agent37-emulator: GET \/_emulator\/requests 200 \d+ms$/);
      const all = cli.lines.filter((l) => !l.startsWith("  sk_live_")).join("\n") + cli.stderr();
      for (const secret of [KEY, "sk_live_wrongKey", secretBody, secretHeader, secretQuery, "Bearer", "token="]) expect(all).not.toContain(secret);
    } finally {
      cli.child.kill("SIGINT");
    }
    expect(await cli.exited).toBe(0);
  });

  it("is off by default: no request lines", async () => {
    const cli = run(["--port", "0", "--key", KEY]);
    try {
      const url = await listening(cli);
      const r = await request(`${url}/v1/instances`, { headers: { authorization: `Bearer ${KEY}` }, dispatcher: agent });
      expect(r.statusCode).toBe(200);
      await r.body.dump();
    } finally {
      cli.child.kill("SIGTERM");
    }
    expect(await cli.exited).toBe(0);
    expect(cli.lines.filter((l) => l.startsWith("agent37-emulator: "))).toEqual([]);
  });

  it("with --quiet prints only the request lines, and no line when it stops", async () => {
    // --quiet prints no listening line, so the test picks the port.
    const port = await new Promise<number>((resolve) => {
      const probe = net.createServer().listen(0, "127.0.0.1", () => {
        const { port: p } = probe.address() as net.AddressInfo;
        probe.close(() => resolve(p));
      });
    });
    const cli = run(["--port", String(port), "--key", KEY, "--quiet", "--log"]);
    try {
      const url = `http://127.0.0.1:${port}`;
      // Ask until it answers (each refused connection is a request it never saw).
      let answered: number | undefined;
      const deadline = Date.now() + 10_000;
      while (answered === undefined) {
        try {
          const r = await request(`${url}/v1/instances`, { headers: { authorization: `Bearer ${KEY}` }, dispatcher: agent });
          answered = r.statusCode;
          await r.body.dump();
        } catch (err) {
          if (Date.now() > deadline || cli.child.exitCode !== null) throw err;
          await new Promise((r) => setTimeout(r, 20));
        }
      }
      expect(answered).toBe(200);
      await waitFor("the request line", () => (cli.lines.length > 0 ? true : undefined));
    } finally {
      cli.child.kill("SIGTERM");
    }
    expect(await cli.exited).toBe(0);
    expect(cli.lines).toHaveLength(1);
    expect(cli.lines[0]).toMatch(/^agent37-emulator: GET \/v1\/instances 200 \d+ms$/);
    expect(cli.stderr()).toBe("");
  });
});

describe("stopping the CLI", () => {
  it.each(["SIGINT", "SIGTERM"] as const)("on %s it prints one line naming the signal and the state file, and exits 0", async (signal) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "agent37-cli-stop-"));
    const statePath = path.join(dir, "state.json");
    const cli = run(["--port", "0", "--key", KEY, "--state", statePath]);
    try {
      await listening(cli);
      cli.child.kill(signal);
      expect(await cli.exited).toBe(0);
      expect(cli.lines.at(-1)).toBe(`agent37-emulator stopped on ${signal}; state written to ${statePath}`);
      expect(fs.existsSync(statePath)).toBe(true);
    } finally {
      cli.child.kill("SIGKILL");
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("without a state file the line says only that it stopped", async () => {
    const cli = run(["--port", "0", "--key", KEY]);
    await listening(cli);
    cli.child.kill("SIGTERM");
    expect(await cli.exited).toBe(0);
    expect(cli.lines.at(-1)).toBe("agent37-emulator stopped on SIGTERM");
  });
});
