/**
 * Agent37Directory through the plugin (`agent37:index:Directory`) over gRPC against the emulator:
 * check hashes the folder (an ignored file is no change), a preview plans with no request, create
 * writes every file, an edited file is an update that sends one PUT, and delete removes only
 * the files it wrote.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { RunningEmulator } from "pulumi-agent37/emulator";
import { makeUrn, UNKNOWN, type PluginHost } from "../harness";
import { WORKSPACE, startFilesOverPlugin, filesRequests, readFile, writeFile, type Target } from "../harness/files-api";

const urn = makeUrn("dev", "project", "agent37:index:Directory", "skills");

let emulator: RunningEmulator;
let plugin: PluginHost;
let t: Target;
let instanceId: string;
let src: string;

beforeAll(async () => {
  ({ emulator, plugin, t, instanceId } = await startFilesOverPlugin());
  src = fs.mkdtempSync(path.join(os.tmpdir(), "a37-dir-plugin-"));
  fs.mkdirSync(path.join(src, "web"));
  fs.writeFileSync(path.join(src, "web", "search.md"), "# search\n");
  fs.writeFileSync(path.join(src, "summarize.md"), "# summarize\n");
  fs.writeFileSync(path.join(src, "draft.tmp"), "ignored\n");
});
afterAll(async () => {
  await plugin?.close();
  await emulator?.close();
  fs.rmSync(src, { recursive: true, force: true });
});

describe("an Agent37Directory through the plugin", () => {
  it("checks, plans with no request, creates, updates one changed file with one PUT, and deletes only its own files", async () => {
    const news = { instanceId, source: src, path: "skills", ignore: ["*.tmp"] };
    const checked = await plugin.check(urn, {}, news);
    expect(checked.failures).toEqual([]);
    expect(checked.inputs).toMatchObject({ path: `${WORKSPACE}/skills`, sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
    await t.admin.clearRequests();
    const planned = await plugin.create(urn, checked.inputs, { preview: true });
    expect(planned.properties).toMatchObject({ path: `${WORKSPACE}/skills`, files: UNKNOWN });
    expect((await t.admin.requests()).log).toEqual([]);

    await writeFile(t, instanceId, `${WORKSPACE}/skills/theirs.md`, "theirs\n");
    const made = await plugin.create(urn, checked.inputs);
    expect(made.properties).toMatchObject({ files: 2, sha256: checked.inputs["sha256"] });
    expect(await readFile(t, instanceId, "skills/web/search.md")).toBe("# search\n");

    fs.writeFileSync(path.join(src, "draft.tmp"), "still ignored\n");
    const same = (await plugin.check(urn, checked.inputs, news)).inputs;
    expect((await plugin.diff(urn, made.id, made.properties, same, checked.inputs)).changes).toBe("none");
    fs.writeFileSync(path.join(src, "summarize.md"), "# summarize, shorter\n");
    const next = (await plugin.check(urn, checked.inputs, news)).inputs;
    expect(await plugin.diff(urn, made.id, made.properties, next, checked.inputs)).toMatchObject({ changes: "some", replaces: [] });
    await t.admin.clearRequests();
    const updated = await plugin.update(urn, made.id, made.properties, next, checked.inputs);
    expect((await filesRequests(t)).filter((r) => r.method === "PUT")).toHaveLength(1);
    expect(await readFile(t, instanceId, "skills/summarize.md")).toBe("# summarize, shorter\n");

    await plugin.delete(urn, made.id, updated.properties);
    expect(await readFile(t, instanceId, "skills/summarize.md")).toBeUndefined();
    expect(await readFile(t, instanceId, "skills/theirs.md")).toBe("theirs\n");
  });
});
