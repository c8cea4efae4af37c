/**
 * Inputs and drift that must not turn into endless changes or silence, through Pulumi's provider
 * host: `null` in the inputs means "omitted" everywhere, so an unchanged program plans no change;
 * an instance that turned `failed` outside Pulumi is repaired by the next `up` after a refresh.
 */
import { Engine, HostError } from "../harness";
import { inputsOf, startRig, TYPE, type Rig } from "./helpers";

let rig: Rig;
beforeAll(async () => {
  rig = await startRig({ bootMs: 50 });
});
afterAll(async () => rig?.close());
beforeEach(async () => {
  await rig.admin.clearFaults();
  await rig.admin.clearRequests();
});

describe("null values in the inputs", () => {
  it.each([
    ["env: {FOO: null}", { env: { FOO: null, BAR: "kept-value" } }],
    ["metadata: {owner: null}", { metadata: { owner: null, team: "a" } }],
    ["metadata: null", { metadata: null }],
    ["budget: {creditMicros: null}", { budget: { monthlyCapMicros: 1_000_000, creditMicros: null } }],
    ["publicPorts: [{prefix: null}]", { publicPorts: [{ port: 8644, prefix: null }] }],
    ["resources: {disk: null}", { resources: { cpu: 2, memory: 4, disk: null } }],
  ])("two ups of an unchanged program with %s: the second plans no change", async (label, args) => {
    const name = `nulls-${label.replace(/[^a-z]+/gi, "-").slice(0, 40)}`;
    const engine = new Engine(rig.host);
    const inputs = await inputsOf({ name, ...args });
    const first = await engine.register(TYPE, name, inputs);
    expect(first.op).toBe("create");
    // `check` hands back the inputs without the nulls; the engine stores those.
    expect(JSON.stringify(engine.state.get(engine.urn(TYPE, name))?.inputs)).not.toContain(":null");

    await rig.admin.clearRequests();
    const preview = await engine.register(TYPE, name, inputs, { preview: true });
    expect(preview.op).toBe("same");
    const second = await engine.register(TYPE, name, inputs);
    expect(second).toMatchObject({ op: "same", id: first.id });
    expect((await rig.admin.apiRequestCount())).toBe(0);
    await engine.destroy();
  });
});

describe("an instance that turned failed outside Pulumi", () => {
  it("is repaired by the next up after a refresh: an update in place, same id, running and healthy", async () => {
    const engine = new Engine(rig.host);
    const inputs = await inputsOf({ name: "drifted" });
    const created = await engine.register(TYPE, "drifted", inputs);
    await rig.admin.fail(created.id, { message: "The container crashed." });

    const [refreshed] = await engine.refresh();
    expect(refreshed?.gone).toBe(false);
    expect(engine.state.get(engine.urn(TYPE, "drifted"))?.outputs).toMatchObject({ status: "failed", statusReason: expect.objectContaining({ message: "The container crashed." }) });

    const plan = await engine.register(TYPE, "drifted", inputs, { preview: true });
    expect(plan.op).toBe("update");
    await rig.admin.clearRequests();
    const repaired = await engine.register(TYPE, "drifted", inputs);
    expect(repaired).toMatchObject({ op: "update", id: created.id });
    expect(repaired.outputs).toMatchObject({ status: "running", statusReason: null, health: expect.objectContaining({ healthy: true }) });
    const { counters } = await rig.admin.requests();
    expect(counters["POST /v1/instances/:id/update"]).toBe(1);
    expect(counters["POST /v1/instances"]).toBeUndefined();
    expect((await rig.admin.instance(created.id))?.status).toBe("running");

    // Repaired: the next plan is "same".
    await engine.refresh();
    expect((await engine.register(TYPE, "drifted", inputs, { preview: true })).op).toBe("same");
    await engine.destroy();
  });

  it("keeps the desired stopped state: repaired, then stopped", async () => {
    const engine = new Engine(rig.host);
    const inputs = await inputsOf({ name: "drifted-stopped", state: "stopped" });
    const created = await engine.register(TYPE, "drifted-stopped", inputs);
    await rig.admin.fail(created.id);
    await engine.refresh();
    const repaired = await engine.register(TYPE, "drifted-stopped", inputs);
    expect(repaired).toMatchObject({ op: "update", id: created.id, outputs: expect.objectContaining({ status: "stopped" }) });
    await engine.destroy();
  });

  it("fails up with what to do when the repair is refused, and leaves the instance in state", async () => {
    const engine = new Engine(rig.host);
    const inputs = await inputsOf({ name: "unrepairable" });
    const created = await engine.register(TYPE, "unrepairable", inputs);
    await rig.admin.fail(created.id);
    await engine.refresh();
    await rig.admin.setFaults([{ method: "POST", path: "/v1/instances/*/update", kind: "status", status: 400, code: "invalid_request", message: "This instance cannot be updated." }]);
    const error = await engine.register(TYPE, "unrepairable", inputs).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(HostError);
    expect((error as Error).message).toContain(`updating Agent37 instance ${created.id}`);
    expect((error as Error).message).toContain("This instance cannot be updated.");
    expect((error as Error).message).toContain("What to do:");
    expect(engine.state.get(engine.urn(TYPE, "unrepairable"))?.id).toBe(created.id);
    await rig.admin.clearFaults();
    await engine.destroy();
  });
});
