import * as fs from "node:fs";
import * as path from "node:path";
import { startEmulator } from "../../emulator";
import { parseCli } from "../../emulator/cli";

const ROOT = path.resolve(__dirname, "..", "..");

function cliError(args: string[]): string {
  try {
    parseCli(args);
  } catch (err) {
    return (err as Error).message;
  }
  throw new Error(`parseCli accepted ${args.join(" ")}`);
}

describe("CLI errors name the flag, not the programmatic option", () => {
  it.each([
    [["--key", "sk_test_0123456789abcdef0123"], "--key must start with `sk_live_`"],
    [["--key", "sk_live_"], "--key must start with `sk_live_`"],
    [["--key", "sk_live_has space"], "--key must start with `sk_live_`"],
    [["--key", "sk_live_0123456789abcdef0123", "--key", "bad"], "--key (number 2) must start with `sk_live_`"],
    [["--port", "70000"], "--port must be an integer 0..65535"],
    [["--port", "1.5"], "--port must be an integer 0..65535"],
    [["--boot-ms=-1"], "--boot-ms must be a non-negative number"],
    [["--idle-scale", "0"], "--idle-scale must be a positive number"],
    [["--request-timeout-ms", "0"], "--request-timeout-ms must be a positive number"],
    [["--provision-ms", "soon"], '--provision-ms must be a number (got "soon")'],
  ])("%j -> %s", (args, expected) => {
    const message = cliError(args);
    expect(message).toContain(expected);
    expect(message).not.toMatch(/Emulator option|workspaces\[\]|`keys`|bootMs|idleScale|requestTimeoutMs/);
  });

  it("states the emulator's own key rule beyond the documented prefix, and never echoes the key", () => {
    const message = cliError(["--key", "sk_live_secret.value:free"]);
    expect(message).toContain("the emulator's own rule");
    expect(message).not.toContain("secret");
  });

  it("accepts any key of the documented form that fits a header: underscores, hyphens, short ones", () => {
    for (const key of ["sk_live_x", "sk_live_config_0001", "sk_live_AbC-123_xyz"]) {
      expect(parseCli(["--key", `${key}:free`])).toMatchObject({ workspaces: [{ key, topUpsMicros: 0 }] });
    }
  });

  it("the programmatic option keeps its own name", async () => {
    await expect(startEmulator({ port: 0, quiet: true, workspaces: [{ key: "sk_test_abc" }] })).rejects.toThrow("Emulator option `workspaces[].key` must start with `sk_live_`");
  });
});

describe("the keys in the README and the examples", () => {
  const files = ["README.md", "docs/emulator.md", ...fs.readdirSync(path.join(ROOT, "examples")).flatMap((ex) => ["README.md", "index.ts"].map((f) => path.join("examples", ex, f)))].filter((f) =>
    fs.existsSync(path.join(ROOT, f)),
  );
  // Full example keys (`sk_live_...` placeholders and the truncated `sk_live_Xq3...` excluded).
  const found = files.flatMap((f) => [...fs.readFileSync(path.join(ROOT, f), "utf8").matchAll(/sk_live_[A-Za-z0-9_-]{8,}/g)].map((m) => ({ file: f, key: m[0] })));

  it("are found", () => {
    expect(found.map((k) => k.file)).toEqual(expect.arrayContaining(["README.md", path.join("examples", "basic", "README.md")]));
  });

  // examples/yaml runs two workspaces (a staging provider beside the default one), so it carries
  // a second key of its own; every other file uses the one shared key.
  const SECOND_WORKSPACE = { file: path.join("examples", "yaml", "README.md"), key: "sk_live_0123456789abcdef0456" };

  it("are one and the same key, which the emulator CLI accepts (examples/yaml's second workspace aside)", () => {
    expect(found.filter((k) => k.key === SECOND_WORKSPACE.key).every((k) => k.file === SECOND_WORKSPACE.file)).toBe(true);
    expect(parseCli(["--key", SECOND_WORKSPACE.key])).toMatchObject({ workspaces: [{ key: SECOND_WORKSPACE.key }] });
    const keys = new Set(found.filter((k) => k.key !== SECOND_WORKSPACE.key).map((k) => k.key));
    expect([...keys]).toHaveLength(1);
    const [key = ""] = keys;
    expect(parseCli(["--key", key])).toMatchObject({ workspaces: [{ key }] });
  });
});
