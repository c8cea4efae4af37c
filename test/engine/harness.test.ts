/**
 * Proves the engine-protocol harness itself against a network-free dynamic resource: the real
 * provider host, the real closure serialization, the real result encoding.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import {
  captureInputs,
  Engine,
  HostError,
  PROVIDER_KEY,
  REPO_ROOT,
  runProgram,
  serializeProvider,
  startProviderHost,
  UNKNOWN,
  type ProviderHost,
} from "../harness";
import { FileResource, type FileResourceArgs } from "../harness/fixtures/file-resource";

const TYPE = "pulumi-nodejs:dynamic/fixture:File";
const urn = (name: string): string => `urn:pulumi:dev::project::${TYPE}::${name}`;

let host: ProviderHost;
let dir: string;

beforeAll(async () => {
  host = await startProviderHost();
  await host.configure({ "fixture:prefix": "p-", "fixture:apiKey": "fixture-secret-key" });
});
afterAll(async () => {
  await host.close();
});
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "harness-"));
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

/** Engine-form inputs of a FileResource, as `pulumi.dynamic.Resource` registers them. */
function inputsOf(args: Partial<FileResourceArgs> = {}): Promise<Record<string, unknown>> {
  return captureInputs(() => {
    new FileResource("f", { dir, content: "hello", ...args });
  });
}

async function created(args: Partial<FileResourceArgs> = {}, name = "f"): Promise<{ id: string; inputs: Record<string, unknown>; outputs: Record<string, unknown> }> {
  const checked = await host.check(urn(name), {}, await inputsOf(args));
  const result = await host.create(urn(name), checked.inputs);
  return { id: result.id, inputs: checked.inputs, outputs: result.properties };
}

describe("provider host process", () => {
  it("answers GetPluginInfo with the SDK version it was started from", async () => {
    const { ProviderClient } = await import("../harness");
    const client = new ProviderClient(host.address);
    try {
      const manifest = JSON.parse(fs.readFileSync(require.resolve("@pulumi/pulumi/package.json"), "utf8")) as { version: string };
      expect(await client.getPluginInfo()).toBe(manifest.version);
    } finally {
      client.close();
    }
  });

  it("runs with the repository root as its working directory by default", () => {
    expect(fs.realpathSync(`/proc/${host.pid}/cwd`)).toBe(fs.realpathSync(REPO_ROOT));
  });

  it("runs in the working directory it is given and exits on close", async () => {
    const other = await startProviderHost({ cwd: dir });
    const pid = other.pid;
    expect(fs.realpathSync(`/proc/${pid}/cwd`)).toBe(fs.realpathSync(dir));
    await other.close();
    expect(() => process.kill(pid, 0)).toThrow();
  });

  it("captures the host's stdout, starting with the port it printed", () => {
    expect(host.output().stdout.split("\n")[0]).toBe(host.address.split(":")[1]);
  });
});

describe("serialized provider", () => {
  it("is the text pulumi.dynamic.Resource produces, a module exporting handler", async () => {
    const provider = await serializeProvider(() => {
      new FileResource("f", { dir, content: "x" });
    });
    expect(provider).toMatch(/^exports\.handler = /);
    expect((await inputsOf())[PROVIDER_KEY]).toBe(provider);
  });

  it("carries resource inputs without the undefined output placeholders", async () => {
    const inputs = await inputsOf();
    expect(Object.keys(inputs).sort()).toEqual([PROVIDER_KEY, "content", "dir"]);
  });
});

describe("Check", () => {
  it("returns the provider's failures naming property and rule", async () => {
    const result = await host.check(urn("f"), {}, await inputsOf({ content: "x".repeat(101) }));
    expect(result.failures).toEqual([{ property: "content", reason: "at most 100 characters" }]);
  });

  it("passes the unknown sentinel through to the provider untouched", async () => {
    const result = await host.check(urn("f"), {}, { ...(await inputsOf()), content: UNKNOWN });
    expect(result.failures).toEqual([]);
    expect(result.inputs.content).toBe(UNKNOWN);
  });
});

describe("Configure", () => {
  it("delivers plain config values to the provider's configure", async () => {
    const { outputs } = await created();
    expect(outputs.written).toBe("p-hello");
  });

  it("delivers secret config unwrapped from its envelope", async () => {
    const { outputs } = await created();
    expect(outputs.keyLength).toBe("fixture-secret-key".length);
  });
});

describe("Create", () => {
  it("returns the id and outputs, with __provider carried into the state", async () => {
    const { id, outputs, inputs } = await created();
    expect(outputs.path).toBe(path.join(dir, `${id}.json`));
    expect(JSON.parse(fs.readFileSync(outputs.path as string, "utf8"))).toEqual({ content: "hello" });
    expect(outputs[PROVIDER_KEY]).toBe(inputs[PROVIDER_KEY]);
  });

  it("decodes a created-but-failed-to-initialize error into initFailure", async () => {
    const checked = await host.check(urn("f"), {}, await inputsOf({ failInit: true, fileName: "stuck" }));
    const error = await host.create(urn("f"), checked.inputs).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HostError);
    const hostError = error as HostError;
    expect(hostError.message).toContain("failed to initialize");
    expect(hostError.initFailure).toEqual({
      id: "stuck",
      properties: expect.objectContaining({ path: path.join(dir, "stuck.json"), content: "hello" }),
      reasons: ["never became ready"],
    });
  });

  it("fails with the host's struct error when a result holds undefined", async () => {
    const checked = await host.check(urn("f"), {}, await inputsOf({ returnUndefined: true }));
    const error = (await host.create(urn("f"), checked.inputs).catch((e: unknown) => e)) as HostError;
    expect(error).toBeInstanceOf(HostError);
    expect(error.message).toMatch(/Unexpected struct type/);
    expect(error.initFailure).toBeUndefined();
  });
});

describe("Diff", () => {
  it("reports no changes for the same inputs", async () => {
    const { id, inputs, outputs } = await created();
    expect(await host.diff(urn("f"), id, outputs, inputs, inputs)).toEqual({ changes: "none", replaces: [], deleteBeforeReplace: false });
  });

  it("reports an in-place change", async () => {
    const { id, inputs, outputs } = await created();
    const news = (await host.check(urn("f"), inputs, await inputsOf({ content: "bye" }))).inputs;
    expect(await host.diff(urn("f"), id, outputs, news, inputs)).toEqual({ changes: "some", replaces: [], deleteBeforeReplace: false });
  });

  it("reports replaces and deleteBeforeReplace as the provider decided", async () => {
    const { id, inputs, outputs } = await created({ fileName: "fixed" });
    const news = (await host.check(urn("f"), inputs, await inputsOf({ fileName: "fixed", dir: os.tmpdir() }))).inputs;
    expect(await host.diff(urn("f"), id, outputs, news, inputs)).toEqual({ changes: "some", replaces: ["dir"], deleteBeforeReplace: true });
  });
});

describe("Update, Read, Delete", () => {
  it("updates in place and returns the new outputs", async () => {
    const { id, inputs, outputs } = await created();
    const news = (await host.check(urn("f"), inputs, await inputsOf({ content: "bye" }))).inputs;
    const updated = await host.update(urn("f"), id, outputs, news, inputs);
    expect(updated.properties).toMatchObject({ content: "bye", written: "p-bye", path: outputs.path });
    expect(JSON.parse(fs.readFileSync(outputs.path as string, "utf8"))).toEqual({ content: "bye" });
  });

  it("reads an out-of-band change back into outputs and inputs", async () => {
    const { id, inputs, outputs } = await created();
    fs.writeFileSync(outputs.path as string, JSON.stringify({ content: "edited" }));
    const read = await host.read(urn("f"), id, outputs, inputs);
    expect(read.id).toBe(id);
    expect(read.properties.content).toBe("edited");
    expect(read.inputs).toMatchObject({ content: "edited", [PROVIDER_KEY]: inputs[PROVIDER_KEY] });
  });

  it("reads an out-of-band deletion as an empty id", async () => {
    const { id, inputs, outputs } = await created();
    fs.rmSync(outputs.path as string);
    expect((await host.read(urn("f"), id, outputs, inputs)).id).toBe("");
  });

  it("deletes the resource", async () => {
    const { id, inputs, outputs } = await created();
    await host.delete(urn("f"), id, outputs, inputs);
    expect(fs.existsSync(outputs.path as string)).toBe(false);
  });
});

describe("deadlines", () => {
  it("rejects a call that outlives its deadline with DEADLINE_EXCEEDED", async () => {
    const inputs = await inputsOf();
    const error = (await host.check(urn("f"), {}, inputs, { timeoutMs: 0 }).catch((e: unknown) => e)) as HostError;
    expect(error).toBeInstanceOf(HostError);
    expect(error.code).toBe(4);
  });
});

describe("Engine and program runs", () => {
  const program = (content: string, extra: Partial<FileResourceArgs> = {}) => () => {
    const file = new FileResource("f", { dir, content, ...extra });
    return { path: file.path, written: file.written };
  };

  it("previews a new stack with Check only and plans a create", async () => {
    const engine = new Engine(host);
    const run = await runProgram(engine, program("hello"), { preview: true });
    expect(run.steps.map((s) => [s.op, s.preview])).toEqual([["create", true]]);
    expect(fs.readdirSync(dir)).toEqual([]);
    expect(engine.state.size).toBe(0);
  });

  it("ups, updates, refreshes and destroys through the host", async () => {
    const engine = new Engine(host);
    const up = await runProgram(engine, program("one"));
    expect(up.steps.map((s) => s.op)).toEqual(["create"]);
    expect(up.outputs).toEqual({ path: expect.stringContaining(dir), written: "p-one" });
    const update = await runProgram(engine, program("two"));
    expect(update.steps.map((s) => s.op)).toEqual(["update"]);
    expect(update.outputs.written).toBe("p-two");
    const same = await runProgram(engine, program("two"));
    expect(same.steps.map((s) => s.op)).toEqual(["same"]);
    fs.rmSync(up.outputs.path as string);
    expect((await engine.refresh()).map((s) => [s.op, s.gone])).toEqual([["refresh", true]]);
    expect(engine.state.size).toBe(0);
  });

  it("replaces delete-first when Diff asks for deleteBeforeReplace", async () => {
    const engine = new Engine(host);
    await runProgram(engine, program("x", { fileName: "fixed" }));
    const moved = fs.mkdtempSync(path.join(os.tmpdir(), "harness-moved-"));
    try {
      const run = await runProgram(engine, () => {
        new FileResource("f", { dir: moved, content: "x", fileName: "fixed" });
      });
      expect(run.steps.map((s) => s.op)).toEqual(["delete-replaced", "create-replacement", "replace"]);
      expect(fs.existsSync(path.join(dir, "fixed.json"))).toBe(false);
      expect(fs.existsSync(path.join(moved, "fixed.json"))).toBe(true);
      await engine.destroy();
      expect(fs.existsSync(path.join(moved, "fixed.json"))).toBe(false);
    } finally {
      fs.rmSync(moved, { recursive: true, force: true });
    }
  });

  it("replaces create-first otherwise, and keeps an init failure in state for the next up", async () => {
    const engine = new Engine(host);
    const failed = await runProgram(engine, program("x", { failInit: true, fileName: "init" })).catch((e: unknown) => e);
    expect((failed as HostError).initFailure?.id).toBe("init");
    expect(engine.state.get(engine.urn(TYPE, "f"))).toMatchObject({ id: "init", initErrors: ["never became ready"] });
    const retried = await runProgram(engine, program("x", { failInit: true, fileName: "init" }));
    expect(retried.steps.map((s) => s.op)).toEqual(["update"]);
    expect(engine.state.get(engine.urn(TYPE, "f"))?.initErrors).toBeUndefined();
    const replaced = await runProgram(engine, program("x"));
    expect(replaced.steps.map((s) => s.op)).toEqual(["create-replacement", "delete-replaced", "replace"]);
    await engine.destroy();
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  it("keeps a replacement that failed to initialize in state and deletes the old one on the next up", async () => {
    const engine = new Engine(host);
    const first = await runProgram(engine, program("x"));
    const moved = fs.mkdtempSync(path.join(os.tmpdir(), "harness-moved-"));
    try {
      const failing = () => {
        new FileResource("f", { dir: moved, content: "x", fileName: "next", failInit: true });
      };
      const error = await runProgram(engine, failing).catch((e: unknown) => e);
      expect((error as HostError).initFailure?.id).toBe("next");
      expect(engine.state.get(engine.urn(TYPE, "f"))).toMatchObject({ id: "next", initErrors: ["never became ready"] });
      expect(engine.pendingDeletes.map((r) => r.outputs.path)).toEqual([first.outputs.path]);
      const retried = await runProgram(engine, failing);
      expect(retried.steps.map((s) => s.op)).toEqual(["delete-replaced", "update"]);
      expect(fs.existsSync(first.outputs.path as string)).toBe(false);
      expect(engine.pendingDeletes).toEqual([]);
      await engine.destroy();
      expect(fs.readdirSync(moved)).toEqual([]);
    } finally {
      fs.rmSync(moved, { recursive: true, force: true });
    }
  });

  it("preview sends dependent inputs as the unknown sentinel", async () => {
    const seen: unknown[] = [];
    const spy = { ...host, check: (u: string, o: object, n: object) => (seen.push(n), host.check(u, o, n)) } as ProviderHost;
    const previewEngine = new Engine(spy);
    await runProgram(previewEngine, () => {
      const a = new FileResource("a", { dir, content: "a" });
      new FileResource("b", { dir, content: pulumi.interpolate`${a.written}!` });
    }, { preview: true });
    expect(seen.map((n) => (n as { content: unknown }).content)).toEqual(["a", UNKNOWN]);
    expect(previewEngine.state.size).toBe(0);
  });
});
