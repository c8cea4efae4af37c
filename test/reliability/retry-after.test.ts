/**
 * `Retry-After` on a 429 is honoured through the provider host: the retry reaches the emulator no
 * earlier than asked. Measured from the emulator's own arrival timestamps, never by sleeping.
 * The values stay inside the provider's clamp (DEFAULT_RETRY_POLICY.maxRetryAfterMs, 30 s).
 */
import { Engine } from "../harness";
import { inputsOf, startRig, TYPE, type Rig } from "./helpers";

let rig: Rig;
beforeAll(async () => {
  rig = await startRig();
});
afterAll(async () => rig?.close());
beforeEach(async () => {
  await rig.admin.clearFaults();
  await rig.admin.clearRequests();
});

type Entry = Awaited<ReturnType<Rig["admin"]["requests"]>>["log"][number];

/** For each 429 on `route`, the time until the next request on the same route and instance arrived. */
function gapsAfter429(log: Entry[], route: string): number[] {
  const same = log.filter((e) => e.route === route);
  return same.flatMap((e, i) => {
    if (e.status !== 429) return [];
    const next = same.slice(i + 1).find((n) => n.instanceId === e.instanceId || e.route === "POST /v1/instances");
    return next === undefined ? [Number.NaN] : [next.at - e.at];
  });
}

describe("Retry-After", () => {
  it("delays the retry of a refresh's GET by at least the seconds the 429 asked for", async () => {
    const engine = new Engine(rig.host);
    const up = await engine.register(TYPE, "patient-read", await inputsOf({ name: "patient-read" }));
    await rig.admin.clearRequests();
    await rig.admin.setFaults([{ method: "GET", path: "/v1/instances/*", instanceId: up.id, kind: "status", status: 429, retryAfterSeconds: 2, count: 1 }]);
    await engine.refresh();
    const gaps = gapsAfter429((await rig.admin.requests()).log, "GET /v1/instances/:id");
    expect(gaps).toHaveLength(1);
    expect(gaps[0]).toBeGreaterThanOrEqual(2000);
    // Honoured, not stretched far beyond it (slack for a loaded machine).
    expect(gaps[0]).toBeLessThan(2000 + 3000);
    await engine.destroy();
  });

  it("delays a create's retry too (a 429 says nothing was created), and creates once", async () => {
    await rig.admin.setFaults([{ method: "POST", path: "/v1/instances", kind: "status", status: 429, retryAfterSeconds: 1, count: 1 }]);
    const engine = new Engine(rig.host);
    const up = await engine.register(TYPE, "patient-create", await inputsOf({ name: "patient-create" }));
    const { log, counters } = await rig.admin.requests();
    const gaps = gapsAfter429(log, "POST /v1/instances");
    expect(gaps).toHaveLength(1);
    expect(gaps[0]).toBeGreaterThanOrEqual(1000);
    expect(counters["POST /v1/instances"]).toBe(2);
    expect((await rig.admin.instances()).filter((i) => i.name === "patient-create").map((i) => i.id)).toEqual([up.id]);
    await engine.destroy();
  });

  it("waits the asked time before each retry when 429s come in a row", async () => {
    const engine = new Engine(rig.host);
    const inputs = await inputsOf({ name: "patient-update" });
    const up = await engine.register(TYPE, "patient-update", inputs);
    await rig.admin.clearRequests();
    await rig.admin.setFaults([{ method: "PATCH", path: "/v1/instances/*", kind: "status", status: 429, retryAfterSeconds: 1, count: 2 }]);
    const updated = await engine.register(TYPE, "patient-update", { ...inputs, name: "patient-updated" });
    expect(updated.outputs.name).toBe("patient-updated");
    const { log } = await rig.admin.requests();
    const gaps = gapsAfter429(log, "PATCH /v1/instances/:id");
    expect(gaps).toHaveLength(2);
    for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(1000);
    expect(log.filter((e) => e.route === "PATCH /v1/instances/:id").map((e) => e.status)).toEqual([429, 429, 200]);
    expect(up.id).toBe(updated.id);
    await engine.destroy();
  });
});
