/**
 * The plugin over gRPC against the emulator, called as the engine calls a native provider:
 * provider configuration (CheckConfig, DiffConfig, Configure), the instance life cycle with its
 * detailed diff, stables, preview plans and import, Exec, the invokes, secrets and Cancel.
 */
import type { RunningEmulator } from "pulumi-agent37/emulator";
import { EmulatorAdmin, emulatorConfig, HostError, makeUrn, secretEnvelope, startPluginHost, startTestEmulator, UNKNOWN, type PluginHost } from "../harness";

const INSTANCE = "agent37:index:Instance";
const EXEC = "agent37:index:Exec";
const PROVIDER = "pulumi:providers:agent37";
const urn = (type: string, name: string): string => makeUrn("dev", "project", type, name);
const SIG = "4dabf18193072939515e22adb298388d";

let emulator: RunningEmulator;
let admin: EmulatorAdmin;
let plugin: PluginHost;
let key: string;

beforeAll(async () => {
  emulator = await startTestEmulator({ provisionMs: 100, bootMs: 300, lifecycleMs: 100, deleteMs: 50, keys: ["sk_live_workspaceA0123456789", "sk_live_workspaceB0123456789"] });
  admin = new EmulatorAdmin(emulator.url);
  key = emulator.keys[0] as string;
  plugin = await startPluginHost();
  await plugin.configure(emulatorConfig(emulator, key));
});
afterAll(async () => {
  await plugin?.close();
  await emulator?.close();
});

const isSecret = (v: unknown): boolean => v !== null && typeof v === "object" && SIG in (v as object);

describe("provider configuration", () => {
  it("CheckConfig refuses a bad apiUrl, an instanceUrlTemplate without {host} and an unknown key, naming each property", async () => {
    const res = await plugin.client.checkConfig(urn(PROVIDER, "p"), {}, {
      apiKey: secretEnvelope("sk_test_whatever_123"),
      apiUrl: "not a url",
      instanceUrlTemplate: "https://fixed.example.com",
      apikey: "typo",
      version: "0.1.0",
    });
    expect(res.failures.map((f) => f.property).sort()).toEqual(["apiUrl", "apikey", "instanceUrlTemplate"]);
    expect(res.failures.find((f) => f.property === "apiUrl")?.reason).toBe("apiUrl is not a URL: not a url");
    expect(res.failures.find((f) => f.property === "instanceUrlTemplate")?.reason).toMatch(/must contain \{host\}/);
    const ftp = await plugin.client.checkConfig(urn(PROVIDER, "p"), {}, { apiUrl: "ftp://api.agent37.com" });
    expect(ftp.failures).toEqual([{ property: "apiUrl", reason: "apiUrl must be an http(s) URL: ftp://api.agent37.com" }]);
  });

  it("CheckConfig accepts good config, leaves a value unknown at preview alone, and keeps the key secret", async () => {
    const res = await plugin.client.checkConfig(urn(PROVIDER, "p"), {}, { apiKey: secretEnvelope(key), apiUrl: UNKNOWN, instanceUrlTemplate: "https://{host}.agent37.app" });
    expect(res.failures).toEqual([]);
    expect(isSecret(res.inputs.apiKey)).toBe(true);
  });

  it("CheckConfig gives a new provider a create scope and keeps the recorded one; DiffConfig never sees it as a change", async () => {
    // A new provider (or one recorded by 0.1.0, without a scope): a fresh random scope.
    const first = await plugin.client.checkConfig(urn(PROVIDER, "p"), {}, { apiKey: key, version: "0.1.0" });
    const again = await plugin.client.checkConfig(urn(PROVIDER, "p"), { apiKey: key, version: "0.1.0" }, { apiKey: key, version: "0.1.0" });
    expect(first.failures).toEqual([]);
    expect(first.inputs._createScope).toMatch(/^[0-9a-f]{32}$/);
    expect(again.inputs._createScope).toMatch(/^[0-9a-f]{32}$/);
    expect(again.inputs._createScope).not.toBe(first.inputs._createScope);
    // Recorded: kept, whatever the program gives.
    const kept = await plugin.client.checkConfig(urn(PROVIDER, "p"), first.inputs, { apiKey: key, version: "0.1.0" });
    expect(kept.inputs._createScope).toBe(first.inputs._createScope);
    const bad = await plugin.client.checkConfig(urn(PROVIDER, "p"), {}, { apiKey: key, _createScope: "mine" });
    expect(bad.failures.map((f) => f.property)).toEqual(["_createScope"]);
    // 0.1.0's recorded inputs against the checked ones: no change.
    const diff = await plugin.client.diffConfig(urn(PROVIDER, "p"), { apiKey: key, version: "0.1.0" }, kept.inputs);
    expect(diff.changes).toBe("none");
  });

  it("CheckConfig answers a plain apiKey as a secret, so the engine never stores it unencrypted", async () => {
    const res = await plugin.client.checkConfig(urn(PROVIDER, "p"), {}, { apiKey: key, apiUrl: emulator.url, version: "0.1.0" });
    expect(res.failures).toEqual([]);
    expect(res.inputs.apiKey).toEqual({ [SIG]: "1b47061264138c4ac30d75fd1eb44270", value: key });
    // Settings that are not secret stay plain (the engine shows them in the provider's state).
    expect(res.inputs.apiUrl).toBe(emulator.url);
    expect(res.inputs.version).toBe("0.1.0");
    expect(JSON.stringify(Object.entries(res.inputs).filter(([k]) => k !== "apiKey"))).not.toContain(key);
    // Already secret: one envelope, not two; unknown at preview: left as the sentinel.
    const wrapped = await plugin.client.checkConfig(urn(PROVIDER, "p"), {}, { apiKey: secretEnvelope(key) });
    expect(wrapped.inputs.apiKey).toEqual({ [SIG]: "1b47061264138c4ac30d75fd1eb44270", value: key });
    const unknown = await plugin.client.checkConfig(urn(PROVIDER, "p"), {}, { apiKey: UNKNOWN });
    expect(unknown.inputs.apiKey).toBe(UNKNOWN);
  });

  it("DiffConfig: a new key or URL is an update, never a replace", async () => {
    const diff = await plugin.client.diffConfig(urn(PROVIDER, "p"), { apiKey: "sk_one_0123456789", apiUrl: "https://a.example" }, { apiKey: "sk_two_0123456789", apiUrl: "https://b.example" });
    expect(diff).toMatchObject({ changes: "some", replaces: [], detailedDiff: { apiKey: "UPDATE", apiUrl: "UPDATE" } });
    const same = await plugin.client.diffConfig(urn(PROVIDER, "p"), { apiKey: "sk_one_0123456789" }, { apiKey: secretEnvelope("sk_one_0123456789") });
    expect(same.changes).toBe("none");
  });

  it("Configure answers that the plugin takes secrets and previews", () => {
    expect(plugin.configured).toEqual({ acceptSecrets: true, supportsPreview: true });
  });
});

describe("an instance through the plugin", () => {
  const web = urn(INSTANCE, "web");
  let id: string;
  let created: Record<string, unknown>;
  let inputs: Record<string, unknown>;

  it("creates: outputs with the URL, env a secret output", async () => {
    const checked = await plugin.check(web, {}, { name: "web", env: secretEnvelope({ GREETING: "hello" }), metadata: { team: "a" } });
    expect(checked.failures).toEqual([]);
    inputs = checked.inputs;
    // The create key comes from the URN: the same resource gets the same key on every run.
    expect(inputs.createKey).toMatch(/^[0-9a-f]{32}$/);
    expect((await plugin.check(web, {}, { name: "other" })).inputs.createKey).toBe(inputs.createKey);
    expect((await plugin.check(urn(INSTANCE, "web-2"), {}, { name: "web" })).inputs.createKey).not.toBe(inputs.createKey);
    expect(isSecret(inputs.env)).toBe(true);
    const res = await plugin.create(web, inputs, { timeoutMs: 30_000 });
    id = res.id;
    created = res.properties;
    expect(created.url).toBe(`http://${id}.localhost:${emulator.port}`);
    expect(created.status).toBe("running");
    expect(isSecret(created.env)).toBe(true);
    expect((await admin.instance(id))?.name).toBe("web");
  });

  it("Check names a bad input and its rule", async () => {
    const checked = await plugin.check(web, {}, { idleTimeoutSeconds: 5 });
    expect(checked.failures).toEqual([{ property: "idleTimeoutSeconds", reason: "idleTimeoutSeconds must be 60..86400" }]);
  });

  it("Diff of a rename: a detailed diff for name, url and the other untouched outputs stable", async () => {
    const diff = await plugin.diff(web, id, created, { ...inputs, name: "web-2" }, inputs);
    expect(diff.changes).toBe("some");
    expect(diff.replaces).toEqual([]);
    expect(diff.detailedDiff).toEqual({ name: "UPDATE" });
    expect(diff.stables).toEqual(expect.arrayContaining(["url", "ports", "portUrls", "instanceId", "status", "env"]));
    expect(diff.stables).not.toContain("name");
  });

  it("Diff kinds: an added input, a removed one, and a replacing one", async () => {
    const diff = await plugin.diff(web, id, created, { ...inputs, user: "ops", metadata: undefined, type: "shared" }, inputs);
    expect(diff.detailedDiff).toEqual({ user: "ADD", type: "ADD_REPLACE" });
    expect(diff.replaces).toEqual(["type"]);
    const dropped = await plugin.diff(web, id, created, { ...inputs, env: undefined }, inputs);
    expect(dropped.detailedDiff).toEqual({ env: "DELETE_REPLACE" });
  });

  it("Update with preview: true plans the known url and new name, and sends nothing to Agent37", async () => {
    await admin.clearRequests();
    const planned = await plugin.update(web, id, created, { ...inputs, name: "web-2" }, inputs, { preview: true });
    expect(planned.properties.url).toBe(created.url);
    expect(planned.properties.instanceId).toBe(id);
    expect(planned.properties.name).toBe("web-2");
    expect(isSecret(planned.properties.env)).toBe(true);
    expect(await admin.apiRequestCount()).toBe(0);
    expect((await admin.instance(id))?.name).toBe("web");
  });

  it("Update with preview: true of a new template marks what it moves unknown", async () => {
    const planned = await plugin.update(web, id, created, { ...inputs, template: "agent37-hermes-small" }, inputs, { preview: true });
    expect(planned.properties.imageRef).toBe(UNKNOWN);
    expect(planned.properties.instanceId).toBe(id);
  });

  it("Create with preview: true plans the echoes and leaves the id and URL unknown, without any API call", async () => {
    await admin.clearRequests();
    const planned = await plugin.create(urn(INSTANCE, "later"), { name: "later", autoSleep: true }, { preview: true });
    expect(planned.id).toBe("");
    expect(planned.properties).toMatchObject({ name: "later", autoSleep: true, idleTimeoutSeconds: 300, url: UNKNOWN, instanceId: UNKNOWN });
    expect(await admin.apiRequestCount()).toBe(0);
  });

  it("Update renames it on Agent37", async () => {
    const res = await plugin.update(web, id, created, { ...inputs, name: "web-2" }, inputs, { timeoutMs: 30_000 });
    expect(res.properties.name).toBe("web-2");
    expect(res.properties.url).toBe(created.url);
    expect((await admin.instance(id))?.name).toBe("web-2");
    created = res.properties;
    inputs = { ...inputs, name: "web-2" };
  });

  it("Update whose readiness gate fails is an init failure carrying what now runs; updating back moves it back", async () => {
    await admin.setFaults([{ path: "/v1/health", plane: "instance", kind: "unhealthy" }]);
    const moved = { ...inputs, template: "agent37-hermes-small", health: { timeoutSeconds: 1 } };
    const error = (await plugin.update(web, id, created, moved, inputs, { timeoutMs: 30_000 }).catch((e: unknown) => e)) as HostError;
    await admin.clearFaults();
    expect(error).toBeInstanceOf(HostError);
    expect(error.message).toContain(`updating Agent37 instance ${id}`);
    expect(error.initFailure?.id).toBe(id);
    const recorded = error.initFailure?.properties as Record<string, unknown>;
    expect((await admin.instance(id))?.template).toBe("agent37-hermes-small");
    expect(recorded).toMatchObject({ instanceId: id, template: "agent37-hermes-small", health: null, url: created.url });
    expect(isSecret(recorded.env)).toBe(true);
    // Back to the template that ran before: the recorded outputs say the template differs, so it moves.
    const before = { ...inputs, template: "agent37-hermes" };
    const back = await plugin.update(web, id, recorded, before, moved, { timeoutMs: 30_000 });
    expect(back.properties).toMatchObject({ template: "agent37-hermes", health: { ok: true } });
    expect((await admin.instance(id))?.template).toBe("agent37-hermes");
    created = back.properties;
  });

  it("Read as an import (id only) returns the outputs and inputs that reproduce them: no diff after import", async () => {
    const read = await plugin.read(urn(INSTANCE, "imported"), id, {}, undefined);
    expect(read.id).toBe(id);
    expect(read.properties.url).toBe(created.url);
    expect(read.inputs).toMatchObject({ name: "web-2", metadata: { team: "a" }, state: "running" });
    const diff = await plugin.diff(urn(INSTANCE, "imported"), id, read.properties, read.inputs as object, read.inputs);
    expect(diff.changes).toBe("none");
  });

  it("Read of an instance deleted out of band reports it gone", async () => {
    const read = await plugin.read(urn(INSTANCE, "ghost"), "zzzzzzzzzz", {}, undefined);
    expect(read.id).toBe("");
  });

  it("getInstance and getTemplate invokes read the workspace", async () => {
    const got = await plugin.client.invoke("agent37:index:getInstance", { instanceId: id });
    expect(got.failures).toEqual([]);
    expect(got.result).toMatchObject({ instanceId: id, url: created.url, name: "web-2" });
    expect(got.result.env).toBeUndefined();
    const tpl = await plugin.client.invoke("agent37:index:getTemplate", { name: "agent37-hermes" });
    expect(tpl.result.name).toBe("agent37-hermes");
    const missing = await plugin.client.invoke("agent37:index:getInstance", { instanceId: "zzzzzzzzzz" });
    expect(missing.failures[0]?.reason).toMatch(/no instance zzzzzzzzzz/);
  });

  it("runs an Exec in it, plans a re-run as unknown output, and a stored-only change as known", async () => {
    const exec = urn(EXEC, "hello");
    const news = { instanceId: id, create: "echo hello $WHO", environment: secretEnvelope({ WHO: "world" }) };
    expect((await plugin.check(exec, {}, news)).failures).toEqual([]);
    const ran = await plugin.create(exec, news, { timeoutMs: 30_000 });
    expect(isSecret(ran.properties.environment)).toBe(true);
    expect(ran.properties.exitCode).toBe(0);
    expect(isSecret(ran.properties.stdout)).toBe(true);
    const rerun = await plugin.diff(exec, ran.id, ran.properties, { ...news, create: "echo bye" }, news);
    expect(rerun.detailedDiff).toEqual({ create: "UPDATE" });
    const planned = await plugin.update(exec, ran.id, ran.properties, { ...news, create: "echo bye" }, news, { preview: true });
    expect(planned.properties.stdout).toBe(UNKNOWN);
    const stored = await plugin.update(exec, ran.id, ran.properties, { ...news, delete: "echo gone" }, news, { preview: true });
    expect(stored.properties.stdout).toEqual(ran.properties.stdout);
    await expect(plugin.read(urn(EXEC, "imported"), ran.id, {}, undefined)).rejects.toThrow(/cannot be imported/);
    // A secret command alone makes the run secret: its inputs stay secret and its streams too.
    const secretCommand = await plugin.check(urn(EXEC, "quiet"), {}, { instanceId: id, create: secretEnvelope("echo quiet") });
    expect(secretCommand.inputs.secretInputs).toBe(true);
    expect(isSecret(secretCommand.inputs.create)).toBe(true);
    const quiet = await plugin.create(urn(EXEC, "quiet"), secretCommand.inputs, { timeoutMs: 30_000 });
    expect(isSecret(quiet.properties.stdout)).toBe(true);
    expect(isSecret(quiet.properties.create)).toBe(true);
    const plainCommand = await plugin.check(urn(EXEC, "loud"), {}, { instanceId: id, create: "echo loud" });
    expect(plainCommand.inputs.secretInputs).toBeUndefined();
    await plugin.delete(exec, ran.id, ran.properties, news);
  });

  it("Delete removes it", async () => {
    await plugin.delete(web, id, created, inputs, { timeoutMs: 30_000 });
    expect((await admin.live()).map((i) => i.id)).not.toContain(id);
  });

  it("never shows the API key: not in outputs, not in what the plugin wrote", () => {
    expect(JSON.stringify(created)).not.toContain(key);
    const { stdout, stderr } = plugin.output();
    expect(stdout + stderr).not.toContain(key);
  });
});

describe("two plugin processes, two workspaces", () => {
  it("each creates its instance in the workspace of its own key", async () => {
    const keyB = emulator.keys[1] as string;
    const second = await startPluginHost();
    try {
      await second.configure(emulatorConfig(emulator, keyB));
      const [a, b] = await Promise.all([
        plugin.create(urn(INSTANCE, "in-a"), { name: "in-a" }, { timeoutMs: 30_000 }),
        second.create(urn(INSTANCE, "in-b"), { name: "in-b" }, { timeoutMs: 30_000 }),
      ]);
      const [ia, ib] = [await admin.instance(a.id), await admin.instance(b.id)];
      expect(ia?.name).toBe("in-a");
      expect(ib?.name).toBe("in-b");
      expect(ia?.workspace).not.toBe(ib?.workspace);
      // Each key sees only its own workspace: B's instance is not found with A's key.
      expect((await plugin.read(urn(INSTANCE, "in-b"), b.id, {}, undefined)).id).toBe("");
      expect((await second.read(urn(INSTANCE, "in-b"), b.id, {}, undefined)).id).toBe(b.id);
      await plugin.delete(urn(INSTANCE, "in-a"), a.id, a.properties, undefined, { timeoutMs: 30_000 });
      await second.delete(urn(INSTANCE, "in-b"), b.id, b.properties, undefined, { timeoutMs: 30_000 });
      expect(second.output().stderr).not.toContain(keyB);
    } finally {
      await second.close();
    }
  });
});

describe("Cancel and shutdown", () => {
  it("after Cancel, new operations are refused with a clear message; SIGTERM ends the process", async () => {
    const third = await startPluginHost();
    try {
      await third.configure(emulatorConfig(emulator, key));
      await third.client.cancel();
      await expect(third.create(urn(INSTANCE, "late"), { name: "late" })).rejects.toThrow(/cancelled: the Pulumi engine is shutting down/);
      expect(await third.client.getSchema()).toHaveProperty("name", "agent37");
      process.kill(third.pid, "SIGTERM");
      const deadline = Date.now() + 10_000;
      while (isRunning(third.pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      expect(isRunning(third.pid)).toBe(false);
    } finally {
      await third.close();
    }
  });
});

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
