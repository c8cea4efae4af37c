/**
 * The README's quickstart program through the real `pulumi` CLI as an Automation API inline
 * program (no Node language host: the program is served from this process), its instance through
 * the dynamic door (Pulumi's dynamic provider host, started by the engine through the
 * `pulumi-resource-pulumi-nodejs` launcher that ships in @pulumi/pulumi), against the emulator:
 * preview, create, a rename in place, a clean refresh, no key in any file of the backend, destroy.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { LocalWorkspace, type Stack } from "@pulumi/pulumi/automation";
import { startEmulator, type RunningEmulator } from "../../emulator";
import { EmulatorAdmin, REPO_ROOT } from "../harness";
import { filesUnder, newBackend, type Backend } from "./cli";

const KEY = "sk_live_cli0inline0key000000";
const PROJECT = "my-agents";

let emulator: RunningEmulator;
let admin: EmulatorAdmin;
let backend: Backend;
let workDir: string;
let stack: Stack;
let name = "support-bot";

/** The quickstart's index.ts (README step 4), with the instance's label read from `name`. */
const program = async (): Promise<Record<string, unknown>> => {
  // Loaded as a user's program loads it: by package name, from the build.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { Agent37Instance } = require("pulumi-agent37") as typeof import("../../provider");
  const agent = new Agent37Instance("support-bot", {
    template: "agent37-hermes",
    resources: { cpu: 2, memory: 4 },
    name,
    ports: [9119],
  });
  return { instanceId: agent.instanceId, url: agent.url, dashboard: agent.urlForPort(9119) };
};

const outputsOf = async (): Promise<Record<string, unknown>> => Object.fromEntries(Object.entries(await stack.outputs()).map(([k, v]) => [k, v.value]));

beforeAll(async () => {
  emulator = await startEmulator({ port: 0, quiet: true, keys: [KEY], provisionMs: 100, bootMs: 300, lifecycleMs: 100, deleteMs: 50 });
  admin = new EmulatorAdmin(emulator.url);
  // The engine starts the dynamic provider host in the program's folder, where
  // `require("pulumi-agent37/dynamic")` must resolve, as in a user's project.
  workDir = fs.mkdtempSync(path.join(os.tmpdir(), "agent37-inline-"));
  fs.mkdirSync(path.join(workDir, "node_modules"));
  fs.symlinkSync(path.join(REPO_ROOT, "node_modules", "@pulumi"), path.join(workDir, "node_modules", "@pulumi"));
  fs.symlinkSync(REPO_ROOT, path.join(workDir, "node_modules", "pulumi-agent37"));
  backend = newBackend([path.join(REPO_ROOT, "node_modules", "@pulumi", "pulumi")]);
  // The Automation API finds `pulumi` on this process's PATH.
  process.env.PATH = backend.env.PATH;
  stack = await LocalWorkspace.createOrSelectStack({ projectName: PROJECT, stackName: "dev", program }, { workDir, envVars: backend.env as Record<string, string> });
  await stack.setAllConfig({ "agent37:apiKey": { value: KEY, secret: true }, "agent37:apiUrl": { value: emulator.url } });
}, 120_000);

afterAll(async () => {
  await emulator?.close();
  backend?.remove();
  if (workDir) fs.rmSync(workDir, { recursive: true, force: true });
});

describe("the README program as an inline program through the real CLI, dynamic door", () => {
  it("previews the create without calling Agent37", async () => {
    await admin.clearRequests();
    const preview = await stack.preview();
    expect(preview.changeSummary.create).toBe(2); // the stack and the instance
    expect((await admin.requests()).counters).toEqual({});
  });

  it("creates the instance and exports its id and URLs", async () => {
    const up = await stack.up();
    expect(up.summary.result).toBe("succeeded");
    const out = await outputsOf();
    const live = await admin.live();
    expect(live.map((i) => i.id)).toEqual([out.instanceId]);
    expect(out.url).toBe(`http://${out.instanceId}.localhost:${emulator.port}`);
    expect(out.dashboard).toBe(`http://${out.instanceId}-9119.localhost:${emulator.port}`);
    expect(live[0]?.name).toBe("support-bot");
  });

  it("renames in place: an update, the same instance", async () => {
    const before = await outputsOf();
    name = "support-bot-2";
    const up = await stack.up();
    expect(up.summary.resourceChanges).toMatchObject({ update: 1 });
    expect(up.summary.resourceChanges?.create).toBeUndefined();
    expect(up.summary.resourceChanges?.replace).toBeUndefined();
    expect((await outputsOf()).instanceId).toBe(before.instanceId);
    const live = await admin.live();
    expect(live.map((i) => [i.id, i.name])).toEqual([[before.instanceId, "support-bot-2"]]);
  });

  it("refreshes clean, and the next preview plans nothing", async () => {
    const refresh = await stack.refresh({ expectNoChanges: true });
    expect(refresh.summary.result).toBe("succeeded");
    const preview = await stack.preview({ expectNoChanges: true });
    expect(Object.keys(preview.changeSummary)).toEqual(["same"]);
  });

  it("keeps the API key out of the state and out of every file of the backend and the project", async () => {
    // The export decrypts secrets; the key is there only inside a secret envelope, so the
    // backend stores it encrypted.
    const resources = (await stack.exportStack()).deployment.resources as Array<{ type: string; inputs?: Record<string, unknown> }>;
    const provider = resources.find((r) => r.type === "pulumi:providers:pulumi-nodejs");
    expect(provider?.inputs?.["agent37:apiKey"]).toMatchObject({ "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270" });
    const instance = resources.find((r) => r.type === "pulumi-nodejs:dynamic/agent37:Instance");
    expect(JSON.stringify(instance)).not.toContain(KEY);
    const stored = fs.readFileSync(path.join(backend.dir, ".pulumi", "stacks", PROJECT, "dev.json"), "utf8");
    expect(stored).toContain("pulumi-nodejs:dynamic/agent37:Instance");
    expect(stored).toContain("ciphertext");
    const leaks = [...filesUnder(backend.dir), ...filesUnder(backend.home), ...filesUnder(workDir, ["node_modules"])].filter(([, text]) => text.includes(KEY)).map(([file]) => file);
    expect(leaks).toEqual([]);
  });

  it("destroys the instance", async () => {
    const destroy = await stack.destroy();
    expect(destroy.summary.result).toBe("succeeded");
    expect(await admin.live()).toEqual([]);
  });
});
