/**
 * The generated Node SDK (sdk/nodejs, package `@pulumi-agent37/agent37`) as committed: it
 * compiles with its own tsconfig against the project's @pulumi/pulumi and TypeScript, and under
 * Pulumi's mocks registers the schema's tokens and inputs, secrets marked.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

const REPO = path.resolve(__dirname, "..", "..");
let dir: string;

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "agent37-sdk-nodejs-"));
  fs.cpSync(path.join(REPO, "sdk", "nodejs"), dir, { recursive: true });
  fs.symlinkSync(path.join(REPO, "node_modules"), path.join(dir, "node_modules"));
}, 60_000);
afterAll(() => {
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

describe("the generated Node SDK", () => {
  it("is named apart from this package, whose folder holds the plugin", () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8")) as { name: string; pulumi: { name: string } };
    expect(manifest.name).toBe("@pulumi-agent37/agent37");
    expect(manifest.pulumi.name).toBe("agent37");
  });

  it("compiles, and registers the schema's tokens and inputs under Pulumi's mocks", () => {
    execFileSync(process.execPath, [require.resolve("typescript/bin/tsc"), "-p", dir], { stdio: "pipe" });
    // The package is published from bin/, with its package.json beside the code (utilities.ts
    // reads its version from there), as Pulumi's provider builds lay it out.
    fs.copyFileSync(path.join(dir, "package.json"), path.join(dir, "bin", "package.json"));
    const script = `
      const pulumi = require("@pulumi/pulumi");
      const seen = [];
      pulumi.runtime.setMocks({
        newResource: (a) => { seen.push({ type: a.type, inputs: a.inputs }); return { id: a.name + "-id", state: { ...a.inputs, instanceId: "inst_1" } }; },
        call: (a) => ({ name: a.inputs.name, defaultPort: 18789 }),
      }, "project", "stack", false);
      const agent37 = require("./bin");
      const staging = new agent37.Provider("staging", { apiUrl: "http://127.0.0.1:1", apiKey: "sk_test" });
      const api = new agent37.Instance("api", { name: "api", idleTimeoutSeconds: 300 }, { provider: staging });
      pulumi.all([api.instanceId, agent37.getTemplateOutput({ name: "agent37-hermes" }).defaultPort]).apply(([id, port]) => {
        process.stdout.write(JSON.stringify({ seen, id, port }));
      });
    `;
    const out = JSON.parse(execFileSync(process.execPath, ["-e", script], { cwd: dir, encoding: "utf8" })) as {
      seen: { type: string; inputs: Record<string, unknown> }[];
      id: string;
      port: number;
    };
    expect(out.seen.map((r) => r.type).sort()).toEqual(["agent37:index:Instance", "pulumi:providers:agent37"]);
    expect(out.seen.find((r) => r.type === "agent37:index:Instance")?.inputs).toEqual({ name: "api", idleTimeoutSeconds: 300 });
    expect(out.seen.find((r) => r.type === "pulumi:providers:agent37")?.inputs).toMatchObject({ apiUrl: "http://127.0.0.1:1" });
    expect(out).toMatchObject({ id: "inst_1", port: 18789 });
  }, 120_000);
});
