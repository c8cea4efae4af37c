import * as net from "node:net";
import { OTHER_KEY, startTest, type Json, type TestClient } from "./helpers";

const KEY = "sk_live_planeWorkspace00000000001";
let c: TestClient;
let inst: Json;
beforeAll(async () => {
  c = await startTest({ keys: [KEY, OTHER_KEY], bootMs: 60 });
  inst = await c.create({ public_ports: [{ port: 8644 }, { port: 5000, prefix: "hooks" }] });
  await c.until(() => c.plane(inst.id, "/v1/health", { headers: { "x-agent37-key": KEY } }), (r) => r.body?.healthy === true);
});
afterAll(() => c.close());

const withKey = { "x-agent37-key": KEY };

function sse(text: string): { event: string; data: Json }[] {
  return text
    .split("\n\n")
    .filter((f) => f.trim() !== "")
    .map((frame) => {
      const event = /^event: (.*)$/m.exec(frame)?.[1] ?? "";
      const data = /^data: (.*)$/m.exec(frame)?.[1] ?? "null";
      return { event, data: JSON.parse(data) };
    });
}

describe("edge authentication (2026-08)", () => {
  it("answers /health itself without a credential", async () => {
    const r = await c.plane(inst.id, "/health");
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ ok: true });
  });

  it("answers a request without a credential with a flat 401 invalid_api_key and a docs link", async () => {
    const r = await c.plane(inst.id, "/v1/health");
    expect(r.status).toBe(401);
    expect(r.body).toMatchObject({ error: "invalid_api_key", docs: expect.stringContaining("http") });
  });

  it("accepts X-Agent37-Key", async () => {
    const r = await c.plane(inst.id, "/v1/version", { headers: withKey });
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ name: "agent37-gateway", version: expect.any(String) });
  });

  it("still accepts the deprecated Authorization: Bearer", async () => {
    const r = await c.plane(inst.id, "/v1/version", { headers: { authorization: `Bearer ${KEY}` } });
    expect(r.status).toBe(200);
  });

  it("consults only X-Agent37-Key when both are sent: an invalid one is a 401 with no fallback", async () => {
    const r = await c.plane(inst.id, "/v1/version", { headers: { "x-agent37-key": "sk_live_wrongwrongwrongwrong00", authorization: `Bearer ${KEY}` } });
    expect(r.status).toBe(401);
    expect(r.body.error).toBe("invalid_api_key");
  });

  it("answers a valid key of another workspace with 404", async () => {
    const r = await c.plane(inst.id, "/v1/version", { headers: { "x-agent37-key": OTHER_KEY } });
    expect(r.status).toBe(404);
    expect(r.body).toEqual({ error: "not_found" });
  });

  it("answers an unknown instance with 401 without a credential and 404 with one", async () => {
    expect((await c.plane("zzzzzzzzzz", "/v1/health")).status).toBe(401);
    expect((await c.plane("zzzzzzzzzz", "/v1/health", { headers: withKey })).status).toBe(404);
  });
});

describe("gateway boot and health", () => {
  it("goes unreachable (502) -> healthy:false -> healthy:true, and records healthyAt", async () => {
    // Each phase lasts 500 ms, long enough that polling cannot miss one.
    const slow = await startTest({ keys: [KEY], bootMs: 1000 });
    try {
      const created = await slow.create({});
      const seen: string[] = [];
      await slow.until(
        () => slow.plane(created.id, "/v1/health", { headers: withKey }),
        (r) => {
          const phase = r.status === 502 ? `502 ${r.body.error}` : `200 healthy=${String(r.body.healthy)}`;
          if (seen[seen.length - 1] !== phase) seen.push(phase);
          return r.body?.healthy === true;
        },
      );
      expect(seen).toEqual(["502 container_unreachable", "200 healthy=false", "200 healthy=true"]);
      const admin = await slow.admin("GET", "/_emulator/instances");
      const row = admin.body.data.find((i: Json) => i.id === created.id);
      expect(typeof row.healthyAt).toBe("number");
      expect(row.workspace).toMatch(/^ws_/);
    } finally {
      await slow.close();
    }
  });

  it("reports the documented healthy body", async () => {
    const r = await c.plane(inst.id, "/v1/health", { headers: withKey });
    expect(r.body).toEqual({ ok: true, agent: "hermes", healthy: true, hermes: true });
  });

  it("lists the echo model on GET /v1/models", async () => {
    const r = await c.plane(inst.id, "/v1/models", { headers: withKey });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ object: "list", agent: "hermes", data: [{ id: "echo-1", object: "model", is_default: true }] });
  });

  it("rejects an unknown ?agent= with 400 validation_error", async () => {
    const r = await c.plane(inst.id, "/v1/health?agent=claude", { headers: withKey });
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe("validation_error");
  });

  it("reports healthy:false for a harness that is not installed", async () => {
    const r = await c.plane(inst.id, "/v1/health?agent=openclaw", { headers: withKey });
    expect(r.body).toEqual({ ok: true, agent: "openclaw", healthy: false });
  });

  it("reboots the gateway on restart: unhealthy again until the boot completes", async () => {
    const slow = await startTest({ keys: [KEY], bootMs: 800 });
    try {
      const other = await slow.create({});
      await slow.until(() => slow.plane(other.id, "/v1/health", { headers: withKey }), (r) => r.body?.healthy === true);
      await slow.api("POST", `/v1/instances/${other.id}/restart`);
      const after = await slow.plane(other.id, "/v1/health", { headers: withKey });
      expect(after.body?.healthy).not.toBe(true);
      await slow.until(() => slow.plane(other.id, "/v1/health", { headers: withKey }), (r) => r.body?.healthy === true);
    } finally {
      await slow.close();
    }
  });

  it("answers a stopped instance with 502 container_unavailable", async () => {
    const other = await c.create({});
    await c.api("POST", `/v1/instances/${other.id}/stop`);
    const r = await c.plane(other.id, "/v1/health", { headers: withKey });
    expect(r.status).toBe(502);
    expect(r.body).toEqual({ error: "container_unavailable" });
  });

  it("answers a port-less sandbox instance's URL with 502 container_unreachable", async () => {
    const sandbox = await c.create({ template: "sandbox" });
    const r = await c.plane(sandbox.id, "/v1/health", { headers: withKey });
    expect(r.status).toBe(502);
    expect(r.body).toEqual({ error: "container_unreachable" });
  });

  it("answers a deleted instance with 404", async () => {
    const other = await c.create({});
    await c.api("DELETE", `/v1/instances/${other.id}`);
    await c.until(() => c.api("GET", `/v1/instances/${other.id}`), (r) => r.status === 404);
    const r = await c.plane(other.id, "/v1/health", { headers: withKey });
    expect(r.status).toBe(404);
  });

  it("answers an unknown gateway route with the Agent API envelope", async () => {
    const r = await c.plane(inst.id, "/v1/nope", { headers: withKey });
    expect(r.status).toBe(404);
    expect(r.body.error).toEqual({ code: "not_found", message: "No route for GET /v1/nope." });
  });
});

describe("preview and public-port hosts", () => {
  it("serves a listening port at {id}-{port} with the key", async () => {
    const r = await c.plane(`${inst.id}-9119`, "/", { headers: withKey });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ instance: inst.id, port: 9119 });
  });

  it("serves the gateway at {id}-3737 too", async () => {
    const r = await c.plane(`${inst.id}-3737`, "/v1/version", { headers: withKey });
    expect(r.status).toBe(200);
  });

  it("answers a port with nothing listening with 502 container_unreachable", async () => {
    const r = await c.plane(`${inst.id}-4321`, "/", { headers: withKey });
    expect(r.status).toBe(502);
    expect(r.body.error).toBe("container_unreachable");
  });

  it("requires the key on preview hosts", async () => {
    expect((await c.plane(`${inst.id}-9119`, "/")).status).toBe(401);
  });

  it("serves a slug public port without any credential", async () => {
    const slugUrl: string = inst.public_ports.find((p: Json) => p.port === 8644).url;
    const label = new URL(slugUrl).hostname.split(".")[0] ?? "";
    expect(label).toMatch(/^[a-z0-9]{20}$/);
    const r = await c.plane(label, "/webhook");
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ port: 8644, path: "/webhook" });
  });

  it("routes a prefixed public port at {prefix}-{id}; nothing listens on 5000 so it is 502", async () => {
    const entry = inst.public_ports.find((p: Json) => p.port === 5000);
    expect(entry.url).toBe(`http://hooks-${inst.id}.localhost:${c.emu.port}`);
    const r = await c.plane(`hooks-${inst.id}`, "/");
    expect(r.status).toBe(502);
  });

  it("answers a stopped instance's public port with 503 unavailable", async () => {
    const other = await c.create({ public_ports: [{ port: 8644 }] });
    await c.api("POST", `/v1/instances/${other.id}/stop`);
    const label = new URL(other.public_ports[0].url).hostname.split(".")[0] ?? "";
    const r = await c.plane(label, "/");
    expect(r.status).toBe(503);
    expect(r.body).toEqual({ error: "unavailable" });
  });
});

describe("POST /v1/responses", () => {
  it("answers one JSON response object from the echo agent", async () => {
    const r = await c.plane(inst.id, "/v1/responses", { method: "POST", headers: withKey, body: { input: "hello there" } });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ status: "completed", agent: "hermes", output_text: "Echo: hello there", error: null });
    expect(r.body.id).toMatch(/^[0-9a-f]{32}$/);
    expect(r.body.session_id).toMatch(/^[0-9a-f]{32}$/);
  });

  it("continues a session given its id", async () => {
    const first = await c.plane(inst.id, "/v1/responses", { method: "POST", headers: withKey, body: { input: "one" } });
    const second = await c.plane(inst.id, "/v1/responses", { method: "POST", headers: withKey, body: { input: "two", session_id: first.body.session_id } });
    expect(second.body.session_id).toBe(first.body.session_id);
    const session = await c.plane(inst.id, `/v1/sessions/${first.body.session_id}`, { headers: withKey });
    expect(session.body.history.map((m: Json) => m.content)).toEqual(["one", "Echo: one", "two", "Echo: two"]);
  });

  it("streams SSE with the documented event names and exactly one terminal event", async () => {
    const r = await c.plane(inst.id, "/v1/responses", { method: "POST", headers: withKey, body: { input: "stream me please", stream: true } });
    expect(r.status).toBe(200);
    expect(String(r.headers["content-type"])).toContain("text/event-stream");
    const events = sse(r.text);
    expect(events[0]?.event).toBe("response.created");
    const terminal = events.filter((e) => e.event === "response.completed" || e.event === "response.failed");
    expect(terminal).toHaveLength(1);
    expect(events[events.length - 1]?.event).toBe("response.completed");
    const deltas = events.filter((e) => e.event === "response.output_text.delta").map((e) => e.data.text as string);
    expect(deltas.join("")).toBe("Echo: stream me please");
    expect(events[events.length - 1]?.data.output_text).toBe("Echo: stream me please");
  });

  it("ends a failing streamed turn with response.failed", async () => {
    const r = await c.plane(inst.id, "/v1/responses", { method: "POST", headers: withKey, body: { input: "/fail now", stream: true } });
    const events = sse(r.text);
    expect(events.map((e) => e.event)).toEqual(["response.created", "response.failed"]);
    expect(events[1]?.data.error.code).toBe("agent_error");
  });

  it("reports a failing unstreamed turn as a 200 with status failed", async () => {
    const r = await c.plane(inst.id, "/v1/responses", { method: "POST", headers: withKey, body: { input: "/fail" } });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ status: "failed", error: { code: "agent_error" } });
  });

  it.each([
    ["a missing input", { stream: false }],
    ["an empty input", { input: "" }],
    ["goal mode", { input: "x", mode: "goal" }],
  ])("rejects %s with 400 validation_error", async (_label, body) => {
    const r = await c.plane(inst.id, "/v1/responses", { method: "POST", headers: withKey, body });
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe("validation_error");
  });

  it("answers 503 agent_unavailable for an agent the instance does not have", async () => {
    const r = await c.plane(inst.id, "/v1/responses", { method: "POST", headers: withKey, body: { input: "x", agent: "openclaw" } });
    expect(r.status).toBe(503);
    expect(r.body.error.code).toBe("agent_unavailable");
  });

  it("answers 503 agent_unavailable while the gateway is up but the agent still boots", async () => {
    const slow = await startTest({ keys: [KEY], bootMs: 2000 });
    try {
      const created = await slow.create({});
      await slow.until(() => slow.plane(created.id, "/v1/health", { headers: withKey }), (r) => r.status === 200);
      const r = await slow.plane(created.id, "/v1/responses", { method: "POST", headers: withKey, body: { input: "too early" } });
      expect(r.status).toBe(503);
      expect(r.body.error.code).toBe("agent_unavailable");
    } finally {
      await slow.close();
    }
  });

  it("lists the instance's sessions, most recently active first", async () => {
    const a = await c.plane(inst.id, "/v1/responses", { method: "POST", headers: withKey, body: { input: "older" } });
    const b = await c.plane(inst.id, "/v1/responses", { method: "POST", headers: withKey, body: { input: "newer" } });
    const r = await c.plane(inst.id, "/v1/sessions", { headers: withKey });
    const ids = r.body.data.map((s: Json) => s.id);
    expect(r.body.agent).toBe("hermes");
    expect(ids.indexOf(b.body.session_id)).toBeLessThan(ids.indexOf(a.body.session_id));
  });

  it("rejects a body that is not JSON with 400 validation_error", async () => {
    const r = await c.plane(inst.id, "/v1/responses", { method: "POST", headers: withKey, body: "{oops" });
    expect(r.status).toBe(400);
    expect(r.body.error).toEqual({ code: "validation_error", message: "Request body is not valid JSON." });
  });
});

describe("WebSocket upgrades", () => {
  function upgrade(label: string, headers: Record<string, string>): Promise<string> {
    return new Promise((resolve, reject) => {
      const socket = net.connect(c.emu.port, "127.0.0.1");
      let data = "";
      socket.on("data", (d) => (data += d.toString()));
      socket.on("end", () => resolve(data));
      socket.on("close", () => resolve(data));
      socket.on("error", reject);
      const extra = Object.entries(headers).map(([k, v]) => `${k}: ${v}\r\n`).join("");
      socket.write(
        `GET /ws HTTP/1.1\r\nHost: ${label}.localhost:${c.emu.port}\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n${extra}\r\n`,
      );
    });
  }

  it("refuses an authenticated upgrade with 502 and never switches protocols", async () => {
    const raw = await upgrade(inst.id, withKey);
    expect(raw.startsWith("HTTP/1.1 502")).toBe(true);
    expect(raw).not.toContain("101");
    expect(raw).toContain('"error":"container_unreachable"');
  });

  it("authenticates the upgrade first: no credential is a 401", async () => {
    const raw = await upgrade(inst.id, {});
    expect(raw.startsWith("HTTP/1.1 401")).toBe(true);
  });
});
