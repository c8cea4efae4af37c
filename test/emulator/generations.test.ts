import { startTest, type Json, type TestClient } from "./helpers";

const KEY = "sk_live_genbWorkspace000000000001";

describe("API 2026-06 (Gen B)", () => {
  let c: TestClient;
  let inst: Json;
  beforeAll(async () => {
    c = await startTest({ keys: [KEY], api: "2026-06", bootMs: 40 });
    inst = await c.create({});
  });
  afterAll(() => c.close());

  it("renders the Gen-B instance object: ports array, paid_through, no Gen-C fields", async () => {
    expect(Object.keys(inst).sort()).toEqual(["created", "id", "image_ref", "metadata", "name", "paid_through", "past_due", "ports", "resources", "status", "template", "user"].sort());
    expect(c.emu.api).toBe("2026-06");
  });

  it("gives agent37-hermes 3737 as the default on the bare URL and 9119, 6969 on opaque 24-char handle hosts", () => {
    const [def, dash, mc] = inst.ports as Json[];
    expect(def).toEqual({ port: 3737, default: true, url: `http://${inst.id}.localhost:${c.emu.port}` });
    for (const [entry, port] of [[dash, 9119], [mc, 6969]] as const) {
      expect(entry).toMatchObject({ port, default: false });
      expect(entry.url).toMatch(new RegExp(`^http://[a-z0-9]{24}\\.localhost:${c.emu.port}$`));
    }
  });

  it("gives a port-less template an empty ports array", async () => {
    const sandbox = await c.create({ template: "sandbox" });
    expect(sandbox.ports).toEqual([]);
  });

  it("routes a handle host to its port, authenticated with Bearer", async () => {
    const label = new URL(inst.ports[1].url).hostname.split(".")[0] ?? "";
    const r = await c.plane(label, "/", { headers: { authorization: `Bearer ${KEY}` } });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ port: 9119, instance: inst.id });
  });

  it("authenticates instance URLs with Authorization: Bearer", async () => {
    await c.until(() => c.plane(inst.id, "/v1/health", { headers: { authorization: `Bearer ${KEY}` } }), (r) => r.body?.healthy === true);
  });

  it("does not know X-Agent37-Key (added in a later generation): 401", async () => {
    const r = await c.plane(inst.id, "/v1/health", { headers: { "x-agent37-key": KEY } });
    expect(r.status).toBe(401);
  });

  it("has no {id}-{port} preview hosts", async () => {
    const r = await c.plane(`${inst.id}-9119`, "/", { headers: { authorization: `Bearer ${KEY}` } });
    expect(r.status).toBe(404);
  });

  it("renders templates with a ports array instead of default_port", async () => {
    const r = await c.api("GET", "/v1/templates/agent37-hermes");
    expect(r.body.ports).toEqual([
      { port: 3737, default: true },
      { port: 9119, default: false },
      { port: 6969, default: false },
    ]);
    expect(r.body).not.toHaveProperty("default_port");
  });
});

describe("API 2026-08 (Gen C)", () => {
  let c: TestClient;
  beforeAll(async () => {
    c = await startTest({ keys: [KEY] });
  });
  afterAll(() => c.close());

  it("renders the Gen-C instance object without a ports array", async () => {
    const inst = await c.create({});
    for (const field of ["status_reason", "image_digest", "template_revision", "public_ports", "domain_urls", "auto_sleep", "idle_timeout_seconds", "past_due", "created", "url"]) {
      expect(inst).toHaveProperty(field);
    }
    expect(inst).not.toHaveProperty("ports");
    expect(inst).not.toHaveProperty("paid_through");
    expect(c.emu.api).toBe("2026-08");
  });

  it("renders the sandbox template as port-less: default_port null, no agents", async () => {
    const r = await c.api("GET", "/v1/templates/sandbox");
    expect(r.body).toMatchObject({ name: "sandbox", scope: "workspace", default_port: null, agents: [], revision: 1 });
  });
});
