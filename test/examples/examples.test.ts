/**
 * Program tests: each example under examples/ runs as written under `setMocks`, its
 * Agent37Instance resources provisioned for real through Pulumi's provider host (started in the
 * example's folder, the project directory) against the emulator; then its exports are checked.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { startEmulator, type RunningEmulator } from "pulumi-agent37/emulator";
import {
  EmulatorAdmin,
  emulatorConfig,
  Engine,
  getFromInstance,
  projectName,
  REPO_ROOT,
  runProgram,
  startProviderHost,
  traceHost,
  type ProviderHost,
  type TracedCall,
} from "../harness";

let emulator: RunningEmulator;
let admin: EmulatorAdmin;
const hosts: ProviderHost[] = [];

beforeAll(async () => {
  emulator = await startEmulator({ port: 0, provisionMs: 100, bootMs: 300, lifecycleMs: 100, deleteMs: 50, quiet: true });
  admin = new EmulatorAdmin(emulator.url);
});
afterAll(async () => {
  await Promise.all(hosts.map((h) => h.close()));
  await emulator?.close();
});

const exampleDir = (name: string): string => path.join(REPO_ROOT, "examples", name);

/** A host started in the example's folder, as the engine starts it in the project directory. */
async function stackFor(example: string): Promise<{ engine: Engine; calls: TracedCall[]; dir: string; project: string; host: ProviderHost }> {
  const dir = exampleDir(example);
  const host = await startProviderHost({ cwd: dir });
  hosts.push(host);
  await host.configure(emulatorConfig(emulator));
  const traced = traceHost(host);
  const project = projectName(dir);
  return { engine: new Engine(traced.host, { project, stack: "dev" }), calls: traced.calls, dir, project, host };
}

describe("examples/basic", () => {
  it("provisions one healthy instance and exports its url, portUrls and dashboard URL", async () => {
    const { engine, dir, host } = await stackFor("basic");
    // The host runs in the example's folder, as the engine runs it in the project directory.
    expect(fs.realpathSync(`/proc/${host.pid}/cwd`)).toBe(fs.realpathSync(dir));
    const { outputs } = await runProgram(engine, dir);
    const live = await admin.instance(outputs.instanceId as string);
    expect(live?.status).toBe("running");
    expect(outputs.url).toBe(live?.url);
    expect(outputs.portUrls).toEqual({ "3737": live?.url, "9119": `http://${live?.id}-9119.localhost:${emulator.port}` });
    expect(outputs.dashboardUrl).toBe((outputs.portUrls as Record<string, string>)["9119"]);
    const health = await getFromInstance(outputs.url as string, "/v1/health", emulator.keys[0] as string);
    expect(health).toMatchObject({ status: 200, body: { ok: true, healthy: true } });
    await engine.destroy();
    expect((await admin.instance(live?.id as string))?.status).toBe("deleted");
  });

  it("reads its config: a changed name updates the instance in place", async () => {
    const { engine, dir, project } = await stackFor("basic");
    const first = await runProgram(engine, dir);
    const second = await runProgram(engine, dir, { config: { [`${project}:name`]: "renamed-bot" } });
    expect(second.steps.map((s) => s.op)).toEqual(["update"]);
    expect(second.outputs.instanceId).toBe(first.outputs.instanceId);
    expect((await admin.instance(second.outputs.instanceId as string))?.name).toBe("renamed-bot");
    await engine.destroy();
  });
});

describe("examples/basic against the 2026-06 API generation", () => {
  it("takes the dashboard URL from the API's ports list (an opaque handle host), never a guessed one", async () => {
    const older = await startEmulator({ port: 0, api: "2026-06", provisionMs: 100, bootMs: 300, lifecycleMs: 100, deleteMs: 50, quiet: true });
    const dir = exampleDir("basic");
    const host = await startProviderHost({ cwd: dir });
    try {
      await host.configure(emulatorConfig(older));
      const engine = new Engine(host, { project: projectName(dir) });
      const { outputs } = await runProgram(engine, dir);
      const listed = (await new EmulatorAdmin(older.url).instance(outputs.instanceId as string))?.ports as { port: number; url: string }[];
      const dashboard = listed.find((p) => p.port === 9119)?.url;
      expect(dashboard).toMatch(/^http:\/\/[a-z0-9]{24}\.localhost:\d+$/);
      expect(outputs.dashboardUrl).toBe(dashboard);
      expect((outputs.portUrls as Record<string, string>)["9119"]).toBe(dashboard);
      await engine.destroy();
    } finally {
      await host.close();
      await older.close();
    }
  });
});

describe("examples/fleet", () => {
  it("creates the workers first and wires their URLs into the orchestrator's env", async () => {
    const { engine, calls, dir, project } = await stackFor("fleet");
    const { outputs } = await runProgram(engine, dir, { config: { [`${project}:workers`]: "2" } });
    const workerUrls = outputs.workerUrls as string[];
    expect(workerUrls).toHaveLength(2);
    for (const url of workerUrls) expect(url).toMatch(/^http:\/\/[a-z0-9]{10}\.localhost:\d+$/);
    const orchestrator = [...engine.state.values()].find((r) => r.urn.endsWith("::orchestrator"));
    expect(orchestrator?.outputs.env).toEqual({ WORKER_URLS: workerUrls.join(","), WORKER_COUNT: "2" });
    expect(outputs.orchestratorUrl).toBe(orchestrator?.outputs.url);
    const creates = calls.filter((c) => c.method === "Create");
    const orchestratorCreate = creates.find((c) => c.name === "orchestrator");
    const workersDone = Math.max(...creates.filter((c) => c.name.startsWith("worker-")).map((c) => c.endedAt ?? Infinity));
    expect(orchestratorCreate?.startedAt).toBeGreaterThanOrEqual(workersDone);
    expect((await admin.live()).filter((i) => i.metadata?.fleet === "dev")).toHaveLength(3);
    await engine.destroy();
    expect((await admin.live()).filter((i) => i.metadata?.fleet === "dev")).toHaveLength(0);
  });
});

describe("examples/sandbox", () => {
  it("runs a port-less instance and stops and starts it when `state` changes", async () => {
    const { engine, dir, project } = await stackFor("sandbox");
    const running = await runProgram(engine, dir);
    const id = running.outputs.instanceId as string;
    expect(running.outputs.status).toBe("running");
    const state = [...engine.state.values()][0];
    // Its URL is the instance's own (nothing listens behind it) and no readiness gate ran.
    expect(state?.outputs).toMatchObject({ url: (await admin.instance(id))?.url, health: null });

    const stopped = await runProgram(engine, dir, { config: { [`${project}:state`]: "stopped" } });
    // The bootstrap Agent37Exec is unchanged: it runs nothing while the sandbox is stopped.
    expect(stopped.steps.map((s) => s.op)).toEqual(["update", "same"]);
    expect(stopped.outputs).toMatchObject({ instanceId: id, status: "stopped" });
    expect((await admin.instance(id))?.status).toBe("stopped");

    const started = await runProgram(engine, dir, { config: { [`${project}:state`]: "running" } });
    expect(started.outputs).toMatchObject({ instanceId: id, status: "running" });
    expect((await admin.instance(id))?.status).toBe("running");
    await engine.destroy();
  });

  it("bootstraps the sandbox through exec, and re-runs the bootstrap when `seedVersion` changes", async () => {
    const { engine, dir, project } = await stackFor("sandbox");
    const first = await runProgram(engine, dir, { config: { [`${project}:seedToken`]: "tok-from-config-123" }, secretKeys: [`${project}:seedToken`] });
    const id = first.outputs.instanceId as string;
    expect(first.outputs.bootstrapStatus).toBe("bootstrapped\n");
    expect(await execIn(id, "cat app/token")).toBe("tok-from-config-123");

    await execIn(id, "rm app/status");
    const reseeded = await runProgram(engine, dir, { config: { [`${project}:seedToken`]: "tok-from-config-123", [`${project}:seedVersion`]: "2" } });
    expect(reseeded.steps.map((s) => s.op)).toEqual(["same", "update"]);
    expect(Date.parse(reseeded.outputs.bootstrappedAt as string)).toBeGreaterThanOrEqual(Date.parse(first.outputs.bootstrappedAt as string));
    expect(await execIn(id, "cat app/status")).toBe("bootstrapped\n");
    await engine.destroy();
  });
});

describe("examples/persona", () => {
  it("writes the persona and the skills (drafts left out), then runs the step that waits for them; a second preview is no change", async () => {
    const { engine, dir } = await stackFor("persona");
    const up = await runProgram(engine, dir);
    const id = up.outputs.instanceId as string;
    expect(up.outputs).toMatchObject({ personaPath: "/home/user/.agent37-gateway/workspace/SOUL.md", skillFiles: 2 });
    expect(up.outputs.check).toBe("# Ada, the support agent\nskills/summarize.md\nskills/web/search.md\n");
    expect(await execIn(id, "cat .agent37-gateway/workspace/skills/web/search.md")).toContain("Search the help center");
    const preview = await runProgram(engine, dir, { preview: true });
    expect(preview.steps.map((s) => s.op)).toEqual(["same", "same", "same", "same"]);
    await engine.destroy();
    expect(engine.state.size).toBe(0);
  });
});

/** Runs a command in an instance through the hosting API, to observe what the example did. */
async function execIn(id: string, command: string): Promise<string> {
  const res = await fetch(`${emulator.url}/v1/instances/${id}/exec`, {
    method: "POST",
    headers: { authorization: `Bearer ${emulator.keys[0]}`, "content-type": "application/json" },
    body: JSON.stringify({ command }),
  });
  const body = (await res.json()) as { exit_code: number; stdout: string };
  if (res.status !== 200 || body.exit_code !== 0) throw new Error(`exec ${command}: ${res.status} ${JSON.stringify(body)}`);
  return body.stdout;
}
