// Updates and deletes survive the faults a retry can save, without doing anything twice.
import type { Agent37InstanceProvider } from "../../provider/front/dynamic/instance";
import { EmulatorFixture, type Json } from "../harness/emulator-fixture";

describe("updates under faults", () => {
  let fx: EmulatorFixture;
  let p: Agent37InstanceProvider;
  beforeAll(async () => {
    fx = await EmulatorFixture.start();
    p = fx.provider({ client: { retryPolicy: { baseDelayMs: 5 } } });
  });
  afterAll(async () => fx.close());
  beforeEach(async () => fx.clearFaults());

  it("finishes a resize whose response was lost after the server acted", async () => {
    const c = await p.create({ resources: { cpu: 2, memory: 4 } });
    await fx.faults([{ method: "POST", path: "/v1/instances/*/resize", kind: "reset-after", count: 1 }]);
    await fx.clearRequests();
    const u = await p.update(c.id, c.outs, { resources: { cpu: 4, memory: 8 } });
    expect(u.outs.resources).toMatchObject({ cpu: 4, memory: 8 });
    const resizes = (await fx.requestLog()).filter((e: Json) => e.route === "POST /v1/instances/:id/resize");
    expect(resizes.length).toBe(2);
    expect(resizes[0].status).toBe(0);
  });

  it("finishes a stop whose response was lost after the server acted", async () => {
    const c = await p.create({});
    await fx.faults([{ method: "POST", path: "/v1/instances/*/stop", kind: "reset-after", count: 1 }]);
    const u = await p.update(c.id, c.outs, { state: "stopped" });
    expect(u.outs.status).toBe("stopped");
  });

  it("retries a start refused for lack of capacity", async () => {
    const c = await p.create({ state: "stopped" });
    await fx.faults([{ method: "POST", path: "/v1/instances/*/start", kind: "status", status: 409, code: "capacity_unavailable", count: 1 }]);
    await fx.clearRequests();
    const u = await p.update(c.id, c.outs, { state: "running" });
    expect(u.outs.status).toBe("running");
    expect((await fx.apiCalls())["POST /v1/instances/:id/start"]).toBe(2);
  });

  it("retries a PATCH answered 502 by the edge", async () => {
    const c = await p.create({ name: "a" });
    await fx.faults([{ method: "PATCH", path: "/v1/instances/*", kind: "status", status: 502, count: 1 }]);
    const u = await p.update(c.id, c.outs, { name: "b" });
    expect(u.outs.name).toBe("b");
  });

  it("re-adds nothing when a public-port add is retried after the server acted", async () => {
    const c = await p.create({});
    await fx.faults([{ method: "POST", path: "/v1/instances/*/public-ports", kind: "reset-after", count: 1 }]);
    const u = await p.update(c.id, c.outs, { publicPorts: [{ port: 8644 }] });
    expect(u.outs.publicPorts.map((x: Json) => x.port)).toEqual([8644]);
  });

  it("deletes when the delete response was lost after the server acted", async () => {
    const c = await p.create({ health: { disabled: true } });
    await fx.faults([{ method: "DELETE", path: "/v1/instances/*", kind: "reset-after", count: 1 }]);
    await p.delete(c.id, c.outs);
    expect((await fx.instances()).find((i: Json) => i.id === c.id).status).toBe("deleted");
  });
});
