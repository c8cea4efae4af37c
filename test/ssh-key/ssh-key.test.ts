/**
 * Agent37SshKey through Pulumi's provider host, driven as the engine drives it, against the
 * emulator: create, diff (no change, replace), refresh, delete (also of a key already gone), the
 * fingerprint known at preview, a bad key refused by check, and a key the workspace already
 * holds taken over rather than duplicated.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { Agent37SshKey, type Agent37SshKeyArgs } from "pulumi-agent37";
import { captureInputs, EmulatorAdmin, emulatorConfig, Engine, runProgram, startProviderHost, startRig, traceHost, UNKNOWN, type ProviderHost, type Rig } from "../harness";
import { pastedPrivateKeys, quotesAnyOf, randomEd25519Line, SSH_KEY_VECTORS } from "../harness/fixtures/ssh-keys";
import { failureOf, hostingApi } from "../harness/hosting-api";

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

  it("an empty or blank name is no name: planned unknown, Agent37 names the key after its comment, and the next up is no change", async () => {
    for (const blank of ["", "   "]) {
      const line = randomEd25519Line("me@desk");
      const engine = newEngine();
      const preview = await runProgram(engine, key({ publicKey: line, name: blank }), { preview: true });
      // The dynamic door plans a create with the checked inputs: the blank name is not among them.
      expect(preview.outputs.name).toBeUndefined();
      const { outputs } = await runProgram(engine, key({ publicKey: line, name: blank }));
      expect(outputs.name).toBe("me@desk");
      const mark = engine.steps.length;
      await runProgram(engine, key({ publicKey: line, name: blank }));
      await runProgram(engine, key({ publicKey: line, name: blank }));
      expect(engine.steps.slice(mark).map((s) => s.op)).toEqual(["same", "same"]);
      expect((await workspaceKeys()).map((k) => k.id)).toEqual([outputs.keyId]);
      await engine.destroy();
    }
  });

  it("check refuses a pasted private key without quoting any of it, naming publicKey; so does the run's error", async () => {
    for (const { label, line } of pastedPrivateKeys()) {
      const inputs = await captureInputs(key({ publicKey: line }));
      const checked = await host.check(URN, {}, inputs);
      expect([label, checked.failures.map((f) => f.property)]).toEqual([label, ["publicKey"]]);
      expect([label, quotesAnyOf(JSON.stringify(checked.failures), line)]).toEqual([label, undefined]);
      const error = await runProgram(newEngine(), key({ publicKey: line })).then(
        () => new Error("expected a check failure"),
        (e: Error) => e,
      );
      expect(error.message).toContain("publicKey");
      expect([label, quotesAnyOf(`${error.message}\n${error.stack ?? ""}`, line)]).toEqual([label, undefined]);
    }
    const { stdout, stderr } = host.output();
    for (const { line } of pastedPrivateKeys()) expect(quotesAnyOf(stdout + stderr, line)).toBeUndefined();
  });
});

const adopting = (args: Agent37SshKeyArgs) => key({ ...args, adopt: true });

describe("state written by 0.1.0", () => {
  it("loads with no change planned, also a key declared with name \"\" (which 0.1.0 replaced on every up)", async () => {
    const recorded = { keyId: "key_0000000000000001", publicKey: ED.line, fingerprint: ED.fingerprint, type: "ssh-ed25519", created: 1_780_000_000 };
    for (const [declared, name] of [[{ name: "ci" }, "ci"], [{}, "test@ed25519"], [{ name: "" }, "test@ed25519"]] as const) {
      const inputs = await captureInputs(key({ publicKey: ED.line, ...declared }));
      const checked = await host.check(URN, { ...inputs, fingerprint: ED.fingerprint, type: "ssh-ed25519" }, inputs);
      const diff = await host.diff(URN, recorded.keyId, { ...recorded, name }, checked.inputs, { publicKey: ED.line, ...declared, fingerprint: ED.fingerprint, type: "ssh-ed25519" });
      expect([declared, diff.changes, diff.replaces]).toEqual([declared, "none", []]);
    }
  });
});

describe("Agent37SshKey never takes over, renames or deletes a key it did not add", () => {
  it("a second stack declaring the same key fails naming `adopt`; the first keeps its key through every up and destroy of the second", async () => {
    const ours = new Engine(host, { stack: "ours" });
    const created = await runProgram(ours, key({ publicKey: ED.line, name: "ci" }));
    const theirs = new Engine(host, { stack: "theirs" });
    for (const name of ["ci", "theirs", undefined]) {
      const error = await failureOf(runProgram(theirs, key({ publicKey: ED.line, ...(name === undefined ? {} : { name }) })));
      expect(error.message).toContain(`is already in this workspace as ${String(created.outputs.keyId)} ("ci"), and this resource did not add it`);
      expect(error.message).toContain("set `adopt: true` on this resource");
    }
    expect(theirs.state.size).toBe(0);
    await theirs.destroy();
    expect(await workspaceKeys()).toEqual([expect.objectContaining({ id: created.outputs.keyId, name: "ci" })]);
    const mark = ours.steps.length;
    await runProgram(ours, key({ publicKey: ED.line, name: "ci" }));
    expect(ours.steps.slice(mark).map((s) => s.op)).toEqual(["same"]);
    await ours.destroy();
    expect(await workspaceKeys()).toEqual([]);
  });

  it("a key added by hand under another name is neither renamed nor deleted; `adopt: true` takes it over (under the declared name)", async () => {
    const byHand = await api("POST", "/v1/ssh-keys", { public_key: ED.line, name: "old-name" });
    const engine = newEngine();
    await admin.clearRequests();
    await failureOf(runProgram(engine, key({ publicKey: ED.line, name: "deploy" })));
    expect((await admin.requests()).log.filter((e) => e.method === "POST" || e.method === "DELETE")).toEqual([]);
    await engine.destroy();
    expect(await workspaceKeys()).toEqual([expect.objectContaining({ id: byHand.body.id, name: "old-name" })]);

    const asIs = await runProgram(engine, adopting({ publicKey: ED.line }));
    expect(asIs.outputs).toMatchObject({ keyId: byHand.body.id, name: "old-name" });
    await runProgram(engine, key({ publicKey: ED.line }));
    expect(engine.steps.at(-1)?.op).toBe("same");
    await engine.destroy();
    expect(await workspaceKeys()).toEqual([]);

    await api("POST", "/v1/ssh-keys", { public_key: ED.line, name: "old-name" });
    const renamed = await runProgram(engine, adopting({ publicKey: ED.line, name: "deploy" }));
    expect(await workspaceKeys()).toEqual([expect.objectContaining({ id: renamed.outputs.keyId, name: "deploy" })]);
    await engine.destroy();
  });

  it("its own create whose answer was lost is found in the same run: one key in state and in the workspace", async () => {
    await admin.setFaults([{ method: "POST", path: "/v1/ssh-keys", kind: "reset-after", count: 1 }]);
    const engine = newEngine();
    const { outputs } = await runProgram(engine, key({ publicKey: ED.line, name: "ci" }));
    expect((await admin.requests()).counters["POST /v1/ssh-keys"]).toBe(1);
    expect([...engine.state.values()].map((r) => [r.id, r.initErrors])).toEqual([[outputs.keyId, undefined]]);
    expect(await workspaceKeys()).toEqual([expect.objectContaining({ id: outputs.keyId, name: "ci" })]);
    await engine.destroy();
    expect(await workspaceKeys()).toEqual([]);
  });

  it("a lost answer whose lookup fails too is an init failure under the fingerprint; the next up finishes it, and destroy removes it", async () => {
    await admin.setFaults([
      { method: "POST", path: "/v1/ssh-keys", kind: "reset-after", count: 1 },
      { method: "GET", path: "/v1/ssh-keys", kind: "status", status: 500, code: "internal_error", skip: 1 },
    ]);
    const engine = newEngine();
    const error = await failureOf(runProgram(engine, key({ publicKey: ED.line, name: "ci" })));
    expect(error.initFailure).toMatchObject({ id: ED.fingerprint, properties: expect.objectContaining({ keyId: "", fingerprint: ED.fingerprint, name: "ci" }) });
    expect(error.message).toContain(`Agent37 SSH key ${ED.fingerprint} may have been added, but that could not be confirmed`);
    await admin.clearFaults();
    await admin.clearRequests();
    const { outputs } = await runProgram(engine, key({ publicKey: ED.line, name: "ci" }));
    expect(engine.steps.at(-1)?.op).toBe("update");
    expect((await admin.requests()).counters["POST /v1/ssh-keys"]).toBeUndefined();
    const live = await workspaceKeys();
    expect(live).toEqual([expect.objectContaining({ name: "ci", fingerprint: ED.fingerprint })]);
    expect(outputs).toMatchObject({ keyId: live[0]?.id, name: "ci", id: ED.fingerprint });
    await engine.refresh();
    expect([...engine.state.values()][0]?.outputs).toMatchObject({ keyId: live[0]?.id });
    await engine.destroy();
    expect(await workspaceKeys()).toEqual([]);
  });

  it("a run killed while its create is in flight: the next up refuses the key it cannot prove its own; `adopt: true` ends with one key", async () => {
    // An emulator that answers 800 ms after acting: the host is killed between the two. Its
    // state file (written 20 ms after a change) shows when the key was added.
    const statePath = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "a37-killed-key-")), "state.json");
    const slow = await startRig({ latencyMs: 800, statePath });
    const doomed = await startProviderHost();
    const slowApi = hostingApi(slow.emulator.url, slow.key);
    const keys = async () => (await slowApi("GET", "/v1/ssh-keys")).body.data as { id: string }[];
    try {
      await doomed.configure(emulatorConfig(slow.emulator, slow.key));
      const engine = new Engine(doomed);
      const killed = runProgram(engine, key({ publicKey: ED.line, name: "ci" })).then(
        () => "resolved",
        () => "rejected",
      );
      const deadline = Date.now() + 15_000;
      const added = () => fs.existsSync(statePath) && fs.readFileSync(statePath, "utf8").includes(ED.fingerprint);
      while (!added()) {
        if (Date.now() > deadline) throw new Error("the create never took effect");
        await new Promise((r) => setTimeout(r, 5));
      }
      process.kill(doomed.pid, "SIGKILL");
      expect(await killed).toBe("rejected");
      expect(engine.state.size).toBe(0);
      expect(await keys()).toHaveLength(1);

      const next = new Engine(slow.host);
      const error = await failureOf(runProgram(next, key({ publicKey: ED.line, name: "ci" })));
      expect(error.message).toContain("an earlier `pulumi up` of this resource was interrupted before Pulumi recorded it");
      await runProgram(next, adopting({ publicKey: ED.line, name: "ci" }));
      const live = await keys();
      expect([...next.state.values()].map((r) => r.id)).toEqual(live.map((k) => k.id));
      expect(live).toHaveLength(1);
      await next.destroy();
      expect(await keys()).toEqual([]);
    } finally {
      await doomed.close();
      await slow.close();
    }
  });
});
