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
import { EmulatorAdmin, emulatorConfig, Engine, getFromInstance, projectName, REPO_ROOT, runProgram, startProviderHost, traceHost, type ProviderHost } from "../harness";

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

function release(n: number, folder = context): void {
  const file = path.join(folder, "server.js");
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

  it("rolls a 3-instance fleet back from a revision that never turns ready: state follows what runs, and the pin moves every instance back", async () => {
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), "a37-rollback-"));
    fs.cpSync(path.join(dir, "app"), folder, { recursive: true });
    const project = projectName(dir);
    const engine = new Engine(host, { project, stack: "rollback" });
    const config: Record<string, string> = {
      [`${project}:context`]: folder,
      [`${project}:templateName`]: "rollback-app",
      [`${project}:instances`]: "3",
      [`${project}:readyTimeoutSeconds`]: "2",
    };
    const instancesInState = () => [...engine.state.values()].filter((r) => r.type.endsWith(":Instance"));
    // State equal to what runs: each instance's recorded template and revision are the live ones.
    const expectStateIsLive = async (): Promise<void> => {
      const all = await admin.instances();
      for (const r of instancesInState()) {
        const live = all.find((i) => i.id === r.id);
        expect({ id: r.id, template: r.outputs.template, templateRevision: r.outputs.templateRevision }).toEqual({
          id: r.id,
          template: live?.template,
          templateRevision: live?.template_revision,
        });
      }
    };
    try {
      release(1, folder);
      await runProgram(engine, dir, { config });
      release(2, folder);
      const good = await runProgram(engine, dir, { config });
      expect(good.outputs.pinned).toBe("rollback-app@2");
      const ids = good.outputs.instanceIds as string[];
      expect(await liveRevisions(ids)).toEqual([2, 2, 2]);

      // Revision 3's app never listens: the first batch moves to it and fails its gate.
      await admin.setApp({ template: "rollback-app", revision: 3, neverReady: true });
      release(3, folder);
      const err = (await runProgram(engine, dir, { config }).catch((e: unknown) => e)) as Error;
      expect(err).toBeInstanceOf(Error);
      expect(err.message).toMatch(/previous template revision/);
      expect(await liveRevisions(ids)).toEqual([3, 3, 2]);
      // The state says what runs: web-1 and web-2 on revision 3, not ready (no health answer).
      await expectStateIsLive();
      const failed = instancesInState().filter((r) => r.initErrors !== undefined);
      expect(failed.map((r) => r.id).sort()).toEqual(ids.slice(0, 2).sort());
      for (const r of failed) expect(r.outputs).toMatchObject({ template: "rollback-app@3", templateRevision: 3, health: null });

      // The roll-back: pin the fleet to revision 2 (revision 3 still never turns ready).
      const back = await runProgram(engine, dir, { config: { ...config, [`${project}:pin`]: "rollback-app@2" } });
      expect(back.outputs.revisions).toEqual([2, 2, 2]);
      expect(back.outputs.instanceIds).toEqual(ids);
      expect(await liveRevisions(ids)).toEqual([2, 2, 2]);
      await expectStateIsLive();
      expect(instancesInState().filter((r) => r.initErrors !== undefined)).toEqual([]);
      const all = await admin.instances();
      for (const [i, id] of ids.entries()) {
        expect(all.find((x) => x.id === id)?.status).toBe("running");
        const page = await getFromInstance((back.outputs.urls as string[])[i] as string, "/", emulator.keys[0] as string);
        expect(page).toMatchObject({ status: 200 });
        expect(page.body).toContain("rollback-app revision 2");
      }
      for (const r of instancesInState()) expect(r.outputs.health).not.toBeNull();
    } finally {
      await admin.clearApps();
      await engine.destroy();
      fs.rmSync(folder, { recursive: true, force: true });
    }
  });
});
