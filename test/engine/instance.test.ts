/**
 * Agent37Instance through Pulumi's own provider host, driven over gRPC as the engine drives it,
 * against the emulator: preview, up (create, update, replace), refresh, destroy, and the
 * "created but failed to initialize" path.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { Agent37Instance, type Agent37InstanceArgs } from "pulumi-agent37";
import type { RunningEmulator } from "pulumi-agent37/emulator";
import {
  captureInputs,
  EmulatorAdmin,
  Engine,
  HostError,
  PROVIDER_KEY,
  REPO_ROOT,
  runProgram,
  startRig,
  traceHost,
  UNKNOWN,
  type ProviderHost,
  type Rig,
  type TracedCall,
} from "../harness";

const TYPE = "pulumi-nodejs:dynamic/agent37:Instance";

let rig: Rig;
let emulator: RunningEmulator;
let host: ProviderHost;
let admin: EmulatorAdmin;
let key: string;

beforeAll(async () => {
  rig = await startRig({ provisionMs: 100, bootMs: 300, lifecycleMs: 100, deleteMs: 50 });
  ({ emulator, host, admin, key } = rig);
});
afterAll(async () => rig?.close());

/** A fresh engine over a traced view of the shared host. */
function newEngine(): { engine: Engine; calls: TracedCall[] } {
  const traced = traceHost(host);
  return { engine: new Engine(traced.host), calls: traced.calls };
}

const rpcs = (calls: TracedCall[]): string[] => calls.map((c) => `${c.method} ${c.name}`);

const instance = (name: string, args: Agent37InstanceArgs) => () => {
  const agent = new Agent37Instance(name, args);
  return { id: agent.instanceId, url: agent.url, status: agent.status, name: agent.name };
};

/** Calls the hosting API directly, as a person or another tool would ("out of band"). */
async function outOfBand(method: string, apiPath: string, body?: unknown): Promise<void> {
  const res = await fetch(`${emulator.url}${apiPath}`, {
    method,
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (!res.ok) throw new Error(`${method} ${apiPath}: ${res.status} ${await res.text()}`);
}

/** Waits until the emulator reports `id` in `status` (it moves on its own clock). */
async function untilStatus(id: string, status: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    if ((await admin.instance(id))?.status === status) return;
    if (Date.now() > deadline) throw new Error(`${id} did not reach ${status}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe("the serialized provider and the host", () => {
  it("sends the __provider pulumi.dynamic.Resource produces for a real Agent37Instance: small, keyless, loading by package name", async () => {
    const inputs = await captureInputs(instance("p", { template: "agent37-hermes" }));
    const provider = inputs[PROVIDER_KEY] as string;
    expect(provider).toContain('require("pulumi-agent37/dynamic")');
    expect(Buffer.byteLength(provider)).toBeLessThan(2048);
    expect(provider).not.toContain(key);
  });

  it("runs the host with the project (the repository root, holding Pulumi.yaml) as its working directory", () => {
    expect(fs.realpathSync(`/proc/${host.pid}/cwd`)).toBe(fs.realpathSync(REPO_ROOT));
    expect(fs.existsSync(path.join(REPO_ROOT, "Pulumi.yaml"))).toBe(true);
  });
});

describe("preview", () => {
  it("of a new stack sends only Check, with inputs from other resources unknown, and reaches no hosting API", async () => {
    const { engine, calls } = newEngine();
    await admin.clearRequests();
    const run = await runProgram(
      engine,
      () => {
        const worker = new Agent37Instance("worker", { template: "agent37-hermes-small" });
        new Agent37Instance("orchestrator", { env: { WORKER_URL: worker.url } });
      },
      { preview: true },
    );
    expect(rpcs(calls)).toEqual(["Check worker", "Check orchestrator"]);
    const orchestratorNews = calls[1]?.args[1] as Record<string, unknown>;
    expect(JSON.stringify(orchestratorNews.env)).toContain(UNKNOWN);
    expect(run.steps.map((s) => `${s.op} ${s.preview}`)).toEqual(["create true", "create true"]);
    expect(await admin.apiRequestCount()).toBe(0);
  });

  it("of a changed stack sends only Check and Diff, plans update and replace exactly, and reaches no hosting API", async () => {
    const { engine, calls } = newEngine();
    const program = (name: string, type: "dedicated" | "shared") => () => {
      new Agent37Instance("renamed", { name });
      const retyped = new Agent37Instance("retyped", { type });
      new Agent37Instance("consumer", { metadata: { upstream: retyped.url } });
    };
    await runProgram(engine, program("before", "dedicated"));
    calls.length = 0;
    await admin.clearRequests();
    const run = await runProgram(engine, program("after", "shared"), { preview: true });
    expect(calls.map((c) => c.method).sort()).toEqual(["Check", "Check", "Check", "Diff", "Diff", "Diff"]);
    expect(Object.fromEntries(run.steps.map((s) => [s.urn.split("::").pop(), [s.op, s.replaces ?? []]]))).toEqual({
      renamed: ["update", []],
      retyped: ["replace", ["type"]],
      consumer: ["update", []],
    });
    // The replacement's url is not known until it exists, so the consumer's Diff sees the sentinel.
    const consumerDiff = calls.find((c) => c.method === "Diff" && c.name === "consumer");
    expect((consumerDiff?.args[2] as { metadata: unknown }).metadata).toEqual({ upstream: UNKNOWN });
    expect(await admin.apiRequestCount()).toBe(0);
    await engine.destroy();
  });
});

describe("up", () => {
  it("creates a new instance with Check then Create, and its decoded outputs match the emulator", async () => {
    const { engine, calls } = newEngine();
    const run = await runProgram(engine, instance("fresh", { template: "agent37-hermes", name: "fresh", ports: [9119] }));
    expect(rpcs(calls)).toEqual(["Check fresh", "Create fresh"]);
    const state = engine.state.get(engine.urn(TYPE, "fresh"));
    const live = await admin.instance(state?.id as string);
    expect(state?.outputs).toMatchObject({
      instanceId: live?.id,
      url: live?.url,
      status: "running",
      name: "fresh",
      template: live?.template,
      resources: live?.resources,
      portUrls: { "3737": live?.url, "9119": `http://${live?.id}-9119.localhost:${emulator.port}` },
      health: expect.objectContaining({ ok: true, healthy: true }),
    });
    expect(live?.healthyAt).not.toBeNull();
    expect(run.outputs).toEqual({ id: live?.id, url: live?.url, status: "running", name: "fresh" });
    await engine.destroy();
  });

  it("updates in place when Diff reports a change without replaces, keeping the instance", async () => {
    const { engine, calls } = newEngine();
    const first = await runProgram(engine, instance("inplace", { name: "before" }));
    calls.length = 0;
    const second = await runProgram(engine, instance("inplace", { name: "after" }));
    expect(rpcs(calls)).toEqual(["Check inplace", "Diff inplace", "Update inplace"]);
    expect(second.outputs.id).toBe(first.outputs.id);
    expect(second.outputs.name).toBe("after");
    expect((await admin.instance(second.outputs.id as string))?.name).toBe("after");
    await engine.destroy();
  });

  it("replaces when a replace input changes: creates the new instance, then deletes the old one", async () => {
    const { engine, calls } = newEngine();
    const first = await runProgram(engine, instance("swap", { env: { MODE: "a" } }));
    calls.length = 0;
    const second = await runProgram(engine, instance("swap", { env: { MODE: "b" } }));
    expect(rpcs(calls)).toEqual(["Check swap", "Diff swap", "Create swap", "Delete swap"]);
    expect(second.steps.find((s) => s.op === "replace")).toMatchObject({ replaces: ["env"], deleteBeforeReplace: false });
    expect(second.outputs.id).not.toBe(first.outputs.id);
    expect((await admin.instance(second.outputs.id as string))?.status).toBe("running");
    expect((await admin.instance(first.outputs.id as string))?.status).toMatch(/^delet/);
    await engine.destroy();
  });

  it("replaces delete-first when the resource asks for deleteBeforeReplace", async () => {
    const { engine, calls } = newEngine();
    const first = await engine.register(TYPE, "dbr", await captureInputs(instance("dbr", { type: "dedicated" })));
    calls.length = 0;
    const news = await captureInputs(instance("dbr", { type: "shared" }));
    const second = await engine.register(TYPE, "dbr", news, { deleteBeforeReplace: true });
    expect(rpcs(calls)).toEqual(["Check dbr", "Diff dbr", "Delete dbr", "Create dbr"]);
    expect((await admin.instance(first.id))?.status).toMatch(/^delet/);
    expect((await admin.instance(second.id))?.status).toBe("running");
    await engine.destroy();
  });
});

describe("refresh", () => {
  it("reads an out-of-band change into outputs and inputs, so the next diff shows it", async () => {
    const { engine, calls } = newEngine();
    const up = await runProgram(engine, instance("drift", { name: "declared" }));
    await outOfBand("PATCH", `/v1/instances/${up.outputs.id}`, { name: "edited-by-hand" });
    calls.length = 0;
    await engine.refresh();
    expect(rpcs(calls)).toEqual(["Read drift"]);
    const state = engine.state.get(engine.urn(TYPE, "drift"));
    expect(state?.outputs.name).toBe("edited-by-hand");
    expect(state?.inputs.name).toBe("edited-by-hand");
    const preview = await runProgram(engine, instance("drift", { name: "declared" }), { preview: true });
    expect(preview.steps.map((s) => s.op)).toEqual(["update"]);
    await engine.destroy();
  });

  it("reads an out-of-band deletion as gone and drops the instance from state", async () => {
    const { engine } = newEngine();
    const up = await runProgram(engine, instance("vanished", {}));
    await outOfBand("DELETE", `/v1/instances/${up.outputs.id}`);
    await untilStatus(up.outputs.id as string, "deleted");
    const steps = await engine.refresh();
    expect(steps.map((s) => [s.op, s.gone])).toEqual([["refresh", true]]);
    expect(engine.state.size).toBe(0);
  });
});

describe("destroy", () => {
  it("deletes the instance with Delete", async () => {
    const { engine, calls } = newEngine();
    const up = await runProgram(engine, instance("doomed", {}));
    calls.length = 0;
    await engine.destroy();
    expect(rpcs(calls)).toEqual(["Delete doomed"]);
    expect((await admin.instance(up.outputs.id as string))?.status).toBe("deleted");
    expect(engine.state.size).toBe(0);
  });

  it("succeeds for an instance already gone", async () => {
    const { engine } = newEngine();
    const up = await runProgram(engine, instance("gone", {}));
    await outOfBand("DELETE", `/v1/instances/${up.outputs.id}`);
    await untilStatus(up.outputs.id as string, "deleted");
    await expect(engine.destroy()).resolves.toHaveLength(1);
    expect(engine.state.size).toBe(0);
  });
});

describe("health that never turns healthy", () => {
  it("fails Create as created-but-failed-to-initialize with the instance id and outputs; an Update with the same inputs completes once healthy", async () => {
    const { engine, calls } = newEngine();
    await admin.setFaults([{ path: "/v1/health", plane: "instance", kind: "unhealthy" }]);
    const program = instance("sick", { name: "sick", health: { timeoutSeconds: 1 } });
    let error: unknown;
    try {
      error = await runProgram(engine, program).catch((e: unknown) => e);
    } finally {
      await admin.clearFaults();
    }
    expect(error).toBeInstanceOf(HostError);
    expect((error as HostError).message).toMatch(/created but failed to initialize/);
    const failure = (error as HostError).initFailure;
    const live = (await admin.live()).find((i) => i.id === failure?.id);
    expect(live).toBeDefined();
    expect(failure?.properties).toMatchObject({ instanceId: live?.id, url: live?.url, name: "sick" });
    expect(failure?.reasons.join(" ")).toMatch(/health/i);
    expect(engine.state.get(engine.urn(TYPE, "sick"))).toMatchObject({ id: live?.id, initErrors: failure?.reasons });

    calls.length = 0;
    const retry = await runProgram(engine, program);
    expect(rpcs(calls)).toEqual(["Check sick", "Diff sick", "Update sick"]);
    expect(retry.outputs).toMatchObject({ id: live?.id, status: "running" });
    expect(engine.state.get(engine.urn(TYPE, "sick"))?.outputs.health).toMatchObject({ ok: true, healthy: true });
    await engine.destroy();
  });
});

describe("secrets", () => {
  it("never lets the API key reach state, outputs or the host's output", async () => {
    const { engine } = newEngine();
    await runProgram(engine, instance("keyless", { env: { TOKEN: "not-the-key" } }));
    const state = JSON.stringify([...engine.state.values()]);
    await engine.destroy();
    expect(state).not.toContain(key);
    expect(JSON.stringify(host.output())).not.toContain(key);
  });
});

describe("program secrets", () => {
  it("sends secret inputs to the host as plaintext, as the engine does for a provider that does not accept secrets", async () => {
    const { engine, calls } = newEngine();
    await runProgram(engine, instance("sealed", { env: { PASSWORD: pulumi.secret("hunter2") as unknown as string } }), { preview: true });
    expect((calls[0]?.args[1] as { env: unknown }).env).toEqual({ PASSWORD: "hunter2" });
  });
});
