import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { request } from "undici";
import { startEmulator, type EmulatorOptions } from "../../emulator";
import { FAST, TestClient, type Json } from "./helpers";
import { DOCKERFILE, tarGz } from "./tar";

const KEY = "sk_live_templateState00000000001";
let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "agent37-tpl-state-"));
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

async function open(statePath: string, extra: EmulatorOptions = {}): Promise<TestClient> {
  return new TestClient(await startEmulator({ ...FAST, keys: [KEY], statePath, ingestMs: 0, ...extra }));
}

async function put(c: TestClient, url: string, body: Buffer): Promise<number> {
  const r = await request(url, { method: "PUT", body, dispatcher: c.agent });
  await r.body.text();
  return r.statusCode;
}

const archive = (tag: string): Buffer => tarGz([{ name: "Dockerfile", body: DOCKERFILE }, { name: "tag.txt", body: tag }]);

describe("templates and builds in the state file", () => {
  it("survive a restart: revisions, pins, deleted templates' instances, and builds in every phase", async () => {
    const statePath = path.join(dir, "state.json");
    // The first run's builds take a minute: one is caught `building` by the restart.
    const first = await open(statePath, { buildMs: 60_000 });
    await first.api("POST", "/v1/templates", { name: "reg", image_ref: "ghcr.io/acme/reg:v1", default_port: 8000 });
    await first.api("PATCH", "/v1/templates/reg", { image_ref: "ghcr.io/acme/reg:v2", description: "two" });
    await first.api("POST", "/v1/templates", { name: "doomed", image_ref: "ghcr.io/acme/doomed:v1", default_port: 8000 });
    const orphan = await first.create({ template: "doomed" });
    await first.api("DELETE", "/v1/templates/doomed");
    const pinned = await first.create({ template: "reg@1" });

    const a = archive("a");
    const running = (await first.api("POST", "/v1/template-builds", { name: "built", size_bytes: a.length, default_port: 9000 })).body;
    expect(await put(first, running.upload_url, a)).toBe(200);
    expect((await first.api("POST", `/v1/template-builds/${running.id}/start`)).body.status).toBe("building");
    const b = archive("b");
    const waiting = (await first.api("POST", "/v1/template-builds", { name: "built", size_bytes: b.length })).body;
    expect(await put(first, waiting.upload_url, b)).toBe(200);
    const c2 = archive("c");
    const unsent = (await first.api("POST", "/v1/template-builds", { name: "other", size_bytes: c2.length })).body;
    await first.close();

    const second = await open(statePath, { buildMs: 50, ingestMs: 20 });
    try {
      const reg = await second.api("GET", "/v1/templates/reg");
      expect(reg.body).toMatchObject({ revision: 2, image_ref: "ghcr.io/acme/reg:v2", description: "two", default_port: 8000 });
      expect(reg.body.revisions.map((r: Json) => r.revision)).toEqual([2, 1]);
      expect((await second.api("GET", "/v1/templates/reg@1")).body.image_ref).toBe("ghcr.io/acme/reg:v1");
      expect((await second.api("GET", `/v1/instances/${pinned.id}`)).body).toMatchObject({ template: "reg@1", template_revision: 1 });
      // The deleted template stays gone, and its instance still runs its app.
      expect((await second.api("GET", "/v1/templates/doomed")).status).toBe(404);
      const rows: Json[] = (await second.admin("GET", "/_emulator/instances")).body.data;
      expect(rows.find((r) => r.id === orphan.id)).toMatchObject({ status: "running", template: "doomed", app: { port: 8000 } });

      // The build caught running goes on from its start time under this run's timings.
      const done = await second.until(
        () => second.api("GET", `/v1/template-builds/${running.id}`),
        (r) => r.body.status === "succeeded",
      );
      expect(done.body.template).toMatchObject({ name: "built", revision: 1, default_port: 9000 });
      // The uploaded-but-unstarted build kept its context; the other kept its upload URL.
      expect((await second.api("POST", `/v1/template-builds/${waiting.id}/start`)).status).toBe(200);
      await second.until(
        () => second.api("GET", `/v1/template-builds/${waiting.id}`),
        (r) => r.body.status === "succeeded",
      );
      expect((await second.api("GET", "/v1/templates/built")).body.revisions.map((r: Json) => r.revision)).toEqual([2, 1]);
      // (This run listens on another port; the URL's path and signature are what persist.)
      expect(await put(second, unsent.upload_url.replace(/^http:\/\/[^/]+/, second.emu.url), c2)).toBe(200);
    } finally {
      await second.close();
    }
  });

  it("refuses an upload URL past its hour with 403", async () => {
    const statePath = path.join(dir, "state.json");
    const first = await open(statePath);
    const a = archive("a");
    const b = (await first.api("POST", "/v1/template-builds", { name: "built", size_bytes: a.length })).body;
    await first.close();
    // The hour cannot pass in a test: the file says the URL was minted more than an hour ago.
    const snap = JSON.parse(fs.readFileSync(statePath, "utf8"));
    const expired = Math.floor(Date.now() / 1000) - 1;
    snap.builds[0].created = expired - 3600;
    snap.builds[0].expiresAt = expired;
    fs.writeFileSync(statePath, JSON.stringify(snap));
    const second = await open(statePath);
    try {
      const url = (b.upload_url as string).replace(/^http:\/\/[^/]+/, second.emu.url).replace(/expires=\d+/, `expires=${expired}`);
      const r = await request(url, { method: "PUT", body: a, dispatcher: second.agent });
      const body = (await r.body.json()) as Json;
      expect(r.statusCode).toBe(403);
      expect(body.error).toEqual({ code: "forbidden", message: expect.stringMatching(/expired/) });
      // With the URL's own (now stale) expiry it does not match either.
      expect((await put(second, (b.upload_url as string).replace(/^http:\/\/[^/]+/, second.emu.url), a))).toBe(403);
    } finally {
      await second.close();
    }
  });

  it("refuses a damaged build record, naming the field", async () => {
    const statePath = path.join(dir, "state.json");
    const first = await open(statePath);
    await first.api("POST", "/v1/template-builds", { name: "built", size_bytes: 10 });
    await first.close();
    const snap = JSON.parse(fs.readFileSync(statePath, "utf8"));
    expect(snap.builds).toHaveLength(1);
    snap.builds[0].sizeBytes = 0;
    fs.writeFileSync(statePath, JSON.stringify(snap));
    await expect(startEmulator({ ...FAST, keys: [KEY], statePath })).rejects.toThrow(/builds\.0\.sizeBytes/);
  });

  it("loads a file written before templates could be registered (no builds, no deleted templates)", async () => {
    const statePath = path.join(dir, "state.json");
    const first = await open(statePath);
    await first.create({});
    await first.close();
    const snap = JSON.parse(fs.readFileSync(statePath, "utf8"));
    delete snap.builds;
    delete snap.retiredTemplates;
    fs.writeFileSync(statePath, JSON.stringify(snap));
    const second = await open(statePath);
    try {
      expect((await second.api("GET", "/v1/templates/sandbox")).status).toBe(200);
    } finally {
      await second.close();
    }
  });

  it("is cleared by the admin reset", async () => {
    const c = await open(path.join(dir, "state.json"));
    try {
      await c.api("POST", "/v1/templates", { name: "reg", image_ref: "ghcr.io/acme/reg:v1" });
      const b = (await c.api("POST", "/v1/template-builds", { name: "built", size_bytes: 10 })).body;
      await c.admin("POST", "/_emulator/reset");
      expect((await c.api("GET", "/v1/templates/reg")).status).toBe(404);
      expect((await c.api("GET", `/v1/template-builds/${b.id}`)).status).toBe(404);
    } finally {
      await c.close();
    }
  });
});
