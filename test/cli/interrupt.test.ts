/**
 * Ctrl-C twice during a create through the real CLI: `pulumi up` is sent SIGINT twice while the
 * instance boots (the emulator boots slowly), so the engine exits with the create unfinished.
 * The next `pulumi up` ends with one instance, the one the interrupted run made, taken over (the
 * ambiguity rule of the README), and nothing orphaned. Through the plugin's executable (YAML).
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { startEmulator, type RunningEmulator } from "../../emulator";
import { EmulatorAdmin, PLUGIN_EXECUTABLE, REPO_ROOT, type AdminInstance } from "../harness";
import { ctrlCTwice, newBackend, pulumi, spawnPulumi, until, yamlProgram, type Backend } from "./cli";

const KEY = "sk_live_cli0interrupt0key000";
// Long enough that the run is surely still waiting for the gateway when interrupted.
const BOOT_MS = 8000;

let emulator: RunningEmulator;
let admin: EmulatorAdmin;
let backend: Backend;
let project: string;

const run = (args: string[], allowFailure = false) => pulumi(args, { cwd: project, backend, allowFailure });


beforeAll(async () => {
  emulator = await startEmulator({ port: 0, quiet: true, keys: [KEY], provisionMs: 100, bootMs: BOOT_MS, lifecycleMs: 100, deleteMs: 50 });
  admin = new EmulatorAdmin(emulator.url);
  project = fs.mkdtempSync(path.join(os.tmpdir(), "agent37-interrupt-"));
  expect(fs.existsSync(path.join(REPO_ROOT, "plugin", PLUGIN_EXECUTABLE))).toBe(true);
  yamlProgram(project, "agent37-interrupt", ["  bot:", "    type: agent37:index:Instance", "    properties:", "      name: bot"], ["  botId: ${bot.instanceId}"]);
  backend = newBackend();
  await run(["stack", "init", "dev"]);
  await run(["config", "set", "--secret", "agent37:apiKey", KEY]);
  await run(["config", "set", "agent37:apiUrl", emulator.url]);
}, 120_000);

afterAll(async () => {
  await emulator?.close();
  backend?.remove();
  if (project) fs.rmSync(project, { recursive: true, force: true });
});

describe("Ctrl-C twice mid-create, then up", () => {
  let first: AdminInstance;

  it("leaves the engine stopped with the instance made and booting", async () => {
    // `until` would also see an earlier test's instance: there is none.
    expect(await admin.instances()).toEqual([]);
    const up = spawnPulumi(["up", "--yes", "--skip-preview"], { cwd: project, backend });
    // Made, and its gateway not healthy yet: the create is waiting for it.
    const all = await until(() => admin.instances(), (instances) => instances.some((i) => i.healthyAt === null), "the instance to be made and booting");
    first = all.find((i) => i.healthyAt === null) as AdminInstance;
    const code = await ctrlCTwice(up);
    expect(code).not.toBe(0);
    // Still booting: the run ended before the create did.
    expect((await admin.instance(first.id))?.healthyAt).toBeNull();
    expect(first.metadata).toMatchObject({ "pulumi-agent37:pending-create": expect.any(String) });
  });

  it("up again takes the interrupted create's instance over: one instance, in state, unmarked", async () => {
    // The engine warns of the pending create and runs it again; the plugin's create finds the
    // instance by its create key instead of making a second one.
    const again = await run(["up", "--yes", "--skip-preview"]);
    const output = again.stdout + again.stderr;
    expect(output).toContain("interrupted while creating");
    expect(output).toMatch(/\+ 1 created/);
    const live = await admin.live();
    expect(live.map((i) => i.id)).toEqual([first.id]);
    expect(live[0]?.metadata ?? {}).not.toHaveProperty("pulumi-agent37:pending-create");
    const outputs = JSON.parse((await run(["stack", "output", "--json"])).stdout) as { botId?: string };
    expect(outputs.botId).toBe(first.id);
    expect(output).not.toMatch(/error/i);
  });

  it("destroys it", async () => {
    await run(["destroy", "--yes", "--skip-preview"]);
    expect(await admin.live()).toEqual([]);
  });
});
