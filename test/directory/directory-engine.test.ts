/**
 * Agent37Directory through Pulumi's own provider host against the emulator, with a 1,000-file
 * folder: a touched mtime, a changed mode or an ignored file is no change (and previews with no
 * request); one edited file is an update that sends exactly one PUT; one deleted local file is
 * an update that sends exactly one DELETE; a remote file the resource did not write survives
 * every up and the destroy; an edit inside the instance is seen by refresh and restored.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { Agent37Directory, type Agent37DirectoryArgs } from "pulumi-agent37";
import { CheckFailedError, Engine, runProgram, startRig, type Rig } from "../harness";
import { WORKSPACE, agentInstance, filesTarget, filesRequests, readFile, writeFile, type Target } from "../harness/files-api";

const TYPE = "pulumi-nodejs:dynamic/agent37:Directory";

let rig: Rig;
let t: Target;
let instanceId: string;
let src: string;

beforeAll(async () => {
  rig = await startRig({ provisionMs: 50, bootMs: 50, lifecycleMs: 50, deleteMs: 30 });
  t = filesTarget(rig.emulator, rig.key);
  instanceId = await agentInstance(t);
  src = fs.mkdtempSync(path.join(os.tmpdir(), "a37-dir-"));
  for (let i = 0; i < 1000; i++) {
    const rel = path.join(`group-${i % 10}`, `skill-${i}.md`);
    fs.mkdirSync(path.join(src, path.dirname(rel)), { recursive: true });
    fs.writeFileSync(path.join(src, rel), `# skill ${i}\n`);
  }
  fs.writeFileSync(path.join(src, "notes.log"), "ignored\n");
});
afterAll(async () => {
  await rig?.close();
  fs.rmSync(src, { recursive: true, force: true });
});

const folder = (args: Partial<Agent37DirectoryArgs> = {}) => () => {
  const d = new Agent37Directory("skills", { instanceId, source: src, path: "skills", ignore: ["*.log"], ...args });
  return { files: d.files, path: d.path };
};

const opsOf = (steps: { op: string; urn: string }[]) => Object.fromEntries(steps.map((s) => [s.urn.split("::").pop(), s.op]));
const count = async (method: string): Promise<number> => (await filesRequests(t)).filter((r) => r.method === method).length;

describe("an Agent37Directory of 1,000 files", () => {
  it("syncs, previews only real changes, sends one PUT per changed file and one DELETE per removed one, and never touches a file it did not write", async () => {
    const engine = new Engine(rig.host);
    await writeFile(t, instanceId, `${WORKSPACE}/skills/theirs.md`, "not ours\n");
    await rig.admin.clearRequests();
    const up = await runProgram(engine, folder());
    expect(up.outputs).toEqual({ files: 1000, path: `${WORKSPACE}/skills` });
    expect(await count("PUT")).toBe(1000);
    expect(await readFile(t, instanceId, "skills/group-3/skill-123.md")).toBe("# skill 123\n");
    expect(await readFile(t, instanceId, "skills/notes.log")).toBeUndefined();
    const outputs = engine.state.get(engine.urn(TYPE, "skills"))?.outputs ?? {};
    // The record of 1,000 files stays small (10,000 stay under 1 MB at this rate).
    expect(Buffer.byteLength(JSON.stringify(outputs))).toBeLessThan(100_000);

    // mtime, mode and an ignored file alone: no change, and no request.
    const later = new Date(Date.now() + 60_000);
    fs.utimesSync(path.join(src, "group-1/skill-1.md"), later, later);
    fs.chmodSync(path.join(src, "group-2/skill-2.md"), 0o600);
    fs.writeFileSync(path.join(src, "notes.log"), "more noise\n");
    await rig.admin.clearRequests();
    expect(opsOf((await runProgram(engine, folder(), { preview: true })).steps)).toEqual({ skills: "same" });
    expect((await rig.admin.requests()).log).toEqual([]);

    // One edited file: an update, previewed with no request, sending exactly one PUT.
    fs.writeFileSync(path.join(src, "group-7/skill-7.md"), "# skill 7, sharper\n");
    expect(opsOf((await runProgram(engine, folder(), { preview: true })).steps)).toEqual({ skills: "update" });
    expect((await rig.admin.requests()).log).toEqual([]);
    await runProgram(engine, folder());
    expect([await count("PUT"), await count("DELETE")]).toEqual([1, 0]);
    expect(await readFile(t, instanceId, "skills/group-7/skill-7.md")).toBe("# skill 7, sharper\n");

    // One deleted local file: an update sending exactly one DELETE.
    fs.rmSync(path.join(src, "group-8/skill-8.md"));
    await rig.admin.clearRequests();
    await runProgram(engine, folder());
    expect([await count("PUT"), await count("DELETE")]).toEqual([0, 1]);
    expect(await readFile(t, instanceId, "skills/group-8/skill-8.md")).toBeUndefined();
    expect(engine.state.get(engine.urn(TYPE, "skills"))?.outputs["files"]).toBe(999);

    // An edit inside the instance: refresh shows it, the next up restores that one file.
    await writeFile(t, instanceId, `${WORKSPACE}/skills/group-4/skill-4.md`, "edited inside\n");
    await engine.refresh();
    expect(opsOf((await runProgram(engine, folder(), { preview: true })).steps)).toEqual({ skills: "update" });
    await rig.admin.clearRequests();
    await runProgram(engine, folder());
    expect(await count("PUT")).toBe(1);
    expect(await readFile(t, instanceId, "skills/group-4/skill-4.md")).toBe("# skill 4\n");

    expect(await readFile(t, instanceId, "skills/theirs.md")).toBe("not ours\n");
    await engine.destroy();
    expect(await readFile(t, instanceId, "skills/group-3/skill-123.md")).toBeUndefined();
    expect(await readFile(t, instanceId, "skills/theirs.md")).toBe("not ours\n");
  }, 120_000);

  it("never overwrites a remote file it did not write, and refuses bad paths and folders at check", async () => {
    const small = fs.mkdtempSync(path.join(os.tmpdir(), "a37-dir-small-"));
    try {
      fs.writeFileSync(path.join(small, "SOUL.md"), "ours\n");
      await writeFile(t, instanceId, `${WORKSPACE}/persona/SOUL.md`, "theirs\n");
      const engine = new Engine(rig.host);
      const err = await runProgram(engine, folder({ source: small, path: "persona" })).catch((e: unknown) => e);
      expect(String(err)).toContain("overwrite");
      expect(await readFile(t, instanceId, "persona/SOUL.md")).toBe("theirs\n");

      const refused = async (args: Partial<Agent37DirectoryArgs>): Promise<string[]> => {
        const e = await runProgram(new Engine(rig.host), folder(args), { preview: true }).catch((x: unknown) => x);
        expect(e).toBeInstanceOf(CheckFailedError);
        return (e as CheckFailedError).failures.map((f) => f.property);
      };
      expect(await refused({ source: small, path: "." })).toEqual(["path"]);
      expect(await refused({ source: small, path: "/" })).toEqual(["path"]);
      expect(await refused({ source: small, path: "~" })).toEqual(["path"]);
      expect(await refused({ source: path.join(small, "missing") })).toEqual(["source"]);
      expect(await refused({ source: path.join(small, "SOUL.md") })).toEqual(["source"]);
    } finally {
      fs.rmSync(small, { recursive: true, force: true });
    }
  });
});
