/**
 * Agent37File through the plugin (`agent37:index:File`) over gRPC against the emulator: check
 * resolves the path and hashes the bytes, a preview plans without a request, create refuses a
 * file it did not write, a content change diffs as an update (a new path as a replace), an
 * update is one PUT, refresh sees an edit inside the instance, delete removes the file, and a
 * secret content is in no property and no error.
 */
import { createHash } from "node:crypto";
import type { RunningEmulator } from "pulumi-agent37/emulator";
import { makeUrn, secretEnvelope, UNKNOWN, type PluginHost } from "../harness";
import { isSecretEnvelope } from "../harness/protocol";
import { WORKSPACE, startFilesOverPlugin, filesRequests, readFile, writeFile, type Target } from "../harness/files-api";

const FILE = "agent37:index:File";
const urn = (name: string): string => makeUrn("dev", "project", FILE, name);
const sha = (s: string): string => createHash("sha256").update(s).digest("hex");

let emulator: RunningEmulator;
let plugin: PluginHost;
let t: Target;
let instanceId: string;

beforeAll(async () => {
  ({ emulator, plugin, t, instanceId } = await startFilesOverPlugin());
});
afterAll(async () => {
  await plugin?.close();
  await emulator?.close();
});

describe("an Agent37File through the plugin", () => {
  it("checks, plans with no request, creates, diffs, updates with one PUT, sees an edit on refresh, and deletes", async () => {
    const soul = urn("soul");
    const checked = await plugin.check(soul, {}, { instanceId, path: "SOUL.md", content: "calm\n" });
    expect(checked.failures).toEqual([]);
    expect(checked.inputs).toMatchObject({ path: `${WORKSPACE}/SOUL.md`, sha256: sha("calm\n") });

    await t.admin.clearRequests();
    const planned = await plugin.create(soul, checked.inputs, { preview: true });
    expect(planned.properties).toMatchObject({ instanceId, path: `${WORKSPACE}/SOUL.md`, size: UNKNOWN, modified: UNKNOWN });
    expect((await t.admin.requests()).log).toEqual([]);

    const made = await plugin.create(soul, checked.inputs);
    expect(made.properties).toMatchObject({ path: `${WORKSPACE}/SOUL.md`, size: 5 });
    expect(await readFile(t, instanceId, "SOUL.md")).toBe("calm\n");

    const next = (await plugin.check(soul, checked.inputs, { instanceId, path: "SOUL.md", content: "curious\n" })).inputs;
    expect(await plugin.diff(soul, made.id, made.properties, next, checked.inputs)).toMatchObject({ changes: "some", replaces: [] });
    const moved = (await plugin.check(soul, checked.inputs, { instanceId, path: "other.md", content: "calm\n" })).inputs;
    expect(await plugin.diff(soul, made.id, made.properties, moved, checked.inputs)).toMatchObject({ replaces: ["path"] });
    expect((await plugin.diff(soul, made.id, made.properties, checked.inputs, checked.inputs)).changes).toBe("none");

    await t.admin.clearRequests();
    const preview = await plugin.update(soul, made.id, made.properties, next, checked.inputs, { preview: true });
    expect(preview.properties).toMatchObject({ size: UNKNOWN, modified: UNKNOWN });
    expect((await t.admin.requests()).log).toEqual([]);
    const updated = await plugin.update(soul, made.id, made.properties, next, checked.inputs);
    expect((await filesRequests(t)).filter((r) => r.method === "PUT")).toHaveLength(1);
    expect(await readFile(t, instanceId, "SOUL.md")).toBe("curious\n");

    await writeFile(t, instanceId, `${WORKSPACE}/SOUL.md`, "edited by hand\n");
    const read = await plugin.read(soul, made.id, updated.properties, next);
    expect(read.properties).toMatchObject({ size: 15 });
    expect((await plugin.diff(soul, made.id, read.properties, next, next)).changes).toBe("some");
    await plugin.update(soul, made.id, read.properties, next, next);
    expect(await readFile(t, instanceId, "SOUL.md")).toBe("curious\n");

    await plugin.delete(soul, made.id, read.properties);
    expect(await readFile(t, instanceId, "SOUL.md")).toBeUndefined();
  });

  it("refuses a file it did not write, naming path and overwrite", async () => {
    await writeFile(t, instanceId, `${WORKSPACE}/theirs.md`, "theirs\n");
    const theirs = urn("theirs");
    const checked = await plugin.check(theirs, {}, { instanceId, path: "theirs.md", content: "ours\n" });
    await expect(plugin.create(theirs, checked.inputs)).rejects.toThrow(/path .*theirs\.md[\s\S]*overwrite: true/);
    expect(await readFile(t, instanceId, "theirs.md")).toBe("theirs\n");
  });

  it("keeps a secret content out of every property and error, and answers its sha256 as a secret", async () => {
    const SECRET = "plugin-persona-secret-91c4";
    const sealed = urn("sealed");
    const checked = await plugin.check(sealed, {}, { instanceId, path: "sealed.md", content: secretEnvelope(SECRET) });
    expect(checked.failures).toEqual([]);
    const made = await plugin.create(sealed, checked.inputs);
    expect(JSON.stringify(made.properties)).not.toContain(SECRET);
    expect(isSecretEnvelope(made.properties["sha256"])).toBe(true);
    expect(JSON.stringify(made.properties["sha256"])).toContain(sha(SECRET));
    expect(await readFile(t, instanceId, "sealed.md")).toBe(SECRET);
    await writeFile(t, instanceId, `${WORKSPACE}/sealed.md`, "edited\n");
    const next = (await plugin.check(sealed, checked.inputs, { instanceId, path: "sealed.md", content: secretEnvelope(`${SECRET}-2`) })).inputs;
    const err = await plugin.update(sealed, made.id, made.properties, next, checked.inputs).catch((e: unknown) => e);
    expect(String(err)).toContain("sealed.md");
    expect(String(err)).toContain("pulumi refresh");
    expect(String(err)).not.toContain(SECRET);
    await plugin.delete(sealed, made.id, made.properties);
  });
});
