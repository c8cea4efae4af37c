/**
 * The plugin installed into Pulumi's plugin cache through the real `pulumi` CLI:
 * `pulumi plugin install resource agent37 <version> --file <the executable>` copies the installed
 * package's `pulumi-resource-agent37` alone into the cache, and a YAML program that names no plugin
 * folder (no `packages:`, no `plugins:`) then runs on that copy, which runs the package installed
 * in the project. PATH holds no `pulumi-resource-agent37`, so the engine can find the plugin only in its
 * cache. The copy started where no package is installed fails saying what to install. Loopback only.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { startEmulator, type RunningEmulator } from "../../emulator";
import { REPO_ROOT } from "../harness";
import { installConsumer, type Consumer } from "../plugin/consumer";
import { newBackend, pulumi, type Backend } from "./cli";

const KEY = "sk_live_cli0install0key00000";
const VERSION = (JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "package.json"), "utf8")) as { version: string }).version;

let emulator: RunningEmulator;
let consumer: Consumer;
let backend: Backend;

const run = (args: string[], allowFailure = false) => pulumi(args, { cwd: consumer.dir, backend, allowFailure });
const cachedPlugin = (): string => path.join(backend.home, "plugins", `resource-agent37-v${VERSION}`);

beforeAll(async () => {
  emulator = await startEmulator({ port: 0, quiet: true, keys: [KEY], provisionMs: 100, bootMs: 200, lifecycleMs: 100, deleteMs: 50 });
  consumer = installConsumer();
  backend = newBackend();
  // No folder on PATH holds the plugin's executable (the engine would take it from there first).
  backend.env.PATH = (backend.env.PATH ?? "")
    .split(path.delimiter)
    .filter((dir) => dir !== "" && !fs.existsSync(path.join(dir, "pulumi-resource-agent37")))
    .join(path.delimiter);
  fs.writeFileSync(
    path.join(consumer.dir, "Pulumi.yaml"),
    ["name: plugin-install", "runtime: yaml", "resources:", "  agent:", "    type: agent37:index:Instance", "    properties:", "      name: cached", "outputs:", "  url: ${agent.url}", ""].join("\n"),
  );
}, 300_000);

afterAll(async () => {
  await emulator?.close();
  consumer?.remove();
  backend?.remove();
});

describe("`pulumi plugin install resource agent37 <version> --file <the executable>`", () => {
  it("installs the executable into the plugin cache, and a YAML program naming no plugin folder runs on it", async () => {
    await run(["plugin", "install", "resource", "agent37", VERSION, "--file", path.join(consumer.pluginDir, "pulumi-resource-agent37")]);
    // The cache holds the executable alone: the package's code is not beside the copy.
    expect(fs.readdirSync(cachedPlugin()).filter((f) => !f.startsWith("."))).toEqual(["pulumi-resource-agent37"]);
    const listed = (await run(["plugin", "ls", "--json"])).stdout;
    expect(JSON.parse(listed)).toEqual(expect.arrayContaining([expect.objectContaining({ name: "agent37", kind: "resource", version: VERSION })]));

    await run(["stack", "init", "dev"]);
    await run(["config", "set", "--secret", "agent37:apiKey", KEY]);
    await run(["config", "set", "agent37:apiUrl", emulator.url]);
    await run(["config", "set", "agent37:instanceUrlTemplate", `http://{host}.localhost:${emulator.port}`]);
    const preview = await run(["preview", "--json"]);
    expect((JSON.parse(preview.stdout) as { changeSummary: Record<string, number> }).changeSummary).toEqual(expect.objectContaining({ create: 2 }));
    await run(["up", "--yes", "--skip-preview"]);
    const url = (JSON.parse((await run(["stack", "output", "--json"])).stdout) as { url: string }).url;
    expect(url).toMatch(new RegExp(`^http://[a-z0-9]{10}\\.localhost:${emulator.port}$`));
    const live = await fetch(`${emulator.url}/v1/instances`, { headers: { authorization: `Bearer ${KEY}` } });
    const names = ((await live.json()) as { data: { name: string; status: string }[] }).data.filter((i) => i.status !== "deleted").map((i) => i.name);
    expect(names).toEqual(["cached"]);
    await run(["destroy", "--yes", "--skip-preview"]);
  }, 300_000);

  it("the cached copy, started where no pulumi-agent37 is installed, fails saying what to install", () => {
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), "agent37-no-package-"));
    try {
      const started = spawnSync(path.join(cachedPlugin(), "pulumi-resource-agent37"), ["127.0.0.1:1"], { cwd: empty, env: backend.env, encoding: "utf8", timeout: 30_000 });
      expect(started.status).toBe(1);
      expect(started.stdout).toBe("");
      expect(started.stderr).toContain("no pulumi-agent37 package is installed in");
      expect(started.stderr).toContain("npm install pulumi-agent37 @pulumi/pulumi");
    } finally {
      fs.rmSync(empty, { recursive: true, force: true });
    }
  });
});
