/**
 * Ambiguous creates through the provider host: the create's answer is lost, sometimes after the
 * emulator made the instance. The provider looks for its create marker and adopts what it made,
 * or creates again only when nothing was made: never two instances. The marker is removed once
 * the create finished.
 */
import { Engine } from "../harness";
import { PENDING_CREATE_KEY, inputsOf, startRig, TYPE, type Rig } from "./helpers";

let rig: Rig;
beforeAll(async () => {
  rig = await startRig();
});
afterAll(async () => rig?.close());
beforeEach(async () => {
  await rig.admin.clearFaults();
  await rig.admin.clearRequests();
});

const CREATE = "POST /v1/instances";

async function named(name: string) {
  return (await rig.admin.instances()).filter((i) => i.name === name);
}

describe("a create whose connection drops after the emulator created the instance", () => {
  it("adopts the instance it made: one POST, one instance, and the engine records that instance", async () => {
    await rig.admin.setFaults([{ method: "POST", path: "/v1/instances", kind: "reset-after", count: 1 }]);
    const engine = new Engine(rig.host);
    const created = await engine.register(TYPE, "lost-answer", await inputsOf({ name: "lost-answer" }));

    const { log } = await rig.admin.requests();
    const posts = log.filter((e) => e.route === CREATE);
    expect(posts.map((e) => [e.status, e.fault])).toEqual([[0, "reset-after"]]);
    // The instance the lost answer would have named is the one the engine now holds.
    expect(created.id).toBe(posts[0]?.instanceId);
    expect((await named("lost-answer")).map((i) => i.id)).toEqual([created.id]);
    // It was found through the listing, by the token the create carried.
    expect(log.some((e) => e.route === "GET /v1/instances")).toBe(true);
    expect((await rig.admin.instance(created.id))?.metadata?.[PENDING_CREATE_KEY]).toBeUndefined();
    expect(created.outputs).toMatchObject({ status: "running", health: expect.objectContaining({ ok: true, healthy: true }) });

    await engine.destroy();
    expect((await rig.admin.instance(created.id))?.status).toBe("deleted");
  });

  it("adopts even when the listing that looks for it fails first (retried, not given up)", async () => {
    await rig.admin.setFaults([
      { method: "POST", path: "/v1/instances", kind: "reset-after", count: 1 },
      { method: "GET", path: "/v1/instances", kind: "reset-before", count: 1 },
      { method: "GET", path: "/v1/instances", kind: "status", status: 503, code: "no_capacity", count: 1 },
    ]);
    const engine = new Engine(rig.host);
    const created = await engine.register(TYPE, "lost-twice", await inputsOf({ name: "lost-twice" }));
    const counters = (await rig.admin.requests()).counters;
    expect(counters[CREATE]).toBe(1);
    expect(counters["GET /v1/instances"]).toBe(3);
    expect((await named("lost-twice")).map((i) => i.id)).toEqual([created.id]);
    await engine.destroy();
  });

  it("tells two concurrent creates with the same name apart by their tokens: each adopts its own", async () => {
    await rig.admin.setFaults([{ method: "POST", path: "/v1/instances", kind: "reset-after", count: 2 }]);
    const engines = [new Engine(rig.host, { stack: "a" }), new Engine(rig.host, { stack: "b" })];
    const inputs = await inputsOf({ name: "twin" });
    const [a, b] = await Promise.all(engines.map((e) => e.register(TYPE, "twin", inputs)));
    expect(a?.id).not.toBe(b?.id);
    expect((await named("twin")).map((i) => i.id).sort()).toEqual([a?.id, b?.id].sort());
    expect((await rig.admin.requests()).counters[CREATE]).toBe(2);
    await Promise.all(engines.map((e) => e.destroy()));
    expect((await rig.admin.live()).filter((i) => i.name === "twin")).toEqual([]);
  });
});

describe("a create whose answer is lost before the emulator acted", () => {
  it.each([
    ["a reset before the server acted", { kind: "reset-before" }],
    ["a 504 from the edge", { kind: "status", status: 504, code: "gateway_timeout" }],
    ["a 502 from the edge", { kind: "status", status: 502, code: "bad_gateway" }],
  ])("creates again after %s, once the listing shows nothing was made: one instance", async (_label, fault) => {
    await rig.admin.setFaults([{ method: "POST", path: "/v1/instances", count: 1, ...fault }]);
    const name = `retry-${fault.kind}-${"status" in fault ? fault.status : 0}`;
    const engine = new Engine(rig.host);
    const created = await engine.register(TYPE, name, await inputsOf({ name }));
    const { log, counters } = await rig.admin.requests();
    expect(log.filter((e) => e.route === CREATE).map((e) => e.fault ?? e.status)).toEqual([fault.kind, 201]);
    // The listing came between the two POSTs: the second was sent only after it found nothing.
    const seqOf = (pred: (e: (typeof log)[number]) => boolean) => log.filter(pred).map((e) => e.seq);
    const [first, second] = seqOf((e) => e.route === CREATE);
    expect(seqOf((e) => e.route === "GET /v1/instances").some((s) => s > (first ?? 0) && s < (second ?? 0))).toBe(true);
    expect(counters[CREATE]).toBe(2);
    expect((await named(name)).map((i) => i.id)).toEqual([created.id]);
    await engine.destroy();
  });
});

describe("a create the emulator acted on, answered with an edge error (status-after)", () => {
  it.each([
    ["a 502 from the edge", 502, "bad_gateway"],
    ["a 504 from the edge", 504, "gateway_timeout"],
    ["a 503 from the edge (not no_capacity)", 503, "service_unavailable"],
  ])("adopts the instance it made after %s: one POST, no re-post, one instance", async (_label, status, code) => {
    await rig.admin.setFaults([{ method: "POST", path: "/v1/instances", kind: "status-after", status, code, count: 1 }]);
    const name = `acted-${status}`;
    const engine = new Engine(rig.host);
    const created = await engine.register(TYPE, name, await inputsOf({ name }));

    const { log } = await rig.admin.requests();
    const posts = log.filter((e) => e.route === CREATE);
    // The provider saw the error status for a create that happened, and did not send it again.
    expect(posts.map((e) => [e.status, e.fault])).toEqual([[status, "status-after"]]);
    expect(created.id).toBe(posts[0]?.instanceId);
    // It looked for its token after the error, and found the instance there.
    const [post] = posts;
    expect(log.some((e) => e.route === "GET /v1/instances" && e.seq > (post?.seq ?? Infinity))).toBe(true);
    expect((await named(name)).map((i) => i.id)).toEqual([created.id]);
    // Finished: the marker it was found by is gone.
    expect((await rig.admin.instance(created.id))?.metadata?.[PENDING_CREATE_KEY]).toBeUndefined();
    expect(created.outputs).toMatchObject({ status: "running", health: expect.objectContaining({ ok: true, healthy: true }) });

    await engine.destroy();
    expect((await rig.admin.instance(created.id))?.status).toBe("deleted");
  });
});

describe("idempotent calls the emulator acted on, answered with an edge error (status-after)", () => {
  it("an update that stops the instance ends stopped, without an error, after a 502 to its stop", async () => {
    const engine = new Engine(rig.host);
    const inputs = await inputsOf({ name: "stop-acted" });
    const up = await engine.register(TYPE, "stop-acted", inputs);
    await rig.admin.clearRequests();
    await rig.admin.setFaults([{ method: "POST", path: "/v1/instances/*/stop", kind: "status-after", status: 502, code: "bad_gateway", count: 1 }]);

    const updated = await engine.register(TYPE, "stop-acted", { ...inputs, state: "stopped" });

    expect(updated).toMatchObject({ op: "update", id: up.id, outputs: expect.objectContaining({ status: "stopped" }) });
    expect(engine.steps.filter((s) => s.error !== undefined)).toEqual([]);
    const stops = (await rig.admin.requests()).log.filter((e) => e.route === "POST /v1/instances/:id/stop");
    // The first stop took effect behind the 502; the retry found it stopped and was acked.
    expect(stops.map((e) => [e.status, e.fault])).toEqual([
      [502, "status-after"],
      [200, undefined],
    ]);
    expect((await rig.admin.instance(up.id))?.status).toBe("stopped");
    expect((await named("stop-acted")).map((i) => i.id)).toEqual([up.id]);
    await engine.destroy();
  });

  it("a destroy succeeds after a 504 to a delete that went through", async () => {
    const engine = new Engine(rig.host);
    const up = await engine.register(TYPE, "delete-acted", await inputsOf({ name: "delete-acted" }));
    await rig.admin.clearRequests();
    await rig.admin.setFaults([{ method: "DELETE", path: "/v1/instances/*", kind: "status-after", status: 504, code: "gateway_timeout", count: 1 }]);

    await engine.destroy();

    expect(engine.state.size).toBe(0);
    const deletes = (await rig.admin.requests()).log.filter((e) => e.route === "DELETE /v1/instances/:id");
    // The retry of the delete that happened answers 404, which counts as done.
    expect(deletes.map((e) => [e.status, e.fault])).toEqual([
      [504, "status-after"],
      [404, undefined],
    ]);
    expect((await rig.admin.instance(up.id))?.status).toBe("deleted");
  });
});
