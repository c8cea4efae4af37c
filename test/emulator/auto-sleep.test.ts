import * as fs from "node:fs";
import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { startEmulator } from "../../emulator";
import { parseCli } from "../../emulator/cli";
import { FAST, OTHER_KEY, startTest, TestClient, type Json, type Res } from "./helpers";

/**
 * Auto-sleep with `idleScale: 0.001`: an `idle_timeout_seconds` of N
 * lasts N ms. Tests wait on observed state (bounded polls), never on a sleep.
 */

const KEY = "sk_live_sleepWorkspace0000000001";
const SCALE = 0.001;
const BOOT_MS = 150;

let c: TestClient;
beforeAll(async () => {
  c = await startTest({ keys: [KEY, OTHER_KEY], idleScale: SCALE, bootMs: BOOT_MS });
});
afterAll(() => c.close());

const get = async (id: string): Promise<Json> => (await c.api("GET", `/v1/instances/${id}`)).body;
const post = (id: string, action: string, body?: unknown): Promise<Res> => c.api("POST", `/v1/instances/${id}/${action}`, body);
const hit = (label: string, p = "/v1/health", init: { method?: string; body?: unknown } = {}): Promise<Res> =>
  c.plane(label, p, { ...init, headers: { "x-agent37-key": KEY } });
const untilStatus = (id: string, status: string, timeoutMs = 5000): Promise<Json> => c.until(() => get(id), (i) => i.status === status, timeoutMs);

/**
 * An instance that has fallen asleep. Its 250 ms idle timeout leaves a test that long after a
 * wake to observe `running` before the instance may sleep again.
 */
async function sleeper(extra: object = {}): Promise<Json> {
  const inst = await c.create({ auto_sleep: true, idle_timeout_seconds: 250, ...extra });
  await untilStatus(inst.id, "sleeping");
  return inst;
}

async function adminRow(id: string): Promise<Json> {
  const r = await c.admin("GET", "/_emulator/instances");
  return (r.body.data as Json[]).find((row) => row.id === id);
}

describe("falling asleep", () => {
  it("goes to sleep once its scaled idle timeout passes without traffic", async () => {
    const before = Date.now();
    const inst = await c.create({ auto_sleep: true, idle_timeout_seconds: 600 });
    expect(inst.status).toBe("running");
    const slept = await untilStatus(inst.id, "sleeping");
    // 600 s scaled by 0.001 = 600 ms, counted from when the instance reached running.
    expect(Date.now() - before).toBeGreaterThanOrEqual(590);
    expect(slept.slept_at).toEqual(expect.any(Number));
    const row = await adminRow(inst.id);
    expect(row).toMatchObject({ status: "sleeping", healthyAt: null });
  });

  it("stays running while requests keep reaching its URLs, and sleeps once they stop", async () => {
    const inst = await c.create({ auto_sleep: true, idle_timeout_seconds: 600 });
    const end = Date.now() + 1800; // three idle timeouts of back-to-back traffic
    let requests = 0;
    while (Date.now() < end) {
      await hit(inst.id, "/v1/version");
      requests += 1;
      expect((await get(inst.id)).status).toBe("running");
    }
    expect(requests).toBeGreaterThan(4);
    await untilStatus(inst.id, "sleeping");
  });

  it("counts requests to a non-default port URL as traffic", async () => {
    const inst = await c.create({ auto_sleep: true, idle_timeout_seconds: 600 });
    const end = Date.now() + 1800;
    while (Date.now() < end) {
      expect((await hit(`${inst.id}-9119`, "/")).status).toBe(200);
      expect((await get(inst.id)).status).toBe("running");
    }
  });

  it("is not kept awake by hosting-API reads", async () => {
    const before = Date.now();
    const inst = await c.create({ auto_sleep: true, idle_timeout_seconds: 300 });
    // Back-to-back reads of every kind; the instance sleeps all the same.
    const slept = await c.until(
      async () => {
        await c.api("GET", "/v1/instances");
        await c.api("GET", `/v1/instances/${inst.id}/logs`);
        await c.api("GET", `/v1/instances/${inst.id}/public-ports`);
        return get(inst.id);
      },
      (i) => i.status === "sleeping",
    );
    expect(slept.status).toBe("sleeping");
    expect(Date.now() - before).toBeGreaterThanOrEqual(290);
  });

  it("is not kept awake by the edge's /health, which does not wake it either", async () => {
    const inst = await c.create({ auto_sleep: true, idle_timeout_seconds: 300 });
    const slept = await c.until(
      async () => {
        expect((await c.plane(inst.id, "/health")).status).toBe(200);
        return get(inst.id);
      },
      (i) => i.status === "sleeping",
    );
    expect(slept.status).toBe("sleeping");
    expect(await c.plane(inst.id, "/health")).toMatchObject({ status: 200, body: { ok: true } });
    expect((await get(inst.id)).status).toBe("sleeping");
  });

  it("never sleeps with auto_sleep false", async () => {
    const awake = await c.create({ auto_sleep: false, idle_timeout_seconds: 60 });
    // Created after `awake` with the same timeout: once it sleeps, `awake` has been idle longer.
    const witness = await sleeper();
    expect((await get(witness.id)).status).toBe("sleeping");
    expect((await get(awake.id)).status).toBe("running");
  });

  it("applies a PATCHed idle_timeout_seconds to the running instance", async () => {
    const inst = await c.create({ auto_sleep: true, idle_timeout_seconds: 86_400 });
    const patched = await c.api("PATCH", `/v1/instances/${inst.id}`, { idle_timeout_seconds: 60 });
    expect(patched.status).toBe(200);
    await untilStatus(inst.id, "sleeping");
  });

  it("keeps validating idle_timeout_seconds against the documented 60..86400, whatever the scale", async () => {
    const low = await c.api("POST", "/v1/instances", { auto_sleep: true, idle_timeout_seconds: 59 });
    expect(low.status).toBe(400);
    expect(low.body.error.code).toBe("invalid_request");
    const inst = await c.create({});
    const high = await c.api("PATCH", `/v1/instances/${inst.id}`, { idle_timeout_seconds: 86_401 });
    expect(high.status).toBe(400);
  });
});

describe("slept_at", () => {
  it("is absent while running, an epoch-seconds integer while sleeping, and absent again once woken", async () => {
    const inst = await c.create({ auto_sleep: true, idle_timeout_seconds: 250 });
    expect(inst).not.toHaveProperty("slept_at");
    const slept = await untilStatus(inst.id, "sleeping");
    expect(Number.isInteger(slept.slept_at)).toBe(true);
    expect(slept.slept_at).toBeGreaterThanOrEqual(inst.created);
    expect(slept.slept_at).toBeLessThanOrEqual(Math.ceil(Date.now() / 1000));
    const listed = (await c.api("GET", "/v1/instances")).body.data.find((i: Json) => i.id === inst.id);
    expect(listed).toMatchObject({ status: "sleeping", slept_at: slept.slept_at });
    expect((await hit(inst.id)).status).toBe(200);
    expect(await get(inst.id)).not.toHaveProperty("slept_at");
  });
});

describe("waking by a request to an instance URL", () => {
  it("wakes on the default URL: the held request is answered by the rebooted gateway", async () => {
    const inst = await sleeper();
    const r = await hit(inst.id);
    expect(r.status).toBe(200);
    // Held until the gateway is up again, then forwarded: it sees a healthy gateway.
    expect(r.body).toMatchObject({ ok: true, healthy: true });
    const now = await get(inst.id);
    expect(now.status).toBe("running");
    expect(now).not.toHaveProperty("slept_at");
  });

  it("forwards a held agent request after the wake (POST /v1/responses answers 200)", async () => {
    const inst = await sleeper();
    const r = await hit(inst.id, "/v1/responses", { method: "POST", body: { input: "good morning" } });
    expect(r.status).toBe(200);
    expect(r.body.output_text).toBe("Echo: good morning");
  });

  it("holds every request that arrives during the wake and answers each", async () => {
    const inst = await sleeper();
    const answers = await Promise.all([hit(inst.id), hit(inst.id), hit(`${inst.id}-9119`, "/x")]);
    expect(answers.map((r) => r.status)).toEqual([200, 200, 200]);
    expect(answers[0]?.body.healthy).toBe(true);
    expect((await get(inst.id)).status).toBe("running");
  });

  it("wakes on an {id}-{port} URL", async () => {
    const inst = await sleeper();
    const r = await hit(`${inst.id}-9119`, "/dashboard");
    expect(r).toMatchObject({ status: 200, body: { port: 9119, instance: inst.id } });
    expect((await get(inst.id)).status).toBe("running");
  });

  it("wakes on a public-port URL (slug and prefix hosts), without authentication", async () => {
    const inst = await sleeper({ public_ports: [{ port: 6969 }, { port: 8644, prefix: "hooks" }] });
    const [slug, prefixed] = inst.public_ports as Json[];
    const r = await c.raw("GET", "/", { headers: { host: new URL(slug.url).host } });
    expect(r).toMatchObject({ status: 200, body: { port: 6969 } });
    expect((await get(inst.id)).status).toBe("running");

    await untilStatus(inst.id, "sleeping");
    const p = await c.raw("GET", "/", { headers: { host: new URL(prefixed.url).host } });
    expect(p).toMatchObject({ status: 200, body: { port: 8644 } });
    expect((await get(inst.id)).status).toBe("running");
  });

  it("reboots the gateway on wake: healthyAt follows bootMs from the wake", async () => {
    const inst = await sleeper();
    const before = Date.now();
    expect((await hit(inst.id)).status).toBe(200);
    const row = await adminRow(inst.id);
    expect(row.status).toBe("running");
    expect(row.healthyAt).toBeGreaterThanOrEqual(before + BOOT_MS - 10);
  });

  it("is not woken by requests the edge refuses (no key: 401; another workspace's key: 404)", async () => {
    const inst = await sleeper();
    expect((await c.plane(inst.id, "/v1/health")).status).toBe(401);
    expect((await c.plane(inst.id, "/v1/health", { headers: { "x-agent37-key": OTHER_KEY } })).status).toBe(404);
    expect((await get(inst.id)).status).toBe("sleeping");
  });

  it("wakes on a WebSocket upgrade, which is then refused as always (502)", async () => {
    const inst = await sleeper();
    const raw = await new Promise<string>((resolve, reject) => {
      const socket = net.connect(c.emu.port, "127.0.0.1");
      let data = "";
      socket.on("data", (d) => (data += d.toString()));
      socket.on("close", () => resolve(data));
      socket.on("error", reject);
      socket.write(
        `GET /ws HTTP/1.1\r\nHost: ${inst.id}.localhost:${c.emu.port}\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nX-Agent37-Key: ${KEY}\r\n\r\n`,
      );
    });
    expect(raw).toMatch(/^HTTP\/1\.1 502 /);
    expect(raw).toContain("container_unreachable");
    expect((await get(inst.id)).status).toBe("running");
  });

  it("does not wake a port-less sandbox (start is its only wake path)", async () => {
    const inst = await sleeper({ template: "sandbox" });
    const r = await hit(inst.id);
    expect(r.status).toBe(502);
    expect((await get(inst.id)).status).toBe("sleeping");
    expect((await post(inst.id, "start")).body).toEqual({ id: inst.id, status: "running" });
  });

  it("falls asleep again after the next idle period", async () => {
    const inst = await sleeper();
    expect((await hit(inst.id)).status).toBe(200);
    const again = await untilStatus(inst.id, "sleeping");
    expect(again.slept_at).toEqual(expect.any(Number));
  });
});

describe("lifecycle calls on a sleeping instance", () => {
  it("start wakes it at once (fast path, no waking status): ack running, gateway reboots", async () => {
    const inst = await sleeper();
    const before = Date.now();
    const r = await post(inst.id, "start");
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ id: inst.id, status: "running" });
    const now = await get(inst.id);
    expect(now.status).toBe("running");
    expect(now).not.toHaveProperty("slept_at");
    // Keep it awake to watch the boot finish.
    await c.api("PATCH", `/v1/instances/${inst.id}`, { auto_sleep: false });
    const row = await c.until(() => adminRow(inst.id), (x) => x.healthyAt !== null);
    expect(row.healthyAt).toBeGreaterThanOrEqual(before + BOOT_MS - 10);
  });

  it("stop moves it to stopped, after which its URLs no longer wake it", async () => {
    const inst = await sleeper();
    const r = await post(inst.id, "stop");
    expect(r.body).toEqual({ id: inst.id, status: "stopped" });
    const stopped = await get(inst.id);
    expect(stopped.status).toBe("stopped");
    expect(stopped).not.toHaveProperty("slept_at");
    const plane = await hit(inst.id);
    expect(plane.status).toBe(502);
    expect(plane.body.error).toBe("container_unavailable");
    expect((await get(inst.id)).status).toBe("stopped");
  });

  it.each([
    ["restart", undefined],
    ["update", {}],
    ["resize", { disk: 10 }],
    ["exec", { command: "true" }],
  ])("%s answers 400 invalid_request naming the sleeping state, and it stays asleep", async (action, body) => {
    const inst = await sleeper();
    const r = await post(inst.id, action, body);
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe("invalid_request");
    expect(r.body.error.message).toContain("sleeping");
    expect((await get(inst.id)).status).toBe("sleeping");
  });

  it("PATCH auto_sleep false leaves it asleep until woken; then it stays awake", async () => {
    const inst = await sleeper();
    const patched = await c.api("PATCH", `/v1/instances/${inst.id}`, { auto_sleep: false });
    expect(patched.body).toMatchObject({ status: "sleeping", auto_sleep: false, slept_at: expect.any(Number) });
    expect((await hit(inst.id)).status).toBe(200);
    const witness = await sleeper();
    expect((await get(witness.id)).status).toBe("sleeping");
    expect((await get(inst.id)).status).toBe("running");
  });

  it("delete works on a sleeping instance", async () => {
    const inst = await sleeper();
    expect((await c.api("DELETE", `/v1/instances/${inst.id}`)).body).toEqual({ id: inst.id, deleted: true });
    await c.until(() => c.api("GET", `/v1/instances/${inst.id}`), (r) => r.status === 404);
  });
});

describe("auto-sleep in the 2026-06 generation", () => {
  const GENB = "sk_live_sleepGenB00000000000001";
  let b: TestClient;
  beforeAll(async () => {
    b = await startTest({ keys: [GENB], api: "2026-06", idleScale: SCALE, bootMs: 60 });
  });
  afterAll(() => b.close());

  it("shows sleeping (Gen B objects carry no slept_at) and wakes on an opaque handle host", async () => {
    const inst = await b.create({ auto_sleep: true, idle_timeout_seconds: 250 });
    const get2 = async (): Promise<Json> => (await b.api("GET", `/v1/instances/${inst.id}`, undefined, GENB)).body;
    const slept = await b.until(get2, (i) => i.status === "sleeping");
    expect(slept).not.toHaveProperty("slept_at");
    const handle = new URL(inst.ports[1].url).hostname.split(".")[0] ?? "";
    const r = await b.plane(handle, "/", { headers: { authorization: `Bearer ${GENB}` } });
    expect(r).toMatchObject({ status: 200, body: { port: 9119, instance: inst.id } });
    expect((await get2()).status).toBe("running");
  });
});

describe("state file", () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "agent37-sleep-state-"));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("keeps a sleeping instance sleeping (same slept_at) across a restart, and a request still wakes it", async () => {
    const statePath = path.join(dir, "state.json");
    const first = new TestClient(await startEmulator({ ...FAST, keys: [KEY], statePath, idleScale: SCALE }));
    const inst = await first.create({ auto_sleep: true, idle_timeout_seconds: 250 });
    const slept = await first.until(async () => (await first.api("GET", `/v1/instances/${inst.id}`)).body, (i) => i.status === "sleeping");
    await first.close();

    const second = new TestClient(await startEmulator({ ...FAST, keys: [KEY], statePath, idleScale: SCALE }));
    try {
      const reloaded = (await second.api("GET", `/v1/instances/${inst.id}`)).body;
      expect(reloaded).toMatchObject({ status: "sleeping", slept_at: slept.slept_at });
      const r = await second.plane(inst.id, "/v1/health", { headers: { "x-agent37-key": KEY } });
      expect(r.status).toBe(200);
      expect((await second.api("GET", `/v1/instances/${inst.id}`)).body.status).toBe("running");
    } finally {
      await second.close();
    }
  });
});

describe("idleScale option", () => {
  it("rejects a scale that is not a positive number", async () => {
    await expect(startEmulator({ ...FAST, idleScale: 0 })).rejects.toThrow(/idleScale/);
    await expect(startEmulator({ ...FAST, idleScale: -1 })).rejects.toThrow(/idleScale/);
  });

  it("is set from the CLI with --idle-scale", () => {
    expect(parseCli(["--idle-scale", "0.001"])).toMatchObject({ idleScale: 0.001 });
    expect(() => parseCli(["--idle-scale", "0"])).toThrow(/--idle-scale/);
  });

  it("defaults to 1: a 60 s timeout does not elapse within a test", async () => {
    const d = await startTest({ keys: [KEY] });
    try {
      const inst = await d.create({ auto_sleep: true, idle_timeout_seconds: 60 });
      const e = await startTest({ keys: [KEY], idleScale: SCALE });
      try {
        // A scaled witness sleeps; the unscaled instance, older and just as idle, does not.
        const w = await e.create({ auto_sleep: true, idle_timeout_seconds: 60 });
        await e.until(async () => (await e.api("GET", `/v1/instances/${w.id}`)).body, (i) => i.status === "sleeping");
      } finally {
        await e.close();
      }
      expect((await d.api("GET", `/v1/instances/${inst.id}`)).body.status).toBe("running");
    } finally {
      await d.close();
    }
  });
});
