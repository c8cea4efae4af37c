/**
 * Agent37File through Pulumi's own provider host, driven over gRPC as the engine drives it,
 * against the emulator's gateway Files API: the lifecycle (create, a content change previewed
 * as an update with no request, the update, an edit inside the instance seen by refresh and
 * restored by the next up, delete), the refusal to overwrite a file it did not write, the
 * refusal to overwrite an edit made since the last refresh, a stopped instance, and a secret
 * content that appears in no output, no host output and no error.
 */
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { Agent37File, type Agent37FileArgs } from "pulumi-agent37";
import { CheckFailedError, Engine, runProgram, startRig, traceHost, type Rig, type TracedCall } from "../harness";
import { isSecretEnvelope } from "../harness/protocol";
import { WORKSPACE, agentInstance, filesTarget, filesRequests, readFile, stopInstance, writeFile, type Target } from "../harness/files-api";

const TYPE = "pulumi-nodejs:dynamic/agent37:File";

let rig: Rig;
let t: Target;
let instanceId: string;
const dirs: string[] = [];

beforeAll(async () => {
  rig = await startRig({ provisionMs: 50, bootMs: 50, lifecycleMs: 50, deleteMs: 30 });
  t = filesTarget(rig.emulator, rig.key);
  instanceId = await agentInstance(t);
});
afterAll(async () => {
  await rig?.close();
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

function newEngine(): { engine: Engine; calls: TracedCall[] } {
  const traced = traceHost(rig.host);
  return { engine: new Engine(traced.host), calls: traced.calls };
}

const file = (name: string, args: Omit<Agent37FileArgs, "instanceId"> & { instanceId?: string }) => () => {
  const f = new Agent37File(name, { instanceId, ...args });
  return { path: f.path, size: f.size };
};

const opsOf = (steps: { op: string; urn: string }[]) => Object.fromEntries(steps.map((s) => [s.urn.split("::").pop(), s.op]));

describe("an Agent37File", () => {
  it("is created, previewed as an update with no request, updated, restored after an edit inside the instance, and deleted", async () => {
    const { engine, calls } = newEngine();
    await rig.admin.clearRequests();
    const planned = await runProgram(engine, file("soul", { path: "SOUL.md", content: "You are calm.\n" }), { preview: true });
    expect(opsOf(planned.steps)).toEqual({ soul: "create" });
    expect((await rig.admin.requests()).log).toEqual([]);

    const up = await runProgram(engine, file("soul", { path: "SOUL.md", content: "You are calm.\n" }));
    expect(up.outputs).toEqual({ path: `${WORKSPACE}/SOUL.md`, size: 14 });
    expect(await readFile(t, instanceId, "SOUL.md")).toBe("You are calm.\n");
    const urn = engine.urn(TYPE, "soul");
    expect(engine.state.get(urn)?.id).toBe(`${instanceId}:${WORKSPACE}/SOUL.md`);

    // The same file under its absolute path is no change; new content is an update, seen with no request.
    calls.length = 0;
    await rig.admin.clearRequests();
    const same = await runProgram(engine, file("soul", { path: `${WORKSPACE}/SOUL.md`, content: "You are calm.\n" }), { preview: true });
    expect(opsOf(same.steps)).toEqual({ soul: "same" });
    const changed = await runProgram(engine, file("soul", { path: "SOUL.md", content: "You are curious.\n" }), { preview: true });
    expect(changed.steps.map((s) => [s.op, s.replaces ?? []])).toEqual([["update", []]]);
    expect(calls.map((c) => c.method)).toEqual(["Check", "Diff", "Check", "Diff"]);
    expect((await rig.admin.requests()).log).toEqual([]);

    // The update is exactly one PUT, guarded by the recorded mtime.
    await runProgram(engine, file("soul", { path: "SOUL.md", content: "You are curious.\n" }));
    expect((await filesRequests(t)).filter((r) => r.method === "PUT")).toHaveLength(1);
    expect(await readFile(t, instanceId, "SOUL.md")).toBe("You are curious.\n");

    // An edit inside the instance: refresh shows it, the next up restores the declared content.
    const before = engine.state.get(urn)?.outputs;
    await writeFile(t, instanceId, `${WORKSPACE}/SOUL.md`, "Edited by hand.\n");
    await engine.refresh();
    expect(engine.state.get(urn)?.outputs["size"]).toBe(16);
    expect(JSON.stringify(engine.state.get(urn)?.outputs["sha256"])).not.toEqual(JSON.stringify(before?.["sha256"]));
    const drift = await runProgram(engine, file("soul", { path: "SOUL.md", content: "You are curious.\n" }), { preview: true });
    expect(opsOf(drift.steps)).toEqual({ soul: "update" });
    await runProgram(engine, file("soul", { path: "SOUL.md", content: "You are curious.\n" }));
    expect(await readFile(t, instanceId, "SOUL.md")).toBe("You are curious.\n");

    // A new path replaces; destroy removes the file.
    const moved = await runProgram(engine, file("soul", { path: "persona/SOUL.md", content: "You are curious.\n" }), { preview: true });
    expect(moved.steps.map((s) => [s.op, s.replaces])).toEqual([["replace", ["path"]]]);
    await engine.destroy();
    expect(engine.state.size).toBe(0);
    expect(await readFile(t, instanceId, "SOUL.md")).toBeUndefined();
  });

  it("never overwrites an edit made inside the instance since the last refresh: the up fails naming the file and saying to refresh", async () => {
    const { engine } = newEngine();
    await runProgram(engine, file("guarded", { path: "guarded.md", content: "v1\n" }));
    await writeFile(t, instanceId, `${WORKSPACE}/guarded.md`, "their edit\n");
    const err = await runProgram(engine, file("guarded", { path: "guarded.md", content: "v2\n" })).catch((e: unknown) => e);
    expect(String(err)).toContain(`${WORKSPACE}/guarded.md`);
    expect(String(err)).toContain("pulumi refresh");
    expect(await readFile(t, instanceId, "guarded.md")).toBe("their edit\n");
    await engine.refresh();
    await runProgram(engine, file("guarded", { path: "guarded.md", content: "v2\n" }));
    expect(await readFile(t, instanceId, "guarded.md")).toBe("v2\n");
    await engine.destroy();
  });

  it("refuses a file it did not write, naming path and overwrite, and takes it with overwrite: true", async () => {
    await writeFile(t, instanceId, `${WORKSPACE}/theirs.md`, "not ours\n");
    const { engine } = newEngine();
    const err = await runProgram(engine, file("theirs", { path: "theirs.md", content: "ours\n" })).catch((e: unknown) => e);
    expect(String(err)).toMatch(/path .*theirs\.md/);
    expect(String(err)).toContain("overwrite: true");
    expect(await readFile(t, instanceId, "theirs.md")).toBe("not ours\n");
    await runProgram(engine, file("theirs", { path: "theirs.md", content: "ours\n", overwrite: true }));
    expect(await readFile(t, instanceId, "theirs.md")).toBe("ours\n");
    await engine.destroy();
  });

  it("writes a local source file, hashed at check: a touched mtime is no change, an edit is an update", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "a37-file-"));
    dirs.push(dir);
    const src = path.join(dir, "skill.md");
    fs.writeFileSync(src, "# skill\n");
    const { engine } = newEngine();
    await runProgram(engine, file("skill", { path: "~/skills/skill.md", source: src }));
    expect(await readFile(t, instanceId, "/home/user/skills/skill.md")).toBe("# skill\n");
    const later = new Date(Date.now() + 60_000);
    fs.utimesSync(src, later, later);
    expect(opsOf((await runProgram(engine, file("skill", { path: "~/skills/skill.md", source: src }), { preview: true })).steps)).toEqual({ skill: "same" });
    fs.writeFileSync(src, "# skill v2\n");
    expect(opsOf((await runProgram(engine, file("skill", { path: "~/skills/skill.md", source: src }), { preview: true })).steps)).toEqual({ skill: "update" });
    await engine.destroy();
  });

  it("refuses at check, naming the property: both or neither source, a missing or non-regular source, a bad path", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "a37-file-"));
    dirs.push(dir);
    const refused = async (args: Omit<Agent37FileArgs, "instanceId">): Promise<string[]> => {
      const err = await runProgram(newEngine().engine, file("bad", args), { preview: true }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(CheckFailedError);
      return (err as CheckFailedError).failures.map((f) => f.property);
    };
    fs.writeFileSync(path.join(dir, "a.md"), "a");
    expect(await refused({ path: "a.md", content: "x", source: path.join(dir, "a.md") })).toEqual(["content"]);
    expect(await refused({ path: "a.md" })).toEqual(["content"]);
    expect(await refused({ path: "a.md", source: path.join(dir, "missing.md") })).toEqual(["source"]);
    expect(await refused({ path: "a.md", source: dir })).toEqual(["source"]);
    expect(await refused({ path: "", content: "x" })).toEqual(["path"]);
    expect(await refused({ path: "a\u0000b", content: "x" })).toEqual(["path"]);
    expect(await refused({ path: "../../../..", content: "x" })).toEqual(["path"]);
  });

  it("keeps a secret content out of every output, the host's output and errors; its sha256 is a secret", async () => {
    const SECRET = "persona-secret-7f3a9b21c4";
    const { engine } = newEngine();
    const secretFile = (p: string) => () => {
      const f = new Agent37File("sealed", { instanceId, path: p, content: pulumi.secret(SECRET) });
      return { sha: f.sha256 };
    };
    await runProgram(engine, secretFile("sealed.md"));
    expect(await readFile(t, instanceId, "sealed.md")).toBe(SECRET);
    const outputs = engine.state.get(engine.urn(TYPE, "sealed"))?.outputs ?? {};
    expect(JSON.stringify(outputs)).not.toContain(SECRET);
    expect(isSecretEnvelope(outputs["sha256"])).toBe(true);
    expect(JSON.stringify(outputs["sha256"])).toContain(createHash("sha256").update(SECRET).digest("hex"));
    // An error on that file (it was edited since): the message names the file, never the content.
    await writeFile(t, instanceId, `${WORKSPACE}/sealed.md`, "edited\n");
    const err = await runProgram(engine, () => {
      new Agent37File("sealed", { instanceId, path: "sealed.md", content: pulumi.secret(`${SECRET}-v2`) });
      return {};
    }).catch((e: unknown) => e);
    expect(String(err)).toContain("sealed.md");
    expect(String(err)).not.toContain(SECRET);
    expect(JSON.stringify(rig.host.output())).not.toContain(SECRET);
    await engine.destroy();
  });

  it("fails at once on a stopped instance, naming it and saying it is stopped", async () => {
    const stopped = await agentInstance(t);
    await stopInstance(t, stopped);
    const { engine } = newEngine();
    await rig.admin.clearRequests();
    const err = await runProgram(engine, file("cold", { instanceId: stopped, path: "x.md", content: "x" })).catch((e: unknown) => e);
    expect(String(err)).toContain(`instance ${stopped} is stopped`);
    // Told by the instance's status, not by retrying the gateway until a deadline: no write was tried.
    expect(await filesRequests(t)).toEqual([]);
  });
});
