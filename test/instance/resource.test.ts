// The resource class and its serialized provider, as Pulumi stores it in state. Loads the
// package by its name (the built output), exactly as a user's program does.
import { spawn } from "node:child_process";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { createKeyOf } from "../../provider/core/create-key";
import { EmulatorFixture, type Json } from "../harness/emulator-fixture";

const ROOT = path.resolve(__dirname, "..", "..");
const KEY_IN_ENV = "sk_live_serializationprobe0123456789";

interface Captured {
  type: string;
  inputs: Json;
}

let captured: Captured[] = [];
// eslint-disable-next-line @typescript-eslint/no-require-imports
const pkg = () => require("pulumi-agent37") as typeof import("../../provider");

beforeAll(() => {
  pulumi.runtime.setMocks(
    {
      newResource: (args) => {
        captured.push({ type: args.type, inputs: args.inputs });
        return { id: "ab12cd34ef", state: { ...args.inputs, portUrls: { "3737": "https://ab12cd34ef.agent37.app", "9119": "https://ab12cd34ef-9119.agent37.app" } } };
      },
      call: () => ({}),
    },
    "proj",
    "stack",
    false,
  );
});

beforeEach(() => {
  captured = [];
});

async function declare(args: Json = {}): Promise<{ res: Json; provider: string; inputs: Json }> {
  const res = new (pkg().Agent37Instance)("bot", args);
  await new Promise((resolve) => res.urn.apply(resolve));
  const last = captured[captured.length - 1] as Captured;
  return { res, provider: last.inputs.__provider as string, inputs: last.inputs };
}

const value = <T>(o: pulumi.Output<T>) => new Promise<T>((resolve) => o.apply(resolve));

function runNode(script: string, env: NodeJS.ProcessEnv): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["-e", script], { cwd: ROOT, env: { PATH: process.env.PATH, ...env }, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

describe("Agent37Instance resource class", () => {
  it("registers under the fixed type token", async () => {
    await declare();
    expect(captured[0]?.type).toBe("pulumi-nodejs:dynamic/agent37:Instance");
  });

  it("passes env as a secret input", async () => {
    const { inputs } = await declare({ env: { TOKEN: "t" } });
    expect(inputs.env).toEqual({ "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", value: { TOKEN: "t" } });
  });

  it("exposes env as a secret output", async () => {
    const { res } = await declare({ env: { TOKEN: "t" } });
    expect(await (res.env as Json).isSecret).toBe(true);
  });

  it("urlForPort returns the port's URL, and an empty string for a port not exposed", async () => {
    const { res } = await declare();
    expect(await value(res.urlForPort(9119))).toBe("https://ab12cd34ef-9119.agent37.app");
    expect(await value(res.urlForPort(7681))).toBe("");
  });
});

describe("serialized provider (__provider in state)", () => {
  it("stays under 2 KB", async () => {
    const { provider } = await declare();
    expect(Buffer.byteLength(provider, "utf8")).toBeLessThan(2048);
  });

  it("captures no key, no config and no client, even with a key in the environment and a configured provider", async () => {
    process.env.AGENT37_API_KEY = KEY_IN_ENV;
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const dyn = require("pulumi-agent37/dynamic");
      await dyn.instanceProvider().configure({ config: { get: (k: string) => (k === "agent37:apiKey" ? KEY_IN_ENV : undefined) } });
      const { provider } = await declare({ name: "x" });
      expect(provider).not.toContain(KEY_IN_ENV);
      expect(provider).not.toMatch(/sk_live_|undici|Agent37Client|apiUrl|agent37\.com/);
      expect(provider).toContain('require("pulumi-agent37/dynamic")');
    } finally {
      delete process.env.AGENT37_API_KEY;
    }
  });

  it("loads in a clean node process and delegates to the package's implementation once configured, as the host does", async () => {
    const { provider } = await declare();
    const script = `
      const p = require("require-from-string")(process.env.PROVIDER_TEXT).handler();
      if (p.check !== undefined) throw new Error("methods exist before configure");
      Promise.resolve(p.configure({ config: { get: () => undefined } }))
        .then(() => p.check({}, { name: "x".repeat(61) }))
        .then((r) => console.log(JSON.stringify(r.failures)));`;
    const r = await runNode(script, { PROVIDER_TEXT: provider });
    expect(r.stderr).toBe("");
    expect(JSON.parse(r.stdout)).toEqual([{ property: "name", reason: "name is at most 60 characters" }]);
  });

  describe("against the emulator", () => {
    let fx: EmulatorFixture;
    beforeAll(async () => {
      fx = await EmulatorFixture.start();
    });
    afterAll(async () => fx.close());

    it("configured like the provider host, creates and deletes from a clean process", async () => {
      const { provider } = await declare();
      const script = `
        const p = require("require-from-string")(process.env.PROVIDER_TEXT).handler();
        const cfg = { "agent37:apiKey": process.env.K, "agent37:apiUrl": process.env.U };
        (async () => {
          await p.configure({ config: { get: (k) => cfg[k], require: (k) => cfg[k] } });
          const c = await p.create({ name: "clean-process", health: { disabled: true } });
          await p.delete(c.id, c.outs);
          console.log(JSON.stringify({ id: c.id, name: c.outs.name }));
        })().catch((e) => { console.error(e.message); process.exit(1); });`;
      const r = await runNode(script, { PROVIDER_TEXT: provider, K: fx.key, U: fx.emu.url });
      expect(r.stderr).toBe("");
      const out = JSON.parse(r.stdout);
      expect(out.name).toBe("clean-process");
      const record = (await fx.instances()).find((i: Json) => i.id === out.id);
      expect(record.status).toBe("deleted");
    });
  });
});

describe("Agent37Instance's create scope (docs/reliability.md, the ambiguity rule, step 9)", () => {
  const mocks: pulumi.runtime.Mocks = {
    newResource: (args) => {
      captured.push({ type: args.type, inputs: args.inputs });
      return { id: "ab12cd34ef", state: args.inputs };
    },
    call: () => ({}),
  };

  afterAll(async () => {
    await pulumi.runtime.setMocks(mocks, "proj", "stack", false);
  });

  it("sends the organization when the backend has one, and nothing for a file backend's fixed `organization`", async () => {
    await pulumi.runtime.setMocks(mocks, "proj", "stack", false, "acme");
    const inOrg = await declare({ name: "bot" });
    expect(inOrg.inputs.createScope).toBe("organization:acme");
    // The create key itself is the one 0.1.0 derived (project, stack, type, name): state keeps matching.
    expect(inOrg.inputs.createKey).toBe(createKeyOf({ project: "proj", stack: "stack", name: "bot" }));
    await pulumi.runtime.setMocks(mocks, "proj", "stack", false, "organization");
    const inFile = await declare({ name: "bot" });
    expect(inFile.inputs).not.toHaveProperty("createScope");
    expect(inFile.inputs.createKey).toBe(inOrg.inputs.createKey);
  });
});
