/**
 * The harness's engine stand-in previews and deploys a stack through the plugin and, side by
 * side, through Pulumi's dynamic provider host: an instance and a dependent whose `env` holds
 * the first one's URL. After a rename of the first, the plugin's planned outputs keep the URL
 * known, so the dependent previews unchanged; through the dynamic host the URL is unknown in
 * preview and the dependent previews as a replace (the documented limit of dynamic providers).
 */
import * as pulumi from "@pulumi/pulumi";
import { Agent37Instance } from "pulumi-agent37";
import { EmulatorAdmin, emulatorConfig, Engine, startPluginHost, startRig, traceHost, UNKNOWN, type PluginHost, type Rig, type TracedCall } from "../harness";
import { runProgram } from "../harness";

const TYPE = "agent37:index:Instance";

/** What a generated SDK's Instance class does: a custom resource of the plugin's type token. */
class Instance extends pulumi.CustomResource {
  declare readonly url: pulumi.Output<string>;
  declare readonly instanceId: pulumi.Output<string>;
  constructor(name: string, args: { name?: pulumi.Input<string>; env?: pulumi.Input<Record<string, pulumi.Input<string>>> }) {
    super(TYPE, name, { ...args, url: undefined, instanceId: undefined }, { additionalSecretOutputs: ["env"] });
  }
}

const viaPlugin = (first: string) => () => {
  const api = new Instance("api", { name: first });
  const worker = new Instance("worker", { name: "worker", env: { UPSTREAM: api.url } });
  return { api: api.url, worker: worker.instanceId };
};

const viaDynamic = (first: string) => () => {
  const api = new Agent37Instance("api", { name: first });
  const worker = new Agent37Instance("worker", { name: "worker", env: { UPSTREAM: api.url } });
  return { api: api.url, worker: worker.instanceId };
};

let rig: Rig;
let plugin: PluginHost;
let admin: EmulatorAdmin;

beforeAll(async () => {
  rig = await startRig({ provisionMs: 100, bootMs: 300, lifecycleMs: 100, deleteMs: 50 });
  admin = rig.admin;
  plugin = await startPluginHost();
  await plugin.configure(emulatorConfig(rig.emulator, rig.key));
});
afterAll(async () => {
  await plugin?.close();
  await rig?.close();
});

const byName = (steps: { urn: string; op: string; replaces?: string[] }[]) =>
  Object.fromEntries(steps.map((s) => [s.urn.split("::").pop(), s.replaces && s.replaces.length > 0 ? `${s.op} (${s.replaces.join(", ")})` : s.op]));

describe("a rename previewed through the plugin and through the dynamic host", () => {
  it("plugin: the dependent shows no change, the renamed instance an update of name only, and nothing reaches Agent37", async () => {
    const traced = traceHost(plugin);
    const engine = new Engine(traced.host);
    const provides = (t: string): boolean => t === TYPE;
    const up = await runProgram(engine, viaPlugin("api"), { provides });
    expect(up.steps.map((s) => s.op)).toEqual(["create", "create"]);
    const worker = engine.state.get(engine.urn(TYPE, "worker"));
    expect(JSON.stringify(worker?.inputs.env)).toContain(up.outputs.api as string);

    traced.calls.length = 0;
    await admin.clearRequests();
    const preview = await runProgram(engine, viaPlugin("api-renamed"), { preview: true, provides });
    expect(byName(preview.steps)).toEqual({ api: "update", worker: "same" });
    expect(preview.steps.find((s) => s.op === "update")?.detailedDiff).toEqual({ name: "UPDATE" });
    expect(preview.outputs.api).toBe(up.outputs.api);
    const workerCheck = traced.calls.find((c: TracedCall) => c.method === "Check" && c.name === "worker");
    expect(JSON.stringify(workerCheck?.args[1])).not.toContain(UNKNOWN);
    expect(traced.calls.map((c) => `${c.method} ${c.name}`)).toEqual(["Check api", "Diff api", "Update api", "Check worker", "Diff worker"]);
    expect(await admin.apiRequestCount()).toBe(0);

    // The up that follows does what the preview said.
    const applied = await runProgram(engine, viaPlugin("api-renamed"), { provides });
    expect(byName(applied.steps)).toEqual({ api: "update", worker: "same" });
    await engine.destroy();
    expect(await admin.live()).toEqual([]);
  });

  it("dynamic host: the URL is unknown in preview, so the dependent previews as a replace", async () => {
    const engine = new Engine(rig.host);
    await runProgram(engine, viaDynamic("api"));
    const preview = await runProgram(engine, viaDynamic("api-renamed"), { preview: true });
    expect(byName(preview.steps)).toEqual({ api: "update", worker: "replace (env)" });
    expect(preview.outputs.api).toBeUndefined();
    await engine.destroy();
    expect(await admin.live()).toEqual([]);
  });
});
