/**
 * A file past the first 1,000 entries of its folder, where the gateway's listing stops
 * (`truncated: true`), through Pulumi's own provider host: its mtime cannot be read, so after a
 * refresh the guard against an edit made inside the instance is the recorded hash, and an edit
 * made since the last refresh still stops the `up`, naming the file, for an Agent37File and for
 * an Agent37Directory alike. Kept with the file's tests: its subject is one file's guard.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { Agent37Directory, Agent37File } from "pulumi-agent37";
import { Engine, runProgram, startRig, type Rig } from "../harness";
import { WORKSPACE, agentInstance, filesTarget, fillFolder, listFolder, readFile, writeFile, type Target } from "../harness/files-api";

let rig: Rig;
let t: Target;
let instanceId: string;
let src: string;

beforeAll(async () => {
  rig = await startRig({ provisionMs: 50, bootMs: 50, lifecycleMs: 50, deleteMs: 30 });
  t = filesTarget(rig.emulator, rig.key);
  instanceId = await agentInstance(t);
  // A thousand files of someone else's, listed before ours (the listing sorts by name).
  await fillFolder(t, instanceId, `${WORKSPACE}/crowd`, 1000, (i) => `a${String(i).padStart(4, "0")}.md`);
  src = fs.mkdtempSync(path.join(os.tmpdir(), "a37-crowd-"));
}, 60_000);
afterAll(async () => {
  await rig?.close();
  fs.rmSync(src, { recursive: true, force: true });
});

const ops = (steps: { op: string; urn: string }[]) => Object.fromEntries(steps.map((s) => [s.urn.split("::").pop(), s.op]));

describe("a file past the listing's first 1,000 entries", () => {
  it("an Agent37File: refresh reads it by its content, and an edit made since still stops the up", async () => {
    const engine = new Engine(rig.host);
    const program = (content: string) => () => {
      new Agent37File("late", { instanceId, path: "crowd/zz-file.md", content });
      return {};
    };
    await runProgram(engine, program("v1\n"));
    const listing = await listFolder(t, instanceId, `${WORKSPACE}/crowd`);
    expect(listing.truncated).toBe(true);
    expect(listing.entries.map((e) => e.name)).not.toContain("zz-file.md");

    // Unchanged: the refresh finds it (by reading it) and plans nothing.
    await engine.refresh();
    expect(ops((await runProgram(engine, program("v1\n"), { preview: true })).steps)).toEqual({ late: "same" });

    await writeFile(t, instanceId, `${WORKSPACE}/crowd/zz-file.md`, "their edit\n");
    const err = await runProgram(engine, program("v2\n")).catch((e: unknown) => e);
    expect(String(err)).toContain(`${WORKSPACE}/crowd/zz-file.md`);
    expect(String(err)).toContain("pulumi refresh");
    expect(await readFile(t, instanceId, "crowd/zz-file.md")).toBe("their edit\n");

    // A refresh shows the edit; the next up restores the declared content.
    await engine.refresh();
    expect(ops((await runProgram(engine, program("v1\n"), { preview: true })).steps)).toEqual({ late: "update" });
    await runProgram(engine, program("v2\n"));
    expect(await readFile(t, instanceId, "crowd/zz-file.md")).toBe("v2\n");
    await engine.destroy();
    expect(await readFile(t, instanceId, "crowd/zz-file.md")).toBeUndefined();
  });

  it("an Agent37Directory: refresh sees an edit by the content, and an edit made since the last refresh stops the up", async () => {
    fs.writeFileSync(path.join(src, "zz-dir.md"), "ours v1\n");
    const engine = new Engine(rig.host);
    const program = () => {
      new Agent37Directory("late", { instanceId, source: src, path: "crowd" });
      return {};
    };
    await runProgram(engine, program);
    await engine.refresh();
    expect(ops((await runProgram(engine, program, { preview: true })).steps)).toEqual({ late: "same" });

    await writeFile(t, instanceId, `${WORKSPACE}/crowd/zz-dir.md`, "their edit\n");
    fs.writeFileSync(path.join(src, "zz-dir.md"), "ours v2\n");
    const err = await runProgram(engine, program).catch((e: unknown) => e);
    expect(String(err)).toContain(`${WORKSPACE}/crowd/zz-dir.md`);
    expect(String(err)).toContain("pulumi refresh");
    expect(await readFile(t, instanceId, "crowd/zz-dir.md")).toBe("their edit\n");

    await engine.refresh();
    await runProgram(engine, program);
    expect(await readFile(t, instanceId, "crowd/zz-dir.md")).toBe("ours v2\n");
    await engine.destroy();
    expect(await readFile(t, instanceId, "crowd/zz-dir.md")).toBeUndefined();
    expect((await listFolder(t, instanceId, `${WORKSPACE}/crowd`)).entries).toHaveLength(1000);
  });
});
