/**
 * examples/yaml through the real `pulumi` CLI, run as its README says: the package installed from
 * its packed tarball, the plugin's executable started by the engine from the `packages:` folder
 * (no language host), both providers pointed at the bundled emulator (two workspaces), then
 * preview, up, a rename, a saved plan, refresh, `pulumi import` and destroy. Loopback only.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import * as yaml from "js-yaml";
import { startEmulator, type RunningEmulator } from "../../emulator";
import { EmulatorAdmin, REPO_ROOT } from "../harness";
import { installConsumer, type Consumer } from "../plugin/consumer";
import { filesUnder, newBackend, pulumi, stepsByName, type Backend } from "./cli";

const KEY = "sk_live_cli0yaml0default0000";
const STAGING_KEY = "sk_live_cli0yaml0staging0000";
const DEPLOY_KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl deploy@example";

let emulator: RunningEmulator;
let admin: EmulatorAdmin;
let consumer: Consumer;
let backend: Backend;
let project: string;

const run = (args: string[], allowFailure = false) => pulumi(args, { cwd: project, backend, allowFailure });
const programFile = (): string => path.join(project, "Pulumi.yaml");
const editProgram = (from: string, to: string): void => {
  const text = fs.readFileSync(programFile(), "utf8");
  expect(text).toContain(from);
  fs.writeFileSync(programFile(), text.replace(from, to));
};
const outputs = async (): Promise<Record<string, unknown>> => JSON.parse((await run(["stack", "output", "--json", "--show-secrets"])).stdout) as Record<string, unknown>;
const liveIn = async (key: string): Promise<Array<{ id: string; name: string }>> => {
  const res = await fetch(`${emulator.url}/v1/instances`, { headers: { authorization: `Bearer ${key}` } });
  expect(res.status).toBe(200);
  return ((await res.json()) as { data: Array<{ id: string; name: string; status: string }> }).data.filter((i) => i.status !== "deleted");
};

beforeAll(async () => {
  // idleScale keeps `api` (autoSleep, 600 s) awake for the whole file.
  emulator = await startEmulator({ port: 0, quiet: true, keys: [KEY, STAGING_KEY], provisionMs: 100, bootMs: 300, lifecycleMs: 100, deleteMs: 50, idleScale: 100 });
  admin = new EmulatorAdmin(emulator.url);
  consumer = installConsumer();
  project = consumer.dir;
  fs.copyFileSync(path.join(REPO_ROOT, "examples", "yaml", "Pulumi.yaml"), programFile());
  backend = newBackend();
  await run(["stack", "init", "dev"]);
  // The README's emulator settings, one line each.
  await run(["config", "set", "--secret", "agent37:apiKey", KEY]);
  await run(["config", "set", "agent37:apiUrl", emulator.url]);
  await run(["config", "set", "--secret", "stagingApiKey", STAGING_KEY]);
  await run(["config", "set", "stagingApiUrl", emulator.url]);
  await run(["config", "set", "deployKey", DEPLOY_KEY]);
}, 300_000);

afterAll(async () => {
  await emulator?.close();
  consumer?.remove();
  backend?.remove();
});

describe("examples/yaml with the pulumi CLI and the plugin's executable", () => {
  it("previews every resource as a create, calling Agent37 only for the getTemplate invoke", async () => {
    await admin.clearRequests();
    const steps = stepsByName((await run(["preview", "--json"])).stdout);
    for (const name of ["api", "worker", "warmup", "agentImage", "tools", "deploy", "staging", "stagingApi"]) expect(steps[name]?.op).toBe("create");
    // getInstance waits for api's id; getTemplate is a read that a preview makes on purpose.
    expect(Object.keys((await admin.requests()).counters)).toEqual(["GET /v1/templates/:name"]);
  });

  it("up creates both workspaces' instances, and warmup reaches api's gateway with the key", async () => {
    await run(["up", "--yes", "--skip-preview"]);
    const out = await outputs();
    expect(out.warmupExitCode).toBe(0);
    expect(out.apiStatus).toBe("running");
    expect(String(out.apiUrl)).toMatch(new RegExp(`^http://[a-z0-9]{10}\\.localhost:${emulator.port}$`));
    expect((await liveIn(KEY)).map((i) => i.name).sort()).toEqual(["api", "tools", "worker"]);
    // The explicit provider's instance is in the second workspace, on the emulator.
    expect((await liveIn(STAGING_KEY)).map((i) => i.name)).toEqual(["api-staging"]);
    expect(out.stagingUrl).toBe(`http://${(await liveIn(STAGING_KEY))[0]?.id}.localhost:${emulator.port}`);
  });

  it("previews a rename of api as an in-place update with its dependents the same", async () => {
    editProgram("      name: api\n", "      name: api-v2\n");
    const steps = stepsByName((await run(["preview", "--json", "--show-sames"])).stdout);
    expect(steps.api?.op).toBe("update");
    expect(Object.keys(steps.api?.detailedDiff ?? {})).toEqual(["name"]);
    expect(steps.worker?.op).toBe("same");
    expect(steps.warmup?.op).toBe("same");
  });

  it("saves the plan and applies exactly it with up --plan, and refuses a program that left it", async () => {
    const plan = path.join(project, "rename.plan.json");
    await run(["preview", "--save-plan", plan]);
    editProgram("      name: api-v2\n", "      name: api-v3\n");
    const refused = await run(["up", "--yes", "--plan", plan], true);
    expect(refused.code).not.toBe(0);
    expect(refused.stdout + refused.stderr).toMatch(/violates plan/);
    editProgram("      name: api-v3\n", "      name: api-v2\n");
    const id = (await liveIn(KEY)).find((i) => i.name === "api")?.id;
    await run(["up", "--yes", "--plan", plan]);
    const renamed = (await liveIn(KEY)).find((i) => i.name === "api-v2");
    expect(renamed?.id).toBe(id);
  });

  it("refreshes with no change", async () => {
    await run(["refresh", "--yes", "--expect-no-changes"]);
    const steps = stepsByName((await run(["preview", "--json", "--expect-no-changes"])).stdout);
    expect(Object.values(steps).filter((s) => s.op !== "same")).toEqual([]);
  });

  it("imports an instance made outside Pulumi, and its generated declaration previews with no change", async () => {
    const res = await fetch(`${emulator.url}/v1/instances`, {
      method: "POST",
      headers: { authorization: `Bearer ${KEY}`, "content-type": "application/json" },
      body: JSON.stringify({ name: "outside", template: "agent37-hermes" }),
    });
    expect(res.status).toBe(201);
    const { id } = (await res.json()) as { id: string };
    const generated = path.join(project, "imported.yaml");
    await run(["import", "agent37:index:Instance", "outside", id, "--yes", "--out", generated]);
    const declared = yaml.load(fs.readFileSync(generated, "utf8")) as { resources: Record<string, { type: string; properties: Record<string, unknown> }> };
    expect(declared.resources.outside?.type).toMatch(/^agent37:(index:)?Instance$/);
    expect(declared.resources.outside?.properties).toMatchObject({ name: "outside", template: "agent37-hermes", state: "running" });
    // The declaration joins the program; the next preview plans nothing for it.
    const program = yaml.load(fs.readFileSync(programFile(), "utf8")) as { resources: Record<string, unknown> };
    program.resources.outside = declared.resources.outside;
    fs.writeFileSync(programFile(), yaml.dump(program));
    const steps = stepsByName((await run(["preview", "--json", "--show-sames"])).stdout);
    expect(steps.outside?.op).toBe("same");
  });

  it("destroys everything in both workspaces, and no file of the backend holds either key", async () => {
    // `pulumi import` protects what it imports.
    await run(["state", "unprotect", "--all", "--yes"]);
    await run(["destroy", "--yes", "--skip-preview"]);
    expect(await liveIn(KEY)).toEqual([]);
    expect(await liveIn(STAGING_KEY)).toEqual([]);
    expect((await admin.live()).map((i) => i.id)).toEqual([]);
    const leaks = filesUnder(backend.dir)
      .concat(filesUnder(backend.home))
      .filter(([, text]) => text.includes(KEY) || text.includes(STAGING_KEY))
      .map(([file]) => file);
    expect(leaks).toEqual([]);
  });
});
