/**
 * Agent37File and Agent37Directory under Files API faults through the plugin
 * (`agent37:index:File`, `agent37:index:Directory`) over gRPC: a PUT cut off mid-body or whose
 * answer was lost is retried, and the properties are what is in the instance; a Directory
 * create that fails part-way answers "created but failed to initialize" with exactly the files
 * it saw written, and an update from those properties sends only what is left; a stopped
 * instance fails naming it. Kept with the directory's tests: most of its cases are a Directory's.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { RunningEmulator } from "pulumi-agent37/emulator";
import { HostError, makeUrn, type PluginHost } from "../harness";
import { WORKSPACE, agentInstance, startFilesOverPlugin, filesRequests, listFolder, readFile, stopInstance, writeFile, type Target } from "../harness/files-api";

const fileUrn = makeUrn("dev", "project", "agent37:index:File", "soul");
const dirUrn = makeUrn("dev", "project", "agent37:index:Directory", "skills");

let emulator: RunningEmulator;
let plugin: PluginHost;
let t: Target;
let instanceId: string;
let src: string;

beforeAll(async () => {
  ({ emulator, plugin, t, instanceId } = await startFilesOverPlugin());
  src = fs.mkdtempSync(path.join(os.tmpdir(), "a37-faults-plugin-"));
});
afterEach(async () => t.admin.clearFaults());
afterAll(async () => {
  await plugin?.close();
  await emulator?.close();
  fs.rmSync(src, { recursive: true, force: true });
});

const onPuts = (rule: object) => ({ plane: "instance", method: "PUT", path: "/v1/files/content", instanceId, ...rule });
const puts = async (): Promise<number> => (await filesRequests(t)).filter((r) => r.method === "PUT").length;
const mtimeOf = async (dir: string, name: string): Promise<number | undefined> => (await listFolder(t, instanceId, dir)).entries.find((e) => e.name === name)?.modified;

describe("faults through the plugin", () => {
  it("an Agent37File: a PUT cut off mid-body and one whose answer was lost are retried; the properties are what is there", async () => {
    const checked = await plugin.check(fileUrn, {}, { instanceId, path: "SOUL.md", content: "calm\n" });
    await t.admin.setFaults([onPuts({ kind: "reset-mid-body", afterBytes: 2, count: 1 })]);
    await t.admin.clearRequests();
    const made = await plugin.create(fileUrn, checked.inputs);
    expect(await puts()).toBe(2);
    expect(await readFile(t, instanceId, "SOUL.md")).toBe("calm\n");
    expect(made.properties["modified"]).toBe(await mtimeOf(WORKSPACE, "SOUL.md"));

    const next = (await plugin.check(fileUrn, checked.inputs, { instanceId, path: "SOUL.md", content: "curious\n" })).inputs;
    await t.admin.setFaults([onPuts({ kind: "status-after", status: 504, count: 1 })]);
    await t.admin.clearRequests();
    const updated = await plugin.update(fileUrn, made.id, made.properties, next, checked.inputs);
    // The 504'd PUT landed: its retry is refused (412, the mtime moved) and taken, since the file holds these bytes.
    expect(await puts()).toBe(2);
    expect(await readFile(t, instanceId, "SOUL.md")).toBe("curious\n");
    expect(updated.properties).toMatchObject({ size: 8, modified: await mtimeOf(WORKSPACE, "SOUL.md") });
    await plugin.delete(fileUrn, made.id, updated.properties);
  });

  it("an Agent37Directory: an interrupted create keeps what it wrote, and an update from there sends only the rest", async () => {
    for (let i = 0; i < 12; i++) fs.writeFileSync(path.join(src, `s${String(i).padStart(2, "0")}.md`), `skill ${i}\n`);
    await writeFile(t, instanceId, `${WORKSPACE}/skills/theirs.md`, "theirs\n");
    const checked = await plugin.check(dirUrn, {}, { instanceId, source: src, path: "skills" });
    // Five PUTs go through, then every one fails with a 500 (retried, then given up).
    await t.admin.setFaults([onPuts({ kind: "status", status: 500, skip: 5 })]);
    const err = await plugin.create(dirUrn, checked.inputs).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HostError);
    const failure = (err as HostError).initFailure;
    expect(failure).toMatchObject({ id: `${instanceId}:${WORKSPACE}/skills`, properties: { files: 5 } });
    expect((err as HostError).message).toContain("run `pulumi up` again");
    await t.admin.clearFaults();

    const before = await listFolder(t, instanceId, `${WORKSPACE}/skills`);
    expect(before.entries).toHaveLength(6);
    await t.admin.clearRequests();
    const finished = await plugin.update(dirUrn, failure!.id, failure!.properties, checked.inputs, checked.inputs);
    expect(finished.properties).toMatchObject({ files: 12, sha256: checked.inputs["sha256"] });
    expect(await puts()).toBe(7);
    // The five it had written keep their mtimes: not sent again; theirs is untouched.
    const after = Object.fromEntries((await listFolder(t, instanceId, `${WORKSPACE}/skills`)).entries.map((e) => [e.name, e.modified]));
    for (const e of before.entries) expect([e.name, after[e.name]]).toEqual([e.name, e.modified]);
    await plugin.delete(dirUrn, failure!.id, finished.properties);
    expect((await listFolder(t, instanceId, `${WORKSPACE}/skills`)).entries.map((e) => e.name)).toEqual(["theirs.md"]);
  }, 60_000);

  it("an Agent37Directory on a stopped instance fails at once, naming it and saying it is stopped", async () => {
    const stopped = await agentInstance(t);
    await stopInstance(t, stopped);
    const checked = await plugin.check(dirUrn, {}, { instanceId: stopped, source: src, path: "skills" });
    await t.admin.clearRequests();
    await expect(plugin.create(dirUrn, checked.inputs)).rejects.toThrow(`instance ${stopped} is stopped`);
    expect(await filesRequests(t)).toEqual([]);
  });
});
