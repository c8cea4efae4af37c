/**
 * What a user runs: the packed package (`npm pack`) installed into a fresh project beside the
 * newest `@pulumi/pulumi` (the devDependency, kept at the newest release), its resource constructed with that project's own SDK (which writes
 * `__provider`), and a create / update / refresh / delete lifecycle through that project's own
 * provider host against the emulator. Nothing here resolves from this repository's node_modules,
 * so it proves the published layout on the Node running the tests.
 */
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { promisify } from "node:util";
import { startEmulator, type RunningEmulator } from "../emulator";
import { EmulatorAdmin, emulatorConfig, Engine, PROVIDER_KEY, REPO_ROOT, resolveHostEntry, startProviderHost, type ProviderHost } from "./harness";
import { installConsumer, PLAIN_JS, type Consumer } from "./plugin/consumer";

const run = promisify(execFile);
const TYPE = "pulumi-nodejs:dynamic/agent37:Instance";
const PROJECT = "agent37-user";

/**
 * Run inside the user project: constructs one Agent37Instance with the project's @pulumi/pulumi
 * under its mocks, as `pulumi up` would, and prints the inputs it registers in the form the engine
 * sends them to the provider host (secrets as plaintext).
 */
const REGISTER_JS = `
const pulumi = require("@pulumi/pulumi");
${PLAIN_JS}let registered;
pulumi.runtime.setMocks(
  {
    newResource(args) {
      if (args.type.startsWith("pulumi-nodejs:dynamic/")) registered = { type: args.type, inputs: plain(args.inputs) };
      return { id: args.name + "-id", state: args.inputs };
    },
    call(args) { throw new Error("no function " + args.token); },
  },
  "${PROJECT}", "dev", false,
);
const { Agent37Instance } = require("pulumi-agent37");
const [name, args] = process.argv.slice(2);
const resource = new Agent37Instance(name, JSON.parse(args));
resource.urn.apply(() => process.stdout.write(JSON.stringify(registered)));
`;

interface Registered {
  type: string;
  inputs: Record<string, unknown>;
}

let consumer: Consumer | undefined;
let project: string;
let emulator: RunningEmulator;
let admin: EmulatorAdmin;
let host: ProviderHost | undefined;

/** The inputs the user project's SDK registers for `new Agent37Instance(name, args)`. */
async function declare(name: string, args: object): Promise<Registered> {
  const { stdout } = await run(process.execPath, ["register.js", name, JSON.stringify(args)], { cwd: project });
  return JSON.parse(stdout) as Registered;
}

function installed(pkg: string): { version: string; dir: string } {
  const manifest = require.resolve(`${pkg}/package.json`, { paths: [project] });
  return { version: (JSON.parse(fs.readFileSync(manifest, "utf8")) as { version: string }).version, dir: path.dirname(manifest) };
}

beforeAll(async () => {
  consumer = installConsumer();
  project = consumer.dir;
  fs.writeFileSync(path.join(project, "register.js"), REGISTER_JS);
  emulator = await startEmulator({ port: 0, quiet: true, provisionMs: 100, bootMs: 300, lifecycleMs: 100, deleteMs: 50 });
  admin = new EmulatorAdmin(emulator.url);
  host = await startProviderHost({ cwd: project });
  await host.configure(emulatorConfig(emulator));
}, 240_000);

afterAll(async () => {
  await host?.close();
  await emulator?.close();
  consumer?.remove();
});

describe(`the packed package in a fresh user project (Node ${process.version})`, () => {
  it("installs from the tarball with the newest @pulumi/pulumi, and the host and the package come from the project", () => {
    const ours = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "package.json"), "utf8")) as { version: string; devDependencies: Record<string, string> };
    const pulumi = installed("@pulumi/pulumi");
    expect(pulumi.version).toBe(ours.devDependencies["@pulumi/pulumi"]);
    expect(pulumi.dir.startsWith(fs.realpathSync(project))).toBe(true);
    const pkg = installed("pulumi-agent37");
    expect(pkg.version).toBe(ours.version);
    // A real copy from the tarball, not the repository's link.
    expect(fs.lstatSync(pkg.dir).isSymbolicLink()).toBe(false);
    expect(fs.existsSync(path.join(pkg.dir, "test"))).toBe(false);
    expect(resolveHostEntry(project).startsWith(fs.realpathSync(project))).toBe(true);
  });

  it("runs create, update, refresh and delete through the project's provider host", async () => {
    const engine = new Engine(host as ProviderHost, { project: PROJECT });
    const first = await declare("web", { name: "before", template: "agent37-hermes" });
    expect(first.type).toBe(TYPE);
    expect(first.inputs[PROVIDER_KEY]).toContain('require("pulumi-agent37/dynamic")');
    expect(first.inputs[PROVIDER_KEY]).not.toContain(emulator.keys[0]);

    const created = await engine.register(TYPE, "web", first.inputs);
    expect(created.op).toBe("create");
    expect(created.outputs).toMatchObject({ instanceId: created.id, name: "before", status: "running" });
    expect((await admin.instance(created.id))?.status).toBe("running");

    const updated = await engine.register(TYPE, "web", (await declare("web", { name: "after", template: "agent37-hermes" })).inputs);
    expect([updated.op, updated.id]).toEqual(["update", created.id]);
    expect((await admin.instance(created.id))?.name).toBe("after");

    // Drift made outside Pulumi comes back with a refresh, into outputs and inputs.
    const res = await fetch(`${emulator.url}/v1/instances/${created.id}`, {
      method: "PATCH",
      headers: { authorization: `Bearer ${emulator.keys[0]}`, "content-type": "application/json" },
      body: JSON.stringify({ name: "edited-by-hand" }),
    });
    expect(res.status).toBe(200);
    const [refreshed] = await engine.refresh();
    expect(refreshed).toMatchObject({ op: "refresh", gone: false });
    const state = engine.state.get(engine.urn(TYPE, "web"));
    expect([state?.outputs.name, state?.inputs.name]).toEqual(["edited-by-hand", "edited-by-hand"]);

    await engine.destroy();
    expect((await admin.instance(created.id))?.status).toBe("deleted");
    expect(engine.state.size).toBe(0);
    expect(host?.output().stderr).not.toContain(emulator.keys[0]);
  });
});
