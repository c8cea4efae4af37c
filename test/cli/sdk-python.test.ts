/**
 * The generated Python SDK (sdk/python) as a user installs it: into a fresh venv, with `pulumi`
 * from PyPI. It imports, registers what the schema says under Pulumi's mocks, and an
 * Automation-API inline program on it (test/cli/sdk/python/automation.py) takes one instance
 * through up, outputs, a no-change preview and destroy against the emulator, through the
 * `pulumi` CLI and the executable plugin on PATH. Needs python3.11 (or SDK_PYTHON), PyPI, and
 * for the last test the engine leg's tools.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { startEmulator, type RunningEmulator } from "pulumi-agent37/emulator";
import { EmulatorAdmin } from "../harness";
import { ENGINE_TOOLS, FAST_EMULATOR, onPath, REPO, run, stackEnv, steps, tempDir, VERSION } from "./sdk-run";

// The newest `pulumi` on PyPI that the SDK's requirement (pulumi>=3.269.0,<4.0.0, from the
// schema's python section) admits. PyPI has no 3.274 release, the CLI's version.
const PULUMI_PY = "3.272.0";
const PROGRAMS = path.join(__dirname, "sdk", "python");
// Pulumi's marker of a secret value in a resource's inputs, as the mocks see them.
const SECRET_SIG = "4dabf18193072939515e22adb298388d";

let dir: string;
let python: string;

beforeAll(async () => {
  dir = tempDir("agent37-sdk-python-");
  const interpreter = process.env.SDK_PYTHON ?? "python3.11";
  await run(interpreter, ["-m", "venv", path.join(dir, "venv")]);
  python = path.join(dir, "venv", "bin", "python");
  // pip builds a local folder in place: install from a copy, so sdk/ stays as generated.
  fs.cpSync(path.join(REPO, "sdk", "python"), path.join(dir, "sdk-python"), { recursive: true });
  await run(python, ["-m", "pip", "install", "--quiet", "--disable-pip-version-check", `pulumi==${PULUMI_PY}`, path.join(dir, "sdk-python")]);
}, 600_000);
afterAll(() => {
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

describe("the generated Python SDK", () => {
  it("installs beside pulumi from PyPI and imports as pulumi_agent37, at the package's version", async () => {
    const script = [
      "import importlib.metadata as m, json, pulumi_agent37 as a",
      "print(json.dumps({'sdk': m.version('pulumi_agent37'), 'pulumi': m.version('pulumi'), 'plugin': a._utilities.get_version(),",
      " 'names': sorted(n for n in ['Instance', 'Exec', 'Domain', 'DomainVerification', 'SshKey', 'Template', 'Provider', 'get_instance', 'get_template'] if hasattr(a, n))}))",
    ].join("\n");
    const { stdout } = await run(python, ["-c", script]);
    expect(JSON.parse(stdout)).toEqual({
      sdk: VERSION,
      pulumi: PULUMI_PY,
      plugin: VERSION,
      names: ["Domain", "DomainVerification", "Exec", "Instance", "Provider", "SshKey", "Template", "get_instance", "get_template"],
    });
  }, 120_000);

  it("registers the schema's tokens and camelCase inputs, secrets marked, under Pulumi's mocks", async () => {
    const { stdout } = await run(python, [path.join(PROGRAMS, "check_sdk.py")]);
    const report = JSON.parse(stdout.trim().split("\n").pop() ?? "{}") as {
      resources: { type: string; name: string; inputs: Record<string, unknown> }[];
      calls: { token: string; args: Record<string, unknown> }[];
      outputs: Record<string, unknown>;
    };
    const provider = report.resources.find((r) => r.type === "pulumi:providers:agent37");
    const instance = report.resources.find((r) => r.type === "agent37:index:Instance");
    expect(provider?.inputs).toEqual({ apiUrl: "http://127.0.0.1:1", apiKey: { [SECRET_SIG]: expect.any(String), value: "sk_test" } });
    expect(instance?.inputs).toEqual({ name: "api", idleTimeoutSeconds: 300, env: { [SECRET_SIG]: expect.any(String), value: { MODE: "test" } } });
    expect(report.calls).toEqual([{ token: "agent37:index:getTemplate", args: { name: "agent37-hermes" } }]);
    expect(report.outputs).toEqual({ instanceId: "inst_1", url: "https://api.example", defaultPort: 18789 });
  }, 120_000);

  describe("an Automation-API inline program through the pulumi CLI", () => {
    let emulator: RunningEmulator;
    beforeAll(async () => {
      onPath("pulumi", ENGINE_TOOLS);
      onPath("pulumi-resource-agent37", ENGINE_TOOLS);
      emulator = await startEmulator(FAST_EMULATOR);
    });
    afterAll(async () => {
      await emulator?.close();
    });

    it("creates one instance, reads its outputs, previews no change and destroys it", async () => {
      const { stdout } = await run(python, [path.join(PROGRAMS, "automation.py")], { env: stackEnv(emulator, dir), timeoutMs: 300_000 });
      const [up, preview, destroy] = steps(stdout);
      const outputs = up?.outputs as Record<string, string>;
      expect(up).toMatchObject({ step: "up", result: "succeeded", changes: { create: 2 } });
      expect(outputs.instanceId).toMatch(/^[a-z0-9]{10}$/);
      expect(outputs).toMatchObject({ name: "sdk-python", status: "running" });
      expect(preview).toEqual({ step: "preview", changes: { same: 2 } });
      expect(destroy).toMatchObject({ step: "destroy", result: "succeeded", changes: { delete: 2 } });
      const admin = new EmulatorAdmin(emulator.url);
      expect((await admin.instance(String(outputs.instanceId)))?.status).toBe("deleted");
      expect(await admin.live()).toEqual([]);
    }, 300_000);
  });
});
