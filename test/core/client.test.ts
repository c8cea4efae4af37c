// The HTTP client and the readiness gate against a real server: retries counted on the server,
// timeouts and Retry-After measured, `*.localhost` resolved to loopback.
import { Agent37DeadlineError, Agent37TimeoutError, NotFoundError, RateLimitedError } from "../../provider/core/errors";
import { Agent37Client, loopbackLookup } from "../../provider/core/http";
import { InstancesApi } from "../../provider/instance/api";
import { waitHealthy } from "../../provider/instance/health";
import { EmulatorFixture, type Json } from "../harness/emulator-fixture";

describe("HTTP client", () => {
  let fx: EmulatorFixture;
  let id: string;
  beforeAll(async () => {
    fx = await EmulatorFixture.start();
    id = (await fx.api("POST", "/v1/instances", {})).body.id;
  });
  afterAll(async () => fx.close());
  beforeEach(async () => {
    await fx.clearFaults();
    await fx.clearRequests();
  });

  const client = (over: Partial<ConstructorParameters<typeof Agent37Client>[0]> = {}) =>
    new InstancesApi(new Agent37Client({ apiUrl: fx.emu.url, apiKey: fx.key, retryPolicy: { baseDelayMs: 5 }, ...over }));

  it("resolves localhost and *.localhost to loopback without the system resolver", async () => {
    const one = await new Promise<string>((resolve, reject) =>
      loopbackLookup("ab12cd34ef-9119.localhost", {}, (err, address) => (err ? reject(err) : resolve(address as string))),
    );
    const all = await new Promise<unknown>((resolve, reject) =>
      loopbackLookup("localhost", { all: true }, (err, addresses) => (err ? reject(err) : resolve(addresses))),
    );
    expect(one).toBe("127.0.0.1");
    expect(all).toEqual([{ address: "127.0.0.1", family: 4 }]);
  });

  it("reaches an instance host under *.localhost", async () => {
    const res = await client().client.plane("GET", `http://${id}.localhost:${fx.emu.port}/health`, 2000);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ok: true });
  });

  it("retries a 503 on a GET and succeeds, counted on the server", async () => {
    await fx.faults([{ method: "GET", path: "/v1/instances/*", kind: "status", status: 503, count: 2 }]);
    const inst = await client().get(id);
    expect(inst.id).toBe(id);
    expect((await fx.apiCalls())["GET /v1/instances/:id"]).toBe(3);
  });

  it("does not retry a 404", async () => {
    await expect(client().get("zz00zz00zz")).rejects.toBeInstanceOf(NotFoundError);
    expect((await fx.apiCalls())["GET /v1/instances/:id"]).toBe(1);
  });

  it("waits for Retry-After before retrying a 429", async () => {
    await fx.faults([{ method: "GET", path: "/v1/instances/*", kind: "status", status: 429, code: "rate_limited", retryAfterSeconds: 0.3, count: 1 }]);
    const started = Date.now();
    await client().get(id);
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    const log = (await fx.requestLog()).filter((e: Json) => e.route === "GET /v1/instances/:id");
    expect(log.length).toBe(2);
    expect(log[1].at - log[0].at).toBeGreaterThanOrEqual(290);
  });

  it("gives up on 429 after the last attempt with the rate-limit error", async () => {
    await fx.faults([{ method: "GET", path: "/v1/instances/*", kind: "status", status: 429, code: "rate_limited", retryAfterSeconds: 0 }]);
    await expect(client({ retryPolicy: { maxAttempts: 3, baseDelayMs: 1 } }).get(id)).rejects.toBeInstanceOf(RateLimitedError);
    expect((await fx.apiCalls())["GET /v1/instances/:id"]).toBe(3);
  });

  it("times out a slow attempt and retries an idempotent call", async () => {
    await fx.faults([{ method: "GET", path: "/v1/instances/*", kind: "delay", delayMs: 400, count: 1 }]);
    const inst = await client({ attemptTimeoutMs: 100 }).get(id);
    expect(inst.id).toBe(id);
    expect((await fx.apiCalls())["GET /v1/instances/:id"]).toBe(2);
  });

  it("does not retry a timed-out create (its outcome is unknown)", async () => {
    await fx.faults([{ method: "POST", path: "/v1/instances", kind: "delay", delayMs: 400, count: 1 }]);
    const api = new InstancesApi(new Agent37Client({ apiUrl: fx.emu.url, apiKey: fx.key }));
    const err = await api.client
      .call({ method: "POST", path: "/v1/instances", body: {}, schema: (await import("../../provider/instance/api-schema")).Instance, idempotent: false, attemptTimeoutMs: 100 })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Agent37TimeoutError);
    expect((await fx.apiCalls())["POST /v1/instances"]).toBe(1);
  });

  it("stops at the overall deadline", async () => {
    await fx.faults([{ method: "GET", path: "/v1/instances/*", kind: "delay", delayMs: 300 }]);
    const started = Date.now();
    const err = await client({ attemptTimeoutMs: 100, deadlineMs: 250, retryPolicy: { baseDelayMs: 10, maxAttempts: 50 } })
      .get(id)
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Agent37DeadlineError);
    expect(Date.now() - started).toBeLessThan(1000);
  });
});

describe("readiness gate", () => {
  let fx: EmulatorFixture;
  beforeAll(async () => {
    fx = await EmulatorFixture.start({ bootMs: 2000, provisionMs: 10 });
  });
  afterAll(async () => fx.close());
  beforeEach(async () => {
    await fx.clearFaults();
  });

  const gateClient = () => new Agent37Client({ apiUrl: fx.emu.url, apiKey: fx.key });

  it("sends at most 2 health requests a second and returns within one interval of healthy", async () => {
    const { id, url } = (await fx.api("POST", "/v1/instances", {})).body;
    await fx.clearRequests();
    const started = Date.now();
    const h = await waitHealthy(gateClient(), { baseUrl: url });
    const done = Date.now();
    expect(h).toMatchObject({ ok: true, healthy: true, agent: "hermes" });
    const polls = (await fx.requestLog()).filter((e: Json) => e.route === "GET instance:/v1/health");
    const healthyAt = (await fx.instances()).find((i: Json) => i.id === id).healthyAt;
    expect(polls.length).toBeLessThanOrEqual(1 + Math.ceil(((done - started) / 1000) * 2));
    // The server never sees two polls closer than the interval, and the cadence holds through
    // the edge's 502s while the container starts.
    expect(polls[0].status).toBe(502);
    for (let i = 1; i < polls.length; i++) expect(polls[i].at - polls[i - 1].at).toBeGreaterThanOrEqual(500);
    for (let i = 1; i < polls.length; i++) expect(polls[i].at - polls[i - 1].at).toBeLessThan(700);
    expect(done - healthyAt).toBeLessThanOrEqual(600);
    expect(h.version).not.toBe("");
  });

  it("reads the gateway version while the agent boots, leaving no request for after healthy", async () => {
    const { id, url } = (await fx.api("POST", "/v1/instances", {})).body;
    await fx.clearRequests();
    await waitHealthy(gateClient(), { baseUrl: url });
    const healthyAt = (await fx.instances()).find((i: Json) => i.id === id).healthyAt;
    const version = (await fx.requestLog()).filter((e: Json) => e.route === "GET instance:/v1/version");
    expect(version.length).toBe(1);
    expect(version[0].at).toBeLessThan(healthyAt);
  });

  it("stretches the interval on edge errors once the steady period is over", async () => {
    const { id, url } = (await fx.api("POST", "/v1/instances", {})).body;
    await fx.faults([{ plane: "instance", path: "/v1/health", kind: "status", status: 503, code: "host_mesh_not_ready", count: 4 }]);
    await fx.clearRequests();
    await waitHealthy(gateClient(), { baseUrl: url, intervalMs: 40, steadyMs: 0, maxBackoffMs: 1000 });
    const at = (await fx.requestLog()).filter((e: Json) => e.route === "GET instance:/v1/health" && e.instanceId === id).map((e: Json) => e.at);
    const gaps: number[] = at.slice(1, 5).map((t: number, i: number) => t - (at[i] as number));
    expect(gaps[3]).toBeGreaterThan((gaps[0] ?? Infinity) * 2);
  });

  it("keeps waiting through connection resets and edge errors", async () => {
    const { id, url } = (await fx.api("POST", "/v1/instances", {})).body;
    await fx.faults([
      { plane: "instance", path: "/v1/health", kind: "reset-before", count: 2 },
      { plane: "instance", path: "/v1/health", kind: "status", status: 503, code: "host_mesh_not_ready", count: 1 },
    ]);
    await fx.clearRequests();
    const h = await waitHealthy(gateClient(), { baseUrl: url, intervalMs: 50, maxBackoffMs: 200 });
    expect(h.healthy).toBe(true);
    const polls = (await fx.requestLog()).filter((e: Json) => e.route === "GET instance:/v1/health" && e.instanceId === id);
    expect(polls.slice(0, 3).map((e: Json) => e.status)).toEqual([0, 0, 503]);
  });
});
