// The package under an unsupported Node: every entry point fails at once with one line that says
// what to install, before undici or zod is loaded; and the repository's `prepare` script makes the
// npm scripts run on a supported Node when the machine's is older. Runs a real Node 20: the first
// one on PATH (or in the usual places), else Node 20.20.2 fetched from the npm registry.
import { execFileSync, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { SUPPORTED_NODE, unsupportedNode } from "../provider/core/node-support";

const root = path.resolve(__dirname, "..");
// eslint-disable-next-line @typescript-eslint/no-require-imports -- plain CommonJS, run by npm before any build
const prepare = require("../scripts/supported-node.js") as { fetchNode(version: string, dir: string): string; PINNED: string };

function versionOf(bin: string): string | undefined {
  try {
    return execFileSync(bin, ["--version"], { encoding: "utf8", timeout: 10_000 }).trim().replace(/^v/, "");
  } catch {
    return undefined;
  }
}

/** A Node 20 binary: from PATH or the usual install places, else fetched once into the OS temp folder. */
function node20(): { bin: string; version: string } {
  const dirs = [...(process.env.PATH ?? "").split(path.delimiter), "/usr/bin", "/usr/local/bin", "/bin"];
  for (const dir of dirs) {
    const bin = path.join(dir, "node");
    if (!dir || !fs.existsSync(bin)) continue;
    const version = versionOf(bin);
    if (version?.startsWith("20.")) return { bin, version };
  }
  // Not on this machine: fetch the last Node 20 the same way the prepare script fetches 22.
  const bin = prepare.fetchNode("20.20.2", path.join(os.tmpdir(), "pulumi-agent37-test-node"));
  const version = versionOf(bin);
  if (!version?.startsWith("20.")) throw new Error(`fetched Node 20 at ${bin} does not run (version ${String(version)})`);
  return { bin, version };
}

const old = node20();
const expected = `pulumi-agent37 needs Node.js 22.19+ or 24 (this is ${old.version})`;

function run(args: string[], cwd = root): { status: number | null; stdout: string; stderr: string; ms: number } {
  const started = Date.now();
  const r = spawnSync(old.bin, args, { cwd, encoding: "utf8", timeout: 20_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, ms: Date.now() - started };
}

describe("which Node the package accepts", () => {
  it("accepts 22.19 and later, refuses anything older with the one-line message", () => {
    expect(SUPPORTED_NODE).toBe("22.19+ or 24");
    for (const v of ["22.19.0", "22.23.5", "24.0.0", "24.11.1", "26.1.0"]) expect(unsupportedNode(v)).toBeUndefined();
    expect(unsupportedNode("22.18.9")).toBe("pulumi-agent37 needs Node.js 22.19+ or 24 (this is 22.18.9)");
    expect(unsupportedNode("20.20.2")).toBe("pulumi-agent37 needs Node.js 22.19+ or 24 (this is 20.20.2)");
    expect(unsupportedNode("18.0.0")).toBe("pulumi-agent37 needs Node.js 22.19+ or 24 (this is 18.0.0)");
    expect(unsupportedNode()).toBeUndefined();
  });
});

describe(`the package loaded under Node ${old.version}`, () => {
  // What a program does (`import ... from "pulumi-agent37"`), what the dynamic provider host does
  // (`require("pulumi-agent37/dynamic")` from the serialized provider), and the emulator's library.
  it.each(["pulumi-agent37", "pulumi-agent37/dynamic", "pulumi-agent37/emulator"])("require(%s) throws the message before loading a dependency", (entry) => {
    const probe = `
      try { require(${JSON.stringify(entry)}); console.log(JSON.stringify({ loaded: true })); }
      catch (e) {
        const deps = Object.keys(require.cache).filter((k) => /node_modules[\\\\/](undici|zod|@pulumi)[\\\\/]/.test(k));
        console.log(JSON.stringify({ message: e.message, deps }));
      }`;
    const r = run(["-e", probe]);
    expect(r.stderr).toBe("");
    expect(JSON.parse(r.stdout)).toEqual({ message: expected, deps: [] });
  });

  it.each([
    ["the emulator CLI", ["dist/emulator/cli.js", "--port", "0"]],
    ["the provider plugin", ["dist/provider/front/plugin/main.js", "127.0.0.1:1"]],
    // What the engine starts: the executable, which runs the bundle (scripts/bundle.js).
    ["the provider plugin's executable", ["plugin/pulumi-resource-agent37", "127.0.0.1:1"]],
  ])("%s prints the one line and exits 1 at once", (_what, args) => {
    const r = run(args);
    expect(r.status).toBe(1);
    expect(r.stderr).toBe(`${expected}\n`);
    expect(r.stdout).toBe("");
    expect(r.ms).toBeLessThan(5_000);
  });
});

describe("the repository's prepare script (npm ci runs it)", () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "agent37-prepare-"));
    fs.mkdirSync(path.join(dir, "scripts"));
    fs.copyFileSync(path.join(root, "scripts", "supported-node.js"), path.join(dir, "scripts", "supported-node.js"));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it(`under Node ${old.version} links node_modules/.bin/node to a fetched Node ${prepare.PINNED}`, () => {
    const r = run(["scripts/supported-node.js"], dir);
    expect(r.status).toBe(0);
    expect(r.stderr).toContain(`the npm scripts here run on Node ${prepare.PINNED}`);
    const link = path.join(dir, "node_modules", ".bin", "node");
    expect(fs.lstatSync(link).isSymbolicLink()).toBe(true);
    // Relative, so the clone can move.
    expect(path.isAbsolute(fs.readlinkSync(link))).toBe(false);
    expect(versionOf(link)).toBe(prepare.PINNED);
  });

  it("under a supported Node does nothing, and keeps a link an older Node's install made (npm pack runs prepare too)", () => {
    const bin = path.join(dir, "node_modules", ".bin");
    fs.mkdirSync(bin, { recursive: true });
    fs.symlinkSync(process.execPath, path.join(bin, "node"));
    const r = spawnSync(process.execPath, ["scripts/supported-node.js"], { cwd: dir, encoding: "utf8" });
    expect(r.status).toBe(0);
    expect(r.stderr).toBe("");
    expect(fs.readlinkSync(path.join(bin, "node"))).toBe(process.execPath);
    expect(fs.existsSync(path.join(dir, "node_modules", ".cache"))).toBe(false);
  });

  it("is left out of the packed package.json, which has no install script for a consumer's npm to list", () => {
    // In a copy of the manifest and its pack hooks, so the repository's package.json is untouched.
    const project = fs.mkdtempSync(path.join(os.tmpdir(), "agent37-pack-"));
    try {
      fs.mkdirSync(path.join(project, "scripts"));
      fs.copyFileSync(path.join(root, "scripts", "pack-manifest.js"), path.join(project, "scripts", "pack-manifest.js"));
      const original = fs.readFileSync(path.join(root, "package.json"), "utf8");
      const pkg = JSON.parse(original) as { scripts: Record<string, string>; files: string[] };
      // Only what the hooks need; the manifest is the repository's otherwise.
      fs.writeFileSync(path.join(project, "package.json"), JSON.stringify({ ...pkg, files: ["README.md"] }, null, 2));
      fs.writeFileSync(path.join(project, "README.md"), "readme\n");
      const before = fs.readFileSync(path.join(project, "package.json"), "utf8");
      // npm runs prepack (which trims the manifest) and postpack (which restores it).
      const r = spawnSync("npm", ["pack", "--silent", "--ignore-scripts=false"], { cwd: project, encoding: "utf8" });
      expect(r.status).toBe(0);
      const tgz = fs.readdirSync(project).find((f) => f.endsWith(".tgz"));
      expect(tgz).toBeDefined();
      const manifest = JSON.parse(execFileSync("tar", ["-xzOf", path.join(project, tgz!), "package/package.json"], { encoding: "utf8" })) as { scripts: Record<string, string> };
      for (const hook of ["prepare", "preinstall", "install", "postinstall"]) expect(manifest.scripts[hook]).toBeUndefined();
      expect(manifest.scripts.build).toBe(pkg.scripts.build);
      expect(fs.readFileSync(path.join(project, "package.json"), "utf8")).toBe(before);
      expect(fs.readdirSync(project).sort()).toEqual(["README.md", "package.json", "scripts", tgz!].sort());
    } finally {
      fs.rmSync(project, { recursive: true, force: true });
    }
  });

  it("is the repository's prepare script, which a published package never runs", () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8")) as { scripts: Record<string, string>; files: string[] };
    expect(pkg.scripts.prepare).toBe("node scripts/supported-node.js");
    expect(pkg.scripts.postinstall).toBeUndefined();
    expect(pkg.scripts.install).toBeUndefined();
    expect(pkg.scripts.preinstall).toBeUndefined();
  });
});
