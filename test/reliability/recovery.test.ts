/**
 * Recovery through the provider host: instances that exist but did not finish initializing stay
 * in state and the next run finishes (or removes) them; a run killed mid-create leaves an
 * instance the user can find by its pending-create marker and import or adopt (the next `up`
 * of the program takes it over by itself: orphans.test.ts); an instance stuck in a
 * transitional state still deletes.
 */
import { Engine, HostError, startProviderHost, emulatorConfig, type ProviderHost } from "../harness";
import { PENDING_CREATE_KEY, inputsOf, startRig, TYPE, within, type Rig } from "./helpers";

let rig: Rig;
beforeAll(async () => {
  rig = await startRig({ bootMs: 100 });
});
afterAll(async () => rig?.close());
beforeEach(async () => {
  await rig.admin.clearFaults();
  await rig.admin.clearRequests();
});

async function failure(run: Promise<unknown>): Promise<HostError> {
  const error = await run.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(HostError);
  return error as HostError;
}

/** Polls the emulator until `check` holds (the emulator and the host move on their own clocks). */
async function until(what: string, check: () => Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe("created but failed to initialize", () => {
  it("keeps an instance whose health never turned healthy in state, and destroy removes it: nothing orphaned", async () => {
    const engine = new Engine(rig.host);
    await rig.admin.setFaults([{ path: "/v1/health", plane: "instance", kind: "unhealthy" }]);
    const error = await failure(engine.register(TYPE, "never-healthy", await inputsOf({ name: "never-healthy", health: { timeoutSeconds: 1 } })));
    await rig.admin.clearFaults();
    const id = error.initFailure?.id as string;
    expect((await rig.admin.instance(id))?.status).toBe("running");
    expect(engine.state.get(engine.urn(TYPE, "never-healthy"))).toMatchObject({ id, initErrors: error.initFailure?.reasons });
    await engine.destroy();
    expect((await rig.admin.instance(id))?.status).toBe("deleted");
    expect((await rig.admin.instances()).filter((i) => i.name === "never-healthy")).toHaveLength(1);
  });

  it("keeps an instance whose post-create stop was refused; the next up finishes it with Update, not a second create", async () => {
    const engine = new Engine(rig.host);
    const inputs = await inputsOf({ name: "half-stopped", state: "stopped" });
    await rig.admin.setFaults([{ method: "POST", path: "/v1/instances/*/stop", kind: "status", status: 400, code: "invalid_request", message: "Cannot stop right now.", count: 1 }]);
    const error = await failure(engine.register(TYPE, "half-stopped", inputs));
    const id = error.initFailure?.id as string;
    expect(error.initFailure?.reasons.join(" ")).toContain("Cannot stop right now.");
    expect(error.initFailure?.properties).toMatchObject({ instanceId: id, status: "running" });

    await rig.admin.clearRequests();
    const retried = await engine.register(TYPE, "half-stopped", inputs);
    expect(retried).toMatchObject({ op: "update", id });
    expect(retried.outputs.status).toBe("stopped");
    expect((await rig.admin.requests()).counters["POST /v1/instances"]).toBeUndefined();
    expect((await rig.admin.instances()).filter((i) => i.name === "half-stopped").map((i) => i.id)).toEqual([id]);
    await engine.destroy();
  });

  it("finishes an init failure with changed inputs: the next up applies the change to the same instance", async () => {
    const engine = new Engine(rig.host);
    await rig.admin.setFaults([{ path: "/v1/health", plane: "instance", kind: "unhealthy" }]);
    const inputs = await inputsOf({ name: "slow-starter", health: { timeoutSeconds: 1 } });
    const error = await failure(engine.register(TYPE, "slow-starter", inputs));
    await rig.admin.clearFaults();
    const fixed = await engine.register(TYPE, "slow-starter", { ...inputs, name: "slow-starter-2", health: { timeoutSeconds: 30 } });
    expect(fixed).toMatchObject({ op: "update", id: error.initFailure?.id });
    expect(fixed.outputs).toMatchObject({ name: "slow-starter-2", status: "running", health: expect.objectContaining({ healthy: true }) });
    expect(engine.state.get(engine.urn(TYPE, "slow-starter"))?.initErrors).toBeUndefined();
    await engine.destroy();
  });
});

describe("a run killed in the middle of a create", () => {
  let doomed: ProviderHost | undefined;
  afterEach(async () => doomed?.close());

  /**
   * Starts a create on a host of its own, kills that host (SIGKILL, as a killed `pulumi up`
   * leaves it) once the POST went through, and returns the instance the create left behind.
   */
  async function interruptedCreate(name: string, inputs: Record<string, unknown>) {
    doomed = await startProviderHost();
    await doomed.configure(emulatorConfig(rig.emulator, rig.key));
    // Health held down: the create is past its POST and waiting in the readiness gate.
    await rig.admin.setFaults([{ path: "/v1/health", plane: "instance", kind: "unhealthy" }]);
    const settled = new Engine(doomed).register(TYPE, name, inputs).then(
      () => "resolved",
      (e: unknown) => (e instanceof HostError ? `rejected with gRPC status ${e.code}` : String(e)),
    );
    await until("the create was sent and the gate is polling", async () => {
      const { counters } = await rig.admin.requests();
      return counters["POST /v1/instances"] === 1 && (counters["GET instance:/v1/health"] ?? 0) > 0;
    });
    process.kill(doomed.pid, "SIGKILL");
    // The engine sees the run end with an error, not a hang; it recorded nothing in state.
    expect(await within(settled, 30_000, "the interrupted Create")).toMatch(/^rejected/);
    await rig.admin.clearFaults();
    // What the user does next (docs/reliability.md): find the instance by its name and marker.
    const orphans = (await rig.admin.live()).filter((i) => i.name === name);
    expect(orphans).toHaveLength(1);
    const orphan = orphans[0] as (typeof orphans)[number];
    // Inputs without the class's create key: a one-time token as marker.
    expect(orphan.metadata?.[PENDING_CREATE_KEY]).toMatch(/^[0-9a-f-]{36}$/);
    await rig.admin.clearRequests();
    return orphan;
  }

  it("leaves an instance with its marker, which `pulumi refresh --import-pending-creates URN ID` takes into state", async () => {
    const inputs = await inputsOf({ name: "interrupted-import" });
    const orphan = await interruptedCreate("interrupted-import", inputs);
    // The engine turns the pending create into a resource with that id and its inputs, then refreshes it (Read).
    const engine = new Engine(rig.host);
    const urn = engine.urn(TYPE, "interrupted-import");
    engine.state.set(urn, { urn, type: TYPE, id: orphan.id, inputs, outputs: inputs });
    const [refreshed] = await engine.refresh();
    expect(refreshed?.gone).toBe(false);
    expect(engine.state.get(urn)?.outputs).toMatchObject({ instanceId: orphan.id, url: orphan.url, name: "interrupted-import", status: "running" });
    // The next up keeps that instance: no replacement, no second create.
    const up = await engine.register(TYPE, "interrupted-import", inputs);
    expect(up.id).toBe(orphan.id);
    expect(up.op).not.toBe("replace");
    expect((await rig.admin.requests()).counters["POST /v1/instances"]).toBeUndefined();
    await engine.destroy();
    expect((await rig.admin.instances()).filter((i) => i.name === "interrupted-import").map((i) => i.status)).toEqual(["deleted"]);
  });

  it("leaves an instance with its marker, which the next run adopts with adoptInstanceId instead of creating another", async () => {
    const orphan = await interruptedCreate("interrupted-adopt", await inputsOf({ name: "interrupted-adopt" }));
    const engine = new Engine(rig.host);
    const adopted = await engine.register(TYPE, "interrupted-adopt", await inputsOf({ name: "interrupted-adopt", adoptInstanceId: orphan.id }));
    expect(adopted).toMatchObject({ op: "create", id: orphan.id });
    expect(adopted.outputs.health).toMatchObject({ ok: true, healthy: true });
    // In a stack now: the marker is gone.
    expect((await rig.admin.instance(orphan.id))?.metadata?.[PENDING_CREATE_KEY]).toBeUndefined();
    expect((await rig.admin.requests()).counters["POST /v1/instances"]).toBeUndefined();
    // Once adopted, dropping `adoptInstanceId` from the program keeps the instance (no replace).
    const later = await engine.register(TYPE, "interrupted-adopt", await inputsOf({ name: "interrupted-adopt" }));
    expect(later.id).toBe(orphan.id);
    expect(later.op).not.toBe("replace");
    await engine.destroy();
    expect((await rig.admin.instances()).filter((i) => i.name === "interrupted-adopt").map((i) => i.status)).toEqual(["deleted"]);
  });
});

describe("delete of an instance stuck in a transitional state", () => {
  let stuck: Rig;
  beforeAll(async () => {
    // Lifecycle calls answer at once and the transition takes a minute: long enough to be "stuck".
    stuck = await startRig({ lifecycleMode: "async", lifecycleMs: 60_000 });
  });
  afterAll(async () => stuck?.close());

  /** The hosting API called directly, as a person in the dashboard would. */
  async function outOfBand(method: string, path: string, body?: unknown): Promise<Record<string, unknown>> {
    const res = await fetch(`${stuck.emulator.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${stuck.key}`, "content-type": "application/json" },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
    return (await res.json()) as Record<string, unknown>;
  }

  it.each([
    ["stopping", "stop", undefined],
    ["restarting", "restart", undefined],
    ["updating", "resize", { cpu: 4, memory: 8 }],
  ])("deletes an instance sitting in %s, and leaves nothing", async (status, action, body) => {
    const engine = new Engine(stuck.host);
    const up = await engine.register(TYPE, `stuck-${action}`, await inputsOf({ name: `stuck-${action}` }));
    expect((await outOfBand("POST", `/v1/instances/${up.id}/${action}`, body)).status).toBe(status);
    expect((await stuck.admin.instance(up.id))?.status).toBe(status);
    await within(engine.destroy(), 30_000, "Delete of a stuck instance");
    expect(engine.state.size).toBe(0);
    expect((await stuck.admin.instance(up.id))?.status).toBe("deleted");
    const get = await fetch(`${stuck.emulator.url}/v1/instances/${up.id}`, { headers: { authorization: `Bearer ${stuck.key}` } });
    expect(get.status).toBe(404);
  });
});
