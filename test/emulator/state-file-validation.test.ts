import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { startEmulator } from "../../emulator";
import { ExecRunner } from "../../emulator/hosting/exec";
import { FAST, TestClient, type Json } from "./helpers";

const KEY = "sk_live_stateValidation000000001";
let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "agent37-state-valid-"));
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

/** A real state file with one running instance (with env and a public port) and its workspace templates. */
async function writeValidFile(statePath: string): Promise<Json> {
  const e = new TestClient(await startEmulator({ ...FAST, keys: [KEY], statePath }));
  await e.create({ name: "one", env: { TOKEN: "secret-value" }, public_ports: [{ port: 8644, prefix: "web" }] });
  await e.close();
  return JSON.parse(fs.readFileSync(statePath, "utf8"));
}

function modeOf(file: string): number {
  return fs.statSync(file).mode & 0o777;
}

describe("state file permissions", () => {
  it("writes the file readable by its owner only (it holds env values)", async () => {
    const statePath = path.join(dir, "state.json");
    await writeValidFile(statePath);
    expect(modeOf(statePath)).toBe(0o600);
  });

  it("tightens a file that was world-readable when it rewrites it", async () => {
    const statePath = path.join(dir, "state.json");
    await writeValidFile(statePath);
    fs.chmodSync(statePath, 0o644);
    const e = new TestClient(await startEmulator({ ...FAST, keys: [KEY], statePath }));
    await e.create({});
    await e.close();
    expect(modeOf(statePath)).toBe(0o600);
  });
});

describe("state file validation at load", () => {
  async function loadError(statePath: string): Promise<string> {
    const started = startEmulator({ ...FAST, keys: [KEY], statePath });
    const err: unknown = await started.then(
      async (e) => {
        await e.close();
        return undefined;
      },
      (e: unknown) => e,
    );
    if (!(err instanceof Error)) throw new Error("the emulator started from an invalid state file");
    return err.message;
  }

  async function refused(mutate: (snap: Json) => void): Promise<string> {
    const statePath = path.join(dir, "state.json");
    const snap = await writeValidFile(statePath);
    mutate(snap);
    fs.writeFileSync(statePath, JSON.stringify(snap));
    const message = await loadError(statePath);
    expect(message).toContain(statePath);
    return message;
  }

  it("refuses a traversal instance id, naming the file and the field, and touches nothing outside", async () => {
    const victim = path.join(dir, "victim");
    fs.mkdirSync(victim);
    const message = await refused((snap) => {
      snap.instances[0].id = "../victim";
    });
    expect(message).toMatch(/`instances\.0\.id` must match/);
    expect(fs.existsSync(victim)).toBe(true);
  });

  it("refuses a record with a missing field instead of loading it (every listing would fail)", async () => {
    const message = await refused((snap) => {
      delete snap.instances[0].resources;
    });
    expect(message).toContain("`instances.0.resources`");
  });

  it.each<[string, (snap: Json) => void, string]>([
    ["an unknown status", (s) => (s.instances[0].status = "exploded"), "`instances.0.status`"],
    ["an env key the API would refuse", (s) => (s.instances[0].env = { "bad key": "x" }), "`instances.0.env.bad key`"],
    ["a non-string env value", (s) => (s.instances[0].env = { TOKEN: 5 }), "`instances.0.env.TOKEN`"],
    ["a workspace id that is not a hash", (s) => (s.instances[0].workspace = "../ws"), "`instances.0.workspace`"],
    ["a public-port host that is not a DNS label", (s) => (s.instances[0].publicPorts[0].host = "a.b/c"), "`instances.0.publicPorts.0.host`"],
    ["a negative sequence number", (s) => (s.seq = -1), "`seq`"],
    ["a field the emulator does not know", (s) => (s.instances[0].shell = "rm -rf /"), "unknown field `instances.0.shell`"],
    ["a repeated instance id", (s) => s.instances.push({ ...s.instances[0] }), "`instances.1.id` repeats instance id"],
    ["an unsupported version", (s) => (s.version = 2), "`version` must be 1"],
    ["a template without versions", (s) => (Object.values<Json[]>(s.templates)[0]![0].versions = []), ".versions`"],
    ["a generated key that is not an sk_live_ key", (s) => (s.generatedKey = "hunter2"), "`generatedKey`"],
  ])("refuses %s, naming the field", async (_what, mutate, field) => {
    const message = await refused(mutate);
    expect(message).toContain(field);
  });

  it("refuses a file that is not JSON, naming the file", async () => {
    const statePath = path.join(dir, "state.json");
    fs.writeFileSync(statePath, "{ not json");
    const message = await loadError(statePath);
    expect(message).toContain(statePath);
    expect(message).toContain("not readable JSON");
  });

  it("never prints an env value or a generated key from the file in its error", async () => {
    const message = await refused((snap) => {
      snap.instances[0].env = { TOKEN: "secret-value", "lower case": "x" };
    });
    expect(message).not.toContain("secret-value");
  });

  it("loads a file written before auto-sleep existed (its three timestamps absent)", async () => {
    const statePath = path.join(dir, "state.json");
    const snap = await writeValidFile(statePath);
    const id: string = snap.instances[0].id;
    for (const rec of snap.instances) {
      delete rec.lastTrafficAt;
      delete rec.sleptAt;
      delete rec.wokeAt;
    }
    fs.writeFileSync(statePath, JSON.stringify(snap));
    const e = new TestClient(await startEmulator({ ...FAST, keys: [KEY], statePath }));
    try {
      const list = await e.api("GET", "/v1/instances");
      expect(list.status).toBe(200);
      expect(list.body.data.map((i: Json) => i.id)).toEqual([id]);
    } finally {
      await e.close();
    }
  });
});

describe("exec folders", () => {
  it("never turn an id that the emulator does not make into a path (the state file is not the only way in)", () => {
    const runner = new ExecRunner(1000, 1024);
    const victim = path.join(dir, "victim");
    fs.mkdirSync(victim);
    try {
      expect(() => runner.folder(path.relative(os.tmpdir(), victim))).toThrow("refusing exec folder");
      runner.folder("ab12cd34ef");
      expect(() => runner.remove(`../${path.basename(dir)}/victim`)).toThrow("refusing exec folder");
      expect(fs.existsSync(victim)).toBe(true);
    } finally {
      runner.close();
    }
  });
});
