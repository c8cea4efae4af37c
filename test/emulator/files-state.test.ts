import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { request } from "undici";
import { startEmulator } from "../../emulator";
import { FAST, TestClient, type Json, type Res } from "./helpers";

/** Instances' files and the state file: kept next to it, pruned with the instances, and older files still load. */

const KEY = "sk_live_filesStateWorkspace00001";
const WS = "/home/user/.agent37-gateway/workspace";
let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "agent37-files-state-"));
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

async function open(statePath: string): Promise<TestClient> {
  return new TestClient(await startEmulator({ ...FAST, keys: [KEY], statePath }));
}

async function files(c: TestClient, id: string, method: string, pathAndQuery: string, body?: string): Promise<Res> {
  const r = await request(`${c.emu.url}${pathAndQuery}`, {
    method: method as "GET",
    headers: { host: `${id}.localhost:${c.emu.port}`, "x-agent37-key": KEY },
    ...(body !== undefined ? { body } : {}),
    dispatcher: c.agent,
  });
  const text = await r.body.text();
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  return { status: r.statusCode, headers: r.headers, body: parsed, text };
}

async function ready(c: TestClient, id: string): Promise<void> {
  await c.until(() => files(c, id, "GET", "/v1/health"), (r) => r.status === 200);
}

describe("files and the state file", () => {
  it("keep an instance's files across a restart, in an owner-only folder next to the state file, never in the file", async () => {
    const statePath = path.join(dir, "state.json");
    const first = await open(statePath);
    const inst = await first.create({});
    await ready(first, inst.id);
    expect((await files(first, inst.id, "PUT", "/v1/files/content?path=SOUL.md", "persona kept on disk")).status).toBe(200);
    await first.close();

    const data = `${statePath}.data`;
    expect(fs.statSync(data).mode & 0o777).toBe(0o700);
    expect(fs.readdirSync(data)).toEqual([inst.id]);
    expect(fs.readFileSync(statePath, "utf8")).not.toContain("persona kept on disk");

    const second = await open(statePath);
    try {
      await ready(second, inst.id);
      const r = await files(second, inst.id, "GET", "/v1/files/content?path=SOUL.md");
      expect(r.status).toBe(200);
      expect(r.text).toBe("persona kept on disk");
    } finally {
      await second.close();
    }
  });

  it("drops the folders of instances that were deleted, that the state file does not know, and all of them on reset", async () => {
    const statePath = path.join(dir, "state.json");
    const first = await open(statePath);
    const kept = await first.create({});
    const forgotten = await first.create({});
    const deleted = await first.create({});
    for (const i of [kept, forgotten, deleted]) {
      await ready(first, i.id);
      expect((await files(first, i.id, "PUT", "/v1/files/content?path=x.txt", i.id)).status).toBe(200);
    }
    await first.api("DELETE", `/v1/instances/${deleted.id}`);
    await first.until(() => first.api("GET", `/v1/instances/${deleted.id}`), (r) => r.status === 404);
    await first.close();
    const data = `${statePath}.data`;
    expect(fs.readdirSync(data).sort()).toEqual([kept.id, forgotten.id].sort());

    // A state file that lost an instance (edited, or older than it) leaves its folder an orphan; a
    // file of another name there is not the emulator's and stays.
    const snap = JSON.parse(fs.readFileSync(statePath, "utf8"));
    snap.instances = snap.instances.filter((r: Json) => r.id !== forgotten.id);
    fs.writeFileSync(statePath, JSON.stringify(snap));
    fs.writeFileSync(path.join(data, "NOTES"), "mine");

    const second = await open(statePath);
    try {
      expect(fs.readdirSync(data).sort()).toEqual(["NOTES", kept.id].sort());
      await ready(second, kept.id);
      expect((await files(second, kept.id, "GET", "/v1/files/content?path=x.txt")).text).toBe(kept.id);
      expect((await second.admin("POST", "/_emulator/reset")).status).toBe(200);
      expect(fs.readdirSync(data)).toEqual(["NOTES"]);
    } finally {
      await second.close();
    }
  });

  it("loads a state file of an earlier version (no data folder, no later fields): its instances start with an empty workspace", async () => {
    const statePath = path.join(dir, "state.json");
    const first = await open(statePath);
    const inst = await first.create({ name: "old" });
    await first.close();
    fs.rmSync(`${statePath}.data`, { recursive: true, force: true });
    const snap = JSON.parse(fs.readFileSync(statePath, "utf8"));
    // What later versions added: auto-sleep's timestamps, domains, SSH keys, builds, retired templates.
    for (const rec of snap.instances) {
      delete rec.lastTrafficAt;
      delete rec.sleptAt;
      delete rec.wokeAt;
    }
    for (const kind of ["domains", "sshKeys", "builds", "retiredTemplates"]) delete snap[kind];
    fs.writeFileSync(statePath, JSON.stringify(snap));

    const second = await open(statePath);
    try {
      await ready(second, inst.id);
      const listed = await files(second, inst.id, "GET", "/v1/files");
      expect(listed.status).toBe(200);
      expect(listed.body).toEqual({ path: WS, parentPath: "/home/user/.agent37-gateway", entries: [], truncated: false });
      expect((await files(second, inst.id, "PUT", "/v1/files/content?path=new.txt", "after the upgrade")).body.path).toBe(`${WS}/new.txt`);
      expect((await files(second, inst.id, "GET", "/v1/files/content?path=new.txt")).text).toBe("after the upgrade");
      expect((await second.api("GET", `/v1/instances/${inst.id}`)).body).toMatchObject({ id: inst.id, name: "old", status: "running" });
    } finally {
      await second.close();
    }
  });
});
