/**
 * State written by 0.1.0 keeps working: the stack recorded from the released code
 * (test/compat/fixtures/0.1.0/, made by scripts/record-compat-0.1.0.ts) is replayed through
 * today's code, through each door it was written by, against an emulator started from the state
 * file recorded with it. The unchanged program plans no change (check, diff), a refresh (read)
 * with the recorded `__provider` strings gives back the recorded outputs and then no change, and
 * a destroy (delete) removes every resource.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as lib from "pulumi-agent37";
import { startEmulator, type RunningEmulator } from "../../emulator";
import { dynamicProgram, FIXTURE_KEY, PLUGIN_DECLARATIONS, PROJECT, STACK } from "../../scripts/compat-stack";
import { emulatorConfig, Engine, PROVIDER_KEY, runProgram, startPluginHost, startProviderHost, type ProviderHost, type ResourceState } from "../harness";

const FIXTURE = path.join(__dirname, "fixtures", "0.1.0");

interface Recorded {
  recordedWith: string;
  emulator: { key: string; port: number };
  dynamic: ResourceState[];
  plugin: ResourceState[];
}

/** The recorded stack, with the recording emulator's port in URLs replaced by `port` (the API host is the same). */
function recorded(port: number): Recorded {
  const text = fs.readFileSync(path.join(FIXTURE, "stack.json"), "utf8");
  const { emulator } = JSON.parse(text) as Recorded;
  return JSON.parse(text.replace(new RegExp(`(localhost|127\\.0\\.0\\.1):${emulator.port}\\b`, "g"), `$1:${port}`)) as Recorded;
}

const RESOURCE_TYPES = ["Instance", "Exec", "Template", "Domain", "DomainVerification", "SshKey"];

type Door = "dynamic" | "plugin";

describe.each<Door>(["dynamic", "plugin"])("0.1.0 state through the %s door", (door) => {
  let scratch: string;
  let emulator: RunningEmulator;
  let host: ProviderHost;
  let stack: ResourceState[];

  const api = async (apiPath: string): Promise<{ data: Record<string, unknown>[] }> => {
    const res = await fetch(`${emulator.url}${apiPath}`, { headers: { authorization: `Bearer ${FIXTURE_KEY}` } });
    return (await res.json()) as { data: Record<string, unknown>[] };
  };
  const preloaded = (): Engine => {
    const engine = new Engine(host, { project: PROJECT, stack: STACK });
    for (const res of stack) engine.state.set(res.urn, structuredClone(res));
    return engine;
  };

  beforeAll(async () => {
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), "agent37-replay-"));
    const statePath = path.join(scratch, "state.json");
    fs.copyFileSync(path.join(FIXTURE, "emulator-state.json"), statePath);
    emulator = await startEmulator({ port: 0, quiet: true, keys: [FIXTURE_KEY], statePath, deleteMs: 20 });
    host = door === "dynamic" ? await startProviderHost() : await startPluginHost();
    await host.configure(emulatorConfig(emulator, FIXTURE_KEY));
    stack = recorded(emulator.port)[door];
  });
  afterAll(async () => {
    await host?.close();
    await emulator?.close();
    fs.rmSync(scratch, { recursive: true, force: true });
  });

  it("holds one resource of every type, and the emulator's state file holds them", async () => {
    const prefix = door === "dynamic" ? "pulumi-nodejs:dynamic/agent37:" : "agent37:index:";
    expect(stack.map((r) => r.type).sort()).toEqual(RESOURCE_TYPES.map((t) => prefix + t).sort());
    const instance = stack.find((r) => r.type.endsWith(":Instance")) as ResourceState;
    expect((await api("/v1/instances")).data.map((i) => i.id)).toContain(instance.id);
    if (door === "dynamic") {
      // Every resource carries the serialized provider 0.1.0 wrote, naming its entry in `pulumi-agent37/dynamic`.
      for (const res of stack) expect(res.inputs[PROVIDER_KEY]).toMatch(/require\("pulumi-agent37\/dynamic"\)\[entry\]\(\)/);
    }
  });

  it("the unchanged program previews and runs with no change planned", async () => {
    const engine = preloaded();
    if (door === "dynamic") {
      const preview = await runProgram(engine, dynamicProgram(lib), { preview: true });
      expect(preview.steps.map((s) => [s.urn, s.op, s.error?.message]).sort()).toEqual(stack.map((r) => [r.urn, "same", undefined]).sort());
      const up = await runProgram(engine, dynamicProgram(lib));
      expect(up.steps.map((s) => s.op)).toEqual(stack.map(() => "same"));
    } else {
      for (const preview of [true, false]) {
        for (const d of PLUGIN_DECLARATIONS) {
          const inputs = d.inputs((name) => [...engine.state.values()].find((r) => r.urn.endsWith(`::${name}`)) as ResourceState);
          expect([d.type, (await engine.register(d.type, d.name, inputs, { preview })).op]).toEqual([d.type, "same"]);
        }
      }
    }
  });

  it("refresh with the recorded state reads back the recorded outputs, and then plans no change", async () => {
    for (const res of stack) {
      const read = await host.read(res.urn, res.id, res.outputs, res.inputs);
      expect([res.type, read.id]).toEqual([res.type, res.id]);
      expect(read.properties).toMatchObject(res.outputs);
      const inputs = read.inputs ?? res.inputs;
      const checked = await host.check(res.urn, inputs, res.inputs);
      expect([res.type, checked.failures]).toEqual([res.type, []]);
      const diff = await host.diff(res.urn, res.id, read.properties, checked.inputs, inputs);
      expect([res.type, diff.changes, diff.replaces]).toEqual([res.type, "none", []]);
    }
  });

  it("destroy with the recorded state deletes every resource", async () => {
    const others = (await api("/v1/instances")).data.filter((i) => !stack.some((r) => r.id === i.id)).map((i) => i.id);
    for (const res of [...stack].reverse()) await host.delete(res.urn, res.id, res.outputs, res.inputs);
    const mine = (ids: unknown[]): unknown[] => ids.filter((id) => stack.some((r) => r.id === id));
    expect(mine((await api("/v1/instances")).data.filter((i) => i.status !== "deleted").map((i) => i.id))).toEqual([]);
    expect(mine((await api("/v1/domains")).data.map((d) => d.domain))).toEqual([]);
    expect(mine((await api("/v1/ssh-keys")).data.map((k) => k.id))).toEqual([]);
    expect(mine((await api("/v1/templates")).data.filter((t) => t.scope === "workspace").map((t) => t.name))).toEqual([]);
    // The other door's resources are untouched.
    expect((await api("/v1/instances")).data.map((i) => i.id)).toEqual(others);
  });
});
