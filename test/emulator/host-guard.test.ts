/**
 * What a web page could do to an emulator on the developer's machine: DNS rebinding (the page's
 * own name resolves to 127.0.0.1, so the browser sends that name as Host and reads the answers),
 * cross-origin requests (Origin), and "simple" text/plain or form posts that skip CORS preflight.
 */
import { startEmulator } from "../../emulator";
import { FAST, TestClient, type Json } from "./helpers";

const KEY = "sk_live_hostGuardWorkspace000001";
let c: TestClient;
beforeAll(async () => {
  c = new TestClient(await startEmulator({ ...FAST, keys: [KEY] }));
});
afterAll(() => c.close());

const own = (): string => `127.0.0.1:${c.emu.port}`;
const instances = async (): Promise<Json[]> => (await c.admin("GET", "/_emulator/instances")).body.data;

describe("admin surface", () => {
  it.each(["attacker.example", `attacker.example:${4737}`, "10.0.0.5", "[fe80::1]:4737"])("refuses Host %s with 421 and does not act", async (host) => {
    await c.create({});
    const before = (await instances()).length;
    const r = await c.raw("POST", "/_emulator/reset", { headers: { host } });
    expect(r.status).toBe(421);
    expect(r.body.error.code).toBe("misdirected_request");
    expect((await instances()).length).toBe(before);
    const read = await c.raw("GET", "/_emulator/instances", { headers: { host } });
    expect(read.status).toBe(421);
    expect(read.text).not.toContain('"metadata"');
  });

  it("leaves /_emulator/ on an instance host to the instance plane (no admin there)", async () => {
    const inst = await c.create({});
    const r = await c.plane(inst.id, "/_emulator/reset", { method: "POST" });
    expect(r.status).toBe(401);
    expect((await instances()).some((i) => i.id === inst.id)).toBe(true);
  });

  it.each(["localhost", "LOCALHOST:4737", "127.0.0.1", "127.5.6.7:1", "[::1]:4737", "localhost."])("answers Host %s", async (host) => {
    const r = await c.raw("GET", "/_emulator/faults", { headers: { host } });
    expect(r.status).toBe(200);
  });

  it.each(["https://attacker.example", "null", "http://ab12cd34ef.localhost:4737", "http://127.0.0.1:1"])("refuses Origin %s with 403 and does not act", async (origin) => {
    const r = await c.raw("POST", "/_emulator/faults", { headers: { origin }, body: { faults: [{ path: "/v1/templates", kind: "status", status: 500 }] } });
    expect(r.status).toBe(403);
    expect(r.body.error.code).toBe("forbidden");
    expect((await c.admin("GET", "/_emulator/faults")).body.faults).toEqual([]);
  });

  it("answers its own origin", async () => {
    const r = await c.raw("GET", "/_emulator/faults", { headers: { origin: `http://${own()}` } });
    expect(r.status).toBe(200);
  });

  it.each(["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/jsonx"])("refuses a %s body with 415 and does not act", async (type) => {
    const r = await c.raw("POST", "/_emulator/faults", { headers: { "content-type": type }, body: JSON.stringify({ faults: [{ path: "/v1/templates", kind: "status", status: 500 }] }) });
    expect(r.status).toBe(415);
    expect(r.body.error.code).toBe("unsupported_media_type");
    expect((await c.admin("GET", "/_emulator/faults")).body.faults).toEqual([]);
  });

  it("refuses a text/plain reset with an empty body, and takes a bodiless reset without Content-Type", async () => {
    await c.create({});
    const refused = await c.raw("POST", "/_emulator/reset", { headers: { "content-type": "text/plain" } });
    expect(refused.status).toBe(415);
    expect((await instances()).length).toBeGreaterThan(0);
    const ok = await c.raw("POST", "/_emulator/reset");
    expect(ok.status).toBe(200);
    expect(await instances()).toEqual([]);
  });

  it("takes application/json with parameters", async () => {
    const r = await c.raw("POST", "/_emulator/faults", { headers: { "content-type": "Application/JSON; charset=utf-8" }, body: { faults: [] } });
    expect(r.status).toBe(200);
  });
});

describe("hosting API and instance plane on a loopback listener", () => {
  it("refuses the hosting API under a foreign Host, even with a valid key (exec would run commands here)", async () => {
    const inst = await c.create({ template: "sandbox" });
    const r = await c.raw("POST", `/v1/instances/${inst.id}/exec`, { headers: { host: "attacker.example:4737", authorization: `Bearer ${KEY}` }, body: { command: "echo pwned" } });
    expect(r.status).toBe(421);
    expect(r.body.error.code).toBe("misdirected_request");
    const list = await c.raw("GET", "/v1/instances", { headers: { host: "rebind.attacker.example", authorization: `Bearer ${KEY}` } });
    expect(list.status).toBe(421);
  });

  it("never routes a foreign name carrying an instance label to the instance, public ports included", async () => {
    const inst = await c.create({ public_ports: [{ port: 8644, prefix: "hook" }] });
    await c.until(() => c.plane(`hook-${inst.id}`, "/"), (r) => r.status === 200);
    for (const host of [`hook-${inst.id}.attacker.example`, `${inst.id}.localhost.attacker.example`]) {
      const r = await c.raw("GET", "/", { headers: { host, "x-agent37-key": KEY } });
      expect(r.status).toBe(421);
    }
  });

  it("serves the names of this machine: 127.0.0.1, localhost, [::1] and {label}.localhost", async () => {
    for (const host of [own(), `localhost:${c.emu.port}`, `[::1]:${c.emu.port}`]) {
      expect((await c.raw("GET", "/v1/instances", { headers: { host, authorization: `Bearer ${KEY}` } })).status).toBe(200);
    }
    const inst = await c.create({});
    expect((await c.plane(inst.id, "/health")).status).toBe(200);
  });
});

describe("hosting API on a non-loopback listener", () => {
  it("answers any Host (clients use this machine's own names; the key protects it) but keeps the admin surface on loopback names", async () => {
    const e = new TestClient(await startEmulator({ ...FAST, keys: [KEY], host: "0.0.0.0" }));
    try {
      const api = await e.raw("GET", "/v1/instances", { headers: { host: `emulator.ci.internal:${e.emu.port}`, authorization: `Bearer ${KEY}` } });
      expect(api.status).toBe(200);
      const admin = await e.raw("GET", "/_emulator/instances", { headers: { host: `emulator.ci.internal:${e.emu.port}` } });
      expect(admin.status).toBe(421);
    } finally {
      await e.close();
    }
  });
});
