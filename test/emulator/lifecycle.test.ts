import { FREE_KEY, startTest, type Json, type TestClient } from "./helpers";

let c: TestClient;
beforeAll(async () => {
  // Transitions last long enough for polling to observe the transitional status reliably.
  c = await startTest({ keys: ["sk_live_lifecycleWorkspace000001"], lifecycleMs: 200 });
});
afterAll(() => c.close());

const post = (id: string, action: string, body?: unknown) => c.api("POST", `/v1/instances/${id}/${action}`, body);
const status = async (id: string): Promise<string> => (await c.api("GET", `/v1/instances/${id}`)).body.status;

describe("stop and start (blocking mode)", () => {
  it("stop moves running -> stopping -> stopped and acks the terminal state", async () => {
    const inst = await c.create({});
    const stopping = post(inst.id, "stop");
    await c.until(() => status(inst.id), (s) => s === "stopping");
    const r = await stopping;
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ id: inst.id, status: "stopped" });
    expect(await status(inst.id)).toBe("stopped");
  });

  it("stop on a stopped instance returns the same ack again", async () => {
    const inst = await c.create({});
    await post(inst.id, "stop");
    const r = await post(inst.id, "stop");
    expect(r.body).toEqual({ id: inst.id, status: "stopped" });
  });

  it("start moves stopped -> starting -> running and acks running", async () => {
    const inst = await c.create({});
    await post(inst.id, "stop");
    const starting = post(inst.id, "start");
    await c.until(() => status(inst.id), (s) => s === "starting");
    expect((await starting).body).toEqual({ id: inst.id, status: "running" });
  });

  it("start on a running instance returns the same ack again", async () => {
    const inst = await c.create({});
    const r = await post(inst.id, "start");
    expect(r.body).toEqual({ id: inst.id, status: "running" });
  });

  it("a second stop while stopping waits for and acks the same transition", async () => {
    const inst = await c.create({});
    const first = post(inst.id, "stop");
    await c.until(() => status(inst.id), (s) => s === "stopping");
    const second = await post(inst.id, "stop");
    expect(second.body).toEqual({ id: inst.id, status: "stopped" });
    expect((await first).body.status).toBe("stopped");
  });

  it("start while stopping is a transient conflict: 409 try_again", async () => {
    const inst = await c.create({});
    const stopping = post(inst.id, "stop");
    await c.until(() => status(inst.id), (s) => s === "stopping");
    const r = await post(inst.id, "start");
    expect(r.status).toBe(409);
    expect(r.body.error.code).toBe("try_again");
    await stopping;
  });

  it("stop and start take no body", async () => {
    const inst = await c.create({});
    const r = await post(inst.id, "stop", { force: true });
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe("invalid_request");
  });
});

describe("restart", () => {
  it("moves running -> restarting -> running", async () => {
    const inst = await c.create({});
    const restarting = post(inst.id, "restart");
    await c.until(() => status(inst.id), (s) => s === "restarting");
    expect((await restarting).body).toEqual({ id: inst.id, status: "running" });
  });

  it("refuses a stopped instance with 400 invalid_request", async () => {
    const inst = await c.create({});
    await post(inst.id, "stop");
    const r = await post(inst.id, "restart");
    expect(r.status).toBe(400);
    expect(r.body.error).toEqual({ code: "invalid_request", message: expect.stringContaining("while it is stopped") });
  });

  it("answers a concurrent restart with 409 try_again", async () => {
    const inst = await c.create({});
    const first = post(inst.id, "restart");
    await c.until(() => status(inst.id), (s) => s === "restarting");
    const second = await post(inst.id, "restart");
    expect(second.status).toBe(409);
    expect(second.body.error.code).toBe("try_again");
    expect((await first).status).toBe(200);
  });
});

describe("update", () => {
  it("moves running -> updating -> running and acks the image fields", async () => {
    const inst = await c.create({ template: "agent37-hermes@2026.06.18" });
    const updating = post(inst.id, "update", { template: "agent37-hermes" });
    await c.until(() => status(inst.id), (s) => s === "updating");
    const r = await updating;
    expect(r.body).toEqual({
      id: inst.id,
      status: "running",
      template: "agent37-hermes",
      image_ref: "ghcr.io/agent37-platform/hermes:2026.07.02b",
      image_digest: expect.stringMatching(/^sha256:/),
      template_revision: null,
    });
  });

  it("without a body re-resolves the stored template and omits `template` from the ack", async () => {
    const inst = await c.create({});
    const r = await post(inst.id, "update");
    expect(r.status).toBe(200);
    expect(r.body).not.toHaveProperty("template");
    expect(r.body.image_ref).toBe(inst.image_ref);
  });

  it("migrates to a different template, keeping the id and URL", async () => {
    const inst = await c.create({});
    await post(inst.id, "update", { template: "agent37-openclaw" });
    const got = (await c.api("GET", `/v1/instances/${inst.id}`)).body;
    expect(got).toMatchObject({ id: inst.id, url: inst.url, template: "agent37-openclaw" });
  });

  it("on a stopped instance only takes the new image pointer and stays stopped", async () => {
    const inst = await c.create({});
    await post(inst.id, "stop");
    const r = await post(inst.id, "update", { template: "agent37-hermes@2026.06.18" });
    expect(r.body).toMatchObject({ status: "stopped", template: "agent37-hermes@2026.06.18" });
  });

  it("rejects a body field other than template, and an unpublished pin", async () => {
    const inst = await c.create({});
    const extra = await post(inst.id, "update", { image: "x" });
    expect(extra.status).toBe(400);
    const pin = await post(inst.id, "update", { template: "agent37-hermes@1999.01.01" });
    expect(pin.status).toBe(400);
    expect(pin.body.error.message).toContain("not published");
  });
});

describe("resize", () => {
  it("grows the shape through updating and acks the new resources", async () => {
    const inst = await c.create({});
    const resizing = post(inst.id, "resize", { cpu: 4, memory: 8 });
    await c.until(() => status(inst.id), (s) => s === "updating");
    const r = await resizing;
    expect(r.body).toEqual({ id: inst.id, status: "running", resources: { cpu: 4, memory: 8, disk: 4 } });
  });

  it("grows disk alone", async () => {
    const inst = await c.create({});
    const r = await post(inst.id, "resize", { disk: 10 });
    expect(r.body.resources).toEqual({ cpu: 2, memory: 4, disk: 10 });
  });

  it("rejects any shrink with 400", async () => {
    const inst = await c.create({ resources: { cpu: 4, memory: 8, disk: 10 } });
    const r = await post(inst.id, "resize", { disk: 8 });
    expect(r.status).toBe(400);
    expect(r.body.error.message).toContain("only grows");
  });

  it.each([
    ["a shape outside the three", { cpu: 4, memory: 4 }, "Valid shapes"],
    ["disk beyond the shape's range", { disk: 13 }, "2-12"],
    ["an empty body", {}, "at least one"],
  ])("rejects %s with 400", async (_label, body, fragment) => {
    const inst = await c.create({});
    const r = await post(inst.id, "resize", body);
    expect(r.status).toBe(400);
    expect(r.body.error.message).toContain(fragment);
  });

  it("refuses a stopped instance with 400", async () => {
    const inst = await c.create({});
    await post(inst.id, "stop");
    const r = await post(inst.id, "resize", { disk: 8 });
    expect(r.status).toBe(400);
  });
});

describe("wrong states", () => {
  it("refuses lifecycle calls on a deleting instance with 400 and on a deleted one with 404", async () => {
    const inst = await c.create({});
    await c.api("DELETE", `/v1/instances/${inst.id}`);
    const during = await post(inst.id, "stop");
    expect(during.status).toBe(400);
    await c.until(() => c.api("GET", `/v1/instances/${inst.id}`), (r) => r.status === 404);
    const after = await post(inst.id, "start");
    expect(after.status).toBe(404);
  });

  it("lets PATCH through in any state but deleted", async () => {
    const inst = await c.create({});
    await post(inst.id, "stop");
    const r = await c.api("PATCH", `/v1/instances/${inst.id}`, { name: "while-stopped" });
    expect(r.status).toBe(200);
    expect(r.body.name).toBe("while-stopped");
  });
});

describe("async lifecycle mode", () => {
  let a: TestClient;
  beforeAll(async () => {
    a = await startTest({ lifecycleMode: "async", lifecycleMs: 80 });
  });
  afterAll(() => a.close());

  it("acks stop at once with the transitional status and settles in the background", async () => {
    const inst = await a.create({});
    const r = await a.api("POST", `/v1/instances/${inst.id}/stop`);
    expect(r.body).toEqual({ id: inst.id, status: "stopping" });
    const settled = await a.until(() => a.api("GET", `/v1/instances/${inst.id}`), (g) => g.body.status === "stopped");
    expect(settled.body.status).toBe("stopped");
  });

  it("acks start with starting, then the instance reaches running", async () => {
    const inst = await a.create({});
    await a.api("POST", `/v1/instances/${inst.id}/stop`);
    await a.until(() => a.api("GET", `/v1/instances/${inst.id}`), (g) => g.body.status === "stopped");
    const r = await a.api("POST", `/v1/instances/${inst.id}/start`);
    expect(r.body.status).toBe("starting");
    await a.until(() => a.api("GET", `/v1/instances/${inst.id}`), (g) => g.body.status === "running");
  });
});

describe("workspace limits", () => {
  let w: TestClient;
  const BROKE = "sk_live_brokeWorkspace0000000001";
  const NOSHARED = "sk_live_noSharedWorkspace0000001";
  const SMALL = "sk_live_smallWorkspace0000000001";
  beforeAll(async () => {
    w = await startTest({
      workspaces: [
        { key: FREE_KEY, topUpsMicros: 0 },
        { key: BROKE, balanceMicros: 10 },
        { key: NOSHARED, shared: false },
        { key: SMALL, topUpsMicros: 5_000_000 },
        { key: BROKE.replace("broke", "funds") },
      ],
    });
  });
  afterAll(() => w.close());

  it("caps a free workspace at one instance: 409 instance_limit_reached", async () => {
    await w.create({}, FREE_KEY);
    const r = await w.api("POST", "/v1/instances", {}, FREE_KEY);
    expect(r.status).toBe(409);
    expect(r.body.error.code).toBe("instance_limit_reached");
  });

  it("frees the slot once the instance is deleted", async () => {
    const list = await w.api("GET", "/v1/instances", undefined, FREE_KEY);
    await w.api("DELETE", `/v1/instances/${list.body.data[0].id}`, undefined, FREE_KEY);
    const r = await w.api("POST", "/v1/instances", {}, FREE_KEY);
    expect(r.status).toBe(201);
  });

  it("caps a workspace with any top-up at ten", async () => {
    for (let i = 0; i < 10; i++) await w.create({ resources: { cpu: 2, memory: 4 } }, SMALL);
    const r = await w.api("POST", "/v1/instances", {}, SMALL);
    expect(r.status).toBe(409);
    expect(r.body.error.message).toContain("10 instances");
  });

  it.each([
    [{ cpu: 4, memory: 8 }],
    [{ cpu: 8, memory: 16 }],
  ])("refuses %j on the free tier with 403 tier_limit", async (resources) => {
    const r = await w.api("POST", "/v1/instances", { resources }, FREE_KEY);
    expect(r.status).toBe(403);
    expect(r.body.error.code).toBe("tier_limit");
  });

  it("refuses a create below one day of balance with 402 insufficient_balance and provisions nothing", async () => {
    const r = await w.api("POST", "/v1/instances", {}, BROKE);
    expect(r.status).toBe(402);
    expect(r.body.error.code).toBe("insufficient_balance");
    expect((await w.api("GET", "/v1/instances", undefined, BROKE)).body.data).toEqual([]);
  });

  it("refuses type shared where it is not enabled with 403 shared_unavailable", async () => {
    const r = await w.api("POST", "/v1/instances", { type: "shared" }, NOSHARED);
    expect(r.status).toBe(403);
    expect(r.body.error.code).toBe("shared_unavailable");
  });

  it("accepts type shared on a funded workspace", async () => {
    const r = await w.api("POST", "/v1/instances", { type: "shared" }, BROKE.replace("broke", "funds"));
    expect(r.status).toBe(201);
  });

  it("refuses a resize above the free tier with 403 tier_limit", async () => {
    const list = await w.api("GET", "/v1/instances", undefined, FREE_KEY);
    const id = (list.body.data as Json[])[0].id;
    const r = await w.api("POST", `/v1/instances/${id}/resize`, { cpu: 4, memory: 8 }, FREE_KEY);
    expect(r.status).toBe(403);
    expect(r.body.error.code).toBe("tier_limit");
  });
});
