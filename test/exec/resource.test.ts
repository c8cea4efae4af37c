// The Agent37Exec resource class as a program declares it, and the provider Pulumi stores for it
// in state. Loads the package by its name (the built output), as a user's program does.
import { captureInputs, PROVIDER_KEY, runUnderMocks, secretEnvelope } from "../harness";

const SECRET = "s3cr3t-probe-value-7781";
const KEY_IN_ENV = "sk_live_execserializationprobe01234567";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const pkg = () => require("pulumi-agent37") as typeof import("../../provider");

const declare = () => {
  const exec = new (pkg().Agent37Exec)("seed", {
    instanceId: "ab12cd34ef",
    create: "echo hi",
    environment: { TOKEN: SECRET },
  });
  return { environmentIsSecret: exec.environment.isSecret };
};

describe("Agent37Exec resource class", () => {
  it("registers under the type token pulumi-nodejs:dynamic/agent37:Exec", async () => {
    const types: string[] = [];
    await runUnderMocks(declare, async (args) => {
      types.push(args.type);
      return { id: "x", state: args.inputs };
    });
    expect(types).toContain("pulumi-nodejs:dynamic/agent37:Exec");
  });

  it("sends environment as a secret input and exposes it as a secret output", async () => {
    let environment: unknown;
    const exports = await runUnderMocks(
      () => ({ isSecret: declare().environmentIsSecret }),
      async (args) => {
        if (args.type.endsWith(":Exec")) environment = args.inputs.environment;
        return { id: "x", state: args.inputs };
      },
    );
    expect(environment).toEqual(secretEnvelope({ TOKEN: SECRET }));
    expect(exports.isSecret).toBe(true);
  });
});

describe("the serialized Agent37Exec provider (__provider in state)", () => {
  it("stays under 2 KB and loads the exec implementation by package name", async () => {
    const provider = (await captureInputs(declare))[PROVIDER_KEY] as string;
    expect(Buffer.byteLength(provider, "utf8")).toBeLessThan(2048);
    expect(provider).toContain('require("pulumi-agent37/dynamic")');
    expect(provider).toContain('entry: "execProvider"');
  });

  it("captures no environment value and no key, even with a key in the process environment", async () => {
    process.env.AGENT37_API_KEY = KEY_IN_ENV;
    try {
      const provider = (await captureInputs(declare))[PROVIDER_KEY] as string;
      expect(provider).not.toContain(SECRET);
      expect(provider).not.toContain(KEY_IN_ENV);
      expect(provider).not.toContain("Agent37Client");
    } finally {
      delete process.env.AGENT37_API_KEY;
    }
  });
});
