/**
 * Agent37File and Agent37Directory under the faults the Files API can meet, through Pulumi's own
 * provider host against the emulator (its fault plan: a body cut off mid-way, a reset before or
 * after the gateway acted, a 5xx before or after): every PUT is retried (PUT is idempotent) and
 * the state records what is in the instance; a Directory `up` that fails part-way keeps what it
 * surely wrote, and the next `up` sends only what is left, never touching a file it did not
 * write; a stopped instance fails at once, naming it; a sleeping one is woken and written.
 * Kept with the directory's tests: most of its cases are a Directory's interrupted sync.
 */
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { Agent37Directory, Agent37File } from "pulumi-agent37";
import { Engine, runProgram, startRig, type Rig } from "../harness";
import { isSecretEnvelope } from "../harness/protocol";
import { WORKSPACE, agentInstance, filesTarget, filesRequests, listFolder, readFile, stopInstance, until, writeFile, type Target } from "../harness/files-api";

const FILE = "pulumi-nodejs:dynamic/agent37:File";
const DIRECTORY = "pulumi-nodejs:dynamic/agent37:Directory";
const sha = (s: string): string => createHash("sha256").update(s).digest("hex");

let rig: Rig;
let t: Target;
let instanceId: string;
const dirs: string[] = [];

beforeAll(async () => {
  rig = await startRig({ provisionMs: 50, bootMs: 50, lifecycleMs: 50, deleteMs: 30, idleScale: 0.01 });
  t = filesTarget(rig.emulator, rig.key);
  instanceId = await agentInstance(t);
});
afterEach(async () => rig.admin.clearFaults());
afterAll(async () => {
  await rig?.close();
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

/** Every fault a PUT can meet on the way, one at a time. */
const PUT_FAULTS = [
  { kind: "reset-mid-body", afterBytes: 3 },
  { kind: "reset-before" },
  { kind: "reset-after" },
  { kind: "status", status: 503 },
  { kind: "status-after", status: 504 },
  { kind: "status", status: 502 },
] as const;
const onPuts = (rule: object) => ({ plane: "instance", method: "PUT", path: "/v1/files/content", ...rule });
// The request log has no query strings: a PUT is counted, and which files were rewritten is told by their mtimes.
const puts = async (): Promise<number> => (await filesRequests(t)).filter((r) => r.method === "PUT").length;
const mtimesIn = async (id: string, dir: string): Promise<Record<string, number>> => Object.fromEntries((await listFolder(t, id, dir)).entries.map((e) => [e.name, e.modified]));
const ops = (steps: { op: string; urn: string }[]) => Object.fromEntries(steps.map((s) => [s.urn.split("::").pop(), s.op]));

function localFolder(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "a37-faults-"));
  dirs.push(dir);
  for (const [rel, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), content);
  }
  return dir;
}

/** The manifest's mtime for each path (`path\thash\tmtime` a line). */
const manifestMtimes = (manifest: unknown): Record<string, number> => Object.fromEntries(String(manifest).split("\n").map((l) => l.split("\t")).map(([p, , m]) => [p, Number(m)]));

describe("Agent37File under faults", () => {
  it("retries a PUT cut off mid-body, reset before or after it acted, or answered 5xx before or after; the state records what is there", async () => {
    const engine = new Engine(rig.host);
    const program = (content: string) => () => {
      const f = new Agent37File("faulty", { instanceId, path: "faulty/SOUL.md", content });
      return { size: f.size };
    };
    for (const [i, fault] of PUT_FAULTS.entries()) {
      await rig.admin.setFaults([onPuts({ instanceId, count: 1, ...fault })]);
      await rig.admin.clearRequests();
      const content = `version ${i}, after ${fault.kind}\n`;
      await runProgram(engine, program(content));
      expect(await readFile(t, instanceId, "faulty/SOUL.md")).toBe(content);
      // The faulted PUT and its retry (a create first, then updates).
      expect(await puts()).toBe(2);
      const recorded = engine.state.get(engine.urn(FILE, "faulty"))?.outputs ?? {};
      const remote = (await listFolder(t, instanceId, `${WORKSPACE}/faulty`)).entries.find((e) => e.name === "SOUL.md");
      // The dynamic door keeps sha256 in the secret envelope (content may be secret); its value is compared.
      const sha256 = isSecretEnvelope(recorded["sha256"]) ? (recorded["sha256"] as { value: unknown }).value : recorded["sha256"];
      expect({ sha256, size: recorded["size"], modified: recorded["modified"] }).toEqual({ sha256: sha(content), size: Buffer.byteLength(content), modified: remote?.modified });
    }
    // What the state says is what is there: a refresh changes nothing.
    await engine.refresh();
    expect(ops((await runProgram(engine, program(`version 5, after status\n`), { preview: true })).steps)).toEqual({ faulty: "same" });
    await engine.destroy();
  });

  it("wakes a sleeping instance and writes the file", async () => {
    const sleepy = await agentInstance(t, { auto_sleep: true, idle_timeout_seconds: 60 });
    await until(async () => (await rig.admin.instance(sleepy))?.status === "sleeping");
    const engine = new Engine(rig.host);
    await runProgram(engine, () => {
      new Agent37File("woken", { instanceId: sleepy, path: "woken.md", content: "awake\n" });
      return {};
    });
    expect(await readFile(t, sleepy, "woken.md")).toBe("awake\n");
    expect((await rig.admin.instance(sleepy))?.status).toBe("running");
  });
});

describe("Agent37Directory under faults", () => {
  const folder = (source: string, target: string, name = "skills") => () => {
    const d = new Agent37Directory(name, { instanceId, source, path: target });
    return { files: d.files };
  };

  it("retries every kind of PUT fault during a sync; the record's mtimes are the instance's", async () => {
    const files = Object.fromEntries(Array.from({ length: 24 }, (_, i) => [`g${i % 3}/s${i}.md`, `# skill ${i}\n`.repeat(40)]));
    const src = localFolder(files);
    // Two of each kind, on the first matching PUTs: none is hit often enough to run out of attempts.
    await rig.admin.setFaults(PUT_FAULTS.map((f) => onPuts({ instanceId, count: 2, ...f })));
    const engine = new Engine(rig.host);
    expect((await runProgram(engine, folder(src, "retried"))).outputs).toEqual({ files: 24 });
    await rig.admin.clearFaults();
    for (const [rel, content] of Object.entries(files)) expect(await readFile(t, instanceId, `retried/${rel}`)).toBe(content);
    const mtimes = manifestMtimes(engine.state.get(engine.urn(DIRECTORY, "skills"))?.outputs["manifest"]);
    for (const g of ["g0", "g1", "g2"]) {
      for (const e of (await listFolder(t, instanceId, `${WORKSPACE}/retried/${g}`)).entries) expect([e.name, mtimes[`${g}/${e.name}`]]).toEqual([e.name, e.modified]);
    }
    await engine.refresh();
    await rig.admin.clearRequests();
    expect(ops((await runProgram(engine, folder(src, "retried"), { preview: true })).steps)).toEqual({ skills: "same" });
    await runProgram(engine, folder(src, "retried"));
    expect(await puts()).toBe(0);
    await engine.destroy();
  });

  it("keeps what an interrupted sync surely wrote; the next up sends only what is left and touches nothing it did not write", async () => {
    const files = Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`f${String(i).padStart(2, "0")}.md`, `file ${i}\n`]));
    const src = localFolder(files);
    await writeFile(t, instanceId, `${WORKSPACE}/resumed/theirs.md`, "not ours\n");
    // Ten PUTs go through, the eleventh is written but its answer lost (504), every later one fails (500).
    await rig.admin.setFaults([onPuts({ instanceId, kind: "status-after", status: 504, skip: 10, count: 1 }), onPuts({ instanceId, kind: "status", status: 500, skip: 10 })]);
    const engine = new Engine(rig.host);
    const err = await runProgram(engine, folder(src, "resumed")).catch((e: unknown) => e);
    expect(String(err)).toContain("run `pulumi up` again to finish the folder");
    const urn = engine.urn(DIRECTORY, "skills");
    const kept = engine.state.get(urn);
    expect(kept?.initErrors).toHaveLength(1);
    expect(kept?.outputs["files"]).toBe(10);
    const recorded = manifestMtimes(kept?.outputs["manifest"]);
    const before = await mtimesIn(instanceId, `${WORKSPACE}/resumed`);
    // Eleven were written (one of them without an answer): the state holds only the ten it saw, as they are.
    expect(Object.keys(before).filter((n) => n !== "theirs.md")).toHaveLength(11);
    for (const [p, m] of Object.entries(recorded)) expect([p, before[p]]).toEqual([p, m]);

    await rig.admin.clearFaults();
    await rig.admin.clearRequests();
    expect((await runProgram(engine, folder(src, "resumed"))).outputs).toEqual({ files: 20 });
    // Exactly the ten it had not recorded (the one that landed is recognised by its bytes and not
    // written again); none it had recorded is rewritten, and theirs is untouched.
    expect(await puts()).toBe(10);
    const after = await mtimesIn(instanceId, `${WORKSPACE}/resumed`);
    for (const p of [...Object.keys(recorded), "theirs.md"]) expect([p, after[p]]).toEqual([p, before[p]]);
    const landed = Object.keys(before).filter((p) => p !== "theirs.md" && recorded[p] === undefined);
    expect(landed).toHaveLength(1);
    expect(after[landed[0] as string]).toBe(before[landed[0] as string]);
    for (const [rel, content] of Object.entries(files)) expect(await readFile(t, instanceId, `resumed/${rel}`)).toBe(content);
    expect(engine.state.get(urn)?.initErrors).toBeUndefined();

    // An interrupted update: six edited, two deleted locally; three PUTs go through, then 500s.
    for (let i = 0; i < 6; i++) fs.writeFileSync(path.join(src, `f0${i}.md`), `file ${i}, edited\n`);
    fs.rmSync(path.join(src, "f18.md"));
    fs.rmSync(path.join(src, "f19.md"));
    await rig.admin.setFaults([onPuts({ instanceId, kind: "status", status: 500, skip: 3 })]);
    await expect(runProgram(engine, folder(src, "resumed"))).rejects.toThrow(/pulumi up` again/);
    const midway = await mtimesIn(instanceId, `${WORKSPACE}/resumed`);
    expect(Object.keys(manifestMtimes(engine.state.get(urn)?.outputs["manifest"])).length).toBe(20);
    await rig.admin.clearFaults();
    await rig.admin.clearRequests();
    await runProgram(engine, folder(src, "resumed"));
    const requests = await filesRequests(t);
    expect([requests.filter((r) => r.method === "PUT").length, requests.filter((r) => r.method === "DELETE").length]).toEqual([3, 2]);
    // The three the interrupted update wrote were not written again.
    const done = await mtimesIn(instanceId, `${WORKSPACE}/resumed`);
    expect(Array.from({ length: 6 }, (_, i) => `f0${i}.md`).filter((p) => done[p] === midway[p])).toHaveLength(3);
    for (let i = 0; i < 6; i++) expect(await readFile(t, instanceId, `resumed/f0${i}.md`)).toBe(`file ${i}, edited\n`);
    expect(await readFile(t, instanceId, "resumed/f19.md")).toBeUndefined();
    expect(engine.state.get(urn)?.outputs["files"]).toBe(18);

    await engine.destroy();
    expect((await listFolder(t, instanceId, `${WORKSPACE}/resumed`)).entries.map((e) => e.name)).toEqual(["theirs.md"]);
  }, 60_000);

  it("never overwrites a file edited inside the instance since the last refresh: the up names it and says to refresh", async () => {
    const src = localFolder({ "a.md": "a\n", "b.md": "b\n" });
    const engine = new Engine(rig.host);
    await runProgram(engine, folder(src, "guarded"));
    await writeFile(t, instanceId, `${WORKSPACE}/guarded/a.md`, "their edit\n");
    fs.writeFileSync(path.join(src, "a.md"), "a, v2\n");
    const err = await runProgram(engine, folder(src, "guarded")).catch((e: unknown) => e);
    expect(String(err)).toContain(`${WORKSPACE}/guarded/a.md`);
    expect(String(err)).toContain("pulumi refresh");
    expect(await readFile(t, instanceId, "guarded/a.md")).toBe("their edit\n");
    await engine.refresh();
    await runProgram(engine, folder(src, "guarded"));
    expect(await readFile(t, instanceId, "guarded/a.md")).toBe("a, v2\n");
    await engine.destroy();
  });

  it("fails within 30 s on a stopped instance, naming it and saying it is stopped, with no write tried", async () => {
    const stopped = await agentInstance(t);
    await stopInstance(t, stopped);
    const src = localFolder({ "a.md": "a\n" });
    await rig.admin.clearRequests();
    const started = Date.now();
    const err = await runProgram(new Engine(rig.host), () => {
      new Agent37Directory("cold", { instanceId: stopped, source: src, path: "skills" });
      return {};
    }).catch((e: unknown) => e);
    expect(Date.now() - started).toBeLessThan(30_000);
    expect(err).toBeInstanceOf(Error);
    expect(String(err)).toContain(`instance ${stopped} is stopped`);
    expect(await filesRequests(t)).toEqual([]);
  });
});
