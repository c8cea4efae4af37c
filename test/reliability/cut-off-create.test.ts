/**
 * A create whose caller went away while the provider process lives on: the engine's Create call
 * ends at its deadline in the middle of the readiness gate, the provider finishes the create
 * anyway, and the engine records nothing. Through both doors (Pulumi's dynamic provider host
 * and the plugin's gRPC service): the instance stays in the documented listing of unfinished
 * creates, and the next `up` takes it over: one instance, live and in state, no second POST.
 */
import * as pulumi from "@pulumi/pulumi";
import { Agent37Instance } from "pulumi-agent37";
import { emulatorConfig, Engine, isDynamicType, runProgram, startPluginHost, type PluginHost, type ProviderHost } from "../harness";
import { PENDING_CREATE_KEY, startRig, within, type Rig } from "./helpers";

/** What a generated SDK's Instance class does: a custom resource of the plugin's type token. */
class PluginInstance extends pulumi.CustomResource {
  constructor(name: string, args: { name?: pulumi.Input<string> }) {
    super("agent37:index:Instance", name, { ...args, instanceId: undefined }, { additionalSecretOutputs: ["env"] });
  }
}

let rig: Rig;
let plugin: PluginHost;
beforeAll(async () => {
  rig = await startRig({ bootMs: 50 });
  plugin = await startPluginHost();
  await plugin.configure(emulatorConfig(rig.emulator, rig.key));
});
afterAll(async () => {
  await plugin?.close();
  await rig?.close();
});
beforeEach(async () => {
  await rig.admin.clearFaults();
  await rig.admin.clearRequests();
});

/** The host with every Create given a short deadline, as an engine that stops waiting. */
function withCreateDeadline(host: ProviderHost, timeoutMs: number): ProviderHost {
  return { ...host, create: (urn, props, opts) => host.create(urn, props, { ...opts, timeoutMs }) };
}

/** The README's listing of unfinished creates: live instances that carry the pending-create marker. */
async function unfinishedCreates() {
  return (await rig.admin.live()).filter((i) => i.metadata?.[PENDING_CREATE_KEY] !== undefined);
}

const doors: [string, () => ProviderHost, (name: string) => () => void, (t: string) => boolean][] = [
  [
    "the dynamic provider host",
    () => rig.host,
    (name) => () => {
      new Agent37Instance(name, { name });
    },
    isDynamicType,
  ],
  [
    "the plugin",
    () => plugin,
    (name) => () => {
      new PluginInstance(name, { name });
    },
    (t) => t === "agent37:index:Instance",
  ],
];

describe.each(doors)("a create cut off by the engine's deadline, through %s", (label, hostOf, program, provides) => {
  it("keeps the instance an unfinished create, and the next up takes it over: one instance, live and in state", async () => {
    const host = hostOf();
    const name = `cut-${label.split(" ").pop()}`;
    // The gate's first health answer takes 1.5 s; the engine gives up on the Create after 0.4 s.
    await rig.admin.setFaults([{ path: "/v1/health", plane: "instance", kind: "delay", delayMs: 1_500, count: 1 }]);
    const engine = new Engine(withCreateDeadline(host, 400));
    const error = await runProgram(engine, program(name), { provides }).then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(error?.message).toMatch(/deadline/i);
    expect(engine.state.size).toBe(0);

    // The provider process lives on and finishes the create. It says so on its log, where the
    // old behaviour instead removed the marker (a PATCH): wait for whichever comes first.
    const seen = async (): Promise<boolean> =>
      /went away before the create of instance/.test(host.output().stderr) || ((await rig.admin.requests()).counters["PATCH /v1/instances/:id"] ?? 0) > 0;
    const deadline = Date.now() + 20_000;
    while (!(await seen())) {
      if (Date.now() > deadline) throw new Error("the cut-off create never finished");
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    const made = (await rig.admin.live()).filter((i) => i.name === name);
    expect(made).toHaveLength(1);
    expect(made[0]?.status).toBe("running");
    // The documented listing still tells the truth: the answer the engine never got is listed.
    expect((await unfinishedCreates()).map((i) => i.id)).toEqual([made[0]?.id]);

    // The next up of the same program, the engine listening: it takes the instance over.
    await rig.admin.clearRequests();
    const next = new Engine(host);
    await within(runProgram(next, program(name), { provides }), 60_000, "the next up");
    expect([...next.state.values()].map((r) => r.id)).toEqual([made[0]?.id]);
    expect((await rig.admin.requests()).counters["POST /v1/instances"]).toBeUndefined();
    expect((await rig.admin.live()).filter((i) => i.name === name).map((i) => i.id)).toEqual([made[0]?.id]);
    expect(await unfinishedCreates()).toEqual([]);
    await next.destroy();
    expect((await rig.admin.live()).filter((i) => i.name === name)).toEqual([]);
  });
});
