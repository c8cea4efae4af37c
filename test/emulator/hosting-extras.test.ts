import { OTHER_KEY, startTest, type Json, type TestClient } from "./helpers";

const KEY = "sk_live_extrasWorkspace0000000001";
let c: TestClient;
beforeAll(async () => {
  c = await startTest({ keys: [KEY, OTHER_KEY] });
});
afterAll(() => c.close());

describe("templates", () => {
  it("lists the system catalog first, then the workspace's templates", async () => {
    const r = await c.api("GET", "/v1/templates");
    expect(r.status).toBe(200);
    expect(r.body.data.map((t: Json) => t.name)).toEqual(["agent37-hermes", "agent37-hermes-small", "agent37-openclaw", "sandbox"]);
    expect(r.body.data[0]).toEqual({
      name: "agent37-hermes",
      scope: "system",
      agents: ["hermes"],
      revision: null,
      image_ref: "ghcr.io/agent37-platform/hermes:2026.07.02b",
      description: expect.any(String),
      default_port: 3737,
      created: null,
      updated: null,
    });
  });

  it("gets one template, and a published version of it", async () => {
    const r = await c.api("GET", "/v1/templates/agent37-openclaw@2026.06.18");
    expect(r.status).toBe(200);
    expect(r.body.image_ref).toBe("ghcr.io/agent37-platform/openclaw:2026.06.18");
  });

  it("shows a workspace template's revisions", async () => {
    const r = await c.api("GET", "/v1/templates/sandbox");
    expect(r.body.revisions).toEqual([{ revision: 1, image_digest: expect.stringMatching(/^sha256:/), created: expect.any(Number) }]);
  });

  it.each([["an unknown name", "nope"], ["an unpublished version", "agent37-hermes@1999.01.01"]])("answers %s with 404", async (_label, name) => {
    const r = await c.api("GET", `/v1/templates/${name}`);
    expect(r.status).toBe(404);
    expect(r.body.error.code).toBe("not_found");
  });
});

describe("public ports", () => {
  let inst: Json;
  beforeAll(async () => {
    inst = await c.create({});
  });

  it("adds a port on a 20-character slug host and shows it on the instance", async () => {
    const r = await c.api("POST", `/v1/instances/${inst.id}/public-ports`, { port: 8644, label: "webhooks" });
    expect(r.status).toBe(201);
    expect(r.body).toEqual({ port: 8644, url: expect.stringMatching(new RegExp(`^http://[a-z0-9]{20}\\.localhost:${c.emu.port}$`)), domain_urls: [], prefix: null, label: "webhooks", created: expect.any(Number) });
    const got = await c.api("GET", `/v1/instances/${inst.id}`);
    expect(got.body.public_ports).toEqual([{ port: 8644, url: r.body.url, domain_urls: [], prefix: null, created: r.body.created }]);
  });

  it("adds a prefixed port on {prefix}-{id}", async () => {
    const r = await c.api("POST", `/v1/instances/${inst.id}/public-ports`, { port: 3000, prefix: "app" });
    expect(r.body.url).toBe(`http://app-${inst.id}.localhost:${c.emu.port}`);
  });

  it("lists the ports", async () => {
    const r = await c.api("GET", `/v1/instances/${inst.id}/public-ports`);
    expect(r.body.data.map((p: Json) => p.port)).toEqual([8644, 3000]);
  });

  it("refuses a duplicate port with 409 public_port_exists", async () => {
    const r = await c.api("POST", `/v1/instances/${inst.id}/public-ports`, { port: 8644 });
    expect(r.status).toBe(409);
    expect(r.body.error.code).toBe("public_port_exists");
  });

  it.each([
    ["a reserved port", { port: 22022 }, "reserved"],
    ["a prefix with a trailing hyphen", { port: 4000, prefix: "bad-" }, "prefix"],
    ["a port out of range", { port: 70000 }, "1..65535"],
    ["a label over 64 characters", { port: 4000, label: "l".repeat(65) }, "64"],
  ])("refuses %s with 400", async (_label, body, fragment) => {
    const r = await c.api("POST", `/v1/instances/${inst.id}/public-ports`, body);
    expect(r.status).toBe(400);
    expect(r.body.error.message).toContain(fragment);
  });

  it("deletes a port once; a repeat is 404", async () => {
    const r = await c.api("DELETE", `/v1/instances/${inst.id}/public-ports/3000`);
    expect(r.body).toEqual({ port: 3000, deleted: true });
    expect((await c.api("DELETE", `/v1/instances/${inst.id}/public-ports/3000`)).status).toBe(404);
  });

  it("refuses the 21st port", async () => {
    const many = await c.create({});
    for (let p = 10000; p < 10020; p++) expect((await c.api("POST", `/v1/instances/${many.id}/public-ports`, { port: p })).status).toBe(201);
    const r = await c.api("POST", `/v1/instances/${many.id}/public-ports`, { port: 10020 });
    expect(r.status).toBe(400);
    expect(r.body.error.message).toContain("20");
  });

  it("answers another workspace's instance with 404", async () => {
    const r = await c.api("GET", `/v1/instances/${inst.id}/public-ports`, undefined, OTHER_KEY);
    expect(r.status).toBe(404);
  });
});

describe("budget", () => {
  let inst: Json;
  beforeAll(async () => {
    inst = await c.create({ budget: { monthly_cap_micros: 5_000_000, credit_micros: 1_000_000 } });
  });

  it("reports the budget given at create", async () => {
    const r = await c.api("GET", `/v1/instances/${inst.id}/budget`);
    expect(r.status).toBe(200);
    expect(r.body).toEqual({
      monthly_cap_micros: 5_000_000,
      monthly_consumed_micros: 0,
      monthly_remaining_micros: 5_000_000,
      monthly_period: expect.stringMatching(/^\d{4}-\d{2}$/),
      credit_remaining_micros: 1_000_000,
      updated_at: expect.any(Number),
    });
  });

  it("sets the monthly cap with PATCH", async () => {
    const r = await c.api("PATCH", `/v1/instances/${inst.id}/budget`, { monthly_cap_micros: 9_000_000 });
    expect(r.body.monthly_cap_micros).toBe(9_000_000);
  });

  it.each([["a missing cap", {}], ["a negative cap", { monthly_cap_micros: -1 }], ["a fractional cap", { monthly_cap_micros: 1.5 }]])("rejects %s with 400", async (_label, body) => {
    const r = await c.api("PATCH", `/v1/instances/${inst.id}/budget`, body);
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe("invalid_request");
  });

  it("tops up once per idempotency key", async () => {
    const first = await c.api("POST", `/v1/instances/${inst.id}/budget/top-up`, { amount_micros: 500_000, idempotency_key: "k-1" });
    const repeat = await c.api("POST", `/v1/instances/${inst.id}/budget/top-up`, { amount_micros: 500_000, idempotency_key: "k-1" });
    expect(first.body.credit_remaining_micros).toBe(1_500_000);
    expect(repeat.body.credit_remaining_micros).toBe(1_500_000);
  });

  it("rejects a non-positive top-up and a malformed idempotency key", async () => {
    expect((await c.api("POST", `/v1/instances/${inst.id}/budget/top-up`, { amount_micros: 0 })).status).toBe(400);
    expect((await c.api("POST", `/v1/instances/${inst.id}/budget/top-up`, { amount_micros: 1, idempotency_key: "bad key!" })).status).toBe(400);
  });

  it("reports zero usage for a month, and rejects a malformed month", async () => {
    const r = await c.api("GET", `/v1/instances/${inst.id}/usage?month=2026-07`);
    expect(r.body).toMatchObject({ period: "2026-07", total_micros: 0, by_integration: { llm: { calls: 0 } } });
    expect((await c.api("GET", `/v1/instances/${inst.id}/usage?month=2026-13`)).status).toBe(400);
  });
});

describe("logs and metrics", () => {
  it("returns the lifecycle lines of a running instance with its health summary", async () => {
    const inst = await c.create({});
    await c.api("POST", `/v1/instances/${inst.id}/restart`);
    const r = await c.api("GET", `/v1/instances/${inst.id}/logs?tail=50`);
    expect(r.status).toBe(200);
    expect(r.body.logs).toContain("provisioning");
    expect(r.body.health).toMatchObject({ running: true, restart_count: 1, exit_code: null, oom_suspected: false });
    expect(typeof r.body.fetched_at).toBe("number");
  });

  it("returns empty logs and no health for a stopped instance", async () => {
    const inst = await c.create({});
    await c.api("POST", `/v1/instances/${inst.id}/stop`);
    const r = await c.api("GET", `/v1/instances/${inst.id}/logs`);
    expect(r.body).toMatchObject({ logs: "", health: null });
  });

  it("rejects a non-positive tail with 400", async () => {
    const inst = await c.create({});
    expect((await c.api("GET", `/v1/instances/${inst.id}/logs?tail=0`)).status).toBe(400);
  });

  it("reports metrics limits from the shape", async () => {
    const inst = await c.create({ resources: { cpu: 4, memory: 8 } });
    const r = await c.api("GET", `/v1/instances/${inst.id}/metrics?hours=2`);
    expect(r.body.limits).toEqual({ cpu_cores: 4, memory_bytes: 8 * 1024 ** 3, disk_bytes: 6 * 1024 ** 3 });
    expect((await c.api("GET", `/v1/instances/${inst.id}/metrics?hours=337`)).status).toBe(400);
  });
});

describe("latencyMs", () => {
  it("adds the fixed latency to hosting-API responses but not to the instance plane", async () => {
    const slow = await startTest({ keys: [KEY], latencyMs: 300 });
    try {
      let t = performance.now();
      expect((await slow.api("GET", "/v1/templates")).status).toBe(200);
      expect(performance.now() - t).toBeGreaterThanOrEqual(295);
      t = performance.now();
      expect((await slow.plane("abcdefghij", "/health")).status).toBe(200);
      expect(performance.now() - t).toBeLessThan(295);
    } finally {
      await slow.close();
    }
  });
});

describe("uniform 404 on every instance route", () => {
  const routes: [string, string, unknown][] = [
    ["GET", "", undefined],
    ["PATCH", "", { name: "x" }],
    ["DELETE", "", undefined],
    ["POST", "/stop", undefined],
    ["POST", "/start", undefined],
    ["POST", "/restart", undefined],
    ["POST", "/update", undefined],
    ["POST", "/resize", { disk: 8 }],
    ["POST", "/exec", { command: "true" }],
    ["GET", "/logs", undefined],
    ["GET", "/metrics", undefined],
    ["GET", "/public-ports", undefined],
    ["POST", "/public-ports", { port: 4000 }],
    ["DELETE", "/public-ports/4000", undefined],
    ["GET", "/budget", undefined],
    ["PATCH", "/budget", { monthly_cap_micros: 1 }],
    ["POST", "/budget/top-up", { amount_micros: 1 }],
    ["GET", "/usage", undefined],
  ];

  it.each(routes)("%s /v1/instances/{id}%s answers an unknown id and another workspace's id alike", async (method, suffix, body) => {
    const foreign = await c.create({}, OTHER_KEY);
    const unknown = await c.api(method, `/v1/instances/zzzzzzzzzz${suffix}`, body);
    const other = await c.api(method, `/v1/instances/${foreign.id}${suffix}`, body);
    expect(unknown.status).toBe(404);
    expect(other.status).toBe(404);
    expect(other.body.error.code).toBe("not_found");
    expect((await c.api("GET", `/v1/instances/${foreign.id}`, undefined, OTHER_KEY)).status).toBe(200);
  });

  it("looks the instance up before validating the body: an unknown id with a bad body is still 404", async () => {
    const r = await c.api("POST", "/v1/instances/zzzzzzzzzz/resize", { cpu: "lots" });
    expect(r.status).toBe(404);
  });
});
