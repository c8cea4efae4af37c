/**
 * Create keys across backends (issue 24, item 8), through the real `pulumi` CLI and the plugin's
 * executable (Pulumi YAML): two file backends, each with a stack of the same project and stack
 * name, against one Agent37 workspace. The first stack's `up` is killed mid-create; the second
 * stack's `up` neither takes that instance over nor deletes it, and makes its own; the first
 * stack's next `up` takes its own unfinished create over.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { startEmulator, type RunningEmulator } from "../../emulator";
import { EmulatorAdmin, PLUGIN_EXECUTABLE, REPO_ROOT, type AdminInstance } from "../harness";
import { ctrlCTwice, newBackend, pulumi, spawnPulumi, until, yamlProgram, type Backend } from "./cli";

const KEY = "sk_live_cli0scope0key0000000";
const MARKER = "pulumi-agent37:pending-create";
// Long enough that the run is surely still waiting for the gateway when interrupted.
const BOOT_MS = 8000;

let emulator: RunningEmulator;
let admin: EmulatorAdmin;

interface Side {
  backend: Backend;
  project: string;
}
const sides: Side[] = [];

const run = (side: Side, args: string[], allowFailure = false) => pulumi(args, { cwd: side.project, backend: side.backend, allowFailure });
const botId = async (side: Side): Promise<unknown> => (JSON.parse((await run(side, ["stack", "output", "--json"])).stdout) as { botId?: string }).botId;

/** One backend and one project folder holding the same program, project and stack name as the other. */
async function side(): Promise<Side> {
  const project = fs.mkdtempSync(path.join(os.tmpdir(), "agent37-scope-"));
  yamlProgram(project, "agent37-scope", ["  bot:", "    type: agent37:index:Instance", "    properties:", "      name: bot"], ["  botId: ${bot.instanceId}"]);
  const s = { backend: newBackend(), project };
  sides.push(s);
  await run(s, ["stack", "init", "dev"]);
  await run(s, ["config", "set", "--secret", "agent37:apiKey", KEY]);
  await run(s, ["config", "set", "agent37:apiUrl", emulator.url]);
  return s;
}

beforeAll(async () => {
  emulator = await startEmulator({ port: 0, quiet: true, keys: [KEY], provisionMs: 100, bootMs: BOOT_MS, lifecycleMs: 100, deleteMs: 50 });
  admin = new EmulatorAdmin(emulator.url);
  expect(fs.existsSync(path.join(REPO_ROOT, "plugin", PLUGIN_EXECUTABLE))).toBe(true);
}, 60_000);

afterAll(async () => {
  for (const s of sides) {
    await run(s, ["destroy", "--yes", "--skip-preview"], true);
    s.backend.remove();
    fs.rmSync(s.project, { recursive: true, force: true });
  }
  await emulator?.close();
});

describe("two file backends, one project and stack name, one workspace", () => {
  let first: Side;
  let second: Side;
  let orphan: AdminInstance;

  it("the first stack's up is killed mid-create: its instance is left marked", async () => {
    first = await side();
    second = await side();
    const up = spawnPulumi(["up", "--yes", "--skip-preview"], { cwd: first.project, backend: first.backend });
    await until(() => admin.instances(), (all) => all.some((i) => i.healthyAt === null), "the instance to be made and booting");
    expect(await ctrlCTwice(up)).not.toBe(0);
    [orphan] = (await admin.live()) as [AdminInstance];
    expect(orphan.metadata).toMatchObject({ [MARKER]: expect.any(String) });
  });

  it("the second stack's up neither takes it over nor deletes it, and makes its own", async () => {
    await admin.clearRequests();
    await run(second, ["up", "--yes", "--skip-preview"]);
    const own = await botId(second);
    expect(own).not.toBe(orphan.id);
    const left = await admin.instance(orphan.id);
    expect(left?.status).not.toMatch(/^delet/);
    expect(left?.metadata?.[MARKER]).toBe(orphan.metadata?.[MARKER]);
    const { counters } = await admin.requests();
    expect(counters["POST /v1/instances"]).toBe(1);
    expect(Object.keys(counters).filter((route) => route.startsWith("DELETE "))).toEqual([]);
  });

  it("the first stack's next up takes its own unfinished create over: two instances, one per stack", async () => {
    await admin.clearRequests();
    const again = await run(first, ["up", "--yes", "--skip-preview"]);
    expect(again.stdout + again.stderr).toContain("interrupted while creating");
    expect(await botId(first)).toBe(orphan.id);
    expect((await admin.requests()).counters["POST /v1/instances"]).toBeUndefined();
    const live = await admin.live();
    expect(live.map((i) => i.id).sort()).toEqual([orphan.id, await botId(second)].sort());
    for (const i of live) expect(i.metadata ?? {}).not.toHaveProperty(MARKER);
  });

  it("each stack's recorded provider holds its own create scope, and a refresh and preview plan nothing", async () => {
    const scopes: unknown[] = [];
    for (const s of [first, second]) {
      const state = JSON.parse((await run(s, ["stack", "export"])).stdout) as { deployment: { resources: Array<{ type: string; inputs?: Record<string, unknown> }> } };
      scopes.push(state.deployment.resources.find((r) => r.type === "pulumi:providers:agent37")?.inputs?._createScope);
      await run(s, ["refresh", "--yes", "--expect-no-changes"]);
      await run(s, ["preview", "--expect-no-changes"]);
    }
    expect(scopes[0]).toMatch(/^[0-9a-f]{32}$/);
    expect(scopes[1]).toMatch(/^[0-9a-f]{32}$/);
    expect(scopes[0]).not.toBe(scopes[1]);
  });
});
