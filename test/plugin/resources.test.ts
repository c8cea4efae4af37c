/**
 * Domain, DomainVerification and SshKey through the plugin over gRPC against the emulator: the
 * same providers as their dynamic resources, with the plugin's detailed diffs, stables, previews
 * without API calls and import.
 */
import type { RunningEmulator } from "pulumi-agent37/emulator";
import { EmulatorAdmin, emulatorConfig, HostError, makeUrn, startPluginHost, startTestEmulator, UNKNOWN, type PluginHost } from "../harness";
import { SSH_KEY_VECTORS } from "../harness/fixtures/ssh-keys";

const DOMAIN = "agent37:index:Domain";
const VERIFICATION = "agent37:index:DomainVerification";
const SSH_KEY = "agent37:index:SshKey";
const urn = (type: string, name: string): string => makeUrn("dev", "project", type, name);
const ED = SSH_KEY_VECTORS[0] as { line: string; fingerprint: string };

let emulator: RunningEmulator;
let admin: EmulatorAdmin;
let plugin: PluginHost;

beforeAll(async () => {
  emulator = await startTestEmulator({ provisionMs: 50, bootMs: 100, lifecycleMs: 50, deleteMs: 30, verifyMs: 300 });
  admin = new EmulatorAdmin(emulator.url);
  plugin = await startPluginHost();
  await plugin.configure(emulatorConfig(emulator));
});
afterAll(async () => {
  await plugin?.close();
  await emulator?.close();
});

describe("a domain and its verification through the plugin", () => {
  const brand = urn(DOMAIN, "brand");
  const verified = urn(VERIFICATION, "brand-verified");

  it("checks (lowercasing the domain), plans, creates, verifies, diffs, imports and deletes", async () => {
    const checked = await plugin.check(brand, {}, { domain: "Acme-Plugin.com" });
    expect(checked).toEqual({ inputs: { domain: "acme-plugin.com" }, failures: [] });
    const bad = await plugin.check(brand, {}, { domain: "www.agent37.app" });
    expect(bad.failures[0]?.property).toBe("domain");

    await admin.clearRequests();
    const planned = await plugin.create(brand, checked.inputs, { preview: true });
    expect(planned.properties).toEqual({ domain: "acme-plugin.com", dnsName: "acme-plugin.com", status: UNKNOWN, nameservers: UNKNOWN, created: UNKNOWN });
    expect(await admin.apiRequestCount()).toBe(0);

    const domain = await plugin.create(brand, checked.inputs);
    expect(domain.id).toBe("acme-plugin.com");
    expect(domain.properties).toMatchObject({ status: "pending", dnsName: "acme-plugin.com" });

    const moved = await plugin.diff(brand, domain.id, domain.properties, { domain: "acme-plugin.dev" }, checked.inputs);
    expect(moved).toMatchObject({ changes: "some", replaces: ["domain"], detailedDiff: { domain: "UPDATE_REPLACE" } });

    const v = await plugin.create(verified, { domain: "acme-plugin.com" }, { timeoutMs: 30_000 });
    expect(v.properties).toEqual({ domain: "acme-plugin.com", status: "active", timeoutSeconds: 3600 });
    const longer = await plugin.diff(verified, v.id, v.properties, { domain: "acme-plugin.com", timeoutSeconds: 7200 }, { domain: "acme-plugin.com" });
    expect(longer).toMatchObject({ changes: "some", replaces: [], detailedDiff: { timeoutSeconds: "ADD" } });
    expect(longer.stables).toEqual(["domain", "status"]);
    await admin.clearRequests();
    const plan = await plugin.update(verified, v.id, v.properties, { domain: "acme-plugin.com", timeoutSeconds: 7200 }, { domain: "acme-plugin.com" }, { preview: true });
    expect(plan.properties).toEqual({ domain: "acme-plugin.com", status: "active", timeoutSeconds: 7200 });
    expect(await admin.apiRequestCount()).toBe(0);

    const imported = await plugin.read(urn(DOMAIN, "imported"), "acme-plugin.com", {}, undefined);
    expect(imported).toMatchObject({ id: "acme-plugin.com", properties: { status: "active" }, inputs: { domain: "acme-plugin.com" } });
    const after = await plugin.diff(urn(DOMAIN, "imported"), imported.id, imported.properties, imported.inputs as object, imported.inputs);
    expect(after.changes).toBe("none");

    await plugin.delete(verified, v.id, v.properties);
    await plugin.delete(brand, domain.id, domain.properties);
    expect((await plugin.read(brand, domain.id, domain.properties, checked.inputs)).id).toBe("");
  });
});

describe("an SSH key through the plugin", () => {
  const deploy = urn(SSH_KEY, "deploy");

  it("computes the fingerprint at check, plans it known, creates, diffs a new name as a replace and deletes", async () => {
    const checked = await plugin.check(deploy, {}, { publicKey: ED.line, name: "deploy" });
    expect(checked.failures).toEqual([]);
    expect(checked.inputs).toMatchObject({ fingerprint: ED.fingerprint, type: "ssh-ed25519" });

    await admin.clearRequests();
    const planned = await plugin.create(deploy, checked.inputs, { preview: true });
    expect(planned.properties).toMatchObject({ fingerprint: ED.fingerprint, type: "ssh-ed25519", name: "deploy", keyId: UNKNOWN });
    expect(await admin.apiRequestCount()).toBe(0);

    const key = await plugin.create(deploy, checked.inputs);
    expect(key.properties).toMatchObject({ keyId: key.id, fingerprint: ED.fingerprint, name: "deploy" });
    const renamed = await plugin.diff(deploy, key.id, key.properties, { ...checked.inputs, name: "ci" }, checked.inputs);
    expect(renamed).toMatchObject({ replaces: ["name"], deleteBeforeReplace: true, detailedDiff: { name: "UPDATE_REPLACE" } });
    const same = await plugin.diff(deploy, key.id, key.properties, checked.inputs, checked.inputs);
    expect(same.changes).toBe("none");
    // Imported by id: the API does not return the key line, but the program's key compares by fingerprint.
    const imported = await plugin.read(urn(SSH_KEY, "imported"), key.id, {}, undefined);
    expect(imported.properties).toMatchObject({ keyId: key.id, fingerprint: ED.fingerprint, name: "deploy" });
    const declared = await plugin.diff(urn(SSH_KEY, "imported"), key.id, imported.properties, checked.inputs, checked.inputs);
    expect(declared.changes).toBe("none");
    await plugin.delete(deploy, key.id, key.properties);
    expect((await plugin.read(deploy, key.id, key.properties, checked.inputs)).id).toBe("");
  });
});

describe("an SSH key with an empty name through the plugin", () => {
  it("plans the name unknown (Agent37 fills it in), and the created key then diffs as no change", async () => {
    const deploy = urn(SSH_KEY, "blank");
    for (const name of ["", "  "]) {
      const checked = await plugin.check(deploy, {}, { publicKey: `${ED.line.split(" ").slice(0, 2).join(" ")} me@blank`, name });
      expect(checked.failures).toEqual([]);
      const planned = await plugin.create(deploy, checked.inputs, { preview: true });
      expect(planned.properties.name).toBe(UNKNOWN);
      const key = await plugin.create(deploy, checked.inputs);
      expect(key.properties.name).toBe("me@blank");
      const again = await plugin.check(deploy, checked.inputs, { publicKey: checked.inputs.publicKey, name });
      expect((await plugin.diff(deploy, key.id, key.properties, again.inputs, checked.inputs)).changes).toBe("none");
      await plugin.delete(deploy, key.id, key.properties);
    }
  });

  it("refuses a key the workspace holds unless `adopt` is set", async () => {
    const deploy = urn(SSH_KEY, "adopter");
    const checked = await plugin.check(deploy, {}, { publicKey: ED.line });
    const first = await plugin.create(deploy, checked.inputs);
    await expect(plugin.create(urn(SSH_KEY, "second"), checked.inputs)).rejects.toThrow(/set `adopt: true`/);
    const adopted = await plugin.create(urn(SSH_KEY, "second"), { ...checked.inputs, adopt: true });
    expect(adopted.id).toBe(first.id);
    await plugin.delete(deploy, first.id, first.properties);
  });
});

describe("a template through the plugin", () => {
  const tpl = urn("agent37:index:Template", "agent");

  it("plans, creates from an image, diffs a new image as an in-place revision with the name stable, previews it and deletes", async () => {
    const news = { name: "acme-plugin-agent", imageRef: "ghcr.io/acme/agent:1.0.0", defaultPort: 8000 };
    const checked = await plugin.check(tpl, {}, news);
    expect(checked.failures).toEqual([]);
    expect((await plugin.check(tpl, {}, { name: "agent37-mine", imageRef: "ghcr.io/acme/agent:1.0.0" })).failures[0]?.property).toBe("name");

    await admin.clearRequests();
    const planned = await plugin.create(tpl, checked.inputs, { preview: true });
    expect(planned.properties).toMatchObject({ name: "acme-plugin-agent", imageRef: "ghcr.io/acme/agent:1.0.0", defaultPort: 8000, revision: UNKNOWN, pinned: UNKNOWN });
    expect(await admin.apiRequestCount()).toBe(0);

    const made = await plugin.create(tpl, checked.inputs, { timeoutMs: 30_000 });
    expect(made.properties).toMatchObject({ name: "acme-plugin-agent", revision: 1, pinned: "acme-plugin-agent@1" });

    const next = { ...checked.inputs, imageRef: "ghcr.io/acme/agent:1.1.0" };
    const diff = await plugin.diff(tpl, made.id, made.properties, next, checked.inputs);
    expect(diff).toMatchObject({ changes: "some", replaces: [], detailedDiff: { imageRef: "UPDATE" } });
    expect(diff.stables).toEqual(expect.arrayContaining(["name", "defaultPort", "description"]));
    expect(diff.stables).not.toContain("revision");
    const plan = await plugin.update(tpl, made.id, made.properties, next, checked.inputs, { preview: true });
    expect(plan.properties).toMatchObject({ name: "acme-plugin-agent", imageRef: "ghcr.io/acme/agent:1.1.0", revision: UNKNOWN });

    const updated = await plugin.update(tpl, made.id, made.properties, next, checked.inputs, { timeoutMs: 30_000 });
    expect(updated.properties).toMatchObject({ revision: 2, pinned: "acme-plugin-agent@2" });
    await plugin.delete(tpl, made.id, updated.properties, next);
    expect((await plugin.read(tpl, made.id, updated.properties, next)).id).toBe("");
  });

  it("a lost answer whose lookup fails: an init failure under the name; the next Update finishes it into one template", async () => {
    const mine = urn("agent37:index:Template", "lost");
    const checked = await plugin.check(mine, {}, { name: "plugin-lost", imageRef: "ghcr.io/acme/agent:1.0.0", description: "mine" });
    await admin.setFaults([
      { method: "POST", path: "/v1/templates", kind: "reset-after", count: 1 },
      { method: "GET", path: "/v1/templates/plugin-lost", kind: "status", status: 500, count: 1 },
    ]);
    try {
      const err = (await plugin.create(mine, checked.inputs, { timeoutMs: 30_000 }).catch((e: unknown) => e)) as HostError;
      expect(err).toBeInstanceOf(HostError);
      expect(err.initFailure).toMatchObject({ id: "plugin-lost", properties: { name: "plugin-lost", revision: 0 } });
      const done = await plugin.update(mine, "plugin-lost", err.initFailure?.properties ?? {}, checked.inputs, checked.inputs, { timeoutMs: 30_000 });
      expect(done.properties).toMatchObject({ name: "plugin-lost", revision: 1, pinned: "plugin-lost@1", description: "mine" });
      const list = (await (await fetch(`${emulator.url}/v1/templates`, { headers: { authorization: `Bearer ${emulator.keys[0]}` } })).json()) as { data: { name: string }[] };
      expect(list.data.filter((t) => t.name === "plugin-lost")).toHaveLength(1);
      await plugin.delete(mine, "plugin-lost", done.properties, checked.inputs);
    } finally {
      await admin.clearFaults();
    }
  });

  it("refuses to import a system template (Agent37 allows no change or delete of it)", async () => {
    const imported = urn("agent37:index:Template", "hermes");
    const err = (await plugin.read(imported, "agent37-hermes", {}, undefined).catch((e: unknown) => e)) as Error;
    expect(err).toBeInstanceOf(Error);
    expect(err.message).toMatch(/"agent37-hermes" is one of Agent37's system templates: .*cannot be imported/);
  });

  it("keeps a template made by hand: a create of its name fails naming adoptExisting, and leaves it as it was", async () => {
    await fetch(`${emulator.url}/v1/templates`, {
      method: "POST",
      headers: { authorization: `Bearer ${emulator.keys[0]}`, "content-type": "application/json" },
      body: JSON.stringify({ name: "plugin-hand-made", image_ref: "ghcr.io/acme/hand:1", description: "by hand" }),
    });
    const mine = urn("agent37:index:Template", "mine");
    const checked = await plugin.check(mine, {}, { name: "plugin-hand-made", imageRef: "ghcr.io/acme/agent:1.0.0" });
    expect(checked.inputs.createKey).toMatch(/^[0-9a-f]{32}$/);
    await expect(plugin.create(mine, checked.inputs, { timeoutMs: 30_000 })).rejects.toThrow(/adoptExisting: true/);
    const live = await (await fetch(`${emulator.url}/v1/templates/plugin-hand-made`, { headers: { authorization: `Bearer ${emulator.keys[0]}` } })).json();
    expect(live).toMatchObject({ revision: 1, image_ref: "ghcr.io/acme/hand:1", description: "by hand" });
  });
});
