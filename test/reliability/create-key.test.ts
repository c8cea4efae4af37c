/**
 * One create key, one create at a time. Before POSTing, a create takes over or deletes whatever
 * instance carries its create key; two resources whose inputs carry the same key (copied from
 * another resource's inputs instead of derived by Agent37Instance) would take over or delete
 * each other's instance mid-create. The second create under a key in flight is refused before
 * it sends anything, and the first finishes untouched.
 */
import { markerOf } from "../../provider/instance/create-token";
import type { InstanceContext } from "../../provider/instance/context";
import { createKeyOf } from "../../provider/instance/resource";
import { Engine } from "../harness";
import { PENDING_CREATE_KEY, inputsOf, startRig, TYPE, type Rig } from "./helpers";

let rig: Rig;
beforeAll(async () => {
  // A boot long enough that the first create is still waiting for health when the second arrives.
  rig = await startRig({ provisionMs: 200, bootMs: 1_500 });
});
afterAll(async () => rig?.close());

async function until<T>(what: string, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe("two resources whose inputs carry the same create key", () => {
  it("refuses the second create while the first is under way, and the first instance survives", async () => {
    const engine = new Engine(rig.host);
    const createKey = createKeyOf({ project: engine.project, stack: engine.stack, name: "first" });
    const base = { template: "agent37-hermes", resources: { cpu: 2, memory: 4 }, createKey };
    const first = engine.register(TYPE, "first", await inputsOf({ ...base, name: "first" }));
    // The first create has POSTed and is waiting for its instance to turn healthy.
    const made = await until("the first instance", async () => (await rig.admin.instances()).find((i) => i.name === "first" && i.healthyAt === null));
    expect(made.metadata?.[PENDING_CREATE_KEY]).toEqual(expect.stringMatching(new RegExp(`^${createKey}\\.`)));

    await expect(engine.register(TYPE, "second", await inputsOf({ ...base, name: "second" }))).rejects.toThrow(
      /createKey: another create with this createKey is under way/,
    );
    // Checked before the instance was finished: the refusal did not touch it.
    expect((await rig.admin.instance(made.id))?.status).not.toMatch(/^delet/);

    const created = await first;
    expect(created.id).toBe(made.id);
    expect(created.outputs).toMatchObject({ status: "running", name: "first" });
    const after = await rig.admin.instance(made.id);
    expect(after?.status).toBe("running");
    expect(after?.metadata?.[PENDING_CREATE_KEY]).toBeUndefined();
    // One POST, no DELETE, one instance: the refused create sent nothing.
    const { counters } = await rig.admin.requests();
    expect(counters["POST /v1/instances"]).toBe(1);
    expect(Object.keys(counters).filter((route) => route.startsWith("DELETE "))).toEqual([]);
    expect((await rig.admin.instances()).map((i) => i.id)).toEqual([made.id]);
    expect([...engine.state.values()].map((r) => r.id)).toEqual([made.id]);

    // Once the first create is done, the key is free again: a later create under it goes ahead
    // (the finished instance no longer carries the marker, so nothing is taken over or deleted).
    const second = await engine.register(TYPE, "second", await inputsOf({ ...base, name: "second" }));
    expect(second.id).not.toBe(made.id);
    expect((await rig.admin.instance(made.id))?.status).toBe("running");

    await engine.destroy();
    expect(await rig.admin.live()).toEqual([]);
  });
});

describe("create keys scoped to the stack (issue 24, item 8)", () => {
  /** The marker a create of `inputs` writes, as the provider computes it with the rig's key. */
  const markerFor = (inputs: Record<string, unknown>): string =>
    markerOf({ connection: { current: () => ({ apiKey: rig.key }) } } as unknown as InstanceContext, inputs as never).value;

  /** An instance as an unfinished create left it: made, and carrying `marker`. */
  async function leftBehind(name: string, marker: string): Promise<string> {
    const res = await fetch(`${rig.emulator.url}/v1/instances`, {
      method: "POST",
      headers: { authorization: `Bearer ${rig.key}`, "content-type": "application/json" },
      body: JSON.stringify({ name, template: "agent37-hermes", resources: { cpu: 2, memory: 4 }, metadata: { [PENDING_CREATE_KEY]: marker } }),
    });
    expect(res.status).toBe(201);
    return ((await res.json()) as { id: string }).id;
  }

  it("takes over the unscoped marker an earlier version left, and never touches another scope's unfinished create", async () => {
    await rig.admin.reset();
    const engine = new Engine(rig.host);
    const createKey = createKeyOf({ project: engine.project, stack: engine.stack, name: "scoped" });
    const base = { template: "agent37-hermes", resources: { cpu: 2, memory: 4 }, name: "scoped", createKey };
    // The same project, stack and name in another backend: its unfinished create, under its own scope.
    const theirs = await leftBehind("scoped", markerFor({ ...base, createScope: "organization:theirs" }));
    // This stack's own unfinished create, started by 0.1.0 (no scope in the marker).
    const legacy = await leftBehind("scoped", markerFor(base));
    expect(markerFor(base).split(".")[0]).toBe(createKey);
    await rig.admin.clearRequests();

    const created = await engine.register(TYPE, "scoped", await inputsOf({ ...base, createScope: "organization:mine" }));
    expect(created.id).toBe(legacy);
    expect((await rig.admin.requests()).counters["POST /v1/instances"]).toBeUndefined();
    expect((await rig.admin.instance(legacy))?.metadata?.[PENDING_CREATE_KEY]).toBeUndefined();
    const other = await rig.admin.instance(theirs);
    expect(other?.status).toBe("running");
    expect(other?.metadata?.[PENDING_CREATE_KEY]).toBe(markerFor({ ...base, createScope: "organization:theirs" }));

    // A create under this scope marks with the scoped key, which the other scope never matches.
    const fresh = engine.register(TYPE, "scoped-2", await inputsOf({ ...base, name: "scoped-2", createKey: createKeyOf({ project: engine.project, stack: engine.stack, name: "scoped-2" }), createScope: "organization:mine" }));
    const made = await until("the scoped create", async () => (await rig.admin.instances()).find((i) => i.name === "scoped-2"));
    const written = String(made.metadata?.[PENDING_CREATE_KEY]);
    expect(written.split(".")[0]).not.toBe(createKeyOf({ project: engine.project, stack: engine.stack, name: "scoped-2" }));
    await fresh;
    await engine.destroy();
    expect((await rig.admin.live()).map((i) => i.id)).toEqual([theirs]);
  });
});
