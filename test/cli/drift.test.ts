/**
 * Drift through the real `pulumi` CLI (issue 24, items 5 and 6): changes made outside Pulumi,
 * through the hosting API as a user's script would, show in `pulumi refresh --diff` as known
 * values (`state: "running" => "stopped"`), never `[unknown]`; `pulumi up` then brings the stack
 * back and the next preview plans nothing. An object deleted outside leaves the state at refresh
 * and `up` makes it again. Through both doors: the plugin's executable from Pulumi YAML
 * (Instance, Domain, SshKey) and an inline TypeScript program through the dynamic door
 * (Agent37Instance, Agent37Domain, Agent37SshKey).
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { setTimeout as delay } from "node:timers/promises";
import { LocalWorkspace, type Stack } from "@pulumi/pulumi/automation";
import { startEmulator, type RunningEmulator } from "../../emulator";
import { EmulatorAdmin, PLUGIN_EXECUTABLE, REPO_ROOT } from "../harness";
import { newBackend, pulumi, stepsByName, yamlProgram, type Backend } from "./cli";

const KEY = "sk_live_cli0drift0key0000000";
const PUBLIC_KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl drift@example";

let emulator: RunningEmulator;
let admin: EmulatorAdmin;

/** The hosting API with the workspace's key, as a script outside Pulumi calls it. */
async function api(method: string, route: string, body?: unknown): Promise<{ status: number; json: unknown }> {
  const headers: Record<string, string> = { authorization: `Bearer ${KEY}` };
  const init: RequestInit = { method, headers };
  if (body !== undefined) {
    headers["content-type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  const res = await fetch(`${emulator.url}${route}`, init);
  const text = await res.text();
  return { status: res.status, json: text === "" ? null : (JSON.parse(text) as unknown) };
}

/** Stops the instance outside Pulumi and waits (on the API, not the clock) until it reads as stopped. */
async function stopOutside(id: string): Promise<void> {
  expect((await api("POST", `/v1/instances/${id}/stop`)).status).toBeLessThan(300);
  for (let i = 0; ; i++) {
    const got = (await api("GET", `/v1/instances/${id}`)).json as { status?: string };
    if (got.status === "stopped") return;
    if (i > 1000) throw new Error(`instance ${id} never read as stopped`);
    await delay(20);
  }
}

/** Deletes the instance outside Pulumi and waits until it is gone. */
async function deleteOutside(id: string): Promise<void> {
  expect((await api("DELETE", `/v1/instances/${id}`)).status).toBeLessThan(300);
  for (let i = 0; ; i++) {
    if ((await api("GET", `/v1/instances/${id}`)).status === 404) return;
    if (i > 1000) throw new Error(`instance ${id} never went away`);
    await delay(20);
  }
}

const sshKeys = async (): Promise<Array<{ id: string; fingerprint: string }>> => ((await api("GET", "/v1/ssh-keys")).json as { data: Array<{ id: string; fingerprint: string }> }).data;

/** What a drift step printed must hold known values only: the CLI's mark for an unknown is `[unknown]`, a planned output's `output<...>`. */
function expectKnown(text: string): void {
  expect(text).not.toContain("[unknown]");
  expect(text).not.toMatch(/output<[a-z]+>/);
}

/** The recorded outputs of the one resource of `type` in an exported deployment. */
function outputsIn(exported: unknown, type: string): Record<string, unknown> | undefined {
  const resources = (exported as { deployment: { resources?: Array<{ type: string; outputs?: Record<string, unknown> }> } }).deployment.resources ?? [];
  return resources.find((r) => r.type === type)?.outputs;
}

beforeAll(async () => {
  emulator = await startEmulator({ port: 0, quiet: true, keys: [KEY], provisionMs: 100, bootMs: 300, lifecycleMs: 100, deleteMs: 50, idleScale: 100 });
  admin = new EmulatorAdmin(emulator.url);
}, 60_000);

afterAll(async () => {
  await emulator?.close();
});

describe("drift through the plugin's executable (Pulumi YAML)", () => {
  let backend: Backend;
  let project: string;
  const run = (args: string[]) => pulumi(args, { cwd: project, backend });
  const outputs = async (): Promise<Record<string, string>> => JSON.parse((await run(["stack", "output", "--json"])).stdout) as Record<string, string>;
  const recorded = async (type: string): Promise<Record<string, unknown> | undefined> => outputsIn(JSON.parse((await run(["stack", "export"])).stdout), type);

  beforeAll(async () => {
    project = fs.mkdtempSync(path.join(os.tmpdir(), "agent37-drift-yaml-"));
    expect(fs.existsSync(path.join(REPO_ROOT, "plugin", PLUGIN_EXECUTABLE))).toBe(true);
    yamlProgram(
      project,
      "agent37-drift",
      [
        "  bot:",
        "    type: agent37:index:Instance",
        "    properties:",
        "      name: bot",
        "  brand:",
        "    type: agent37:index:Domain",
        "    properties:",
        "      domain: drift-yaml.com",
        "  deploy:",
        "    type: agent37:index:SshKey",
        "    properties:",
        `      publicKey: ${PUBLIC_KEY}`,
      ],
      ["  botId: ${bot.instanceId}", "  keyId: ${deploy.keyId}"],
    );
    backend = newBackend();
    await run(["stack", "init", "dev"]);
    await run(["config", "set", "--secret", "agent37:apiKey", KEY]);
    await run(["config", "set", "agent37:apiUrl", emulator.url]);
    await run(["up", "--yes", "--skip-preview"]);
  }, 300_000);

  afterAll(async () => {
    if (backend !== undefined) await pulumi(["destroy", "--yes", "--skip-preview"], { cwd: project, backend, allowFailure: true });
    backend?.remove();
    if (project) fs.rmSync(project, { recursive: true, force: true });
  });

  it('an instance stopped outside: refresh --diff shows state "running" => "stopped", up starts it, then nothing to change', async () => {
    const { botId } = await outputs();
    await stopOutside(botId as string);
    const refresh = await run(["refresh", "--yes", "--diff"]);
    const text = refresh.stdout + refresh.stderr;
    expect(text).toMatch(/state\s*:\s*"running"\s*=>\s*"stopped"/);
    expectKnown(text);
    expect(await recorded("agent37:index:Instance")).toMatchObject({ status: "stopped", state: "stopped" });
    // The program still says running: the preview shows the way back in known values.
    const preview = await run(["preview", "--diff"]);
    expect(preview.stdout).toMatch(/state\s*:\s*"stopped"\s*=>\s*"running"/);
    expectKnown(preview.stdout);
    await run(["up", "--yes", "--skip-preview"]);
    expect((await api("GET", `/v1/instances/${botId}`)).json).toMatchObject({ status: "running" });
    expect((await outputs()).botId).toBe(botId);
    const steps = stepsByName((await run(["preview", "--json", "--expect-no-changes"])).stdout);
    expect(Object.values(steps).filter((s) => s.op !== "same")).toEqual([]);
  });

  // The engine's refresh diff shows inputs whose recorded value drifted; `status` is an output
  // only, so the refresh records it without a line to show (and nothing unknown).
  it("a domain verified outside: refresh records its status active, nothing unknown, then nothing to change", async () => {
    expect(await recorded("agent37:index:Domain")).toMatchObject({ status: "pending" });
    expect((await api("POST", "/v1/domains/drift-yaml.com/verify")).json).toMatchObject({ status: "active" });
    const refresh = await run(["refresh", "--yes", "--diff"]);
    expectKnown(refresh.stdout + refresh.stderr);
    expect(await recorded("agent37:index:Domain")).toMatchObject({ status: "active", domain: "drift-yaml.com" });
    const steps = stepsByName((await run(["preview", "--json", "--expect-no-changes"])).stdout);
    expect(Object.values(steps).filter((s) => s.op !== "same")).toEqual([]);
  });

  it("an instance and an SSH key deleted outside: refresh drops them, up makes them again, then nothing to change", async () => {
    const { botId, keyId } = await outputs();
    await deleteOutside(botId as string);
    expect((await api("DELETE", `/v1/ssh-keys/${keyId}`)).status).toBeLessThan(300);
    expect(await sshKeys()).toEqual([]);
    const refresh = await run(["refresh", "--yes", "--diff"]);
    const text = refresh.stdout + refresh.stderr;
    expect(text).toMatch(/- 2 deleted/);
    expectKnown(text);
    const state = JSON.parse((await run(["stack", "export"])).stdout) as { deployment: { resources: Array<{ type: string }> } };
    const types = state.deployment.resources.map((r) => r.type);
    expect(types).not.toContain("agent37:index:Instance");
    expect(types).not.toContain("agent37:index:SshKey");
    expect(types).toContain("agent37:index:Domain");
    const up = await run(["up", "--yes", "--skip-preview"]);
    expect(up.stdout).toMatch(/\+ 2 created/);
    const after = await outputs();
    expect(after.botId).not.toBe(botId);
    expect((await admin.live()).map((i) => i.id)).toEqual([after.botId]);
    expect((await sshKeys()).map((k) => k.id)).toEqual([after.keyId]);
    const steps = stepsByName((await run(["preview", "--json", "--expect-no-changes"])).stdout);
    expect(Object.values(steps).filter((s) => s.op !== "same")).toEqual([]);
  });
});

describe("drift through the dynamic door (an inline TypeScript program)", () => {
  let backend: Backend;
  let workDir: string;
  let stack: Stack;

  const program = async (): Promise<Record<string, unknown>> => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { Agent37Instance, Agent37Domain, Agent37SshKey } = require("pulumi-agent37") as typeof import("../../provider");
    const bot = new Agent37Instance("bot", { template: "agent37-hermes", name: "bot" });
    new Agent37Domain("brand", { domain: "drift-inline.com" });
    const key = new Agent37SshKey("deploy", { publicKey: PUBLIC_KEY });
    return { botId: bot.instanceId, keyId: key.keyId };
  };
  const recorded = async (type: string): Promise<Record<string, unknown> | undefined> => outputsIn(await stack.exportStack(), type);
  const outputs = async (): Promise<Record<string, string>> => Object.fromEntries(Object.entries(await stack.outputs()).map(([k, v]) => [k, v.value as string]));
  // The Automation API's refresh has no `--diff`: the CLI runs it on the workspace's stack (a
  // refresh reads the state, not the program, so no language host is needed).
  const refreshDiff = async (): Promise<string> => {
    const refresh = await pulumi(["refresh", "--yes", "--diff", "--stack", "dev"], { cwd: workDir, backend });
    return refresh.stdout + refresh.stderr;
  };
  const expectNoChange = async (): Promise<void> => {
    const preview = await stack.preview({ expectNoChanges: true });
    expect(Object.keys(preview.changeSummary)).toEqual(["same"]);
  };

  beforeAll(async () => {
    await admin.reset();
    workDir = fs.mkdtempSync(path.join(os.tmpdir(), "agent37-drift-inline-"));
    fs.mkdirSync(path.join(workDir, "node_modules"));
    fs.symlinkSync(path.join(REPO_ROOT, "node_modules", "@pulumi"), path.join(workDir, "node_modules", "@pulumi"));
    fs.symlinkSync(REPO_ROOT, path.join(workDir, "node_modules", "pulumi-agent37"));
    backend = newBackend([path.join(REPO_ROOT, "node_modules", "@pulumi", "pulumi")]);
    process.env.PATH = backend.env.PATH;
    stack = await LocalWorkspace.createOrSelectStack({ projectName: "agent37-drift", stackName: "dev", program }, { workDir, envVars: backend.env as Record<string, string> });
    await stack.setAllConfig({ "agent37:apiKey": { value: KEY, secret: true }, "agent37:apiUrl": { value: emulator.url } });
    expect((await stack.up()).summary.result).toBe("succeeded");
  }, 300_000);

  afterAll(async () => {
    await stack?.destroy().catch(() => undefined);
    backend?.remove();
    if (workDir) fs.rmSync(workDir, { recursive: true, force: true });
  });

  it('an instance stopped outside: refresh --diff shows state "running" => "stopped", up starts it, then nothing to change', async () => {
    const { botId } = await outputs();
    await stopOutside(botId as string);
    const refresh = await refreshDiff();
    expect(refresh).toMatch(/state\s*:\s*"running"\s*=>\s*"stopped"/);
    expectKnown(refresh);
    expect(await recorded("pulumi-nodejs:dynamic/agent37:Instance")).toMatchObject({ status: "stopped", state: "stopped" });
    const preview = await stack.preview({ diff: true });
    expect(preview.stdout).toMatch(/state\s*:\s*"stopped"\s*=>\s*"running"/);
    expectKnown(preview.stdout);
    expect((await stack.up()).summary.resourceChanges).toMatchObject({ update: 1 });
    expect((await api("GET", `/v1/instances/${botId}`)).json).toMatchObject({ status: "running" });
    expect((await outputs()).botId).toBe(botId);
    await expectNoChange();
  });

  it("a domain verified outside: refresh records its status active, nothing unknown, then nothing to change", async () => {
    expect(await recorded("pulumi-nodejs:dynamic/agent37:Domain")).toMatchObject({ status: "pending" });
    expect((await api("POST", "/v1/domains/drift-inline.com/verify")).json).toMatchObject({ status: "active" });
    expectKnown(await refreshDiff());
    expect(await recorded("pulumi-nodejs:dynamic/agent37:Domain")).toMatchObject({ status: "active", domain: "drift-inline.com" });
    await expectNoChange();
  });

  it("an instance and an SSH key deleted outside: refresh drops them, up makes them again, then nothing to change", async () => {
    const { botId, keyId } = await outputs();
    await deleteOutside(botId as string);
    expect((await api("DELETE", `/v1/ssh-keys/${keyId}`)).status).toBeLessThan(300);
    const refresh = await refreshDiff();
    expect(refresh).toMatch(/- 2 deleted/);
    expectKnown(refresh);
    const up = await stack.up();
    expect(up.summary.resourceChanges).toMatchObject({ create: 2 });
    const after = await outputs();
    expect(after.botId).not.toBe(botId);
    expect((await admin.live()).map((i) => i.id)).toEqual([after.botId]);
    expect((await sshKeys()).map((k) => k.id)).toEqual([after.keyId]);
    await expectNoChange();
  });
});
