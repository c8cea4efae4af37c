/**
 * Auto-sleep through Pulumi's provider host, driven as the engine drives it, against the emulator
 * with `idleScale: 0.01`: an `idleTimeoutSeconds` of 60 lasts 300 ms, long enough for the
 * provider's own steps to run between a wake and the call that needs the instance awake.
 */
import { Agent37Exec, Agent37Instance, type Agent37InstanceArgs } from "pulumi-agent37";
import { EmulatorAdmin, Engine, runProgram, startRig, traceHost, type Rig, type TracedCall } from "../harness";

const TYPE = "pulumi-nodejs:dynamic/agent37:Instance";
const START_ROUTE = "POST /v1/instances/:id/start";
const EXEC_ROUTE = "POST /v1/instances/:id/exec";
const SLEEPY = { autoSleep: true, idleTimeoutSeconds: 60 } as const;

let rig: Rig;
let admin: EmulatorAdmin;

beforeAll(async () => {
  rig = await startRig({ provisionMs: 50, bootMs: 100, lifecycleMs: 50, deleteMs: 30, idleScale: 0.01 });
  ({ admin } = rig);
});
afterAll(async () => rig?.close());

function newEngine(): { engine: Engine; calls: TracedCall[] } {
  const traced = traceHost(rig.host);
  return { engine: new Engine(traced.host), calls: traced.calls };
}

const instance = (name: string, args: Agent37InstanceArgs) => () => {
  const agent = new Agent37Instance(name, args);
  return { id: agent.instanceId, status: agent.status };
};

/** Waits (bounded) until the emulator reports `id` in `status`; the admin read does not wake it. */
async function untilStatus(id: string, status: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    if ((await admin.instance(id))?.status === status) return;
    if (Date.now() > deadline) throw new Error(`${id} did not reach ${status}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function routeCount(id: string, route: string): Promise<number> {
  return (await admin.requests()).log.filter((e) => e.route === route && e.instanceId === id).length;
}

describe("an instance that auto-slept", () => {
  it("is read by refresh as sleeping, and the next diff with unchanged inputs plans no change", async () => {
    const { engine, calls } = newEngine();
    const program = instance("napper", SLEEPY);
    const up = await runProgram(engine, program);
    const id = up.outputs.id as string;
    expect(up.outputs.status).toBe("running");
    await untilStatus(id, "sleeping");

    calls.length = 0;
    await engine.refresh();
    expect(calls.map((c) => `${c.method} ${c.name}`)).toEqual(["Read napper"]);
    expect(engine.state.get(engine.urn(TYPE, "napper"))?.outputs.status).toBe("sleeping");

    calls.length = 0;
    const preview = await runProgram(engine, program, { preview: true });
    expect(calls.map((c) => c.method)).toEqual(["Check", "Diff"]);
    expect(preview.steps.map((s) => s.op)).toEqual(["same"]);
    // Neither the refresh nor the plan woke it.
    expect((await admin.instance(id))?.status).toBe("sleeping");
    expect(await routeCount(id, START_ROUTE)).toBe(0);
    await engine.destroy();
  });

  it("is woken by an Agent37Exec with waitForRunning (start), which then runs its command", async () => {
    const { engine } = newEngine();
    const program = (trigger: string) => () => {
      const box = new Agent37Instance("box", { template: "sandbox", ...SLEEPY });
      const exec = new Agent37Exec("note", { instanceId: box.instanceId, create: "echo run >> runs.log && cat runs.log", triggers: [trigger], waitForRunning: true });
      return { id: box.instanceId, stdout: exec.stdout };
    };
    const first = await runProgram(engine, program("a"));
    const id = first.outputs.id as string;
    expect(first.outputs.stdout).toBe("run\n");
    await untilStatus(id, "sleeping");
    await admin.clearRequests();

    const again = await runProgram(engine, program("b"));
    expect(again.steps.map((s) => s.op)).toEqual(["same", "update"]);
    // The second run happened in the same instance, after the provider woke it with start.
    expect(again.outputs.stdout).toBe("run\nrun\n");
    const log = (await admin.requests()).log.filter((e) => e.instanceId === id && (e.route === START_ROUTE || e.route === EXEC_ROUTE));
    expect(log.map((e) => `${e.route} ${e.status}`)).toEqual([`${START_ROUTE} 200`, `${EXEC_ROUTE} 200`]);
    await engine.destroy();
  });

  it("is resized by an Update: the provider starts it first, then resizes", async () => {
    const { engine, calls } = newEngine();
    const first = await runProgram(engine, instance("grower", { ...SLEEPY, resources: { cpu: 2, memory: 4, disk: 4 } }));
    const id = first.outputs.id as string;
    await untilStatus(id, "sleeping");
    await admin.clearRequests();

    calls.length = 0;
    const second = await runProgram(engine, instance("grower", { ...SLEEPY, resources: { cpu: 2, memory: 4, disk: 10 } }));
    expect(calls.map((c) => `${c.method} ${c.name}`)).toEqual(["Check grower", "Diff grower", "Update grower"]);
    expect(second.outputs.id).toBe(id);
    expect(second.outputs.status).toBe("running");
    expect((await admin.instance(id))?.resources).toEqual({ cpu: 2, memory: 4, disk: 10 });
    const routes = (await admin.requests()).log.filter((e) => e.instanceId === id && e.plane === "api" && e.method === "POST").map((e) => `${e.route} ${e.status}`);
    expect(routes).toEqual([`${START_ROUTE} 200`, "POST /v1/instances/:id/resize 200"]);
    await engine.destroy();
  });
});
