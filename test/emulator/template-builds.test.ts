import { createHash } from "node:crypto";
import { gzipSync } from "node:zlib";
import { request } from "undici";
import { OTHER_KEY, startTest, type Json, type Res, type TestClient } from "./helpers";
import { DOCKERFILE, tar, tarGz } from "./tar";

const KEY = "sk_live_buildsWorkspace000000001";
const sha = (b: Buffer): string => `sha256:${createHash("sha256").update(b).digest("hex")}`;

let c: TestClient;
beforeAll(async () => {
  // Long enough phases that a poll sees each of them.
  c = await startTest({ keys: [KEY, OTHER_KEY], buildMs: 300, ingestMs: 200 });
});
afterAll(() => c.close());

let n = 0;
const fresh = (): string => `built-${++n}`;

async function put(url: string, body: Buffer, headers: Record<string, string> = {}, method = "PUT"): Promise<Res> {
  const r = await request(url, { method: method as "PUT", body, headers, dispatcher: c.agent });
  const text = await r.body.text();
  return { status: r.statusCode, headers: r.headers, body: text ? JSON.parse(text) : undefined, text };
}

async function createBuild(name: string, archive: Buffer, extra: Record<string, unknown> = {}, key = KEY): Promise<Json> {
  const r = await c.api("POST", "/v1/template-builds", { name, size_bytes: archive.length, ...extra }, key);
  if (r.status !== 201) throw new Error(`build create failed: ${r.status} ${r.text}`);
  return r.body;
}

/** Create, upload, start; answers the build id. */
async function startBuild(name: string, archive: Buffer, extra: Record<string, unknown> = {}): Promise<string> {
  const b = await createBuild(name, archive, extra);
  const up = await put(b.upload_url, archive);
  if (up.status !== 200) throw new Error(`upload failed: ${up.status} ${up.text}`);
  const s = await c.api("POST", `/v1/template-builds/${b.id}/start`);
  if (s.status !== 200) throw new Error(`start failed: ${s.status} ${s.text}`);
  return b.id;
}

function finished(id: string): Promise<Res> {
  return c.until(
    () => c.api("GET", `/v1/template-builds/${id}`),
    (r) => r.body.status === "succeeded" || r.body.status === "failed",
  );
}

function expectError(r: Res, status: number, code: string, message?: RegExp): void {
  expect({ status: r.status, code: r.body?.error?.code }).toEqual({ status, code });
  if (message) expect(r.body.error.message).toMatch(message);
}

const context = (extra = ""): Buffer => tarGz([{ name: "Dockerfile", body: DOCKERFILE }, { name: "server.js", body: `console.log("hi")${extra}` }]);

describe("POST /v1/template-builds", () => {
  it("answers 201 with a presigned upload URL valid for an hour", async () => {
    const r = await c.api("POST", "/v1/template-builds", { name: fresh(), size_bytes: 1234 });
    expect(r.status).toBe(201);
    expect(r.body).toEqual({
      id: expect.stringMatching(/^tb_[0-9a-f]{20}$/),
      name: `built-${n}`,
      status: "created",
      upload_url: expect.stringMatching(new RegExp(`^${c.emu.url}/`)),
      expires_at: expect.any(Number),
      max_bytes: 100_000_000,
    });
    expect(r.body.expires_at - Math.floor(Date.now() / 1000)).toBeGreaterThanOrEqual(3598);
    expect(r.body.expires_at - Math.floor(Date.now() / 1000)).toBeLessThanOrEqual(3600);
    const got = await c.api("GET", `/v1/template-builds/${r.body.id}`);
    expect(got.body).toEqual({ id: r.body.id, name: r.body.name, status: "created", created: expect.any(Number), started: null, finished: null });
  });

  it.each([
    ["no name", { size_bytes: 10 }, /`name` is required/],
    ["no size_bytes", { name: "ok-name" }, /`size_bytes` is required/],
    ["size_bytes 0", { name: "ok-name", size_bytes: 0 }, /`size_bytes` must be an integer 1..100000000/],
    ["size_bytes over 100,000,000", { name: "ok-name", size_bytes: 100_000_001 }, /`size_bytes` must be an integer 1..100000000/],
    ["a bad name", { name: "Nope!", size_bytes: 10 }, /must match/],
    ["a system name", { name: "agent37-hermes", size_bytes: 10 }, /reserved/],
    ["a reserved default_port", { name: "ok-name", size_bytes: 10, default_port: 22022 }, /reserved/],
    ["an unknown field", { name: "ok-name", size_bytes: 10, dockerfile: "x" }, /unknown field `dockerfile`/],
  ])("refuses %s with 400 invalid_request", async (_label, body, message) => {
    expectError(await c.api("POST", "/v1/template-builds", body), 400, "invalid_request", message);
  });
});

describe("the upload URL", () => {
  it("accepts a PUT of exactly size_bytes and answers its sha256", async () => {
    const archive = context();
    const b = await createBuild(fresh(), archive);
    const up = await put(b.upload_url, archive);
    expect(up.status).toBe(200);
    expect(up.body).toEqual({ size_bytes: archive.length, sha256: sha(archive) });
    // It needs no API key; a second PUT before start replaces the context.
    expect((await put(b.upload_url, archive)).status).toBe(200);
  });

  it("refuses a tampered or foreign signature with 403, naming no build", async () => {
    const archive = context();
    const b = await createBuild(fresh(), archive);
    const tampered = b.upload_url.replace(/signature=([0-9a-f])/, (_m: string, ch: string) => `signature=${ch === "0" ? "1" : "0"}`);
    expectError(await put(tampered, archive), 403, "forbidden", /signature/);
    const other = await createBuild(fresh(), archive);
    const swapped = b.upload_url.replace(/signature=[0-9a-f]+/, /signature=[0-9a-f]+/.exec(other.upload_url)?.[0] ?? "");
    expectError(await put(swapped, archive), 403, "forbidden");
    expectError(await put(b.upload_url.replace(/expires=\d+/, "expires=9999999999"), archive), 403, "forbidden");
  });

  it("refuses a body whose size differs from size_bytes, and other methods", async () => {
    const archive = context();
    const b = await createBuild(fresh(), archive);
    expectError(await put(b.upload_url, Buffer.concat([archive, Buffer.from("x")])), 400, "invalid_request", new RegExp(`size_bytes ${archive.length}`));
    expectError(await put(b.upload_url, archive.subarray(1)), 400, "invalid_request");
    expect((await put(b.upload_url, Buffer.alloc(0), {}, "POST")).status).toBe(405);
    // Nothing was stored: start still finds no context.
    expectError(await c.api("POST", `/v1/template-builds/${b.id}/start`), 400, "invalid_request", /no context/);
  });

  it("streams a large context (several MB, many chunks) and hashes it", async () => {
    const big = Buffer.alloc(6 * 1024 * 1024);
    for (let i = 0; i < big.length; i += 4) big.writeUInt32LE((i * 2654435761) >>> 0, i);
    const archive = tarGz([{ name: "Dockerfile", body: DOCKERFILE }, { name: "blob.bin", body: big }]);
    const b = await createBuild(fresh(), archive);
    const up = await put(b.upload_url, archive);
    expect(up.body).toEqual({ size_bytes: archive.length, sha256: sha(archive) });
  });
});

describe("start and the state machine", () => {
  it("passes building -> ingesting -> succeeded and makes revision 1 with the archive's digest", async () => {
    const name = fresh();
    const archive = context();
    const b = await createBuild(name, archive, { default_port: 8000, description: "built one" });
    await put(b.upload_url, archive);
    const s = await c.api("POST", `/v1/template-builds/${b.id}/start`);
    expect(s.status).toBe(200);
    expect(s.body).toEqual({ id: b.id, status: "building" });
    const seen: string[] = [];
    const done = await c.until(
      () => c.api("GET", `/v1/template-builds/${b.id}`),
      (r) => {
        if (seen[seen.length - 1] !== r.body.status) seen.push(r.body.status);
        return r.body.status === "succeeded" || r.body.status === "failed";
      },
    );
    expect(seen).toEqual(["building", "ingesting", "succeeded"]);
    expect(done.body).toEqual({
      id: b.id,
      name,
      status: "succeeded",
      template: { name, scope: "workspace", agents: [], revision: 1, image_digest: sha(archive), description: "built one", default_port: 8000, created: expect.any(Number), updated: expect.any(Number) },
      created: expect.any(Number),
      started: expect.any(Number),
      finished: expect.any(Number),
    });
    expect(done.body.finished).toBeGreaterThanOrEqual(done.body.started);
    const tpl = await c.api("GET", `/v1/templates/${name}`);
    expect(tpl.body).toMatchObject({ revision: 1, image_digest: sha(archive), default_port: 8000 });
    // Build-born: no public source.
    expect(tpl.body).not.toHaveProperty("image_ref");
    // An instance made from it has a digest but no image_ref.
    const inst = await c.create({ template: `${name}@1` });
    expect(inst).toMatchObject({ template: `${name}@1`, template_revision: 1, image_ref: null, image_digest: sha(archive) });
    await c.api("DELETE", `/v1/instances/${inst.id}`);
  });

  it("adds a revision when an existing name is built with a different context, and none for the same context", async () => {
    const name = fresh();
    const one = context("// one");
    const two = context("// two");
    await finished(await startBuild(name, one));
    const inst = await c.create({ template: `${name}@1` });
    await finished(await startBuild(name, two));
    let tpl = await c.api("GET", `/v1/templates/${name}`);
    expect(tpl.body.revisions.map((r: Json) => [r.revision, r.image_digest])).toEqual([
      [2, sha(two)],
      [1, sha(one)],
    ]);
    const again = await finished(await startBuild(name, two));
    expect(again.body).toMatchObject({ status: "succeeded", template: { revision: 2 } });
    tpl = await c.api("GET", `/v1/templates/${name}`);
    expect(tpl.body.revision).toBe(2);
    // The pinned instance moves to revision 2 in place.
    const moved = await c.api("POST", `/v1/instances/${inst.id}/update`, { template: `${name}@2` });
    expect(moved.body).toEqual({ id: inst.id, status: "running", template: `${name}@2`, image_ref: null, image_digest: sha(two), template_revision: 2 });
    await c.api("DELETE", `/v1/instances/${inst.id}`);
  });

  it("turns a registry template into a build-born one with a new revision", async () => {
    const name = fresh();
    await c.api("POST", "/v1/templates", { name, image_ref: "ghcr.io/acme/agent:v1" });
    const archive = context();
    await finished(await startBuild(name, archive));
    const tpl = await c.api("GET", `/v1/templates/${name}`);
    expect(tpl.body).toMatchObject({ revision: 2, image_digest: sha(archive) });
    expect(tpl.body).not.toHaveProperty("image_ref");
    expect((await c.api("GET", `/v1/templates/${name}@1`)).body.image_ref).toBe("ghcr.io/acme/agent:v1");
  });

  it("refuses a start without an uploaded context with 400 invalid_request", async () => {
    const b = await createBuild(fresh(), context());
    expectError(await c.api("POST", `/v1/template-builds/${b.id}/start`), 400, "invalid_request", /no context/);
    expectError(await c.api("POST", `/v1/template-builds/${b.id}/start`, { now: true }), 400, "invalid_request", /no body/);
  });

  it("allows one build at a time per workspace: 409 build_conflict", async () => {
    const archive = context();
    const first = await startBuild(fresh(), archive);
    expectError(await c.api("POST", `/v1/template-builds/${first}/start`), 409, "build_conflict", /already been started/);
    const second = await createBuild(fresh(), archive);
    await put(second.upload_url, archive);
    expectError(await c.api("POST", `/v1/template-builds/${second.id}/start`), 409, "build_conflict", new RegExp(first));
    // Another workspace builds meanwhile.
    const foreign = await c.api("POST", "/v1/template-builds", { name: fresh(), size_bytes: archive.length }, OTHER_KEY);
    await put(foreign.body.upload_url, archive);
    expect((await c.api("POST", `/v1/template-builds/${foreign.body.id}/start`, undefined, OTHER_KEY)).status).toBe(200);
    // Once the first has finished, the second may start.
    await finished(first);
    expect((await c.api("POST", `/v1/template-builds/${second.id}/start`)).status).toBe(200);
    // The upload URL of a started build refuses a new context.
    expectError(await put(second.upload_url, archive), 409, "build_conflict", /already started/);
    await finished(second.id);
  });

  it("answers 404 for unknown and foreign builds", async () => {
    const b = await createBuild(fresh(), context());
    for (const path of [`/v1/template-builds/${b.id}`, `/v1/template-builds/${b.id}/logs`]) {
      expectError(await c.api("GET", path, undefined, OTHER_KEY), 404, "not_found");
    }
    expectError(await c.api("POST", `/v1/template-builds/${b.id}/start`, undefined, OTHER_KEY), 404, "not_found");
    expectError(await c.api("GET", "/v1/template-builds/tb_00000000000000000000"), 404, "not_found");
  });
});

describe("failed builds", () => {
  it.each([
    ["no Dockerfile", "build_failed", tarGz([{ name: "server.js", body: "x" }]), /Dockerfile/],
    ["a Dockerfile only below the root", "build_failed", tarGz([{ name: "app/", type: "dir" }, { name: "app/Dockerfile", body: DOCKERFILE }]), /Dockerfile/],
    ["a Dockerfile without FROM", "build_failed", tarGz([{ name: "Dockerfile", body: "RUN true\n" }]), /FROM/],
    ["a context that is not gzip", "invalid_request", tar([{ name: "Dockerfile", body: DOCKERFILE }]), /gzip/],
    ["a gzip that is not a tar", "invalid_request", gzipSync(Buffer.from("just text, not an archive\n".repeat(40))), /not a tar/],
    ["a truncated tar", "invalid_request", gzipSync(tar([{ name: "Dockerfile", body: DOCKERFILE }, { name: "big", body: "y".repeat(5000) }]).subarray(0, 2048)), /truncated/],
  ])("fails %s with a 200, status failed and %s", async (_label, code, archive, message) => {
    const name = fresh();
    const id = await startBuild(name, archive);
    const r = await finished(id);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ status: "failed", error: { code, message: expect.stringMatching(message) } });
    expect(r.body).not.toHaveProperty("template");
    expect(r.body.finished).toEqual(expect.any(Number));
    expect((await c.api("GET", `/v1/templates/${name}`)).status).toBe(404);
    const logs = await c.api("GET", `/v1/template-builds/${id}/logs`);
    expect(logs.body.data).toMatch(/^ERROR: /m);
  });

  it("accepts ./Dockerfile and a long-named tree", async () => {
    const archive = tarGz([{ name: "./Dockerfile", body: DOCKERFILE }, { name: `${"d".repeat(120)}/file.txt`, body: "x" }]);
    const r = await finished(await startBuild(fresh(), archive));
    expect(r.body.status).toBe("succeeded");
  });
});

describe("GET /v1/template-builds/{id}/logs", () => {
  it("reads the log in pieces from an offset", async () => {
    const id = await startBuild(fresh(), context());
    let offset = 0;
    let text = "";
    let last: Res | undefined;
    for (;;) {
      last = await c.api("GET", `/v1/template-builds/${id}/logs?offset=${offset}`);
      expect(last.status).toBe(200);
      expect(last.body.offset).toBe(offset + Buffer.byteLength(last.body.data));
      text += last.body.data;
      offset = last.body.offset;
      if (last.body.status === "succeeded" || last.body.status === "failed") break;
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(last.body).toMatchObject({ id, status: "succeeded", template: { revision: 1 } });
    // Once finished, a read from the end is empty, and a read from 0 is the whole log.
    const tail = await c.api("GET", `/v1/template-builds/${id}/logs?offset=${offset}`);
    expect(tail.body).toMatchObject({ data: "", offset });
    const whole = await c.api("GET", `/v1/template-builds/${id}/logs?offset=0`);
    expect(whole.body.data).toBe(text);
    expect(text).toMatch(/\[1\/4\] FROM node:22-slim/);
    expect(text).toMatch(/\[3\/4\] RUN npm ci --omit=dev/);
    expect(text).toMatch(/succeeded: .* revision 1/);
  });

  it("is empty before start, and refuses a bad offset", async () => {
    const b = await createBuild(fresh(), context());
    expect((await c.api("GET", `/v1/template-builds/${b.id}/logs`)).body).toMatchObject({ status: "created", offset: 0, data: "" });
    for (const bad of ["-1", "x", "1.5"]) expectError(await c.api("GET", `/v1/template-builds/${b.id}/logs?offset=${bad}`), 400, "invalid_request", /`offset`/);
  });
});

describe("uploads, further", () => {
  it("keeps nothing of an upload the client abandons, and keeps serving", async () => {
    const archive = context();
    const b = await createBuild(fresh(), archive);
    const url = new URL(b.upload_url);
    const net = await import("node:net");
    await new Promise<void>((resolve, reject) => {
      const sock = net.connect(Number(url.port), url.hostname, () => {
        sock.write(`PUT ${url.pathname}${url.search} HTTP/1.1\r\nHost: ${url.host}\r\nContent-Length: ${archive.length}\r\n\r\n`);
        sock.write(archive.subarray(0, 50), () => {
          sock.destroy();
          resolve();
        });
      });
      sock.on("error", reject);
    });
    // The log records the abandoned request once the server has seen it end.
    await c.until(
      () => c.admin("GET", "/_emulator/requests"),
      (r) => r.body.log.some((e: Json) => e.route === "PUT /_uploads/:id" && e.path === url.pathname),
    );
    expectError(await c.api("POST", `/v1/template-builds/${b.id}/start`), 400, "invalid_request", /no context/);
    expect((await put(b.upload_url, archive)).status).toBe(200);
    expect((await c.admin("GET", "/_emulator/requests")).body.counters["PUT /_uploads/:id"]).toBeGreaterThanOrEqual(2);
  });

  it("logs build routes without an instance id (a build id is not an instance's)", async () => {
    const b = await createBuild(fresh(), context());
    await c.api("GET", `/v1/template-builds/${b.id}`);
    const log: Json[] = (await c.admin("GET", "/_emulator/requests")).body.log;
    const entry = log.filter((e) => e.route === "GET /v1/template-builds/:id").pop();
    expect(entry).toBeDefined();
    expect(entry).not.toHaveProperty("instanceId");
  });
});

describe("timings", () => {
  it("come from the buildMs/ingestMs options and the --build-ms/--ingest-ms flags", async () => {
    const { parseCli } = await import("../../emulator/cli");
    expect(parseCli(["--build-ms", "5", "--ingest-ms", "7"])).toMatchObject({ buildMs: 5, ingestMs: 7 });
    expect(parseCli([])).toMatchObject({ buildMs: 3000, ingestMs: 1000 });
    expect(() => parseCli(["--build-ms", "-1"])).toThrow(/--build-ms/);
    const { normalizeOptions } = await import("../../emulator/options");
    expect(normalizeOptions({})).toMatchObject({ buildMs: 200, ingestMs: 50 });
    expect(() => normalizeOptions({ ingestMs: -1 })).toThrow(/`ingestMs`/);
  });
});
