import { OTHER_KEY, startTest, type Json, type TestClient } from "./helpers";

let c: TestClient;
beforeAll(async () => {
  c = await startTest({ keys: ["sk_live_mainWorkspace000000000001", OTHER_KEY] });
});
afterAll(() => c.close());

describe("POST /v1/instances", () => {
  it("creates the default instance from an empty body and answers 201 with the running object", async () => {
    const r = await c.api("POST", "/v1/instances", {});
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({
      status: "running",
      template: "agent37-hermes",
      resources: { cpu: 2, memory: 4, disk: 4 },
      url: `http://${r.body.id}.localhost:${c.emu.port}`,
      status_reason: null,
      template_revision: null,
      public_ports: [],
      domain_urls: [],
      auto_sleep: false,
      idle_timeout_seconds: 300,
      past_due: false,
    });
    expect(r.body.id).toMatch(/^[a-z0-9]{10}$/);
    expect(r.body.image_digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(typeof r.body.created).toBe("number");
    expect(r.body).not.toHaveProperty("ports");
  });

  it("shows the instance as provisioning to a concurrent GET while the create is in flight", async () => {
    const emu = await startTest({ provisionMs: 300 });
    try {
      const creating = emu.create({ name: "slow" });
      const seen = await emu.until(() => emu.api("GET", "/v1/instances"), (r) => r.body.data.length === 1);
      expect(seen.body.data[0].status).toBe("provisioning");
      const created = await creating;
      expect(created.status).toBe("running");
    } finally {
      await emu.close();
    }
  });

  it("never returns env, and stores the labels it was given", async () => {
    const inst = await c.create({ name: "bot", user: "u_1", metadata: { team: "a" }, env: { SECRET_TOKEN: "abc" } });
    expect(inst).toMatchObject({ name: "bot", user: "u_1", metadata: { team: "a" } });
    expect(JSON.stringify(inst)).not.toContain("abc");
    const got = await c.api("GET", `/v1/instances/${inst.id}`);
    expect(JSON.stringify(got.body)).not.toContain("SECRET_TOKEN");
  });

  it.each([
    ["an unknown template", { template: "nope" }, "`template`"],
    ["a raw image reference", { template: "ghcr.io/acme/agent:1" }, "image reference"],
    ["@latest", { template: "agent37-hermes@latest" }, "not published"],
    ["an unlisted agent37- name", { template: "agent37-other" }, "`template`"],
    ["a shape outside the three", { resources: { cpu: 4, memory: 4 } }, "Valid shapes"],
    ["disk above the 2/4 range", { resources: { cpu: 2, memory: 4, disk: 13 } }, "`resources.disk` must be 2-12"],
    ["disk below the 8/16 range", { resources: { cpu: 8, memory: 16, disk: 1 } }, "`resources.disk` must be 2-40"],
    ["an unknown type", { type: "premium" }, "`type`"],
    ["an env key off the pattern", { env: { lower: "x" } }, "uppercase"],
    ["a reserved env name", { env: { AGENT37_INSTANCE_ID: "x" } }, "reserved"],
    ["33 env entries", { env: Object.fromEntries(Array.from({ length: 33 }, (_, i) => [`K${i}`, "v"])) }, "at most 32"],
    ["an env value over 4096 characters", { env: { BIG: "x".repeat(4097) } }, "4096"],
    ["idle_timeout_seconds below 60", { idle_timeout_seconds: 59 }, "`idle_timeout_seconds` must be an integer 60..86400"],
    ["idle_timeout_seconds above 86400", { idle_timeout_seconds: 86401 }, "60..86400"],
    ["a reserved public port", { public_ports: [{ port: 9119 }] }, "reserved"],
    ["a public-port prefix with a leading hyphen", { public_ports: [{ port: 8644, prefix: "-bad" }] }, "prefix"],
    ["a 61-character name", { name: "n".repeat(61) }, "`name` must be at most 60"],
    ["a 201-character user", { user: "u".repeat(201) }, "`user` must be at most 200"],
    ["metadata over 4 KB", { metadata: { blob: "x".repeat(5000) } }, "4 KB"],
    ["an unknown field", { surprise: true }, "unknown field `surprise`"],
  ])("rejects %s with 400 invalid_request naming the rule", async (_label, body, fragment) => {
    const r = await c.api("POST", "/v1/instances", body);
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe("invalid_request");
    expect(r.body.error.message).toContain(fragment);
  });

  it("accepts a published pinned system template and echoes the pin", async () => {
    const inst = await c.create({ template: "agent37-hermes@2026.06.18" });
    expect(inst.template).toBe("agent37-hermes@2026.06.18");
    expect(inst.image_ref).toBe("ghcr.io/agent37-platform/hermes:2026.06.18");
  });

  it("creates from the seeded port-less sandbox workspace template", async () => {
    const inst = await c.create({ template: "sandbox" });
    expect(inst).toMatchObject({ template: "sandbox", template_revision: 1, status: "running" });
  });

  it("answers a JSON body that is not an object with 400 invalid_request", async () => {
    const r = await c.api("POST", "/v1/instances", [{ name: "x" }]);
    expect(r.status).toBe(400);
    expect(r.body.error.message).toContain("JSON object");
  });

  it("answers invalid JSON with 400 invalid_request", async () => {
    const r = await c.raw("POST", "/v1/instances", { headers: { authorization: `Bearer ${c.key}` }, body: "{nope" });
    expect(r.status).toBe(400);
    expect(r.body.error).toEqual({ code: "invalid_request", message: expect.stringContaining("not valid JSON") });
  });
});

describe("GET /v1/instances", () => {
  it("lists only the caller's instances, newest first", async () => {
    const a = await c.create({ name: "first" }, OTHER_KEY);
    const b = await c.create({ name: "second" }, OTHER_KEY);
    const r = await c.api("GET", "/v1/instances", undefined, OTHER_KEY);
    expect(r.status).toBe(200);
    expect(r.body.data.map((i: Json) => i.id)).toEqual([b.id, a.id]);
  });
});

describe("GET /v1/instances/{id}", () => {
  it("returns the full object", async () => {
    const inst = await c.create({ name: "one" });
    const r = await c.api("GET", `/v1/instances/${inst.id}`);
    expect(r.status).toBe(200);
    expect(r.body).toEqual(inst);
  });

  it("answers 404 not_found for an unknown id", async () => {
    const r = await c.api("GET", "/v1/instances/zzzzzzzzzz");
    expect(r.status).toBe(404);
    expect(r.body.error.code).toBe("not_found");
  });

  it("answers another workspace's instance with the same 404 as an unknown one", async () => {
    const inst = await c.create({}, OTHER_KEY);
    const r = await c.api("GET", `/v1/instances/${inst.id}`);
    expect(r.status).toBe(404);
    expect(r.body.error.code).toBe("not_found");
  });
});

describe("PATCH /v1/instances/{id}", () => {
  it("edits labels, replaces metadata and clears with null or empty values", async () => {
    const inst = await c.create({ name: "a", user: "u", metadata: { x: 1, y: 2 } });
    const r1 = await c.api("PATCH", `/v1/instances/${inst.id}`, { metadata: { z: 3 }, auto_sleep: true, idle_timeout_seconds: 600 });
    expect(r1.status).toBe(200);
    expect(r1.body).toMatchObject({ name: "a", metadata: { z: 3 }, auto_sleep: true, idle_timeout_seconds: 600 });
    const r2 = await c.api("PATCH", `/v1/instances/${inst.id}`, { name: "", user: null, metadata: {} });
    expect(r2.body).toMatchObject({ name: null, user: null, metadata: null });
  });

  it("rejects an empty body with 400", async () => {
    const inst = await c.create({});
    const r = await c.api("PATCH", `/v1/instances/${inst.id}`, {});
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe("invalid_request");
  });

  it("rejects fields that are not patchable", async () => {
    const inst = await c.create({});
    const r = await c.api("PATCH", `/v1/instances/${inst.id}`, { template: "agent37-openclaw" });
    expect(r.status).toBe(400);
    expect(r.body.error.message).toContain("`template`");
  });

  it("answers 404 for an unknown id", async () => {
    const r = await c.api("PATCH", "/v1/instances/zzzzzzzzzz", { name: "x" });
    expect(r.status).toBe(404);
  });
});

describe("DELETE /v1/instances/{id}", () => {
  it("acts once: 200 {id, deleted: true}, then deleting, then 404 on GET and on a repeat", async () => {
    const inst = await c.create({});
    const r = await c.api("DELETE", `/v1/instances/${inst.id}`);
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ id: inst.id, deleted: true });
    const during = await c.api("GET", `/v1/instances/${inst.id}`);
    expect(during.body.status).toBe("deleting");
    const again = await c.api("DELETE", `/v1/instances/${inst.id}`);
    expect(again.status).toBe(404);
    await c.until(() => c.api("GET", `/v1/instances/${inst.id}`), (g) => g.status === 404);
    const admin = await c.admin("GET", "/_emulator/instances");
    expect(admin.body.data.find((i: Json) => i.id === inst.id).status).toBe("deleted");
  });
});

describe("hosting API authentication", () => {
  it.each([
    ["no key", {}],
    ["a malformed key", { authorization: "Bearer nope" }],
    ["an unknown key", { authorization: "Bearer sk_live_unknownUnknown000000" }],
    ["a key without Bearer", { authorization: "sk_live_mainWorkspace000000000001" }],
  ])("answers %s with 401 invalid_api_key", async (_name, headers) => {
    const r = await c.raw("GET", "/v1/instances", { headers });
    expect(r.status).toBe(401);
    expect(r.body.error.code).toBe("invalid_api_key");
  });

  it("answers an unknown /v1 path without a key with 401, and with a key with 404", async () => {
    const without = await c.raw("GET", "/v1/nothing-here");
    expect(without.status).toBe(401);
    const withKey = await c.api("GET", "/v1/nothing-here");
    expect(withKey.status).toBe(404);
    expect(withKey.body.error.code).toBe("not_found");
  });

  it("never echoes the key in an error message", async () => {
    const r = await c.raw("GET", "/v1/instances", { headers: { authorization: "Bearer sk_live_unknownUnknown000000" } });
    expect(r.text).not.toContain("sk_live_unknownUnknown000000");
  });
});
