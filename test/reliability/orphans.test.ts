/**
 * No silent orphans, through Pulumi's provider host with the real Agent37Instance class: a create
 * whose outcome stays unknown (its answer lost, then the instance list failing too; or a success
 * status with a body that does not parse) never leads to a second instance. The next `up` of the
 * same program looks for the resource's unfinished create before creating and takes it over; a
 * finished create leaves no marker, so the documented listing shows exactly the unfinished ones;
 * and a replacement never takes over the instance it replaces.
 */
import { Agent37Instance } from "pulumi-agent37";
import { Engine, HostError, emulatorConfig, runProgram, startProviderHost, type ProviderHost } from "../harness";
import { PENDING_CREATE_KEY, startRig, TYPE, within, type Rig } from "./helpers";

let rig: Rig;
beforeAll(async () => {
  rig = await startRig({ bootMs: 50 });
});
afterAll(async () => rig?.close());
beforeEach(async () => {
  await rig.admin.clearFaults();
  await rig.admin.clearRequests();
});

const program = (name: string, args: Record<string, unknown> = {}) => () => {
  new Agent37Instance(name, { name, ...args });
};

async function named(name: string) {
  return (await rig.admin.instances()).filter((i) => i.name === name);
}

/** The README's listing of unfinished creates: live instances that carry the pending-create marker. */
async function unfinishedCreates() {
  return (await rig.admin.live()).filter((i) => i.metadata?.[PENDING_CREATE_KEY] !== undefined);
}

async function failure(run: Promise<unknown>): Promise<Error> {
  const error = await run.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(Error);
  return error as Error;
}

describe("a create whose answer is lost and whose lookup fails too", () => {
  it.each([
    ["one 500 on the listing", { kind: "status", status: 500, code: "internal_error", count: 1 }],
    ["six 503s on the listing", { kind: "status", status: 503, code: "service_unavailable", count: 6 }],
    ["six resets of the listing", { kind: "reset-before", count: 6 }],
  ])("fails without a second instance after %s, and the next up takes the instance over: one instance, in state", async (label, lookupFault) => {
    const name = `lost-${label.split(" ").slice(0, 2).join("-")}`;
    await rig.admin.setFaults([
      { method: "POST", path: "/v1/instances", kind: "reset-after", count: 1 },
      // `skip: 1`: the lookup the create makes before posting goes through; the ones after the lost answer fail.
      { method: "GET", path: "/v1/instances", skip: 1, ...lookupFault },
    ]);
    const engine = new Engine(rig.host);
    const error = await failure(runProgram(engine, program(name)));
    expect(error.message).toMatch(/the create may have made the instance .* and the instance list that would tell could not be read/);
    // Running again is what the message advises, and it is safe: never "wait and run again" alone.
    expect(error.message).toContain("What to do: Run `pulumi up` again once Agent37 answers: before creating, it looks for this resource's unfinished create");
    expect(engine.state.size).toBe(0);
    const [left] = await named(name);
    expect(left?.metadata?.[PENDING_CREATE_KEY]).toEqual(expect.any(String));

    await rig.admin.clearFaults();
    await rig.admin.clearRequests();
    await runProgram(engine, program(name));
    const instances = await named(name);
    expect(instances.map((i) => i.id)).toEqual([left?.id]);
    expect([...engine.state.values()].map((r) => r.id)).toEqual([left?.id]);
    expect((await rig.admin.requests()).counters["POST /v1/instances"]).toBeUndefined();
    // Taken over and finished: the marker is gone, and it answers healthy.
    expect(instances[0]?.metadata).toBeNull();
    expect(engine.state.get(engine.urn(TYPE, name))?.outputs).toMatchObject({ status: "running", health: expect.objectContaining({ healthy: true }) });

    // A third up plans nothing.
    const third = await runProgram(engine, program(name), { preview: true });
    expect(third.steps.map((s) => s.op)).toEqual(["same"]);
    await engine.destroy();
    expect((await rig.admin.live()).filter((i) => i.name === name)).toEqual([]);
  });
});

describe("a create answered 201 with a body that does not parse", () => {
  it.each([["truncate"], ["html"], ["iso-created"]])("counts a %s body as created: the instance is found by its marker, one instance, in state", async (garble) => {
    const name = `garbled-${garble}`;
    await rig.admin.setFaults([{ method: "POST", path: "/v1/instances", kind: "garble-after", garble, count: 1 }]);
    const engine = new Engine(rig.host);
    await runProgram(engine, program(name));
    const { log } = await rig.admin.requests();
    const posts = log.filter((e) => e.route === "POST /v1/instances");
    expect(posts.map((e) => [e.status, e.fault])).toEqual([[201, "garble-after"]]);
    const instances = await named(name);
    expect(instances.map((i) => i.id)).toEqual([posts[0]?.instanceId]);
    expect([...engine.state.values()].map((r) => r.id)).toEqual([posts[0]?.instanceId]);
    expect(instances[0]?.metadata).toBeNull();

    // The second up of the same program: nothing to do, still one instance.
    const second = await runProgram(engine, program(name));
    expect(second.steps.map((s) => s.op)).toEqual(["same"]);
    expect((await named(name)).filter((i) => i.status !== "deleted")).toHaveLength(1);
    await engine.destroy();
  });
});

describe("a replacement", () => {
  it("never takes over the instance it replaces, even when that one still carries its marker", async () => {
    const name = "replaced";
    const engine = new Engine(rig.host);
    // The create's last step (removing its marker) is refused twice: an init failure, kept in
    // state, whose instance still carries this resource's marker.
    await rig.admin.setFaults([{ method: "PATCH", path: "/v1/instances/*", kind: "status", status: 400, code: "invalid_request", message: "Not now.", count: 2 }]);
    const error = await failure(runProgram(engine, program(name, { env: { MODE: "one" } })));
    expect(error).toBeInstanceOf(HostError);
    const old = (error as HostError).initFailure?.id as string;
    expect((await rig.admin.instance(old))?.metadata?.[PENDING_CREATE_KEY]).toEqual(expect.any(String));
    await rig.admin.clearFaults();
    await rig.admin.clearRequests();

    // A change of env replaces: create the new instance, then delete the old one.
    await runProgram(engine, program(name, { env: { MODE: "two" } }));
    const replacement = engine.state.get(engine.urn(TYPE, name))?.id as string;
    expect(replacement).not.toBe(old);
    const { log } = await rig.admin.requests();
    expect(log.filter((e) => e.route === "POST /v1/instances")).toHaveLength(1);
    // The old instance was deleted by the engine's delete-replaced step, after the replacement's
    // create (one DELETE, after the POST), not by the replacement's create.
    const seq = (route: string) => log.filter((e) => e.route === route && (route !== "DELETE /v1/instances/:id" || e.instanceId === old)).map((e) => e.seq);
    expect(seq("DELETE /v1/instances/:id")).toHaveLength(1);
    expect(seq("DELETE /v1/instances/:id")[0]).toBeGreaterThan(seq("POST /v1/instances")[0] ?? Infinity);
    expect((await named(name)).filter((i) => i.status !== "deleted" && i.status !== "deleting").map((i) => i.id)).toEqual([replacement]);
    await engine.destroy();
  });
});

describe("a run killed in the middle of a create", () => {
  let doomed: ProviderHost | undefined;
  afterEach(async () => doomed?.close());

  it("leaves exactly one unfinished create in the documented listing, which the next up takes over", async () => {
    // Instances whose creates finished carry no marker: the listing must not show them.
    const finished = new Engine(rig.host, { stack: "other" });
    await runProgram(finished, program("finished-before"));
    await rig.admin.clearRequests();

    doomed = await startProviderHost();
    await doomed.configure(emulatorConfig(rig.emulator, rig.key));
    await rig.admin.setFaults([{ path: "/v1/health", plane: "instance", kind: "unhealthy" }]);
    const engine = new Engine(doomed);
    const killed = runProgram(engine, program("killed")).then(
      () => "resolved",
      () => "rejected",
    );
    const deadline = Date.now() + 15_000;
    const gating = async () => {
      const { counters } = await rig.admin.requests();
      return counters["POST /v1/instances"] === 1 && (counters["GET instance:/v1/health"] ?? 0) > 0;
    };
    while (!(await gating())) {
      if (Date.now() > deadline) throw new Error("the create never reached its readiness gate");
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    process.kill(doomed.pid, "SIGKILL");
    expect(await within(killed, 30_000, "the killed up")).toBe("rejected");
    await rig.admin.clearFaults();
    expect(engine.state.size).toBe(0);

    const listed = await unfinishedCreates();
    expect(listed.map((i) => i.name)).toEqual(["killed"]);

    // The next up of the same program (a new provider host, as a new `pulumi up` starts one).
    await rig.admin.clearRequests();
    const next = new Engine(rig.host);
    await runProgram(next, program("killed"));
    expect([...next.state.values()].map((r) => r.id)).toEqual([listed[0]?.id]);
    expect((await rig.admin.requests()).counters["POST /v1/instances"]).toBeUndefined();
    expect(await unfinishedCreates()).toEqual([]);
    await next.destroy();
    await finished.destroy();
  });
});
