// Each in-place change makes exactly the expected hosting-API calls, counted on the emulator.
import type { Agent37InstanceProvider } from "../../provider/front/dynamic/instance";
import { EmulatorFixture, type Json } from "../harness/emulator-fixture";

const BASE = {
  name: "upd",
  user: "u_1",
  metadata: { team: "a" },
  publicPorts: [{ port: 8644, prefix: "hooks" }],
  budget: { monthlyCapMicros: 1_000_000 },
};

const GET = "GET /v1/instances/:id";
const PATCH = "PATCH /v1/instances/:id";

async function fresh(fx: EmulatorFixture, p: Agent37InstanceProvider, extra: Json = {}): Promise<{ id: string; outs: Json; news: Json }> {
  const news = { ...BASE, ...extra };
  const r = await p.create(news);
  await fx.clearRequests();
  return { id: r.id, outs: r.outs, news };
}

function apiRoutesInOrder(log: Json[]): string[] {
  return log.filter((e) => e.plane === "api").map((e) => e.route);
}

for (const mode of ["blocking", "async"] as const) {
  describe(`update makes exactly the calls a change needs (lifecycle ${mode})`, () => {
    let fx: EmulatorFixture;
    let p: Agent37InstanceProvider;
    beforeAll(async () => {
      fx = await EmulatorFixture.start({ lifecycleMode: mode });
      p = fx.provider();
    });
    afterAll(async () => fx.close());

    it("renames with one PATCH", async () => {
      const { id, outs, news } = await fresh(fx, p);
      const r = await p.update(id, outs, { ...news, name: "renamed" });
      expect(await fx.apiCalls()).toEqual({ [PATCH]: 1 });
      expect(r.outs.name).toBe("renamed");
    });

    it("changes user, metadata and auto-sleep together with one PATCH", async () => {
      const { id, outs, news } = await fresh(fx, p);
      const r = await p.update(id, outs, { ...news, user: "u_2", metadata: { team: "b" }, autoSleep: true, idleTimeoutSeconds: 120 });
      expect(await fx.apiCalls()).toEqual({ [PATCH]: 1 });
      expect(r.outs).toMatchObject({ user: "u_2", metadata: { team: "b" }, autoSleep: true, idleTimeoutSeconds: 120 });
    });

    it("clears the name with a PATCH when set to an empty string", async () => {
      const { id, outs, news } = await fresh(fx, p);
      const r = await p.update(id, outs, { ...news, name: "" });
      expect(await fx.apiCalls()).toEqual({ [PATCH]: 1 });
      expect(r.outs.name).toBeNull();
    });

    it("changes the monthly budget cap with one budget PATCH", async () => {
      const { id, outs, news } = await fresh(fx, p);
      const r = await p.update(id, outs, { ...news, budget: { monthlyCapMicros: 9_000_000 } });
      expect(await fx.apiCalls()).toEqual({ "PATCH /v1/instances/:id/budget": 1, [GET]: 1 });
      expect(r.outs.budget).toEqual({ monthlyCapMicros: 9_000_000, creditMicros: null });
      const budget = await fx.api("GET", `/v1/instances/${id}/budget`);
      expect(budget.body.monthly_cap_micros).toBe(9_000_000);
    });

    it("moves to another template with one update call, keeping id and URL, and re-runs the gate", async () => {
      const { id, outs, news } = await fresh(fx, p);
      const r = await p.update(id, outs, { ...news, template: "agent37-openclaw" });
      const calls = await fx.apiCalls();
      expect(calls["POST /v1/instances/:id/update"]).toBe(1);
      expect(Object.keys(calls).sort()).toEqual([GET, "POST /v1/instances/:id/update"]);
      expect(r.outs).toMatchObject({ instanceId: id, url: outs.url, template: "agent37-openclaw" });
      expect((await fx.requestLog()).some((e: Json) => e.route === "GET instance:/v1/health")).toBe(true);
    });

    it("grows resources with one resize call and re-runs the gate", async () => {
      const { id, outs, news } = await fresh(fx, p);
      const r = await p.update(id, outs, { ...news, resources: { cpu: 4, memory: 8 } });
      const calls = await fx.apiCalls();
      expect(calls["POST /v1/instances/:id/resize"]).toBe(1);
      expect(Object.keys(calls).sort()).toEqual([GET, "POST /v1/instances/:id/resize"]);
      expect(r.outs.resources).toMatchObject({ cpu: 4, memory: 8 });
      expect((await fx.requestLog()).some((e: Json) => e.route === "GET instance:/v1/health")).toBe(true);
    });

    it("adds a public port with one POST", async () => {
      const { id, outs, news } = await fresh(fx, p);
      const r = await p.update(id, outs, { ...news, publicPorts: [...news.publicPorts, { port: 18789, label: "Control" }] });
      expect(await fx.apiCalls()).toEqual({ "POST /v1/instances/:id/public-ports": 1, [GET]: 1 });
      expect(r.outs.publicPorts.map((x: Json) => [x.port, x.label])).toEqual([
        [8644, null],
        [18789, "Control"],
      ]);
    });

    it("removes a public port with one DELETE", async () => {
      const { id, outs, news } = await fresh(fx, p);
      const r = await p.update(id, outs, { ...news, publicPorts: [] });
      expect(await fx.apiCalls()).toEqual({ "DELETE /v1/instances/:id/public-ports/:port": 1, [GET]: 1 });
      expect(r.outs.publicPorts).toEqual([]);
    });

    it("changes a public port's prefix by removing and re-adding it", async () => {
      const { id, outs, news } = await fresh(fx, p);
      const r = await p.update(id, outs, { ...news, publicPorts: [{ port: 8644, prefix: "webhooks" }] });
      expect(apiRoutesInOrder(await fx.requestLog())).toEqual([
        "DELETE /v1/instances/:id/public-ports/:port",
        "POST /v1/instances/:id/public-ports",
        GET,
      ]);
      expect(r.outs.publicPorts[0].url).toContain(`webhooks-${id}`);
    });

    it("stops with one stop call and no gate", async () => {
      const { id, outs, news } = await fresh(fx, p);
      const r = await p.update(id, outs, { ...news, state: "stopped" });
      const calls = await fx.apiCalls();
      expect(calls["POST /v1/instances/:id/stop"]).toBe(1);
      expect(Object.keys(calls).sort()).toEqual([GET, "POST /v1/instances/:id/stop"]);
      expect(r.outs.status).toBe("stopped");
      expect((await fx.requestLog()).filter((e: Json) => e.plane === "instance")).toEqual([]);
    });

    it("starts a stopped instance with one start call and re-runs the gate", async () => {
      const { id, outs, news } = await fresh(fx, p, { state: "stopped" });
      const r = await p.update(id, outs, { ...news, state: "running" });
      const calls = await fx.apiCalls();
      expect(calls["POST /v1/instances/:id/start"]).toBe(1);
      expect(Object.keys(calls).sort()).toEqual([GET, "POST /v1/instances/:id/start"]);
      expect(r.outs.status).toBe("running");
      expect(r.outs.health).toMatchObject({ ok: true, healthy: true });
    });

    it("changes only outputs for a new extra port: one read, no write", async () => {
      const { id, outs, news } = await fresh(fx, p);
      const r = await p.update(id, outs, { ...news, ports: [9119] });
      expect(await fx.apiCalls()).toEqual({ [GET]: 1 });
      expect(r.outs.portUrls["9119"]).toBe(`http://${id}-9119.localhost:${fx.emu.port}`);
    });

    it("applies several changes at once in a safe order, each call once", async () => {
      const { id, outs, news } = await fresh(fx, p);
      const r = await p.update(id, outs, {
        ...news,
        name: "multi",
        budget: { monthlyCapMicros: 2_000_000 },
        template: "agent37-hermes-small",
        resources: { cpu: 4, memory: 8, disk: 8 },
        publicPorts: [{ port: 8644, prefix: "hooks" }, { port: 9000 }],
        state: "stopped",
      });
      const order = apiRoutesInOrder(await fx.requestLog()).filter((route) => route !== GET);
      expect(order).toEqual([
        PATCH,
        "PATCH /v1/instances/:id/budget",
        "POST /v1/instances/:id/update",
        "POST /v1/instances/:id/resize",
        "POST /v1/instances/:id/public-ports",
        "POST /v1/instances/:id/stop",
      ]);
      expect(r.outs).toMatchObject({ name: "multi", template: "agent37-hermes-small", resources: { cpu: 4, memory: 8, disk: 8 }, status: "stopped" });
    });

    it("starts a stopped instance before a resize it keeps stopped, then stops it again", async () => {
      const { id, outs, news } = await fresh(fx, p, { state: "stopped" });
      const r = await p.update(id, outs, { ...news, state: "stopped", resources: { disk: 10 } });
      const order = apiRoutesInOrder(await fx.requestLog()).filter((route) => route !== GET);
      expect(order).toEqual(["POST /v1/instances/:id/start", "POST /v1/instances/:id/resize", "POST /v1/instances/:id/stop"]);
      expect(r.outs).toMatchObject({ status: "stopped", resources: { disk: 10 } });
    });
  });
}
