/**
 * A create whose caller went away while the provider process lives on: the engine's Create call
 * ends in the middle of the readiness gate (its deadline passes, or its connection is cut), the
 * provider finishes the create anyway, and the engine records nothing. Through both doors (Pulumi's dynamic provider host
 * and the plugin's gRPC service): the instance stays in the documented listing of unfinished
 * creates, and the next `up` takes it over: one instance, live and in state, no second POST.
 */
import * as net from "node:net";
import * as pulumi from "@pulumi/pulumi";
import { Agent37Instance } from "pulumi-agent37";
import { emulatorConfig, Engine, isDynamicType, ProviderClient, runProgram, startPluginHost, type PluginHost, type ProviderHost } from "../harness";
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

/** The README's listing of unfinished creates (live instances that carry the pending-create marker), of one name. */
async function unfinishedCreates(name: string) {
  return (await rig.admin.live()).filter((i) => i.name === name && i.metadata?.[PENDING_CREATE_KEY] !== undefined);
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

/** How the engine goes away from a Create: its deadline passes, or its connection is lost. */
type Cut = (host: ProviderHost) => { host: ProviderHost; whileGating(): void; close(): Promise<void> };

const deadline: Cut = (host) => ({
  host: { ...host, create: (urn, props, opts) => host.create(urn, props, { ...opts, timeoutMs: 400 }) },
  whileGating: () => undefined,
  close: async () => undefined,
});

/** Create goes through a TCP proxy whose connections are cut while the create waits for its gate. */
const lostConnection: Cut = (host) => {
  const sockets = new Set<net.Socket>();
  const [hostName, hostPort] = host.address.split(":") as [string, string];
  const proxy = net.createServer((down) => {
    const up = net.connect(Number(hostPort), hostName);
    for (const s of [down, up]) {
      sockets.add(s);
      s.on("error", () => undefined);
      s.on("close", () => sockets.delete(s));
    }
    down.pipe(up);
    up.pipe(down);
  });
  let client: ProviderClient | undefined;
  const listening = new Promise<void>((resolve) => proxy.listen(0, "127.0.0.1", () => resolve()));
  return {
    host: {
      ...host,
      create: async (urn, props, opts) => {
        await listening;
        // As the engine's Go client does, a call whose connection went is not sent again.
        client ??= new ProviderClient(`127.0.0.1:${(proxy.address() as net.AddressInfo).port}`, { channelOptions: { "grpc.enable_retries": 0 } });
        return client.create(urn, props, opts);
      },
    },
    whileGating: () => {
      for (const s of sockets) s.destroy();
    },
    close: async () => {
      client?.close();
      for (const s of sockets) s.destroy();
      await new Promise((resolve) => proxy.close(resolve));
    },
  };
};

const cuts: [string, Cut, RegExp][] = [
  ["by the engine's deadline", deadline, /deadline/i],
  ["by a lost connection", lostConnection, /UNAVAILABLE|ECONNRESET|closed|connection/i],
];

describe.each(doors)("through %s", (label, hostOf, program, provides) => {
  it.each(cuts)("a create cut off %s stays an unfinished create, and the next up takes it over: one instance, live and in state", async (how, cutOf, message) => {
    const host = hostOf();
    const name = `cut-${label.split(" ").pop()}-${how.split(" ").pop()}`;
    // The gate's first health answer takes 1.5 s; the engine goes away before it comes.
    await rig.admin.setFaults([{ path: "/v1/health", plane: "instance", kind: "delay", delayMs: 1_500, count: 1 }]);
    const cut = cutOf(host);
    const logged = host.output().stderr.length;
    try {
      const engine = new Engine(cut.host);
      const run = runProgram(engine, program(name), { provides }).then(
        () => undefined,
        (e: unknown) => e as Error,
      );
      const gating = Date.now() + 20_000;
      while (((await rig.admin.requests()).counters["GET instance:/v1/health"] ?? 0) === 0) {
        if (Date.now() > gating) throw new Error("the create never reached its readiness gate");
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      cut.whileGating();
      const error = await run;
      expect(error?.message).toMatch(message);
      expect(engine.state.size).toBe(0);
    } finally {
      await cut.close();
    }

    // The provider process lives on and finishes the create. It says so on its log, where the
    // old behaviour instead removed the marker (a PATCH): wait for whichever comes first.
    const seen = async (): Promise<boolean> =>
      host.output().stderr.slice(logged).includes(`went away before the create of instance`) || ((await rig.admin.requests()).counters["PATCH /v1/instances/:id"] ?? 0) > 0;
    const finishing = Date.now() + 20_000;
    while (!(await seen())) {
      if (Date.now() > finishing) throw new Error("the cut-off create never finished");
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    const made = (await rig.admin.live()).filter((i) => i.name === name);
    expect(made).toHaveLength(1);
    expect(made[0]?.status).toBe("running");
    // The documented listing still tells the truth: the answer the engine never got is listed.
    expect((await unfinishedCreates(name)).map((i) => i.id)).toEqual([made[0]?.id]);

    // The next up of the same program, the engine listening: it takes the instance over.
    await rig.admin.clearRequests();
    const next = new Engine(host);
    await within(runProgram(next, program(name), { provides }), 60_000, "the next up");
    expect([...next.state.values()].map((r) => r.id)).toEqual([made[0]?.id]);
    expect((await rig.admin.requests()).counters["POST /v1/instances"]).toBeUndefined();
    expect((await rig.admin.live()).filter((i) => i.name === name).map((i) => i.id)).toEqual([made[0]?.id]);
    expect(await unfinishedCreates(name)).toEqual([]);
    await next.destroy();
    expect((await rig.admin.live()).filter((i) => i.name === name)).toEqual([]);
  });
});
