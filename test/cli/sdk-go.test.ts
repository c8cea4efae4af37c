/**
 * The generated Go SDK (sdk/go) as committed: it builds and vets with its own go.mod and go.sum,
 * registers what the schema says under Pulumi's mocks (test/cli/sdk/go/sdk_test.go), and an
 * Automation-API inline program on it (test/cli/sdk/go/main.go) takes one instance through up,
 * outputs, a no-change preview and destroy against the emulator, through the `pulumi` CLI and
 * the executable plugin on PATH. Needs go and the Go module proxy (or a warm module cache), and
 * for the last test the engine leg's tools.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { startEmulator, type RunningEmulator } from "pulumi-agent37/emulator";
import { EmulatorAdmin } from "../harness";
import { ENGINE_TOOLS, FAST_EMULATOR, onPath, REPO, run, stackEnv, steps, tempDir } from "./sdk-run";

const SDK = path.join(REPO, "sdk", "go");
const PROGRAMS = path.join(__dirname, "sdk", "go");
// go.mod and go.sum are committed: a build that would change them fails instead.
const GO_ENV = { ...process.env, GOFLAGS: "-mod=readonly" };

let dir: string;
beforeAll(() => {
  dir = tempDir("agent37-sdk-go-");
});
afterAll(() => {
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

describe("the generated Go SDK", () => {
  it("is the module its import path names, and builds and vets as committed", async () => {
    expect(fs.readFileSync(path.join(SDK, "go.mod"), "utf8")).toMatch(/^module github\.com\/pulumi-agent37\/pulumi-agent37\/sdk\/go$/m);
    await run("go", ["build", "./..."], { cwd: SDK, env: GO_ENV });
    await run("go", ["vet", "./..."], { cwd: SDK, env: GO_ENV });
  }, 900_000);

  it("registers the schema's tokens and inputs, secrets marked, under Pulumi's mocks", async () => {
    const { stdout } = await run("go", ["test", "-count=1", "-v", "./..."], { cwd: PROGRAMS, env: GO_ENV });
    expect(stdout).toMatch(/^--- PASS: TestRegistrations/m);
  }, 900_000);

  describe("an Automation-API inline program through the pulumi CLI", () => {
    let emulator: RunningEmulator;
    let program: string;
    beforeAll(async () => {
      onPath("pulumi", ENGINE_TOOLS);
      onPath("pulumi-resource-agent37", ENGINE_TOOLS);
      program = path.join(dir, "sdk-go-automation");
      await run("go", ["build", "-o", program, "."], { cwd: PROGRAMS, env: GO_ENV });
      emulator = await startEmulator(FAST_EMULATOR);
    }, 900_000);
    afterAll(async () => {
      await emulator?.close();
    });

    it("creates one instance, reads its outputs, previews no change and destroys it", async () => {
      const { stdout } = await run(program, [], { env: stackEnv(emulator, dir), timeoutMs: 300_000 });
      const [up, preview, destroy] = steps(stdout);
      const outputs = up?.outputs as Record<string, string>;
      expect(up).toMatchObject({ step: "up", result: "succeeded", changes: { create: 2 } });
      expect(outputs.instanceId).toMatch(/^[a-z0-9]{10}$/);
      expect(outputs).toMatchObject({ name: "sdk-go", status: "running" });
      expect(preview).toEqual({ step: "preview", changes: { same: 2 } });
      expect(destroy).toMatchObject({ step: "destroy", result: "succeeded", changes: { delete: 2 } });
      const admin = new EmulatorAdmin(emulator.url);
      expect((await admin.instance(String(outputs.instanceId)))?.status).toBe("deleted");
      expect(await admin.live()).toEqual([]);
    }, 300_000);
  });
});
