import { startTest, type Json, type TestClient } from "./helpers";

const KEY = "sk_live_faultWorkspace00000000001";
let c: TestClient;
beforeAll(async () => {
  c = await startTest({ keys: [KEY], bootMs: 40 });
});
afterAll(() => c.close());
afterEach(async () => {
  await c.admin("DELETE", "/_emulator/faults");
});

const plan = (faults: Json[], seed?: number) => c.admin("POST", "/_emulator/faults", { ...(seed !== undefined ? { seed } : {}), faults });
const instances = async (): Promise<Json[]> => (await c.admin("GET", "/_emulator/instances")).body.data;

describe("status faults", () => {
  it("answer with the given status and Agent37 error code, then stop after `count`", async () => {
    await plan([{ method: "POST", path: "/v1/instances", kind: "status", status: 503, code: "no_capacity", count: 1 }]);
    const before = (await instances()).length;
    const r = await c.api("POST", "/v1/instances", {});
    expect(r.status).toBe(503);
    expect(r.body.error).toEqual({ code: "no_capacity", message: expect.any(String) });
    expect((await instances()).length).toBe(before);
    const next = await c.api("POST", "/v1/instances", {});
    expect(next.status).toBe(201);
  });

  it("send Retry-After on a 429", async () => {
    await plan([{ path: "/v1/instances", method: "GET", kind: "status", status: 429, code: "rate_limited", retryAfterSeconds: 2, count: 1 }]);
    const r = await c.api("GET", "/v1/instances");
    expect(r.status).toBe(429);
    expect(r.headers["retry-after"]).toBe("2");
    expect(r.body.error.code).toBe("rate_limited");
  });

  it("match one path segment with * and the rest with **", async () => {
    const inst = await c.create({});
    await plan([
      { path: "/v1/instances/*/stop", kind: "status", status: 409, code: "try_again" },
      { path: "/v1/templates/**", kind: "status", status: 500, code: "internal_error" },
    ]);
    expect((await c.api("POST", `/v1/instances/${inst.id}/stop`)).status).toBe(409);
    expect((await c.api("POST", `/v1/instances/${inst.id}/start`)).status).toBe(200);
    expect((await c.api("GET", "/v1/templates/agent37-hermes")).status).toBe(500);
    expect((await c.api("GET", "/v1/instances")).status).toBe(200);
  });

  it("apply on the instance plane with the flat error body", async () => {
    const inst = await c.create({});
    await plan([{ plane: "instance", path: "/v1/health", kind: "status", status: 504, count: 1 }]);
    const r = await c.plane(inst.id, "/v1/health", { headers: { "x-agent37-key": KEY } });
    expect(r.status).toBe(504);
    expect(r.body.error).toBe("upstream_timeout");
  });

  it("can target one instance by id", async () => {
    const a = await c.create({});
    const b = await c.create({});
    await plan([{ path: "/v1/instances/*", method: "GET", instanceId: a.id, kind: "status", status: 502, code: "provisioning_failed" }]);
    expect((await c.api("GET", `/v1/instances/${a.id}`)).status).toBe(502);
    expect((await c.api("GET", `/v1/instances/${b.id}`)).status).toBe(200);
  });
});

describe("delay faults", () => {
  it("hold the response for delayMs, visible in the request log timings", async () => {
    await plan([{ method: "GET", path: "/v1/instances", kind: "delay", delayMs: 150, count: 1 }]);
    const started = performance.now();
    const r = await c.api("GET", "/v1/instances");
    expect(r.status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
    const log: Json[] = (await c.admin("GET", "/_emulator/requests")).body.log;
    expect(log[log.length - 1]).toMatchObject({ route: "GET /v1/instances", status: 200, fault: "delay" });
  });
});

describe("status-after faults", () => {
  const log = async (): Promise<Json[]> => (await c.admin("GET", "/_emulator/requests")).body.log;

  it("act on a create (the instance exists) and answer the fault's status and code instead of 201", async () => {
    await plan([{ method: "POST", path: "/v1/instances", kind: "status-after", status: 502, code: "bad_gateway", message: "Bad gateway.", count: 1 }]);
    const r = await c.api("POST", "/v1/instances", { name: "acted-then-502" });
    expect(r.status).toBe(502);
    expect(r.body).toEqual({ error: { code: "bad_gateway", message: "Bad gateway." } });
    const made = (await instances()).filter((i) => i.name === "acted-then-502");
    expect(made).toHaveLength(1);
    expect(made[0].status).not.toBe("deleted");
    // The log ties the faulted create to the instance it made, with the status the client saw.
    expect((await log()).filter((e) => e.fault === "status-after").pop()).toMatchObject({
      route: "POST /v1/instances",
      status: 502,
      fault: "status-after",
      instanceId: made[0].id,
    });
    // count 1: the next create answers normally.
    expect((await c.api("POST", "/v1/instances", {})).status).toBe(201);
  });

  it("act on a lifecycle call (the instance stops) though the client sees the error", async () => {
    const inst = await c.create({});
    await c.until(() => c.api("GET", `/v1/instances/${inst.id}`), (r) => r.body.status === "running");
    await plan([{ method: "POST", path: "/v1/instances/*/stop", kind: "status-after", status: 504, code: "gateway_timeout", count: 1 }]);
    const r = await c.api("POST", `/v1/instances/${inst.id}/stop`);
    expect(r.status).toBe(504);
    expect(r.body.error.code).toBe("gateway_timeout");
    expect((await c.api("GET", `/v1/instances/${inst.id}`)).body.status).toBe("stopped");
    expect((await log()).filter((e) => e.fault === "status-after").pop()).toMatchObject({ route: "POST /v1/instances/:id/stop", status: 504, instanceId: inst.id });
  });

  it("default to 504 upstream_timeout, not the 503 no_capacity that would say nothing happened", async () => {
    await plan([{ method: "POST", path: "/v1/instances", kind: "status-after", count: 1 }]);
    const before = (await instances()).length;
    const r = await c.api("POST", "/v1/instances", {});
    expect(r.status).toBe(504);
    expect(r.body.error.code).toBe("upstream_timeout");
    expect((await instances()).length).toBe(before + 1);
  });

  it("send Retry-After as status faults do", async () => {
    await plan([{ method: "GET", path: "/v1/instances", kind: "status-after", status: 503, code: "service_unavailable", retryAfterSeconds: 3, count: 1 }]);
    const r = await c.api("GET", "/v1/instances");
    expect(r.status).toBe(503);
    expect(r.headers["retry-after"]).toBe("3");
    expect(r.body.error.code).toBe("service_unavailable");
  });

  it("answer a request the handler refused with the fault's status too", async () => {
    await plan([{ method: "POST", path: "/v1/instances", kind: "status-after", status: 502, count: 1 }]);
    const before = (await instances()).length;
    const r = await c.api("POST", "/v1/instances", { resources: { cpu: 3 } });
    expect(r.status).toBe(502);
    expect(r.body.error.code).toBe("provisioning_failed");
    expect((await instances()).length).toBe(before);
  });

  it("use the flat error body on the instance plane", async () => {
    const inst = await c.create({});
    await plan([{ plane: "instance", path: "/v1/health", kind: "status-after", status: 502, count: 1 }]);
    const r = await c.plane(inst.id, "/v1/health", { headers: { "x-agent37-key": KEY } });
    expect(r.status).toBe(502);
    expect(r.body.error).toBe("container_unreachable");
    expect((await log()).filter((e) => e.fault === "status-after").pop()).toMatchObject({ plane: "instance", route: "GET instance:/v1/health", status: 502 });
  });
});

describe("connection resets", () => {
  it("reset-after acts (the instance exists) but drops the connection without a response", async () => {
    await plan([{ method: "POST", path: "/v1/instances", kind: "reset-after", count: 1 }]);
    const before = (await instances()).length;
    await expect(c.api("POST", "/v1/instances", { name: "ambiguous" })).rejects.toThrow();
    const after = await instances();
    expect(after.length).toBe(before + 1);
    expect(after.find((i) => i.name === "ambiguous")).toBeDefined();
    const log: Json[] = (await c.admin("GET", "/_emulator/requests")).body.log;
    const made = after.find((i) => i.name === "ambiguous");
    expect(log.filter((e) => e.fault === "reset-after").pop()).toMatchObject({ status: 0, route: "POST /v1/instances", instanceId: made.id });
  });

  it("reset-before drops the connection without acting", async () => {
    await plan([{ method: "POST", path: "/v1/instances", kind: "reset-before", count: 1 }]);
    const before = (await instances()).length;
    await expect(c.api("POST", "/v1/instances", { name: "never" })).rejects.toThrow();
    expect((await instances()).length).toBe(before);
  });
});

describe("unhealthy faults", () => {
  it("keep /v1/health at healthy:false while in the plan; health turns true once lifted", async () => {
    const inst = await c.create({});
    await plan([{ plane: "instance", path: "/v1/health", instanceId: inst.id, kind: "unhealthy" }]);
    const key = { "x-agent37-key": KEY };
    const t0 = Date.now();
    // Observed for ten boot times: the fault must hold health down throughout.
    const seen = new Set<unknown>();
    await c.until(
      async () => {
        const r = await c.plane(inst.id, "/v1/health", { headers: key });
        if (r.status === 200) seen.add(r.body.healthy);
        return Date.now() - t0;
      },
      (elapsed) => elapsed > 400,
    );
    expect([...seen]).toEqual([false]);
    expect((await instances()).find((i) => i.id === inst.id).healthyAt).toBeNull();
    const lifted = performance.timeOrigin + performance.now();
    await c.admin("DELETE", "/_emulator/faults");
    const ok = await c.plane(inst.id, "/v1/health", { headers: key });
    expect(ok.body.healthy).toBe(true);
    const row = (await instances()).find((i) => i.id === inst.id);
    expect(row.healthyAt).toBeGreaterThanOrEqual(lifted);
  });

  it("with a count hold health down for that many health checks only", async () => {
    const inst = await c.create({});
    const key = { "x-agent37-key": KEY };
    await c.until(() => c.plane(inst.id, "/v1/health", { headers: key }), (r) => r.body?.healthy === true);
    await plan([{ plane: "instance", path: "/v1/health", kind: "unhealthy", count: 2 }]);
    const seen: boolean[] = [];
    for (let i = 0; i < 3; i++) seen.push((await c.plane(inst.id, "/v1/health", { headers: key })).body.healthy);
    expect(seen).toEqual([false, false, true]);
  });
});

describe("probability faults", () => {
  async function sequence(seed: number): Promise<number[]> {
    await plan([{ method: "GET", path: "/v1/templates", kind: "status", status: 503, code: "no_capacity", probability: 0.5 }], seed);
    const statuses: number[] = [];
    for (let i = 0; i < 16; i++) statuses.push((await c.api("GET", "/v1/templates")).status);
    return statuses;
  }

  it("give the same fault sequence for the same seed", async () => {
    const a = await sequence(42);
    const b = await sequence(42);
    expect(a).toEqual(b);
    expect(a).toContain(503);
    expect(a).toContain(200);
  });

  it("give a different sequence for a different seed", async () => {
    expect(await sequence(1)).not.toEqual(await sequence(2));
  });
});

describe("admin surface", () => {
  it("rejects an invalid fault plan with 400 naming the field", async () => {
    const r = await plan([{ path: "/v1/instances", kind: "explode" }]);
    expect(r.status).toBe(400);
    expect(r.body.error.message).toContain("faults.0.kind");
  });

  it("counts requests per route and logs each with a fractional arrival time", async () => {
    await c.admin("DELETE", "/_emulator/requests");
    const inst = await c.create({});
    await c.api("GET", `/v1/instances/${inst.id}`);
    await c.api("GET", `/v1/instances/${inst.id}`);
    await c.plane(inst.id, "/v1/health", { headers: { "x-agent37-key": KEY } });
    const r = await c.admin("GET", "/_emulator/requests");
    expect(r.body.counters).toEqual({ "POST /v1/instances": 1, "GET /v1/instances/:id": 2, "GET instance:/v1/health": 1 });
    const log: Json[] = r.body.log;
    expect(log.map((e) => e.seq)).toEqual([...log.map((e) => e.seq)].sort((x, y) => x - y));
    expect(log.some((e) => !Number.isInteger(e.at))).toBe(true);
    expect(log[3]).toMatchObject({ plane: "instance", instanceId: inst.id, path: "/v1/health", status: expect.any(Number) });
  });

  it("lists every workspace's instances including deleted ones", async () => {
    const other = "sk_live_adminOtherWorkspace00001";
    const e = await startTest({ keys: [KEY, other] });
    try {
      const a = await e.create({});
      const b = await e.create({ metadata: { tag: "x" } }, other);
      await e.api("DELETE", `/v1/instances/${a.id}`);
      await e.until(() => e.api("GET", `/v1/instances/${a.id}`), (r) => r.status === 404);
      const rows: Json[] = (await e.admin("GET", "/_emulator/instances")).body.data;
      expect(rows.find((i) => i.id === a.id).status).toBe("deleted");
      expect(rows.find((i) => i.id === b.id).metadata).toEqual({ tag: "x" });
      expect(new Set(rows.map((i) => i.workspace)).size).toBe(2);
      expect(JSON.stringify(rows)).not.toContain(KEY);
    } finally {
      await e.close();
    }
  });

  it("reset clears instances, faults and counters", async () => {
    const e = await startTest({ keys: [KEY] });
    try {
      await e.create({});
      await e.admin("POST", "/_emulator/faults", { faults: [{ path: "/v1/templates", kind: "status", status: 500 }] });
      const r = await e.admin("POST", "/_emulator/reset");
      expect(r.status).toBe(200);
      expect((await e.admin("GET", "/_emulator/instances")).body.data).toEqual([]);
      expect((await e.admin("GET", "/_emulator/faults")).body.faults).toEqual([]);
      expect((await e.admin("GET", "/_emulator/requests")).body.counters).toEqual({});
      expect((await e.api("GET", "/v1/templates")).status).toBe(200);
    } finally {
      await e.close();
    }
  });
});
