import { createHash } from "node:crypto";
import { request } from "undici";
import { OTHER_KEY, startTest, type Json, type TestClient } from "./helpers";
import { DOCKERFILE, tarGz } from "./tar";

const KEY = "sk_live_templatesWorkspace000001";
const V1 = "ghcr.io/acme/my-agent:v1";
const V2 = "ghcr.io/acme/my-agent:v2";
const digest = (ref: string): string => `sha256:${createHash("sha256").update(ref).digest("hex")}`;

let c: TestClient;
beforeAll(async () => {
  c = await startTest({ keys: [KEY, OTHER_KEY], ingestMs: 20 });
});
afterAll(() => c.close());

/** A fresh template per test, so tests do not depend on each other's revisions. */
let n = 0;
async function register(extra: Record<string, unknown> = {}): Promise<Json> {
  const r = await c.api("POST", "/v1/templates", { name: `tpl-${++n}`, image_ref: V1, ...extra });
  if (r.status !== 201) throw new Error(`register failed: ${r.status} ${r.text}`);
  return r.body;
}

function expectError(r: { status: number; body: Json }, status: number, code: string, message?: RegExp): void {
  expect({ status: r.status, code: r.body?.error?.code }).toEqual({ status, code });
  expect(Object.keys(r.body.error).sort()).toEqual(["code", "message"]);
  if (message) expect(r.body.error.message).toMatch(message);
}

describe("POST /v1/templates", () => {
  it("registers a workspace template at revision 1 and lists it after the system catalog", async () => {
    const r = await c.api("POST", "/v1/templates", { name: "zz-agent", image_ref: V1, description: "My agent", default_port: 8000 });
    expect(r.status).toBe(201);
    expect(r.body).toEqual({
      name: "zz-agent",
      scope: "workspace",
      agents: [],
      revision: 1,
      image_ref: V1,
      image_digest: digest(V1),
      description: "My agent",
      default_port: 8000,
      created: expect.any(Number),
      updated: r.body.created,
      revisions: [{ revision: 1, image_digest: digest(V1), created: r.body.created }],
    });
    const list = await c.api("GET", "/v1/templates");
    const names = list.body.data.map((t: Json) => t.name);
    expect(names.slice(0, 3)).toEqual(["agent37-hermes", "agent37-hermes-small", "agent37-openclaw"]);
    expect(names.indexOf("zz-agent")).toBe(names.length - 1);
    expect(list.body.data.find((t: Json) => t.name === "zz-agent")).not.toHaveProperty("revisions");
  });

  it("defaults description and default_port to null", async () => {
    const t = await register();
    expect(t.description).toBeNull();
    expect(t.default_port).toBeNull();
  });

  it("refuses an existing name with 409 template_conflict", async () => {
    const t = await register();
    expectError(await c.api("POST", "/v1/templates", { name: t.name, image_ref: V2 }), 409, "template_conflict", new RegExp(t.name));
  });

  it("keeps workspaces apart: another workspace may use the same name, and cannot see this one", async () => {
    const t = await register();
    expect((await c.api("POST", "/v1/templates", { name: t.name, image_ref: V2 }, OTHER_KEY)).status).toBe(201);
    expect((await c.api("GET", `/v1/templates/${t.name}`, undefined, OTHER_KEY)).body.image_ref).toBe(V2);
    expect((await c.api("GET", `/v1/templates/${t.name}`)).body.image_ref).toBe(V1);
    expect((await c.api("DELETE", `/v1/templates/${t.name}`, undefined, OTHER_KEY)).status).toBe(200);
    expect((await c.api("GET", `/v1/templates/${t.name}`)).status).toBe(200);
    expectError(await c.api("GET", `/v1/templates/${t.name}`, undefined, OTHER_KEY), 404, "not_found");
  });

  it.each([
    ["no name", { image_ref: V1 }, /`name` is required/],
    ["no image_ref", { name: "ok-name" }, /`image_ref` is required/],
    ["a bad name", { name: "Bad_Name", image_ref: V1 }, /`name` "Bad_Name" must match/],
    ["a one-letter name", { name: "a", image_ref: V1 }, /must match/],
    ["the reserved agent37- prefix", { name: "agent37-mine", image_ref: V1 }, /agent37- prefix is reserved/],
    ["a system template's name", { name: "agent37-hermes", image_ref: V1 }, /reserved/],
    ["an image reference without a registry", { name: "ok-name", image_ref: "acme/agent:v1" }, /fully qualified/],
    ["an image reference without a tag or digest", { name: "ok-name", image_ref: "ghcr.io/acme/agent" }, /fully qualified/],
    ["an image reference over 255 characters", { name: "ok-name", image_ref: `ghcr.io/acme/${"a".repeat(250)}:v1` }, /at most 255/],
    ["a reserved default_port", { name: "ok-name", image_ref: V1, default_port: 8080 }, /`default_port` 8080 is reserved/],
    ["a default_port out of range", { name: "ok-name", image_ref: V1, default_port: 70000 }, /`default_port` must be an integer 1..65535/],
    ["the legacy ports array", { name: "ok-name", image_ref: V1, ports: [{ port: 8000, default: true }] }, /legacy `ports` array/],
    ["an unknown field", { name: "ok-name", image_ref: V1, tags: ["x"] }, /unknown field `tags`/],
  ])("refuses %s with 400 invalid_request", async (_label, body, message) => {
    expectError(await c.api("POST", "/v1/templates", body), 400, "invalid_request", message);
    expect((await c.api("GET", "/v1/templates/ok-name")).status).toBe(404);
  });

  it("lets one of two concurrent creates of a name win while the image is copied", async () => {
    const slow = await startTest({ keys: [KEY], ingestMs: 150 });
    try {
      const body = { name: "raced", image_ref: V1 };
      const [a, b] = await Promise.all([slow.api("POST", "/v1/templates", body), slow.api("POST", "/v1/templates", body)]);
      expect([a.status, b.status].sort()).toEqual([201, 409]);
      expect((a.status === 409 ? a : b).body.error.code).toBe("template_conflict");
      expect((await slow.api("GET", "/v1/templates")).body.data.filter((t: Json) => t.name === "raced")).toHaveLength(1);
    } finally {
      await slow.close();
    }
  });

  it("accepts a digest-pinned image reference", async () => {
    const ref = `ghcr.io/acme/agent@sha256:${"a".repeat(64)}`;
    expect((await register({ image_ref: ref })).image_ref).toBe(ref);
  });
});

describe("PATCH /v1/templates/{name}", () => {
  it("bumps the revision when image_ref changes, and keeps every revision", async () => {
    const t = await register();
    const r = await c.api("PATCH", `/v1/templates/${t.name}`, { image_ref: V2 });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ revision: 2, image_ref: V2, image_digest: digest(V2) });
    expect(r.body.revisions.map((v: Json) => [v.revision, v.image_digest])).toEqual([
      [2, digest(V2)],
      [1, digest(V1)],
    ]);
  });

  it.each([
    ["the identical image_ref", { image_ref: V1 }],
    ["a description", { description: "new words" }],
    ["a port", { default_port: 9000 }],
    ["a port reset to null", { default_port: null }],
  ])("keeps the revision for %s", async (_label, body) => {
    const t = await register({ default_port: 8000 });
    const r = await c.api("PATCH", `/v1/templates/${t.name}`, body);
    expect(r.status).toBe(200);
    expect(r.body.revision).toBe(1);
    expect(r.body.revisions).toHaveLength(1);
    for (const [k, v] of Object.entries(body)) expect(r.body[k]).toEqual(v);
  });

  it("renames without a new revision; the old name is gone and instances follow", async () => {
    const t = await register({ default_port: 8000 });
    const inst = await c.create({ template: `${t.name}@1` });
    const r = await c.api("PATCH", `/v1/templates/${t.name}`, { name: `${t.name}-renamed` });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ name: `${t.name}-renamed`, revision: 1 });
    expect((await c.api("GET", `/v1/templates/${t.name}`)).status).toBe(404);
    const after = await c.api("GET", `/v1/instances/${inst.id}`);
    expect(after.body).toMatchObject({ template: `${t.name}-renamed@1`, template_revision: 1 });
    await c.api("DELETE", `/v1/instances/${inst.id}`);
  });

  it("refuses a rename onto an existing name with 409 template_conflict", async () => {
    const a = await register();
    const b = await register();
    expectError(await c.api("PATCH", `/v1/templates/${a.name}`, { name: b.name }), 409, "template_conflict");
    expectError(await c.api("PATCH", `/v1/templates/${a.name}`, { name: "agent37-x" }), 400, "invalid_request", /reserved/);
  });

  it("refuses a system template with 403 forbidden", async () => {
    expectError(await c.api("PATCH", "/v1/templates/agent37-hermes", { description: "mine" }), 403, "forbidden", /system template/);
  });

  it("refuses an empty body, and answers 404 for unknown or foreign names", async () => {
    const t = await register();
    expectError(await c.api("PATCH", `/v1/templates/${t.name}`, {}), 400, "invalid_request", /at least one of/);
    expectError(await c.api("PATCH", "/v1/templates/no-such-template", { description: "x" }), 404, "not_found");
    expectError(await c.api("PATCH", `/v1/templates/${t.name}`, { description: "x" }, OTHER_KEY), 404, "not_found");
  });
});

describe("DELETE /v1/templates/{name}", () => {
  it("acts once; instances made from it keep running", async () => {
    const t = await register({ default_port: 8000 });
    const inst = await c.create({ template: t.name });
    const r = await c.api("DELETE", `/v1/templates/${t.name}`);
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ name: t.name, deleted: true });
    expectError(await c.api("DELETE", `/v1/templates/${t.name}`), 404, "not_found");
    expect((await c.api("GET", `/v1/templates/${t.name}`)).status).toBe(404);
    const still = await c.api("GET", `/v1/instances/${inst.id}`);
    expect(still.body).toMatchObject({ status: "running", template: t.name, template_revision: 1, image_ref: V1 });
    // A new instance can no longer be made from it.
    expectError(await c.api("POST", "/v1/instances", { template: t.name }), 400, "invalid_request");
    await c.api("DELETE", `/v1/instances/${inst.id}`);
  });

  it("refuses a system template with 403 forbidden", async () => {
    expectError(await c.api("DELETE", "/v1/templates/agent37-openclaw"), 403, "forbidden");
    expect((await c.api("GET", "/v1/templates/agent37-openclaw")).status).toBe(200);
  });
});

describe("pins", () => {
  let name: string;
  beforeAll(async () => {
    name = (await register({ default_port: 8000 })).name;
    await c.api("PATCH", `/v1/templates/${name}`, { image_ref: V2 });
  });

  it("GET name@revision returns that revision's image", async () => {
    const r = await c.api("GET", `/v1/templates/${name}@1`);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ name, revision: 1, image_ref: V1, image_digest: digest(V1) });
    expect((await c.api("GET", `/v1/templates/${name}@2`)).body).toMatchObject({ revision: 2, image_ref: V2 });
  });

  it("GET name@tag returns a system template's tagged image", async () => {
    const r = await c.api("GET", "/v1/templates/agent37-hermes@2026.06.18");
    expect(r.body).toMatchObject({ name: "agent37-hermes", revision: null, image_ref: "ghcr.io/agent37-platform/hermes:2026.06.18" });
  });

  it.each(["3", "latest", "0", "2026.06.18"])("answers 404 for the unpublished version @%s", async (version) => {
    expectError(await c.api("GET", `/v1/templates/${name}@${version}`), 404, "not_found");
  });

  it("creates an instance on a pinned revision, and on the current one without a pin", async () => {
    const pinned = await c.create({ template: `${name}@1` });
    expect(pinned).toMatchObject({ template: `${name}@1`, template_revision: 1, image_ref: V1, image_digest: digest(V1) });
    const current = await c.create({ template: name });
    expect(current).toMatchObject({ template: name, template_revision: 2, image_ref: V2, image_digest: digest(V2) });
    for (const i of [pinned, current]) await c.api("DELETE", `/v1/instances/${i.id}`);
  });

  it.each([`@3`, `@latest`])("refuses a create pinned to %s with 400 invalid_request", async (pin) => {
    expectError(await c.api("POST", "/v1/instances", { template: `${name}${pin}` }), 400, "invalid_request", /not published/);
  });

  it("moves an instance between revisions with update, and a bare name clears the pin", async () => {
    const inst = await c.create({ template: `${name}@1` });
    const moved = await c.api("POST", `/v1/instances/${inst.id}/update`, { template: `${name}@2` });
    expect(moved.status).toBe(200);
    expect(moved.body).toEqual({ id: inst.id, status: "running", template: `${name}@2`, image_ref: V2, image_digest: digest(V2), template_revision: 2 });
    // No body: a pinned instance stays on its pin, even when the template moves on.
    await c.api("PATCH", `/v1/templates/${name}`, { image_ref: "ghcr.io/acme/my-agent:v3" });
    const stay = await c.api("POST", `/v1/instances/${inst.id}/update`);
    expect(stay.body).toMatchObject({ template_revision: 2, image_ref: V2 });
    expect(stay.body).not.toHaveProperty("template");
    const unpinned = await c.api("POST", `/v1/instances/${inst.id}/update`, { template: name });
    expect(unpinned.body).toMatchObject({ template: name, template_revision: 3, image_ref: "ghcr.io/acme/my-agent:v3" });
    const back = await c.api("POST", `/v1/instances/${inst.id}/update`, { template: `${name}@1` });
    expect(back.body).toMatchObject({ template: `${name}@1`, template_revision: 1, image_ref: V1 });
    expect((await c.api("GET", `/v1/instances/${inst.id}`)).body).toMatchObject({ template: `${name}@1`, template_revision: 1 });
    expectError(await c.api("POST", `/v1/instances/${inst.id}/update`, { template: `${name}@9` }), 400, "invalid_request");
    await c.api("DELETE", `/v1/instances/${inst.id}`);
  });

  it("gives an unpinned instance the template's current revision on update without a body", async () => {
    const t = await register();
    const inst = await c.create({ template: t.name });
    expect(inst.template_revision).toBe(1);
    await c.api("PATCH", `/v1/templates/${t.name}`, { image_ref: V2 });
    expect((await c.api("GET", `/v1/instances/${inst.id}`)).body.template_revision).toBe(1);
    const r = await c.api("POST", `/v1/instances/${inst.id}/update`);
    expect(r.body).toMatchObject({ template_revision: 2, image_ref: V2 });
    await c.api("DELETE", `/v1/instances/${inst.id}`);
  });
});

describe("API 2026-06", () => {
  let b: TestClient;
  beforeAll(async () => {
    b = await startTest({ keys: [KEY], api: "2026-06", ingestMs: 0, buildMs: 20 });
  });
  afterAll(() => b.close());

  it("declares ports with the ports array", async () => {
    const r = await b.api("POST", "/v1/templates", { name: "gen-b", image_ref: V1, ports: [{ port: 8000, default: true }, { port: 8001 }] });
    expect(r.status).toBe(201);
    expect(r.body.ports).toEqual([
      { port: 8000, default: true },
      { port: 8001, default: false },
    ]);
    expect(r.body).not.toHaveProperty("default_port");
  });

  it("takes the ports array on builds too", async () => {
    const archive = tarGz([{ name: "Dockerfile", body: DOCKERFILE }]);
    const created = await b.api("POST", "/v1/template-builds", { name: "gen-b-built", size_bytes: archive.length, ports: [{ port: 8000, default: true }] });
    expect(created.status).toBe(201);
    const up = await request(created.body.upload_url, { method: "PUT", body: archive });
    await up.body.text();
    expect((await b.api("POST", `/v1/template-builds/${created.body.id}/start`)).status).toBe(200);
    const done = await b.until(
      () => b.api("GET", `/v1/template-builds/${created.body.id}`),
      (r) => r.body.status === "succeeded",
    );
    expect(done.body.template).toMatchObject({ revision: 1, ports: [{ port: 8000, default: true }] });
    expect((await b.api("POST", "/v1/template-builds", { name: "gen-b-x", size_bytes: 10, default_port: 8000 })).status).toBe(400);
  });

  it.each([
    ["default_port", { default_port: 8000 }, /`default_port`/],
    ["a reserved port", { ports: [{ port: 3737 }] }, /`ports\[0\].port` 3737 is reserved/],
    ["a duplicate port", { ports: [{ port: 8000 }, { port: 8000 }] }, /twice/],
    ["two defaults", { ports: [{ port: 8000, default: true }, { port: 8001, default: true }] }, /at most one port as default/],
  ])("refuses %s", async (_label, extra, message) => {
    expectError(await b.api("POST", "/v1/templates", { name: "gen-b-bad", image_ref: V1, ...extra }), 400, "invalid_request", message);
  });
});

describe("the stand-in app, keyed by template_revision", () => {
  it("lets a test make one revision never turn healthy while the previous one serves", async () => {
    const t = await register({ default_port: 8000 });
    await c.api("PATCH", `/v1/templates/${t.name}`, { image_ref: V2 });
    expect((await c.admin("POST", "/_emulator/apps", { template: t.name, revision: 2, neverReady: true })).status).toBe(200);
    const old = await c.create({ template: `${t.name}@1` });
    const moved = await c.create({ template: `${t.name}@1` });
    await c.api("POST", `/v1/instances/${moved.id}/update`, { template: `${t.name}@2` });
    const page = (id: string): Promise<{ status: number; body: Json }> => c.plane(id, "/", { headers: { "x-agent37-key": KEY } });
    // Revision 1 comes up; revision 2 never listens, however long one waits.
    await c.until(() => page(old.id), (r) => r.status === 200);
    const ready = await c.until(() => c.admin("GET", "/_emulator/instances"), (r) => r.body.data.find((i: Json) => i.id === old.id)?.app?.readyAt !== null);
    const row = (id: string): Json => ready.body.data.find((i: Json) => i.id === id);
    expect(row(moved.id)).toMatchObject({ template_revision: 2, app: { readyAt: null, listeningAt: null } });
    const stuck = await page(moved.id);
    expect(stuck.status).toBe(502);
    expect(stuck.body).toEqual({ error: "container_unreachable" });
    await c.admin("DELETE", `/_emulator/apps/${t.name}@2`);
    for (const i of [old, moved]) await c.api("DELETE", `/v1/instances/${i.id}`);
  });
});
