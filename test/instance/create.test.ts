import { Agent37InitError } from "../../provider/front/dynamic/instance";
import { InsufficientBalanceError, InvalidApiKeyError, Agent37HealthTimeoutError, Agent37ConfigError } from "../../provider/core/errors";
import { createInstanceProvider } from "../../provider/front/dynamic/instance";
import { EmulatorFixture, type Json } from "../harness/emulator-fixture";

const HANDLE_HOST = /^http:\/\/[a-z0-9]{24}\.localhost:\d+$/;

describe("create on API 2026-08 (ports derived)", () => {
  let fx: EmulatorFixture;
  beforeAll(async () => {
    fx = await EmulatorFixture.start({ provisionMs: 60, bootMs: 300 });
  });
  afterAll(async () => fx.close());
  beforeEach(async () => {
    await fx.clearFaults();
    await fx.clearRequests();
  });

  it("waits through provisioning and boot until the gateway reports healthy", async () => {
    const startedAt = Date.now();
    const r = await fx.provider().create({ name: "boot-wait" });
    const resolvedAt = Date.now();
    // provisionMs (60) + bootMs (300): the create resolved only after both.
    expect(resolvedAt - startedAt).toBeGreaterThanOrEqual(360);
    const inst = (await fx.instances()).find((i: Json) => i.id === r.id);
    expect(inst.healthyAt).not.toBeNull();
    expect(resolvedAt).toBeGreaterThanOrEqual(inst.healthyAt);
    const health = (await fx.requestLog()).filter((e: Json) => e.route === "GET instance:/v1/health");
    // It polled while the gateway was not ready, and stopped at the first healthy answer.
    expect(health.length).toBeGreaterThan(1);
    expect(health.filter((e: Json) => e.at >= inst.healthyAt).length).toBe(1);
    expect(r.outs.status).toBe("running");
    expect(r.outs.health).toEqual({ ok: true, healthy: true, agent: "hermes", version: expect.any(String), checkedAt: expect.any(String) });
  });

  it("resolves url to the instance URL, and ports/portUrls to the default port plus the requested ones", async () => {
    const r = await fx.provider().create({ ports: [9119, 18789] });
    const base = `http://${r.id}.localhost:${fx.emu.port}`;
    expect(r.outs.url).toBe(base);
    expect(r.outs.ports).toEqual([
      { port: 3737, default: true, url: base },
      { port: 9119, default: false, url: `http://${r.id}-9119.localhost:${fx.emu.port}` },
      { port: 18789, default: false, url: `http://${r.id}-18789.localhost:${fx.emu.port}` },
    ]);
    expect(r.outs.portUrls).toEqual({
      "3737": base,
      "9119": `http://${r.id}-9119.localhost:${fx.emu.port}`,
      "18789": `http://${r.id}-18789.localhost:${fx.emu.port}`,
    });
  });

  it("derives per-port URLs from a configured instance URL template", async () => {
    const p = fx.provider({ settings: { instanceUrlTemplate: `http://{host}.localhost:${fx.emu.port}` } });
    const r = await p.create({ ports: [9119] });
    expect(r.outs.portUrls["9119"]).toBe(`http://${r.id}-9119.localhost:${fx.emu.port}`);
  });

  it("creates an instance of a template without a default port with the instance's own URL (routed to 3737) and no readiness gate", async () => {
    const r = await fx.provider().create({ template: "sandbox" });
    const url = `http://${r.id}.localhost:${fx.emu.port}`;
    expect(r.outs).toMatchObject({ url, ports: [{ port: 3737, default: true, url }], portUrls: { "3737": url }, health: null, status: "running", template: "sandbox" });
    const health = (await fx.requestLog()).filter((e: Json) => e.plane === "instance");
    expect(health).toEqual([]);
  });

  it("sends every create input in the API's vocabulary and echoes write-only ones", async () => {
    const r = await fx.provider().create({
      template: "agent37-hermes-small",
      resources: { cpu: 4, memory: 8, disk: 10 },
      name: "full",
      user: "u_1",
      metadata: { team: "a" },
      env: { QUEUE: "q" },
      autoSleep: true,
      idleTimeoutSeconds: 900,
      budget: { monthlyCapMicros: 5_000_000, creditMicros: 1_000_000 },
      publicPorts: [{ port: 8644, prefix: "hooks" }, { port: 18789, label: "Control" }],
    });
    expect(r.outs).toMatchObject({
      template: "agent37-hermes-small",
      resources: { cpu: 4, memory: 8, disk: 10 },
      name: "full",
      user: "u_1",
      metadata: { team: "a" },
      env: { QUEUE: "q" },
      autoSleep: true,
      idleTimeoutSeconds: 900,
      budget: { monthlyCapMicros: 5_000_000, creditMicros: 1_000_000 },
    });
    expect(r.outs.publicPorts.map((p: Json) => [p.port, p.prefix, p.label])).toEqual([
      [8644, "hooks", null],
      [18789, null, "Control"],
    ]);
    const created = (await fx.instances()).find((i: Json) => i.id === r.id);
    // The create marker went once the create finished: only the user's keys are left.
    expect(created.metadata).toEqual({ team: "a" });
  });

  it("keeps provider-owned metadata out of the metadata output", async () => {
    const r = await fx.provider().create({ metadata: { a: "1" } });
    expect(r.outs.metadata).toEqual({ a: "1" });
  });

  it("skips the gate when health is disabled", async () => {
    const r = await fx.provider().create({ health: { disabled: true } });
    expect(r.outs.health).toBeNull();
    expect((await fx.requestLog()).filter((e: Json) => e.plane === "instance")).toEqual([]);
  });

  it("creates a stopped instance when state is stopped, without a readiness gate", async () => {
    const r = await fx.provider().create({ state: "stopped" });
    expect(r.outs.status).toBe("stopped");
    expect(r.outs.health).toBeNull();
  });

  it("ends the wait at once with a clear error when the instance rejects the key (401)", async () => {
    await fx.faults([{ plane: "instance", path: "/v1/health", kind: "status", status: 401, code: "invalid_api_key" }]);
    const err = await fx.provider().create({}).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Agent37InitError);
    expect((err as Agent37InitError).cause).toBeInstanceOf(InvalidApiKeyError);
    expect((err as Error).message).toMatch(/rejected the API key/);
    const health = (await fx.requestLog()).filter((e: Json) => e.route === "GET instance:/v1/health");
    expect(health.length).toBe(1);
  });

  it("reports a gateway that never turns healthy as created-but-failed, keeping the id", async () => {
    await fx.faults([{ plane: "instance", path: "/v1/health", kind: "unhealthy" }]);
    const err = (await fx.provider().create({ name: "never", health: { timeoutSeconds: 0.5 } }).catch((e: unknown) => e)) as Agent37InitError;
    expect(err).toBeInstanceOf(Agent37InitError);
    expect(err.cause).toBeInstanceOf(Agent37HealthTimeoutError);
    expect(err.id).toMatch(/^[a-z0-9]{10}$/);
    expect(err.properties).toMatchObject({ instanceId: err.id, name: "never", status: "running" });
    expect(JSON.stringify(err.properties)).not.toContain("undefined");
    expect(err.reasons[0]).toMatch(/did not become healthy/);
    expect((await fx.instances()).some((i: Json) => i.id === err.id && i.status === "running")).toBe(true);
  });

  it("adopts the instance its POST created when the connection dropped after the server acted", async () => {
    await fx.faults([{ method: "POST", path: "/v1/instances", kind: "reset-after", count: 1 }]);
    const before = (await fx.instances()).length;
    const r = await fx.provider().create({ name: "ambiguous" });
    const after = await fx.instances();
    expect(after.length).toBe(before + 1);
    expect(after.filter((i: Json) => i.name === "ambiguous").map((i: Json) => i.id)).toEqual([r.id]);
    // Found by its marker, which the finished create then removed.
    expect(after.find((i: Json) => i.id === r.id)?.metadata).toBeNull();
    const calls = await fx.apiCalls();
    expect(calls["POST /v1/instances"]).toBe(1);
    expect(calls["GET /v1/instances"]).toBe(1);
  });

  it("posts again when the connection dropped before the server acted", async () => {
    await fx.faults([{ method: "POST", path: "/v1/instances", kind: "reset-before", count: 1 }]);
    const before = (await fx.instances()).length;
    const r = await fx.provider().create({ name: "reset-before" });
    expect((await fx.instances()).length).toBe(before + 1);
    expect(r.outs.name).toBe("reset-before");
    expect((await fx.apiCalls())["POST /v1/instances"]).toBe(2);
  });

  it("retries no_capacity (nothing was created) and creates exactly one instance", async () => {
    await fx.faults([{ method: "POST", path: "/v1/instances", kind: "status", status: 503, code: "no_capacity", count: 2 }]);
    const before = (await fx.instances()).length;
    await fx.provider({ client: { retryPolicy: { baseDelayMs: 5 } } }).create({});
    expect((await fx.instances()).length).toBe(before + 1);
    expect((await fx.apiCalls())["POST /v1/instances"]).toBe(3);
  });

  it("does not retry a definite refusal", async () => {
    await fx.faults([{ method: "POST", path: "/v1/instances", kind: "status", status: 402, code: "insufficient_balance" }]);
    const err = await fx.provider().create({}).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InsufficientBalanceError);
    expect((await fx.apiCalls())["POST /v1/instances"]).toBe(1);
  });

  it("fails with one clear error naming both ways to set a missing key", async () => {
    const p = createInstanceProvider({ env: {}, settings: { apiUrl: fx.emu.url } });
    const err = await p.create({}).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Agent37ConfigError);
    expect((err as Error).message).toMatch(/agent37:apiKey.*AGENT37_API_KEY/s);
  });

  it("reads the key and URL from the environment when configure was never called", async () => {
    const p = createInstanceProvider({ env: { AGENT37_API_KEY: fx.key, AGENT37_API_URL: fx.emu.url }, timings: { healthIntervalMs: 50 } });
    const r = await p.create({ health: { disabled: true } });
    expect(r.id).toMatch(/^[a-z0-9]{10}$/);
  });

  it("reads the key and URL from stack config given to configure", async () => {
    const p = createInstanceProvider({ env: {} });
    await p.configure({ config: { get: (k: string) => ({ "agent37:apiKey": fx.key, "agent37:apiUrl": fx.emu.url })[k], require: () => "" } });
    const r = await p.create({ health: { disabled: true } });
    expect(r.id).toMatch(/^[a-z0-9]{10}$/);
  });
});

describe("create on API 2026-06 (ports listed by the API)", () => {
  let fx: EmulatorFixture;
  beforeAll(async () => {
    fx = await EmulatorFixture.start({ api: "2026-06" });
  });
  afterAll(async () => fx.close());

  it("takes the API's ports verbatim, opaque handle URLs included", async () => {
    const r = await fx.provider().create({ template: "agent37-hermes", ports: [9119] });
    const base = `http://${r.id}.localhost:${fx.emu.port}`;
    expect(r.outs.url).toBe(base);
    const byPort = Object.fromEntries(r.outs.ports.map((p: Json) => [p.port, p]));
    expect(byPort[3737]).toEqual({ port: 3737, default: true, url: base });
    expect(byPort[9119].url).toMatch(HANDLE_HOST);
    expect(byPort[6969].url).toMatch(HANDLE_HOST);
    expect(r.outs.portUrls).toEqual(Object.fromEntries(r.outs.ports.map((p: Json) => [String(p.port), p.url])));
    expect(r.outs.health.ok).toBe(true);
  });

  it("never guesses a URL for a requested port the API does not list", async () => {
    const r = await fx.provider().create({ ports: [7681] });
    expect(r.outs.portUrls["7681"]).toBeUndefined();
    expect(r.outs.requestedPorts).toEqual([7681]);
  });

  it("updates, refreshes and deletes with the listed ports kept verbatim", async () => {
    const p = fx.provider();
    const c = await p.create({ name: "gen-b" });
    const stopped = await p.update(c.id, c.outs, { name: "gen-b2", state: "stopped" });
    expect(stopped.outs).toMatchObject({ name: "gen-b2", status: "stopped" });
    const started = await p.update(c.id, stopped.outs, { name: "gen-b2" });
    expect(started.outs.status).toBe("running");
    expect(started.outs.portUrls).toEqual(c.outs.portUrls);
    const r = await p.read(c.id, started.outs);
    expect(r.props.portUrls).toEqual(c.outs.portUrls);
    await p.delete(c.id, r.props as Json);
    expect(await p.read(c.id, r.props as Json)).toEqual({ id: "" });
  });

  it("creates a private sandbox (ports: []) with no URL and no gate", async () => {
    const r = await fx.provider().create({ template: "sandbox" });
    expect(r.outs).toMatchObject({ url: "", ports: [], portUrls: {}, health: null });
  });
});
