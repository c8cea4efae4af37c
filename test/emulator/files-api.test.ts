import * as fs from "node:fs";
import * as path from "node:path";
import { Readable } from "node:stream";
import { request } from "undici";
import { OTHER_KEY, startTest, type Json, type Res, type TestClient } from "./helpers";

/** The gateway's Files API on the instance URL (docs/emulator.md, "Files"). */

const KEY = "sk_live_filesWorkspace00000000001";
const WS = "/home/user/.agent37-gateway/workspace";
const CAP = 64 * 1024;

let c: TestClient;
let inst: Json;

/** A request to the instance URL with the key, any body (a Buffer or string is sent raw). */
async function call(
  id: string,
  method: string,
  pathAndQuery: string,
  init: { body?: Buffer | string | Readable; json?: unknown; headers?: Record<string, string>; key?: string | null } = {},
): Promise<Res> {
  const key = init.key === undefined ? KEY : init.key;
  const headers: Record<string, string> = { host: `${id}.localhost:${c.emu.port}`, ...(key !== null ? { "x-agent37-key": key } : {}), ...init.headers };
  let body: Buffer | string | Readable | undefined = init.body;
  if (init.json !== undefined) {
    body = JSON.stringify(init.json);
    headers["content-type"] = "application/json";
  }
  const r = await request(`${c.emu.url}${pathAndQuery}`, { method: method as "GET", headers, ...(body !== undefined ? { body } : {}), dispatcher: c.agent });
  const text = await r.body.text();
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  return { status: r.statusCode, headers: r.headers, body: parsed, text };
}

const q = (p: string): string => encodeURIComponent(p);
const put = (id: string, p: string, body: string | Buffer, extra = "", headers: Record<string, string> = {}): Promise<Res> => call(id, "PUT", `/v1/files/content?path=${q(p)}${extra}`, { body, headers });
const get = (id: string, p: string, extra = ""): Promise<Res> => call(id, "GET", `/v1/files/content?path=${q(p)}${extra}`);
const list = (id: string, p?: string): Promise<Res> => call(id, "GET", p === undefined ? "/v1/files" : `/v1/files?path=${q(p)}`);
const del = (id: string, p: string): Promise<Res> => call(id, "DELETE", `/v1/files?path=${q(p)}`);
const exec = async (id: string, command: string): Promise<Json> => (await c.api("POST", `/v1/instances/${id}/exec`, { command }, KEY)).body;

async function ready(id: string): Promise<void> {
  await c.until(() => call(id, "GET", "/v1/health"), (r) => r.status === 200);
}

/** The instance user's home on this machine (exec's working folder). */
async function hostHome(id: string): Promise<string> {
  return ((await exec(id, "pwd")) as { stdout: string }).stdout.trim();
}

beforeAll(async () => {
  c = await startTest({ keys: [KEY, OTHER_KEY], filesMaxBytes: CAP, execTimeoutMs: 10_000 });
  inst = await c.create({ name: "files" });
  await ready(inst.id);
});
afterAll(() => c.close());

describe("GET /v1/files", () => {
  it("lists the agent workspace by default, empty at first", async () => {
    const fresh = await c.create({});
    await ready(fresh.id);
    const r = await list(fresh.id);
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ path: WS, parentPath: "/home/user/.agent37-gateway", entries: [], truncated: false });
  });

  it("lists one level, directories first, then by name regardless of case, with hidden flags and null sizes for directories", async () => {
    const base = "order";
    for (const name of ["b.txt", "A.txt", ".env", "c.txt"]) expect((await put(inst.id, `${base}/${name}`, name)).status).toBe(200);
    expect((await call(inst.id, "POST", `/v1/files/dir?path=${q(`${base}/zeta`)}`)).status).toBe(200);
    expect((await call(inst.id, "POST", `/v1/files/dir?path=${q(`${base}/Beta/deep`)}`)).status).toBe(200);
    const r = await list(inst.id, base);
    expect(r.status).toBe(200);
    expect(r.body.path).toBe(`${WS}/${base}`);
    expect(r.body.parentPath).toBe(WS);
    expect(r.body.entries.map((e: Json) => e.name)).toEqual(["Beta", "zeta", ".env", "A.txt", "b.txt", "c.txt"]);
    const env = r.body.entries.find((e: Json) => e.name === ".env");
    expect(env).toEqual({ name: ".env", path: `${WS}/${base}/.env`, type: "file", size: 4, modified: expect.any(Number), hidden: true });
    expect(r.body.entries[0]).toMatchObject({ type: "directory", size: null, hidden: false, path: `${WS}/${base}/Beta` });
    expect(r.body.truncated).toBe(false);
  });

  it("resolves ~ to /home/user and / to the root, whose parentPath is null", async () => {
    const home = await list(inst.id, "~");
    expect(home.body.path).toBe("/home/user");
    expect(home.body.entries.map((e: Json) => e.name)).toContain(".agent37-gateway");
    const root = await list(inst.id, "/");
    expect(root.body).toMatchObject({ path: "/", parentPath: null });
    expect(root.body.entries.map((e: Json) => e.name)).toEqual(["home"]);
  });

  it("answers 404 file_not_found for a missing folder and 400 not_a_directory for a file", async () => {
    const missing = await list(inst.id, "no/such/dir");
    expect(missing.status).toBe(404);
    expect(missing.body.error).toEqual({ code: "file_not_found", message: `No file at '${WS}/no/such/dir'.` });
    await put(inst.id, "plain.txt", "x");
    const file = await list(inst.id, "plain.txt");
    expect(file.status).toBe(400);
    expect(file.body.error).toMatchObject({ code: "not_a_directory", param: "path" });
    expect(file.body.error.message).toContain(`${WS}/plain.txt`);
  });

  it("lists at most 1,000 entries and says when it cut the list", async () => {
    await exec(inst.id, "mkdir -p .agent37-gateway/workspace/many && cd .agent37-gateway/workspace/many && i=0; while [ $i -lt 1001 ]; do : > f$i; i=$((i+1)); done; mkdir zz-dir");
    const full = await list(inst.id, "many");
    expect(full.status).toBe(200);
    expect(full.body.entries).toHaveLength(1000);
    expect(full.body.truncated).toBe(true);
    // Directories come first even when the list is cut.
    expect(full.body.entries[0].name).toBe("zz-dir");
    await del(inst.id, "many/zz-dir");
    await del(inst.id, "many/f0");
    const exact = await list(inst.id, "many");
    expect(exact.body.entries).toHaveLength(1000);
    expect(exact.body.truncated).toBe(false);
  });
});

describe("GET /v1/files/content", () => {
  it("answers the bytes as an attachment by default and inline on request", async () => {
    const soul = "# Persona\nYou are kind.\n";
    await put(inst.id, "SOUL.md", soul);
    const r = await get(inst.id, "SOUL.md");
    expect(r.status).toBe(200);
    expect(r.text).toBe(soul);
    expect(r.headers["content-disposition"]).toBe('attachment; filename="SOUL.md"');
    expect(r.headers["content-type"]).toBe("text/markdown; charset=UTF-8");
    expect(r.headers["content-length"]).toBe(String(Buffer.byteLength(soul)));
    const inline = await get(inst.id, `${WS}/SOUL.md`, "&disposition=inline");
    expect(inline.headers["content-disposition"]).toBe("inline");
    expect(inline.text).toBe(soul);
  });

  it("reads binary content byte for byte", async () => {
    const bytes = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
    expect((await put(inst.id, "bin/all.bytes", bytes)).body.size).toBe(256);
    const r = await request(`${c.emu.url}/v1/files/content?path=${q("bin/all.bytes")}`, { headers: { host: `${inst.id}.localhost:${c.emu.port}`, "x-agent37-key": KEY }, dispatcher: c.agent });
    expect(Buffer.from(await r.body.arrayBuffer()).equals(bytes)).toBe(true);
    expect(r.headers["content-type"]).toBe("application/octet-stream");
  });

  it("sees what exec wrote in the user's home, and exec sees what the API wrote", async () => {
    await exec(inst.id, "printf 'from exec' > made-by-exec.txt");
    expect((await get(inst.id, "~/made-by-exec.txt")).text).toBe("from exec");
    await put(inst.id, "~/for-exec.txt", "from the api");
    expect((await exec(inst.id, "cat for-exec.txt")).stdout).toBe("from the api");
  });

  it.each([
    ["a missing path parameter", "/v1/files/content", 400, "validation_error"],
    ["an empty path", "/v1/files/content?path=%20", 400, "validation_error"],
    ["a repeated path", "/v1/files/content?path=a&path=b", 400, "validation_error"],
    ["a NUL byte", "/v1/files/content?path=a%00b", 400, "validation_error"],
    ["a bad disposition", `/v1/files/content?path=SOUL.md&disposition=download`, 400, "validation_error"],
    ["a folder", `/v1/files/content?path=${q(WS)}`, 400, "validation_error"],
    ["a missing file", "/v1/files/content?path=nope.txt", 404, "file_not_found"],
    ["a file under a file", "/v1/files/content?path=SOUL.md%2Fx", 404, "file_not_found"],
  ])("refuses %s", async (_label, url, status, codeName) => {
    await put(inst.id, "SOUL.md", "persona");
    const r = await call(inst.id, "GET", url);
    expect(r.status).toBe(status);
    expect(r.body.error.code).toBe(codeName);
  });

  it("refuses a FIFO without waiting for a writer", async () => {
    await exec(inst.id, "mkfifo .agent37-gateway/workspace/pipe");
    const r = await get(inst.id, "pipe");
    expect(r.status).toBe(400);
    expect(r.body.error).toMatchObject({ code: "validation_error", param: "path" });
    expect((await list(inst.id)).body.entries.find((e: Json) => e.name === "pipe").type).toBe("other");
  });
});

describe("PUT /v1/files/content", () => {
  it("writes the raw body, creates the parent folders and answers the new entry", async () => {
    const r = await put(inst.id, "skills/research/SKILL.md", "skill body");
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ name: "SKILL.md", path: `${WS}/skills/research/SKILL.md`, type: "file", size: 10, modified: expect.any(Number), hidden: false });
    const dir = await list(inst.id, "skills");
    expect(dir.body.entries).toEqual([expect.objectContaining({ name: "research", type: "directory" })]);
    // The entry's mtime is the file's, to the fraction of a millisecond.
    const listed = (await list(inst.id, "skills/research")).body.entries[0];
    expect(listed.modified).toBe(r.body.modified);
  });

  it("overwrites by default and refuses with 409 file_exists under overwrite=false", async () => {
    await put(inst.id, "keep.txt", "first");
    const refused = await put(inst.id, "keep.txt", "second", "&overwrite=false");
    expect(refused.status).toBe(409);
    expect(refused.body.error).toMatchObject({ code: "file_exists", message: `A file already exists at '${WS}/keep.txt'.` });
    expect((await get(inst.id, "keep.txt")).text).toBe("first");
    expect((await put(inst.id, "fresh-one.txt", "new", "&overwrite=false")).status).toBe(200);
    expect((await put(inst.id, "keep.txt", "third", "&overwrite=true")).status).toBe(200);
    expect((await get(inst.id, "keep.txt")).text).toBe("third");
    expect((await put(inst.id, "keep.txt", "x", "&overwrite=maybe")).status).toBe(400);
  });

  it("refuses with 412 modified when X-Expected-Mtime is not the file's mtime, and writes when it is", async () => {
    const first = await put(inst.id, "guarded.txt", "v1");
    // An edit inside the instance since the client last read the file.
    await exec(inst.id, "touch -d @1577934245 .agent37-gateway/workspace/guarded.txt");
    const stale = await put(inst.id, "guarded.txt", "v2", "", { "x-expected-mtime": String(first.body.modified) });
    expect(stale.status).toBe(412);
    expect(stale.body.error.code).toBe("modified");
    expect((await get(inst.id, "guarded.txt")).text).toBe("v1");
    const current = (await list(inst.id)).body.entries.find((e: Json) => e.name === "guarded.txt");
    expect(current.modified).toBe(1577934245000);
    const ok = await put(inst.id, "guarded.txt", "v2", "", { "x-expected-mtime": String(current.modified) });
    expect(ok.status).toBe(200);
    expect((await get(inst.id, "guarded.txt")).text).toBe("v2");
    // A header for a file that does not exist yet is no precondition (as the gateway does it).
    expect((await put(inst.id, "not-there-yet.txt", "a", "", { "x-expected-mtime": "1" })).status).toBe(200);
    expect((await put(inst.id, "guarded.txt", "v3", "", { "x-expected-mtime": "yesterday" })).status).toBe(400);
  });

  it("answers 400 over a folder, or through a file on the way", async () => {
    await put(inst.id, "afile", "x");
    const over = await put(inst.id, "skills", "x");
    expect(over.status).toBe(400);
    expect(over.body.error.code).toBe("validation_error");
    const through = await put(inst.id, "afile/inside.txt", "x");
    expect(through.status).toBe(400);
    expect(through.body.error).toMatchObject({ code: "not_a_directory", message: `'${WS}/afile' is not a directory.` });
  });

  it("caps a body at filesMaxBytes with 413, by its Content-Length before anything is touched", async () => {
    await put(inst.id, "big.bin", "small");
    const r = await put(inst.id, "big.bin", Buffer.alloc(CAP + 1, 1));
    expect(r.status).toBe(413);
    expect(r.body.error.code).toBe("payload_too_large");
    expect((await get(inst.id, "big.bin")).text).toBe("small");
    expect((await put(inst.id, "big.bin", Buffer.alloc(CAP, 2))).body.size).toBe(CAP);
  });

  it("caps a chunked body as it streams, leaving the earlier file and no temporary file", async () => {
    await put(inst.id, "stream/big.bin", "earlier");
    async function* chunks(): AsyncIterable<Buffer> {
      for (let i = 0; i < 20; i++) yield Buffer.alloc(8 * 1024, 3);
    }
    const r = await call(inst.id, "PUT", `/v1/files/content?path=${q("stream/big.bin")}`, { body: Readable.from(chunks()) });
    expect(r.status).toBe(413);
    expect((await get(inst.id, "stream/big.bin")).text).toBe("earlier");
    expect((await list(inst.id, "stream")).body.entries.map((e: Json) => e.name)).toEqual(["big.bin"]);
  });
});

describe("DELETE, PATCH and POST /v1/files/dir", () => {
  it("deletes a file and a folder recursively; a missing path is a no-op", async () => {
    await put(inst.id, "tree/a/b/c.txt", "c");
    await put(inst.id, "tree/top.txt", "t");
    expect((await del(inst.id, "tree/top.txt")).body).toEqual({ ok: true });
    expect((await get(inst.id, "tree/top.txt")).status).toBe(404);
    const r = await del(inst.id, "tree");
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ ok: true });
    expect((await list(inst.id, "tree")).status).toBe(404);
    expect((await del(inst.id, "tree")).body).toEqual({ ok: true });
    expect((await del(inst.id, "never/was/here")).body).toEqual({ ok: true });
    expect((await call(inst.id, "DELETE", "/v1/files")).status).toBe(400);
    expect((await del(inst.id, "/")).status).toBe(400);
    expect((await list(inst.id, "/")).body.entries.map((e: Json) => e.name)).toEqual(["home"]);
  });

  it("renames with PATCH {from, to} and answers the entry at the new path", async () => {
    await put(inst.id, "draft.md", "draft");
    const r = await call(inst.id, "PATCH", "/v1/files", { json: { from: "draft.md", to: "~/final.md" } });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ name: "final.md", path: "/home/user/final.md", type: "file", size: 5 });
    expect((await get(inst.id, "draft.md")).status).toBe(404);
    expect((await get(inst.id, "/home/user/final.md")).text).toBe("draft");
    const missing = await call(inst.id, "PATCH", "/v1/files", { json: { from: "nope.md", to: "x.md" } });
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe("file_not_found");
    const noParent = await call(inst.id, "PATCH", "/v1/files", { json: { from: "~/final.md", to: "no/such/folder/x.md" } });
    expect(noParent.status).toBe(400);
    expect(noParent.body.error).toMatchObject({ code: "validation_error", param: "to" });
    const noFrom = await call(inst.id, "PATCH", "/v1/files", { json: { to: "x.md" } });
    expect(noFrom.body.error).toMatchObject({ code: "validation_error", param: "from" });
    const badJson = await call(inst.id, "PATCH", "/v1/files", { body: "{not json", headers: { "content-type": "application/json" } });
    expect(badJson.status).toBe(400);
    expect(badJson.body.error).toEqual({ code: "validation_error", message: "Request body is not valid JSON." });
  });

  it("makes folders with POST /v1/files/dir (mkdir -p, idempotent)", async () => {
    const r = await call(inst.id, "POST", `/v1/files/dir?path=${q("made/deep/er")}`);
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ name: "er", path: `${WS}/made/deep/er`, type: "directory", size: null, modified: expect.any(Number), hidden: false });
    expect((await call(inst.id, "POST", `/v1/files/dir?path=${q("made/deep/er")}`)).status).toBe(200);
    await put(inst.id, "made/file", "x");
    expect((await call(inst.id, "POST", `/v1/files/dir?path=${q("made/file")}`)).status).toBe(400);
    expect((await call(inst.id, "POST", "/v1/files/dir")).status).toBe(400);
  });

  it("answers an unknown Files route like any unknown gateway route", async () => {
    const r = await call(inst.id, "POST", "/v1/files/content?path=x");
    expect(r.status).toBe(404);
    expect(r.body.error).toEqual({ code: "not_found", message: "No route for POST /v1/files/content." });
  });
});

describe("the edge in front of the Files API", () => {
  it("answers 401 without a credential or with an invalid one, and 404 to another workspace", async () => {
    const none = await call(inst.id, "GET", "/v1/files", { key: null });
    expect(none.status).toBe(401);
    expect(none.body.error).toBe("invalid_api_key");
    expect((await call(inst.id, "GET", "/v1/files", { key: "sk_live_notAKnownKey000000000000" })).status).toBe(401);
    // X-Agent37-Key is the only credential consulted when present: no fallback to Bearer.
    const both = await call(inst.id, "GET", "/v1/files", { key: "sk_live_notAKnownKey000000000000", headers: { authorization: `Bearer ${KEY}` } });
    expect(both.status).toBe(401);
    const other = await call(inst.id, "PUT", `/v1/files/content?path=${q("foreign.txt")}`, { key: OTHER_KEY, body: "x" });
    expect(other.status).toBe(404);
    expect(other.body.error).toBe("not_found");
    expect((await get(inst.id, "foreign.txt")).status).toBe(404);
    const bearer = await call(inst.id, "GET", "/v1/files", { key: null, headers: { authorization: `Bearer ${KEY}` } });
    expect(bearer.status).toBe(200);
    expect((await call("zzzzzzzzzz", "GET", "/v1/files")).status).toBe(404);
  });

  it("answers a stopped instance's URL with 502 container_unavailable and writes nothing", async () => {
    const stopped = await c.create({});
    await ready(stopped.id);
    await c.api("POST", `/v1/instances/${stopped.id}/stop`, undefined, KEY);
    const r = await put(stopped.id, "while-stopped.txt", "x");
    expect(r.status).toBe(502);
    expect(r.body).toEqual({ error: "container_unavailable" });
    expect((await list(stopped.id)).status).toBe(502);
    await c.api("POST", `/v1/instances/${stopped.id}/start`, undefined, KEY);
    await ready(stopped.id);
    expect((await get(stopped.id, "while-stopped.txt")).status).toBe(404);
  });

  it("keeps the files of a stopped instance for its next start", async () => {
    const kept = await c.create({});
    await ready(kept.id);
    await put(kept.id, "survives.txt", "still here");
    await c.api("POST", `/v1/instances/${kept.id}/stop`, undefined, KEY);
    await c.api("POST", `/v1/instances/${kept.id}/start`, undefined, KEY);
    await ready(kept.id);
    expect((await get(kept.id, "survives.txt")).text).toBe("still here");
  });

  it("has no Files API where no gateway listens (a sandbox)", async () => {
    const sandbox = await c.create({ template: "sandbox" });
    expect((await list(sandbox.id)).status).toBe(502);
  });

  it("removes an instance's files when the instance is deleted", async () => {
    const doomed = await c.create({});
    await ready(doomed.id);
    await put(doomed.id, "doomed.txt", "bye");
    const home = await hostHome(doomed.id);
    expect(fs.readFileSync(path.join(home, ".agent37-gateway/workspace/doomed.txt"), "utf8")).toBe("bye");
    await c.api("DELETE", `/v1/instances/${doomed.id}`, undefined, KEY);
    await c.until(() => c.api("GET", `/v1/instances/${doomed.id}`, undefined, KEY), (r) => r.status === 404);
    await c.until(
      () => Promise.resolve(fs.existsSync(home)),
      (v) => !v,
    );
    expect((await list(doomed.id)).status).toBe(404);
  });
});

describe("a sleeping instance", () => {
  it("is woken by a Files API request, which is then answered", async () => {
    const sleepy = await startTest({ keys: [KEY], idleScale: 0.001 });
    try {
      const s = await sleepy.create({ auto_sleep: true, idle_timeout_seconds: 60 });
      await sleepy.until(
        () => sleepy.api("GET", `/v1/instances/${s.id}`),
        (r) => r.body.status === "sleeping",
      );
      const r = await request(`${sleepy.emu.url}/v1/files/content?path=${q("woken.txt")}`, {
        method: "PUT",
        headers: { host: `${s.id}.localhost:${sleepy.emu.port}`, "x-agent37-key": KEY },
        body: "awake",
        dispatcher: sleepy.agent,
      });
      expect(r.statusCode).toBe(200);
      expect(((await r.body.json()) as Json).path).toBe(`${WS}/woken.txt`);
      expect((await sleepy.api("GET", `/v1/instances/${s.id}`)).body.status).toBe("running");
    } finally {
      await sleepy.close();
    }
  });
});

describe("faults on the Files API", () => {
  const plan = async (faults: unknown[]): Promise<void> => {
    expect((await c.admin("POST", "/_emulator/faults", { faults })).status).toBe(200);
  };
  afterEach(async () => {
    await c.admin("DELETE", "/_emulator/faults");
  });

  it("reset-before a PUT writes nothing; status-after and reset-after write it and lose the answer", async () => {
    await plan([{ plane: "instance", method: "PUT", path: "/v1/files/content", kind: "reset-before", count: 1 }]);
    await expect(put(inst.id, "faulty/before.txt", "x")).rejects.toThrow();
    expect((await get(inst.id, "faulty/before.txt")).status).toBe(404);

    await plan([{ plane: "instance", method: "PUT", path: "/v1/files/content", kind: "status-after", status: 502, count: 1 }]);
    const lost = await put(inst.id, "faulty/after.txt", "written");
    expect(lost.status).toBe(502);
    expect(lost.body).toEqual({ error: "container_unreachable", message: "Injected fault: 502 container_unreachable." });
    expect((await get(inst.id, "faulty/after.txt")).text).toBe("written");

    await plan([{ plane: "instance", method: "PUT", path: "/v1/files/content", kind: "reset-after", count: 1 }]);
    await expect(put(inst.id, "faulty/reset.txt", "also written")).rejects.toThrow();
    expect((await get(inst.id, "faulty/reset.txt")).text).toBe("also written");
  });

  it("reset-mid-body drops the connection once part of a PUT's body arrived: the earlier file stays, no temporary file is left, the log says reset", async () => {
    await put(inst.id, "faulty/cut.txt", "earlier");
    await c.admin("DELETE", "/_emulator/requests");
    await plan([{ plane: "instance", method: "PUT", path: "/v1/files/content", kind: "reset-mid-body", afterBytes: 4, count: 1 }]);
    // A streamed body of several chunks, as a large file is sent: the first arrive, then the cut.
    const chunks = ["first-", "second-", "third"];
    await expect(put(inst.id, "faulty/cut.txt", Readable.from(chunks.map((s) => Buffer.from(s))) as unknown as Buffer)).rejects.toThrow();
    expect((await get(inst.id, "faulty/cut.txt")).text).toBe("earlier");
    const names = ((await list(inst.id, `${WS}/faulty`)).body as { entries: { name: string }[] }).entries.map((e) => e.name);
    expect(names.filter((n) => n.startsWith(".agent37-upload-"))).toEqual([]);
    const logged = ((await c.admin("GET", "/_emulator/requests")).body as { log: { method: string; status: number; fault?: string }[] }).log.filter((e) => e.method === "PUT");
    expect(logged).toEqual([expect.objectContaining({ status: 0, fault: "reset-mid-body" })]);
    // The rule was used up: the next PUT writes.
    expect((await put(inst.id, "faulty/cut.txt", "later")).status).toBe(200);
    expect((await get(inst.id, "faulty/cut.txt")).text).toBe("later");
  });

  it("a read whose answer a fault replaces releases the file it opened", async () => {
    await put(inst.id, "faulty/read.txt", "content");
    await plan([{ plane: "instance", method: "GET", path: "/v1/files/content", kind: "status-after", status: 504, count: 50 }]);
    const warnings: string[] = [];
    const onWarning = (w: Error): void => {
      warnings.push(w.message);
    };
    process.on("warning", onWarning);
    try {
      for (let i = 0; i < 50; i++) expect((await get(inst.id, "faulty/read.txt")).status).toBe(504);
      // A leaked handle would be closed by the garbage collector, with a warning; none is left open.
      const held = fs.readdirSync("/proc/self/fd").filter((fd) => {
        try {
          return fs.readlinkSync(`/proc/self/fd/${fd}`).endsWith("/faulty/read.txt");
        } catch {
          return false;
        }
      });
      expect(held).toEqual([]);
    } finally {
      process.off("warning", onWarning);
    }
    expect(warnings.filter((w) => w.includes("file descriptor"))).toEqual([]);
  });
});

