import type { Agent37InstanceProvider } from "../../provider/front/dynamic/instance";
import { EmulatorFixture, type Json } from "../harness/emulator-fixture";

describe("adoptInstanceId", () => {
  let fx: EmulatorFixture;
  let p: Agent37InstanceProvider;
  beforeAll(async () => {
    fx = await EmulatorFixture.start();
    p = fx.provider();
  });
  afterAll(async () => fx.close());

  it("takes over an existing instance and reconciles it instead of creating one", async () => {
    const existing = (await fx.api("POST", "/v1/instances", { name: "hand-made" })).body;
    await fx.clearRequests();
    const before = (await fx.instances()).length;
    const r = await p.create({ adoptInstanceId: existing.id, name: "adopted", ports: [9119] });
    expect(r.id).toBe(existing.id);
    expect(r.outs).toMatchObject({ instanceId: existing.id, name: "adopted", adoptInstanceId: existing.id, url: existing.url });
    expect(r.outs.health).toMatchObject({ ok: true });
    expect((await fx.instances()).length).toBe(before);
    const calls = await fx.apiCalls();
    expect(calls["POST /v1/instances"]).toBeUndefined();
    expect(calls["PATCH /v1/instances/:id"]).toBe(1);
  });

  it("fails clearly when the instance to adopt does not exist", async () => {
    await expect(p.create({ adoptInstanceId: "zz00zz00zz" })).rejects.toThrow("adoptInstanceId zz00zz00zz: no such instance in this workspace");
  });
});

describe("workspace templates", () => {
  let fx: EmulatorFixture;
  beforeAll(async () => {
    fx = await EmulatorFixture.start();
  });
  afterAll(async () => fx.close());

  it("reads a workspace template once per provider process, not once per instance", async () => {
    const p = fx.provider();
    await fx.clearRequests();
    await p.create({ template: "sandbox" });
    await p.create({ template: "sandbox" });
    expect((await fx.apiCalls())["GET /v1/templates/:name"]).toBe(1);
  });

  it("does not look up system templates (their gateway port is 3737)", async () => {
    await fx.clearRequests();
    await fx.provider().create({ template: "agent37-openclaw" });
    expect((await fx.apiCalls())["GET /v1/templates/:name"]).toBeUndefined();
  });

  it("a port-less sandbox updates, refreshes and deletes like any instance, keeping its own URL", async () => {
    const p = fx.provider();
    const c = await p.create({ template: "sandbox", name: "box" });
    const url = `http://${c.id}.localhost:${fx.emu.port}`;
    const u = await p.update(c.id, c.outs, { template: "sandbox", name: "box2", state: "stopped" });
    expect(u.outs).toMatchObject({ name: "box2", status: "stopped", url, ports: [{ port: 3737, default: true, url }] });
    const r = await p.read(c.id, u.outs);
    expect(r.props).toMatchObject({ name: "box2", url, health: null });
    await p.delete(c.id, r.props as Json);
    expect((await fx.api("GET", `/v1/instances/${c.id}`)).status).toBe(404);
  });
});
