/**
 * Instances of workspace templates run a stand-in app instead of the gateway: the edge's rules
 * first, then the app on the template's port, whose boot and answers tests can steer per
 * template (and revision) through options and `/_emulator/apps`.
 */
import { AppRegistry } from "../../emulator/app";
import { now } from "../../emulator/clock";
import type { InstanceRecord } from "../../emulator/model";
import { normalizeOptions } from "../../emulator/options";
import { startTest, type Json, type Res, type TestClient } from "./helpers";

const KEY = "sk_live_appWorkspace0000000000001";
const withKey = { "x-agent37-key": KEY };
const BOOT_MS = 300;

let c: TestClient;
beforeAll(async () => {
  c = await startTest({
    keys: [KEY],
    bootMs: BOOT_MS,
    workspaceTemplates: [
      { name: "web", defaultPort: 8000, description: "A web app" },
      { name: "api", defaultPort: 9000 },
      { name: "portless", defaultPort: null },
    ],
    apps: [{ template: "api", readyPath: "/healthz", readyStatus: 200, listenAfterMs: 0, readyAfterMs: 100 }],
  });
});
afterAll(() => c.close());
afterEach(async () => {
  await c.admin("POST", "/_emulator/reset");
});

async function adminRow(id: string): Promise<Json> {
  const r = await c.admin("GET", "/_emulator/instances");
  return (r.body.data as Json[]).find((i) => i.id === id);
}

/** The timestamp the emulator logged for the last instance-plane request to `id`. */
async function lastPlaneAt(id: string): Promise<number> {
  const r = await c.admin("GET", "/_emulator/requests");
  const mine = (r.body.log as Json[]).filter((e) => e.plane === "instance" && e.instanceId === id);
  return mine[mine.length - 1].at as number;
}

const get = (id: string, path: string): Promise<Res> => c.plane(id, path, { headers: withKey });

describe("workspace templates given as options", () => {
  it("are listed after the system catalog with their default port and revision 1", async () => {
    const list = await c.api("GET", "/v1/templates");
    const names = (list.body.data as Json[]).map((t) => t.name);
    expect(names).toEqual(["agent37-hermes", "agent37-hermes-small", "agent37-openclaw", "api", "portless", "sandbox", "web"]);
    const web = await c.api("GET", "/v1/templates/web");
    expect(web.body).toMatchObject({ name: "web", scope: "workspace", agents: [], revision: 1, default_port: 8000, description: "A web app" });
    expect((await c.api("GET", "/v1/templates/portless")).body.default_port).toBeNull();
  });

  it("survive a reset", async () => {
    await c.admin("POST", "/_emulator/reset");
    expect((await c.api("GET", "/v1/templates/web")).status).toBe(200);
  });

  it("are refused at start when invalid, naming the option", () => {
    expect(() => normalizeOptions({ workspaceTemplates: [{ name: "agent37-x" }] })).toThrow(/workspaceTemplates\[0\]\.name/);
    expect(() => normalizeOptions({ workspaceTemplates: [{ name: "sandbox" }] })).toThrow(/already a template/);
    expect(() => normalizeOptions({ workspaceTemplates: [{ name: "ok", defaultPort: 8080 }] })).toThrow(/workspaceTemplates\[0\]\.defaultPort.*8080/);
    expect(() => normalizeOptions({ apps: [{ template: "web", readyAfterMs: -1 }] })).toThrow(/apps\[0\]\.readyAfterMs/);
    expect(() => normalizeOptions({ apps: [{ template: "agent37-hermes" }] })).toThrow(/apps\[0\]\.template.*gateway/);
  });
});

describe("the default stand-in app", () => {
  it("boots like the gateway: nothing listens, then / serves a page while /ready says 503, then /ready answers 204", async () => {
    const inst = await c.create({ template: "web" });
    const first = await get(inst.id, "/");
    const row0 = await adminRow(inst.id);
    expect(row0.app).toMatchObject({ port: 8000, bootedAt: expect.any(Number) });
    const bootedAt = row0.app.bootedAt as number;
    // Right after create the app is not listening yet: the edge answers.
    if ((await lastPlaneAt(inst.id)) < bootedAt + BOOT_MS / 2 - 5) {
      expect(first.status).toBe(502);
      expect(first.body).toEqual({ error: "container_unreachable" });
    }

    const page = await c.until(
      () => get(inst.id, "/"),
      (r) => r.status === 200,
    );
    expect(page.headers["content-type"]).toMatch(/text\/html/);
    expect(page.text).toContain("web");
    expect(page.text).toContain(inst.id);
    // The app judges a request when the edge hands it over, which can be a little after the
    // arrival the request log records (a request held while the container wakes is judged
    // after the wake): what must hold is that the page came no earlier than the app listened.
    expect(now()).toBeGreaterThanOrEqual(bootedAt + BOOT_MS / 2);

    const warming = await get(inst.id, "/ready");
    if ((await lastPlaneAt(inst.id)) < bootedAt + BOOT_MS - 5) {
      expect(warming.status).toBe(503);
      expect(warming.text).toBe("starting\n");
    }
    const ready = await c.until(
      () => get(inst.id, "/ready"),
      (r) => r.status !== 503,
    );
    expect(ready.status).toBe(204);
    expect(now()).toBeGreaterThanOrEqual(bootedAt + BOOT_MS);

    const row = await adminRow(inst.id);
    // Emulator times are fractional milliseconds: compare within a microsecond, not bit for bit.
    expect(row.app).toEqual({ port: 8000, bootedAt, listeningAt: expect.any(Number), readyAt: expect.any(Number) });
    expect(row.app.listeningAt).toBeCloseTo(bootedAt + BOOT_MS / 2, 3);
    expect(row.app.readyAt).toBeCloseTo(bootedAt + BOOT_MS, 3);
    expect(row.healthyAt).toBeNull();
  });

  it("has no gateway endpoints: /v1/health and /v1/version are the app's own 404, not JSON", async () => {
    const inst = await c.create({ template: "web" });
    await c.until(
      () => get(inst.id, "/"),
      (r) => r.status === 200,
    );
    for (const path of ["/v1/health", "/v1/version", "/v1/responses"]) {
      const r = await get(inst.id, path);
      expect(r.status).toBe(404);
      expect(r.body).toBeUndefined();
      expect(r.text).toBe(`Cannot GET ${path}\n`);
    }
  });

  it("keeps the edge's rules in front: no key is 401, the edge's /health is answered by the edge, a stopped instance is 502 container_unavailable", async () => {
    const inst = await c.create({ template: "web" });
    expect((await c.plane(inst.id, "/")).status).toBe(401);
    expect((await c.plane(inst.id, "/health")).body).toEqual({ ok: true });
    await c.api("POST", `/v1/instances/${inst.id}/stop`);
    const r = await get(inst.id, "/");
    expect(r.status).toBe(502);
    expect(r.body).toEqual({ error: "container_unavailable" });
    expect((await adminRow(inst.id)).app).toEqual({ port: 8000, bootedAt: null, listeningAt: null, readyAt: null });
  });

  it("listens on the template's port only: other ports are the edge's 502", async () => {
    const inst = await c.create({ template: "web" });
    await c.until(
      () => c.plane(`${inst.id}-8000`, "/", { headers: withKey }),
      (r) => r.status === 200,
    );
    const other = await c.plane(`${inst.id}-8001`, "/", { headers: withKey });
    expect(other.status).toBe(502);
    expect(other.body).toEqual({ error: "container_unreachable" });
  });

  it("does not run for a template without a default port, unless told which port its image listens on", async () => {
    const inst = await c.create({ template: "portless" });
    expect((await adminRow(inst.id)).app).toBeNull();
    const r = await get(inst.id, "/");
    expect(r.status).toBe(502);
    expect(r.body).toEqual({ error: "container_unreachable" });

    // The docs route a port-less template's URL to 3737: an image listening there answers.
    await c.admin("POST", "/_emulator/apps", { template: "portless", port: 3737, listenAfterMs: 0 });
    const served = await get(inst.id, "/");
    expect(served.status).toBe(200);
    expect((await adminRow(inst.id)).app.port).toBe(3737);
  });

  it("follows the options' entry for its template: its own readiness path, status and timings", async () => {
    const inst = await c.create({ template: "api" });
    const ready = await c.until(
      () => get(inst.id, "/healthz"),
      (r) => r.status === 200,
    );
    expect(ready.text).toBe("ready\n");
    expect((await get(inst.id, "/ready")).status).toBe(404);
    const row = await adminRow(inst.id);
    expect(row.app).toMatchObject({ port: 9000, listeningAt: row.app.bootedAt, readyAt: row.app.bootedAt + 100 });
  });
});

describe("steering the app through /_emulator/apps", () => {
  it("neverReady: nothing ever listens, long after the boot would have ended; lifting it lets the app answer at once", async () => {
    const set = await c.admin("POST", "/_emulator/apps", { template: "web", neverReady: true });
    expect(set.status).toBe(200);
    expect(set.body.apps).toContainEqual({ template: "web", neverReady: true });
    const inst = await c.create({ template: "web" });
    const { bootedAt } = (await adminRow(inst.id)).app;
    await c.until(
      async () => ({ res: await get(inst.id, "/"), at: await lastPlaneAt(inst.id) }),
      ({ res, at }) => {
        expect(res.status).toBe(502);
        expect(res.body).toEqual({ error: "container_unreachable" });
        return at > bootedAt + 2 * BOOT_MS;
      },
    );
    expect((await adminRow(inst.id)).app).toMatchObject({ listeningAt: null, readyAt: null });

    const cleared = await c.admin("DELETE", "/_emulator/apps/web");
    expect(cleared.body.apps).toEqual([{ template: "api", readyPath: "/healthz", readyStatus: 200, listenAfterMs: 0, readyAfterMs: 100 }]);
    expect((await get(inst.id, "/ready")).status).toBe(204);
  });

  it("status: the app itself answers every request with it (not the edge's flat JSON form)", async () => {
    await c.admin("POST", "/_emulator/apps", { template: "web", status: 503, listenAfterMs: 0 });
    const inst = await c.create({ template: "web" });
    for (const path of ["/", "/ready", "/anything"]) {
      const r = await get(inst.id, path);
      expect(r.status).toBe(503);
      expect(r.headers["content-type"]).toMatch(/text\/plain/);
      expect(r.text).toBe("stand-in app: answering 503 as configured\n");
    }
    expect((await adminRow(inst.id)).app.readyAt).toBeNull();
  });

  it("keys entries by template and revision: a revision's entry wins, another revision's does not apply, a missing revision reads as 1", async () => {
    await c.admin("POST", "/_emulator/apps", { template: "web", status: 500, listenAfterMs: 0 });
    await c.admin("POST", "/_emulator/apps", { template: "web", revision: 2, neverReady: true });
    const inst = await c.create({ template: "web" });
    expect(inst.template_revision).toBe(1);
    expect((await get(inst.id, "/")).status).toBe(500);

    await c.admin("POST", "/_emulator/apps", { template: "web", revision: 1, status: 418, listenAfterMs: 0 });
    expect((await get(inst.id, "/")).status).toBe(418);
    const listed = await c.admin("GET", "/_emulator/apps");
    expect((listed.body.apps as Json[]).filter((a) => a.template === "web")).toHaveLength(3);

    expect((await c.admin("DELETE", "/_emulator/apps/web@1")).status).toBe(200);
    expect((await get(inst.id, "/")).status).toBe(500);
    expect((await c.admin("DELETE", "/_emulator/apps/web@1")).status).toBe(404);

    const registry = new AppRegistry([{ template: "web", revision: 2, neverReady: true }, { template: "web", status: 500 }]);
    const rec = (templateRevision: number | null) => ({ templateName: "web", templateRevision }) as InstanceRecord;
    expect(registry.forInstance(rec(2))).toEqual({ template: "web", revision: 2, neverReady: true });
    expect(registry.forInstance(rec(3))).toEqual({ template: "web", status: 500 });
    expect(registry.forInstance(rec(null))).toEqual({ template: "web", status: 500 });
    expect(registry.forInstance({ templateName: "api", templateRevision: 1 } as InstanceRecord)).toBeUndefined();
  });

  it("refuses an invalid entry with 400 naming the field, and a system template", async () => {
    const bad = await c.admin("POST", "/_emulator/apps", { template: "web", status: 99, extra: 1 });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain("`status` status must be 200..599");
    expect(bad.body.error.message).toContain("unknown field `extra`");
    const system = await c.admin("POST", "/_emulator/apps", { template: "agent37-hermes", neverReady: true });
    expect(system.status).toBe(400);
    expect(system.body.error.message).toContain("system templates run the gateway");
  });

  it("is cleared by DELETE and restored to the options' entries by a reset", async () => {
    await c.admin("POST", "/_emulator/apps", { template: "web", neverReady: true });
    expect((await c.admin("DELETE", "/_emulator/apps")).body.apps).toEqual([]);
    await c.admin("POST", "/_emulator/reset");
    expect((await c.admin("GET", "/_emulator/apps")).body.apps).toEqual([{ template: "api", readyPath: "/healthz", readyStatus: 200, listenAfterMs: 0, readyAfterMs: 100 }]);
  });
});

describe("2026-06", () => {
  let old: TestClient;
  beforeAll(async () => {
    old = await startTest({ api: "2026-06", keys: [KEY], bootMs: 60, workspaceTemplates: [{ name: "web", defaultPort: 8000 }] });
  });
  afterAll(() => old.close());

  it("lists a seeded template's port as its default port, and its URL serves the app", async () => {
    const inst = await old.create({ template: "web" });
    expect(inst.ports).toEqual([{ port: 8000, default: true, url: expect.stringContaining(inst.id) }]);
    const page = await old.until(
      () => old.plane(inst.id, "/", { headers: { authorization: `Bearer ${KEY}` } }),
      (r) => r.status === 200,
    );
    expect(page.text).toContain("<h1>web revision 1</h1>");
  });
});
