/**
 * examples/rollout as a program through Pulumi's provider host against the emulator: a template
 * built from a folder and a fleet pinned to it, rolled to a good revision (every instance ends
 * on it, batch after batch) and to a revision whose app never turns ready (the first batch
 * fails its gate, the error names the instance, later batches stay on the previous revision).
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { startEmulator, type RunningEmulator } from "pulumi-agent37/emulator";
import { EmulatorAdmin, emulatorConfig, Engine, projectName, REPO_ROOT, runProgram, startProviderHost, traceHost, type ProviderHost } from "../harness";

const dir = path.join(REPO_ROOT, "examples", "rollout");
let emulator: RunningEmulator;
let admin: EmulatorAdmin;
let host: ProviderHost;
let context: string;

beforeAll(async () => {
  emulator = await startEmulator({ port: 0, provisionMs: 50, bootMs: 200, lifecycleMs: 50, deleteMs: 30, buildMs: 100, ingestMs: 20, quiet: true });
  admin = new EmulatorAdmin(emulator.url);
  host = await startProviderHost({ cwd: dir });
  await host.configure(emulatorConfig(emulator));
  // The example's own app folder, copied so that the test can edit it.
  context = fs.mkdtempSync(path.join(os.tmpdir(), "a37-rollout-"));
  fs.cpSync(path.join(dir, "app"), context, { recursive: true });
});
afterAll(async () => {
  await host?.close();
  await emulator?.close();
  fs.rmSync(context, { recursive: true, force: true });
});

function release(n: number): void {
  const file = path.join(context, "server.js");
  fs.writeFileSync(file, fs.readFileSync(file, "utf8").replace(/const RELEASE = "\d+";/, `const RELEASE = "${n}";`));
}

async function liveRevisions(ids: string[]): Promise<(number | null | undefined)[]> {
  const all = await admin.instances();
  return ids.map((id) => all.find((i) => i.id === id)?.template_revision as number | null | undefined);
}

describe("examples/rollout", () => {
  it("rolls a good revision out batch by batch, and stops a revision that never turns ready at the first batch", async () => {
    const traced = traceHost(host);
    const project = projectName(dir);
    const engine = new Engine(traced.host, { project, stack: "dev" });
    const config = { [`${project}:context`]: context, [`${project}:readyTimeoutSeconds`]: "2" };

    const first = await runProgram(engine, dir, { config });
    expect(first.outputs.pinned).toBe("rollout-app@1");
    expect(first.outputs.revisions).toEqual([1, 1, 1, 1]);
    const ids = first.outputs.instanceIds as string[];
    expect(new Set(ids).size).toBe(4);

    // A good revision: every instance ends on it, in place, one batch after the other.
    release(2);
    traced.calls.length = 0;
    const good = await runProgram(engine, dir, { config });
    expect(good.outputs.pinned).toBe("rollout-app@2");
    expect(good.outputs.revisions).toEqual([2, 2, 2, 2]);
    expect(good.outputs.instanceIds).toEqual(ids);
    expect(await liveRevisions(ids)).toEqual([2, 2, 2, 2]);
    const updates = (names: string[]) => traced.calls.filter((c) => c.method === "Update" && names.includes(c.name));
    expect(traced.calls.filter((c) => c.method === "Create")).toEqual([]);
    const firstBatchDone = Math.max(...updates(["web-1", "web-2"]).map((c) => c.endedAt ?? Infinity));
    const secondBatchStart = Math.min(...updates(["web-3", "web-4"]).map((c) => c.startedAt));
    expect(updates(["web-1", "web-2", "web-3", "web-4"])).toHaveLength(4);
    expect(secondBatchStart).toBeGreaterThanOrEqual(firstBatchDone);

    // A bad revision: its app never listens. The first batch moves and fails its gate; the rest stay.
    await admin.setApp({ template: "rollout-app", revision: 3, neverReady: true });
    release(3);
    traced.calls.length = 0;
    const err = (await runProgram(engine, dir, { config }).catch((e: unknown) => e)) as Error;
    expect(err).toBeInstanceOf(Error);
    expect(ids.slice(0, 2).some((id) => err.message.includes(id))).toBe(true);
    expect(updates(["web-3", "web-4"])).toEqual([]);
    expect(await liveRevisions(ids)).toEqual([3, 3, 2, 2]);

    await admin.clearApps();
    await engine.destroy();
    expect((await admin.live()).filter((i) => ids.includes(i.id))).toEqual([]);
  });
});
