/**
 * Agent37SshKey through Pulumi's provider host, driven as the engine drives it, against the
 * emulator: create, diff (no change, replace), refresh, delete (also of a key already gone), the
 * fingerprint known at preview, a bad key refused by check, and a key the workspace already
 * holds taken over rather than duplicated.
 */
import { Agent37SshKey, type Agent37SshKeyArgs } from "pulumi-agent37";
import { captureInputs, EmulatorAdmin, Engine, runProgram, startRig, traceHost, UNKNOWN, type ProviderHost, type Rig } from "../harness";
import { randomEd25519Line, SSH_KEY_VECTORS } from "../harness/fixtures/ssh-keys";
import { hostingApi } from "./helpers";

const TYPE = "pulumi-nodejs:dynamic/agent37:SshKey";
const URN = `urn:pulumi:dev::project::${TYPE}::deploy`;
const RSA = SSH_KEY_VECTORS[1]!;
const ED = SSH_KEY_VECTORS[0]!;

let rig: Rig;
let host: ProviderHost;
let admin: EmulatorAdmin;
let api: ReturnType<typeof hostingApi>;

beforeAll(async () => {
  rig = await startRig({ provisionMs: 50, bootMs: 100, lifecycleMs: 50, deleteMs: 30 });
  ({ host, admin } = rig);
  api = hostingApi(rig.emulator.url, rig.key);
});
afterAll(async () => rig?.close());
afterEach(async () => {
  await admin.reset();
});

const newEngine = (): Engine => new Engine(traceHost(host).host);

const key = (args: Agent37SshKeyArgs) => () => {
  const k = new Agent37SshKey("deploy", args);
  return { keyId: k.keyId, fingerprint: k.fingerprint, type: k.type, name: k.name, created: k.created, publicKey: k.publicKey, id: k.id };
};

async function workspaceKeys(): Promise<{ id: string; name: string | null; fingerprint: string }[]> {
  return (await api("GET", "/v1/ssh-keys")).body.data;
}

describe("Agent37SshKey", () => {
  it("creates the key: Agent37's id, OpenSSH's fingerprint, type, name", async () => {
    const engine = newEngine();
    const { outputs } = await runProgram(engine, key({ publicKey: RSA.line, name: "ci" }));
    expect(outputs).toEqual({ keyId: expect.stringMatching(/^key_/), fingerprint: RSA.fingerprint, type: "ssh-rsa", name: "ci", created: expect.any(Number), publicKey: RSA.line, id: outputs.keyId });
    expect(await workspaceKeys()).toEqual([expect.objectContaining({ id: outputs.keyId, name: "ci", fingerprint: RSA.fingerprint })]);
    await engine.destroy();
  });

  it("knows the fingerprint at preview, from check alone (the engine plans a create with the checked inputs), without a request", async () => {
    await admin.clearRequests();
    const inputs = await captureInputs(key({ publicKey: ED.line }));
    const checked = await host.check(URN, {}, inputs);
    expect(checked.failures).toEqual([]);
    expect(checked.inputs).toMatchObject({ publicKey: ED.line, fingerprint: ED.fingerprint, type: "ssh-ed25519" });
    // A key still unknown at preview leaves the fingerprint unknown, which the diff counts as a change.
    const pending = await host.check(URN, {}, { ...inputs, publicKey: UNKNOWN });
    expect(pending.inputs).toMatchObject({ fingerprint: UNKNOWN });
    expect(await admin.apiRequestCount()).toBe(0);
  });

  it("check refuses a bad key line, naming publicKey and the rule", async () => {
    const inputs = await captureInputs(key({ publicKey: "ssh-dss AAAAB3NzaC1kc3M= old@box" }));
    const checked = await host.check(URN, {}, inputs);
    expect(checked.failures).toEqual([{ property: "publicKey", reason: expect.stringMatching(/^publicKey has type "ssh-dss", which is not supported \(supported: ssh-ed25519, ssh-rsa, /) }]);
    const truncated = await host.check(URN, {}, { ...inputs, publicKey: ED.line.slice(0, 60) });
    expect(truncated.failures).toEqual([{ property: "publicKey", reason: expect.stringMatching(/^publicKey is not a valid key/) }]);
  });

  it("diffs: the same key with another comment is no change; a new name replaces deleting first; another key replaces creating first", async () => {
    const engine = newEngine();
    const first = await runProgram(engine, key({ publicKey: ED.line, name: "laptop" }));
    const [type, data] = ED.line.split(" ");
    let mark = engine.steps.length;
    await runProgram(engine, key({ publicKey: `${type} ${data} renamed-comment`, name: "laptop" }));
    expect(engine.steps.slice(mark).map((s) => s.op)).toEqual(["same"]);

    mark = engine.steps.length;
    const renamed = await runProgram(engine, key({ publicKey: ED.line, name: "desk" }));
    expect(engine.steps.slice(mark).map((s) => [s.op, s.replaces, s.deleteBeforeReplace])).toEqual([
      ["delete-replaced", undefined, undefined],
      ["create-replacement", undefined, undefined],
      ["replace", ["name"], true],
    ]);
    expect(renamed.outputs).toMatchObject({ name: "desk", fingerprint: ED.fingerprint });
    expect(renamed.outputs.keyId).not.toBe(first.outputs.keyId);
    expect((await workspaceKeys()).map((k) => k.name)).toEqual(["desk"]);

    mark = engine.steps.length;
    const other = await runProgram(engine, key({ publicKey: RSA.line, name: "desk" }));
    expect(engine.steps.slice(mark).map((s) => [s.op, s.replaces, s.deleteBeforeReplace])).toEqual([
      ["create-replacement", undefined, undefined],
      ["delete-replaced", undefined, undefined],
      ["replace", ["fingerprint"], false],
    ]);
    expect((await workspaceKeys()).map((k) => k.fingerprint)).toEqual([RSA.fingerprint]);
    expect(other.outputs.fingerprint).toBe(RSA.fingerprint);
    await engine.destroy();
  });

  it("omitting name keeps whatever name the key has (no diff)", async () => {
    const engine = newEngine();
    const { outputs } = await runProgram(engine, key({ publicKey: randomEd25519Line("me@laptop") }));
    expect(outputs.name).toBe("me@laptop");
    const mark = engine.steps.length;
    await runProgram(engine, key({ publicKey: outputs.publicKey as string }));
    expect(engine.steps.slice(mark).map((s) => s.op)).toEqual(["same"]);
    await engine.destroy();
  });

  it("refresh keeps a key that is there and drops one deleted out of band; destroy of a key already gone succeeds", async () => {
    const engine = newEngine();
    const { outputs } = await runProgram(engine, key({ publicKey: ED.line }));
    let steps = await engine.refresh();
    expect(steps.map((s) => s.gone)).toEqual([false]);
    expect([...engine.state.values()][0]?.outputs).toMatchObject({ keyId: outputs.keyId, fingerprint: ED.fingerprint });

    await api("DELETE", `/v1/ssh-keys/${outputs.keyId as string}`);
    steps = await engine.refresh();
    expect(steps.map((s) => s.gone)).toEqual([true]);

    const again = newEngine();
    const made = await runProgram(again, key({ publicKey: ED.line }));
    await api("DELETE", `/v1/ssh-keys/${made.outputs.keyId as string}`);
    const destroyed = await again.destroy();
    expect(destroyed.map((s) => [s.op, s.error])).toEqual([["delete", undefined]]);
  });

  it("takes over a key the workspace already has (409 ssh_key_exists): no error, no second key", async () => {
    const existing = await api("POST", "/v1/ssh-keys", { public_key: ED.line });
    expect(existing.status).toBe(201);
    const engine = newEngine();
    const { outputs } = await runProgram(engine, key({ publicKey: ED.line }));
    expect(outputs).toMatchObject({ keyId: existing.body.id, fingerprint: ED.fingerprint, name: existing.body.name });
    expect(await workspaceKeys()).toHaveLength(1);
    // The resource owns it now: destroy removes it.
    await engine.destroy();
    expect(await workspaceKeys()).toEqual([]);
  });

  it("after a create whose answer was lost (the key was added), the next up takes it over: still one key", async () => {
    await admin.setFaults([{ method: "POST", path: "/v1/ssh-keys", kind: "reset-after", count: 1 }]);
    const engine = newEngine();
    await expect(runProgram(engine, key({ publicKey: ED.line, name: "ci" }))).rejects.toThrow(/adding Agent37 SSH key SHA256:/);
    expect(engine.state.size).toBe(0);
    expect(await workspaceKeys()).toHaveLength(1);
    const { outputs } = await runProgram(engine, key({ publicKey: ED.line, name: "ci" }));
    expect(await workspaceKeys()).toEqual([expect.objectContaining({ id: outputs.keyId, name: "ci" })]);
    await engine.destroy();
    await admin.clearFaults();
  });

  it("takes over a key held under another name by adding it again under the declared name (still one key)", async () => {
    await api("POST", "/v1/ssh-keys", { public_key: ED.line, name: "old-name" });
    const engine = newEngine();
    const { outputs } = await runProgram(engine, key({ publicKey: ED.line, name: "deploy" }));
    expect(outputs).toMatchObject({ name: "deploy", fingerprint: ED.fingerprint });
    expect(await workspaceKeys()).toEqual([expect.objectContaining({ id: outputs.keyId, name: "deploy" })]);
    await engine.destroy();
  });
});
