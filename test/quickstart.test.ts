/**
 * The README's quickstart, followed on the packed tarball in a fresh folder as far as it goes
 * without the Pulumi CLI: the project `pulumi new typescript` makes, the README's `npm install`
 * of the tarball, the emulator started from that folder by the README's own `npx` command, the
 * README's program type-checked by the project's TypeScript under the template's tsconfig, and
 * its resources created through the project's own provider host against that emulator (the test
 * plays the engine). The commands and the program are read from README.md, so the two cannot drift.
 *
 * The same install proves the subpath exports resolve under every `moduleResolution` a
 * consumer may use, and a fresh install of `typescript` next to `@pulumi/pulumi` (which brings
 * the newest TypeScript the SDK's peer range admits) type-checks the consumer and the examples.
 */
import { execFile, spawn, spawnSync, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import * as semver from "semver";
import { EmulatorAdmin, Engine, REPO_ROOT, startProviderHost, type ProviderHost } from "./harness";
import { installConsumer, PLAIN_JS, type Consumer } from "./plugin/consumer";

const run = promisify(execFile);
const manifest = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "package.json"), "utf8")) as {
  version: string;
  exports: Record<string, unknown>;
  devDependencies: Record<string, string>;
};

/** The README's quickstart section and the pieces the test runs from it. */
const readme = fs.readFileSync(path.join(REPO_ROOT, "README.md"), "utf8");
const section = ((): string => {
  const start = readme.indexOf("## Quickstart");
  if (start < 0) throw new Error("README.md has no Quickstart section");
  const end = readme.indexOf("\n## ", start + 1);
  return readme.slice(start, end < 0 ? undefined : end);
})();

function line(pattern: RegExp, what: string): RegExpMatchArray {
  const m = section.match(pattern);
  if (m === null) throw new Error(`README quickstart: no ${what} (${String(pattern)})`);
  return m;
}

const installLine = line(/^\s*npm install (\.\/pulumi-agent37-\S+\.tgz) (@pulumi\/pulumi)\s*$/m, "npm install of the tarball");
const emulatorLine = line(/^\s*(npx --yes --package=(\S+) agent37-emulator [^\n#]*?)\s*$/m, "npx command for the emulator");
const apiKey = line(/pulumi config set --secret agent37:apiKey (sk_live_\w+)/, "emulator key")[1] as string;
const apiUrl = line(/pulumi config set agent37:apiUrl (\S+)/, "apiUrl")[1] as string;
const program = ((): string => {
  const m = line(/^( *)```ts\n([\s\S]*?)^\1```/m, "TypeScript program");
  const indent = (m[1] as string).length;
  return (m[2] as string)
    .split("\n")
    .map((l) => l.slice(Math.min(indent, l.length - l.trimStart().length)))
    .join("\n");
})();

/** Pulumi's `typescript` template, as `pulumi new typescript --generate-only` writes it. */
const TEMPLATE_TSCONFIG = {
  compilerOptions: {
    strict: true,
    outDir: "bin",
    target: "es2020",
    module: "commonjs",
    moduleResolution: "node",
    sourceMap: true,
    experimentalDecorators: true,
    pretty: true,
    noFallthroughCasesInSwitch: true,
    noImplicitReturns: true,
    forceConsistentCasingInFileNames: true,
  },
  files: ["index.ts"],
};

/**
 * Run inside the project: the program, compiled by the project's TypeScript, under the project's
 * own @pulumi/pulumi mocks, as `pulumi up` would run it; prints its dynamic resources' inputs in
 * the form the engine sends them to the provider host (secrets as plaintext).
 */
const RUN_JS = `
const fs = require("node:fs");
const ts = require("typescript");
const pulumi = require("@pulumi/pulumi");
${PLAIN_JS}
const registered = [];
pulumi.runtime.setMocks(
  {
    newResource(args) {
      if (args.type.startsWith("pulumi-nodejs:dynamic/")) registered.push({ type: args.type, name: args.name, inputs: plain(args.inputs) });
      return { id: args.name + "-id", state: args.inputs };
    },
    call(args) { throw new Error("no function " + args.token); },
  },
  "my-agents", "dev", false,
);
const { outputText } = ts.transpileModule(fs.readFileSync("index.ts", "utf8"), { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2020 } });
fs.writeFileSync("index.js", outputText);
const exported = require("./index.js");
Promise.all(Object.values(exported).map((v) => new Promise((resolve) => pulumi.output(v).apply(resolve))))
  .then(() => process.stdout.write(JSON.stringify(registered)));
`;

let consumer: Consumer | undefined;
let project: string;
let tarball: string;
let emulator: ChildProcess | undefined;
let emulatorUrl: string;
let host: ProviderHost | undefined;
let latestTs: string | undefined;

/** The project's own tsc, or another's, on a tsconfig; resolves with its output and exit code. */
async function tsc(tsDir: string, cwd: string, args: string[]): Promise<{ code: number; out: string }> {
  try {
    const { stdout } = await run(process.execPath, [path.join(tsDir, "node_modules", "typescript", "bin", "tsc"), ...args], { cwd });
    return { code: 0, out: stdout };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: e.code ?? 1, out: `${e.stdout ?? ""}${e.stderr ?? ""}` };
  }
}

/** Starts the README's emulator command in the project folder; resolves with the URL it prints. */
function startEmulatorFromReadme(): Promise<string> {
  // The README's command as written, on a free port instead of the default 4737.
  const argv = [...(emulatorLine[1] as string).split(/\s+/).slice(1), "--port", "0"];
  const child = spawn("npx", argv, {
    cwd: project,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, npm_config_prefer_offline: "true", npm_config_update_notifier: "false", npm_config_audit: "false", npm_config_fund: "false" },
  });
  emulator = child;
  return new Promise((resolve, reject) => {
    let out = "";
    const onData = (chunk: Buffer): void => {
      out += chunk.toString();
      const m = out.match(/listening on (http:\/\/\S+)/);
      if (m !== null) resolve(m[1] as string);
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    child.on("exit", (code) => reject(new Error(`the emulator exited (${code}) before listening:\n${out}`)));
  });
}

beforeAll(async () => {
  const sdk = manifest.devDependencies["@pulumi/pulumi"] as string;
  consumer = installConsumer({
    // What `pulumi new typescript` leaves; the versions are this repository's, which npm has cached.
    manifest: {
      name: "my-agents",
      main: "index.ts",
      devDependencies: { "@types/node": manifest.devDependencies["@types/node"], typescript: manifest.devDependencies.typescript },
      dependencies: {},
    },
    // The README's install, with the newest @pulumi/pulumi pinned to the release this repository tests.
    packages: (file) => {
      tarball = file;
      return [installLine[1] as string, `${installLine[2] as string}@${sdk}`];
    },
  });
  project = consumer.dir;
  // The template's tsconfig as it is: no skipLibCheck (test/consumer-types.test.ts checks more).
  expect(section).not.toContain("skipLibCheck");
  fs.writeFileSync(path.join(project, "tsconfig.json"), JSON.stringify(TEMPLATE_TSCONFIG, null, 2));
  fs.writeFileSync(path.join(project, "index.ts"), program);
  fs.writeFileSync(path.join(project, "run.js"), RUN_JS);
  emulatorUrl = await startEmulatorFromReadme();
  host = await startProviderHost({ cwd: project });
  await host.configure({ "agent37:apiKey": apiKey, "agent37:apiUrl": emulatorUrl });
}, 300_000);

afterAll(async () => {
  await host?.close();
  if (emulator?.pid !== undefined && emulator.exitCode === null) {
    const exited = new Promise((resolve) => emulator?.once("exit", resolve));
    process.kill(-emulator.pid, "SIGTERM");
    await exited;
  }
  consumer?.remove();
  if (latestTs !== undefined) fs.rmSync(latestTs, { recursive: true, force: true });
});

describe("the README quickstart on the packed tarball, in a fresh folder", () => {
  it("installs the tarball the README names, with the project's own @pulumi/pulumi", () => {
    expect(installLine[1]).toBe(`./${tarball}`);
    expect(tarball).toBe(`pulumi-agent37-${manifest.version}.tgz`);
    const installed = JSON.parse(fs.readFileSync(path.join(project, "node_modules", "pulumi-agent37", "package.json"), "utf8")) as { version: string };
    expect(installed.version).toBe(manifest.version);
    expect(fs.lstatSync(path.join(project, "node_modules", "pulumi-agent37")).isSymbolicLink()).toBe(false);
  });

  it("starts the emulator from that folder with the README's npx command", async () => {
    expect(emulatorLine[2]).toBe(installLine[1]);
    expect(apiUrl).toBe("http://127.0.0.1:4737");
    const res = await fetch(`${emulatorUrl}/v1/instances`, { headers: { authorization: `Bearer ${apiKey}` } });
    expect(res.status).toBe(200);
  });

  it("type-checks the README's program under Pulumi's TypeScript template (moduleResolution node)", async () => {
    const result = await tsc(project, project, ["-p", ".", "--noEmit"]);
    expect(result).toEqual({ code: 0, out: "" });
  });

  it("creates the program's instance through the project's provider host against that emulator", async () => {
    const { stdout } = await run(process.execPath, ["run.js"], { cwd: project });
    const registered = JSON.parse(stdout) as { type: string; name: string; inputs: Record<string, unknown> }[];
    expect(registered.map((r) => [r.type, r.name])).toEqual([["pulumi-nodejs:dynamic/agent37:Instance", "support-bot"]]);
    const engine = new Engine(host as ProviderHost, { project: "my-agents", stack: "dev" });
    const admin = new EmulatorAdmin(emulatorUrl);
    for (const r of registered) {
      const created = await engine.register(r.type, r.name, r.inputs as never);
      expect(created.op).toBe("create");
      const live = await admin.instance(created.id);
      expect(live).toMatchObject({ status: "running", name: "support-bot", template: "agent37-hermes" });
      // What `pulumi stack output url` prints.
      expect(created.outputs).toMatchObject({ instanceId: created.id, url: live?.url, status: "running" });
    }
    await engine.destroy();
    expect(await admin.instances()).toEqual([expect.objectContaining({ status: "deleted" })]);
    expect(host?.output().stderr).not.toContain(apiKey);
  });
});

/** A consumer file importing every subpath the package exports. */
function consumerSource(): string {
  const subpaths = Object.keys(manifest.exports).filter((k) => k !== "./package.json");
  const imports = subpaths.map((k, i) => `import * as m${i} from "pulumi-agent37${k.slice(1)}";`);
  return `${imports.join("\n")}\nexport const all: unknown[] = [${subpaths.map((_, i) => `m${i}`).join(", ")}];\n`;
}

const RESOLUTIONS: [string, Record<string, string>][] = [
  ["node", { module: "commonjs", moduleResolution: "node" }],
  ["node16", { module: "node16", moduleResolution: "node16" }],
  ["nodenext", { module: "nodenext", moduleResolution: "nodenext" }],
  ["bundler", { module: "esnext", moduleResolution: "bundler" }],
];

function writeCheck(dir: string, name: string, options: Record<string, string>, source: string): string {
  const folder = path.join(dir, `resolve-${name}`);
  fs.mkdirSync(folder, { recursive: true });
  fs.writeFileSync(path.join(folder, "consumer.ts"), source);
  fs.writeFileSync(path.join(folder, "tsconfig.json"), JSON.stringify({ compilerOptions: { strict: true, noEmit: true, skipLibCheck: true, target: "es2022", types: ["node"], ...options }, files: ["consumer.ts"] }));
  return folder;
}

describe("every subpath export resolves under every moduleResolution", () => {
  it("exports pulumi-agent37 and pulumi-agent37/emulator, each with types for node10 too", () => {
    const source = consumerSource();
    expect(source).toContain('from "pulumi-agent37"');
    expect(source).toContain('from "pulumi-agent37/emulator"');
  });

  it.each(RESOLUTIONS)("type-checks a consumer of every subpath under moduleResolution %s", async (name, options) => {
    const folder = writeCheck(project, name, options, consumerSource());
    expect(await tsc(project, folder, ["-p", "."])).toEqual({ code: 0, out: "" });
  });

  it("fails that check for a subpath the package does not export", async () => {
    const folder = writeCheck(project, "missing", { module: "commonjs", moduleResolution: "node" }, 'import * as m from "pulumi-agent37/nope";\nexport const x = m;\n');
    const result = await tsc(project, folder, ["-p", "."]);
    expect(result.code).not.toBe(0);
    expect(result.out).toContain("TS2307");
  });
});

describe("the TypeScript a fresh install next to the newest @pulumi/pulumi brings", () => {
  beforeAll(() => {
    latestTs = fs.mkdtempSync(path.join(os.tmpdir(), "agent37-latest-ts-"));
    fs.writeFileSync(path.join(latestTs, "package.json"), JSON.stringify({ name: "fresh", private: true }));
    // No version: npm picks the newest typescript that @pulumi/pulumi's peer range admits.
    const args = ["install", "--prefer-offline", "--no-audit", "--no-fund", "--ignore-scripts", `@pulumi/pulumi@${manifest.devDependencies["@pulumi/pulumi"] as string}`, "typescript"];
    const npm = spawnSync("npm", args, { cwd: latestTs, encoding: "utf8", env: { ...process.env, npm_config_update_notifier: "false" } });
    if (npm.status !== 0) throw new Error(`npm install typescript failed: ${npm.stderr}`);
  }, 180_000);

  it("is the newest release in @pulumi/pulumi's typescript peer range", () => {
    const ts = (JSON.parse(fs.readFileSync(path.join(latestTs as string, "node_modules", "typescript", "package.json"), "utf8")) as { version: string }).version;
    const sdk = JSON.parse(fs.readFileSync(path.join(latestTs as string, "node_modules", "@pulumi", "pulumi", "package.json"), "utf8")) as { peerDependencies: Record<string, string> };
    expect(semver.satisfies(ts, sdk.peerDependencies.typescript as string)).toBe(true);
    expect(semver.gte(ts, manifest.devDependencies.typescript as string)).toBe(true);
  });

  it.each(RESOLUTIONS.filter(([name]) => name !== "node"))("type-checks the consumer under moduleResolution %s", async (name, options) => {
    const folder = writeCheck(project, `latest-${name}`, options, consumerSource());
    expect(await tsc(latestTs as string, folder, ["-p", "."])).toEqual({ code: 0, out: "" });
  });

  it.each(fs.readdirSync(path.join(REPO_ROOT, "examples")).filter((e) => fs.existsSync(path.join(REPO_ROOT, "examples", e, "tsconfig.json"))))(
    "type-checks examples/%s with its own tsconfig",
    async (example) => {
      expect(await tsc(latestTs as string, path.join(REPO_ROOT, "examples", example), ["-p", ".", "--noEmit"])).toEqual({ code: 0, out: "" });
    },
  );
});

