import { diffInstance } from "../../provider/instance/diff";
import type { Agent37InstanceProvider } from "../../provider/front/dynamic/instance";
import { EmulatorFixture, type Json } from "../harness/emulator-fixture";

describe("read (refresh) reflects out-of-band changes", () => {
  let fx: EmulatorFixture;
  let p: Agent37InstanceProvider;
  beforeAll(async () => {
    fx = await EmulatorFixture.start();
    p = fx.provider();
  });
  afterAll(async () => fx.close());

  const news = { name: "managed", env: { A: "1" }, ports: [9119], budget: { monthlyCapMicros: 5 }, type: "dedicated" as const };

  it("sees a rename, and the next diff plans to rename it back", async () => {
    const c = await p.create(news);
    await fx.api("PATCH", `/v1/instances/${c.id}`, { name: "renamed-by-hand" });
    const r = await p.read(c.id, c.outs);
    expect(r.id).toBe(c.id);
    expect(r.props.name).toBe("renamed-by-hand");
    expect(r.inputs.name).toBe("renamed-by-hand");
    expect(diffInstance(r.props, news)).toEqual({ changes: true, replaces: [], deleteBeforeReplace: false });
  });

  it("sees a stop, as status and as the state input", async () => {
    const c = await p.create(news);
    await fx.api("POST", `/v1/instances/${c.id}/stop`);
    const r = await p.read(c.id, c.outs);
    expect(r.props.status).toBe("stopped");
    expect(r.inputs.state).toBe("stopped");
    expect(diffInstance(r.props, news).changes).toBe(true);
  });

  it("sees a resize, and a program still asking for the smaller size plans a replace", async () => {
    const c = await p.create({ ...news, resources: { cpu: 2, memory: 4 } });
    await fx.api("POST", `/v1/instances/${c.id}/resize`, { cpu: 4, memory: 8 });
    const r = await p.read(c.id, c.outs);
    expect(r.props.resources).toMatchObject({ cpu: 4, memory: 8 });
    expect(r.inputs.resources).toMatchObject({ cpu: 4, memory: 8 });
    expect(diffInstance(r.props, { ...news, resources: { cpu: 2, memory: 4 } }).replaces).toEqual(["resources"]);
  });

  it("returns an empty id for an instance deleted out of band", async () => {
    const c = await p.create(news);
    await fx.api("DELETE", `/v1/instances/${c.id}`);
    expect(await p.read(c.id, c.outs)).toEqual({ id: "" });
  });

  it("keeps inputs the API never returns (env, budget, ports, type) from recorded state", async () => {
    const c = await p.create(news);
    const r = await p.read(c.id, c.outs);
    expect(r.inputs).toMatchObject({ env: { A: "1" }, ports: [9119], budget: { monthlyCapMicros: 5 }, type: "dedicated" });
    expect(r.props).toMatchObject({ env: { A: "1" }, requestedPorts: [9119], health: c.outs.health });
    expect(diffInstance(r.props, news).changes).toBe(false);
  });

  it("returns no undefined anywhere", async () => {
    const c = await p.create({});
    const r = await p.read(c.id, {});
    const walk = (v: unknown): boolean =>
      v === undefined || (v !== null && typeof v === "object" && Object.values(v as object).some(walk));
    expect(walk(r)).toBe(false);
  });
});

describe("delete", () => {
  let fx: EmulatorFixture;
  let p: Agent37InstanceProvider;
  beforeAll(async () => {
    fx = await EmulatorFixture.start({ deleteMs: 150 });
    p = fx.provider();
  });
  afterAll(async () => fx.close());
  beforeEach(async () => fx.clearFaults());

  it("deletes and waits until the id reads as gone", async () => {
    const c = await p.create({ health: { disabled: true } });
    await p.delete(c.id, c.outs);
    expect((await fx.api("GET", `/v1/instances/${c.id}`)).status).toBe(404);
  });

  it("treats an instance already gone as success, confirming with one read", async () => {
    const c = await p.create({ health: { disabled: true } });
    await fx.api("DELETE", `/v1/instances/${c.id}`);
    await expect(p.delete(c.id, c.outs)).resolves.toBeUndefined();
  });

  it("treats an id that never existed as success", async () => {
    await expect(p.delete("zz00zz00zz", {})).resolves.toBeUndefined();
  });

  it("retries a delete refused with try_again while the instance is mid-transition", async () => {
    const c = await p.create({ health: { disabled: true } });
    await fx.faults([{ method: "DELETE", path: "/v1/instances/*", kind: "status", status: 409, code: "try_again", count: 2 }]);
    await fx.clearRequests();
    await fx.provider({ client: { retryPolicy: { baseDelayMs: 5 } } }).delete(c.id, c.outs);
    expect((await fx.apiCalls())["DELETE /v1/instances/:id"]).toBe(3);
    expect((await fx.instances()).find((i: Json) => i.id === c.id).status).toBe("deleted");
  });

  it("percent-encodes ids taken from state", async () => {
    await fx.clearRequests();
    await expect(p.delete("../templates", {})).resolves.toBeUndefined();
    const log = await fx.requestLog();
    expect(new Set(log.map((e: Json) => e.path))).toEqual(new Set(["/v1/instances/..%2Ftemplates"]));
  });
});

describe("read of state written by an earlier version", () => {
  let fx: EmulatorFixture;
  beforeAll(async () => {
    fx = await EmulatorFixture.start();
  });
  afterAll(async () => fx.close());

  it("keeps the extra port URLs of state recorded without requestedPorts", async () => {
    const p = fx.provider();
    const c = await p.create({ ports: [9119] });
    const old: Record<string, unknown> = { ...c.outs };
    delete old.requestedPorts;
    delete old.env;
    const r = await p.read(c.id, old);
    expect(r.props.portUrls["9119"]).toBe(c.outs.portUrls["9119"]);
    expect(r.inputs.ports).toEqual([9119]);
  });
});
