/**
 * Progress lines as the engine receives them: a stand-in for the engine's `Log` service listens
 * where each door is told the engine is, and an instance whose gateway boots for a few seconds
 * is created through each door, Pulumi's dynamic provider host and the plugin's executable. The
 * lines come as ephemeral INFO messages naming the resource's URN (the engine shows them as the
 * resource's status), and the last one clears the line before the create answers.
 */
import { Agent37Instance } from "pulumi-agent37";
import type { RunningEmulator } from "pulumi-agent37/emulator";
import { emulatorConfig, Engine, makeUrn, runProgram, startPluginHost, startProviderHost, startTestEmulator, type ProviderHost } from "../harness";

/* eslint-disable @typescript-eslint/no-require-imports -- the stubs and grpc-js the engine's stand-in serves with */
const grpc = require("@grpc/grpc-js") as typeof import("@grpc/grpc-js");
const enginepb = require("@pulumi/pulumi/proto/engine_pb") as typeof import("@pulumi/pulumi/proto/engine_pb");
const engineGrpc = require("@pulumi/pulumi/proto/engine_grpc_pb") as typeof import("@pulumi/pulumi/proto/engine_grpc_pb");
const emptypb = require("google-protobuf/google/protobuf/empty_pb") as typeof import("google-protobuf/google/protobuf/empty_pb");
/* eslint-enable @typescript-eslint/no-require-imports */

interface Logged {
  urn: string;
  message: string;
  ephemeral: boolean;
  severity: number;
  /** When the stand-in received it. */
  at: number;
}

/** The engine's Log service, recording what it is sent. */
async function startEngineLog(): Promise<{ address: string; logs: Logged[]; close: () => Promise<void> }> {
  const logs: Logged[] = [];
  const server = new grpc.Server();
  server.addService(engineGrpc.EngineService as unknown as import("@grpc/grpc-js").ServiceDefinition, {
    log: (call: import("@grpc/grpc-js").ServerUnaryCall<import("@pulumi/pulumi/proto/engine_pb").LogRequest, unknown>, callback: import("@grpc/grpc-js").sendUnaryData<unknown>) => {
      const r = call.request;
      logs.push({ urn: r.getUrn(), message: r.getMessage(), ephemeral: r.getEphemeral(), severity: r.getSeverity(), at: Date.now() });
      callback(null, new emptypb.Empty());
    },
  });
  const port = await new Promise<number>((resolve, reject) => server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (err, p) => (err ? reject(err) : resolve(p))));
  return { address: `127.0.0.1:${port}`, logs, close: () => new Promise<void>((resolve) => server.tryShutdown(() => resolve())) };
}

/** The gateway's boot: long enough for the first line, 2 s into the wait. */
const BOOT_MS = 3_500;

let emulator: RunningEmulator;
let engineLog: Awaited<ReturnType<typeof startEngineLog>>;
let host: ProviderHost | undefined;

beforeAll(async () => {
  emulator = await startTestEmulator({ provisionMs: 100, bootMs: BOOT_MS, lifecycleMs: 100, deleteMs: 50 });
  engineLog = await startEngineLog();
});
afterEach(async () => {
  await host?.close();
  host = undefined;
  engineLog.logs.length = 0;
});
afterAll(async () => {
  await engineLog?.close();
  await emulator?.close();
});

/** What a door sent while `run` ran, and when `run` returned. */
function expectLines(logs: Logged[], urn: string, answeredAt: number): void {
  expect(logs.length).toBeGreaterThanOrEqual(2);
  for (const l of logs) expect(l).toMatchObject({ urn, ephemeral: true, severity: enginepb.LogSeverity.INFO });
  expect(logs[0]?.message).toMatch(/^waiting for the gateway's health \([2-3] s, 502 container_\w+\)$/);
  for (const l of logs.slice(0, -1)) expect(l.message).toMatch(/^waiting for the gateway's health \(\d+ s, .+\)$/);
  // Cleared, and before the answer: the row's `created` line carries no stale status.
  expect(logs.at(-1)?.message).toBe("");
  expect(logs.at(-1)?.at).toBeLessThanOrEqual(answeredAt);
  expect(JSON.stringify(logs)).not.toContain(emulator.keys[0] as string);
}

describe("the dynamic door", () => {
  it("sends the gateway wait's lines to the engine address the host was started with, as the instance's status", async () => {
    host = await startProviderHost({ engineAddress: engineLog.address });
    await host.configure(emulatorConfig(emulator, emulator.keys[0] as string));
    const engine = new Engine(host);
    await runProgram(engine, () => {
      const slow = new Agent37Instance("slow", { name: "slow" });
      return { id: slow.instanceId };
    });
    const answeredAt = Date.now();
    expectLines(engineLog.logs, engine.urn("pulumi-nodejs:dynamic/agent37:Instance", "slow"), answeredAt);
    await engine.destroy();
  });
});

describe("the plugin door", () => {
  it("sends the gateway wait's lines to the engine address the executable was started with, under the create's URN", async () => {
    const plugin = await startPluginHost({ launch: "executable", engineAddress: engineLog.address });
    host = plugin;
    await plugin.configure(emulatorConfig(emulator, emulator.keys[0] as string));
    const urn = makeUrn("dev", "project", "agent37:index:Instance", "slow");
    const checked = await plugin.client.check(urn, {}, { name: "slow" });
    const created = await plugin.client.create(urn, checked.inputs);
    expectLines(engineLog.logs, urn, Date.now());
    await plugin.client.delete(urn, created.id, created.properties);
  });
});
