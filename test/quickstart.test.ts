/**
 * The README's quickstart, followed as written as far as it goes without the Pulumi CLI, from a
 * clone whose folder is not named `pulumi-agent37`: step 1's `npm pack` line (its `npm ci && npm
 * run build` is what `npm test` has just done) into `TARBALL`, step 2's folder and the three
 * template files it gives inline, step 3's `npm install "$TARBALL" @pulumi/pulumi`, step 4's
 * program and `npx tsc --noEmit` under the template's tsconfig as it is, step 5's emulator
 * command in that folder, and the program's resources created through the project's own provider
 * host against that emulator (the test plays the engine). The commands, files and program are
 * read from README.md, so the two cannot drift.
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
import { PLAIN_JS } from "./plugin/consumer";

const run = promisify(execFile);
const manifest = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "package.json"), "utf8")) as {
  version: string;
  exports: Record<string, unknown>;
  devDependencies: Record<string, string>;
  peerDependencies: Record<string, string>;
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

/** The shell lines of the quickstart's code blocks of one language, in order, with their indent removed. */
function blocks(lang: string): string[] {
  return [...section.matchAll(new RegExp(`^( *)\`\`\`${lang}\\n([\\s\\S]*?)^\\1\`\`\``, "gm"))].map((m) =>
    (m[2] as string)
      .split("\n")
      .map((l) => l.slice((m[1] as string).length))
      .join("\n"),
  );
}

const packLine = line(/^\s*(TARBALL="\$\(pwd\)\/\$\(npm pack --silent\)")\s*$/m, "npm pack into TARBALL")[1] as string;
const folderLine = line(/^\s*(cd \.\. && mkdir my-agents && cd my-agents)\s*$/m, "project folder")[1] as string;
const installLine = line(/^\s*(npm install "\$TARBALL" @pulumi\/pulumi)\s*$/m, "npm install of the tarball")[1] as string;
const typeCheckLine = line(/^\s*(npx tsc --noEmit)\s*$/m, "type-check")[1] as string;
const emulatorLine = line(/^\s*(npx --no -- agent37-emulator [^\n#]*?)\s*$/m, "npx command for the emulator");
/** The template's files as the README gives them inline: Pulumi.yaml, package.json, tsconfig.json. */
const [pulumiYaml] = blocks("yaml");
const [templatePackage, templateTsconfig] = blocks("json").map((j) => JSON.parse(j) as Record<string, unknown>);
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

/**
 * Pulumi's `typescript` template, as `pulumi new typescript --generate-only` writes it: the CLI
 * takes the template from the default branch of Pulumi's template repository, whose tsconfig has
 * used `module` and `moduleResolution` `nodenext` since March 2026 (before: `commonjs` and
 * `node`, which the subpath checks below still cover).
 */
const TEMPLATE_TSCONFIG = {
  compilerOptions: {
    strict: true,
    outDir: "bin",
    target: "es2020",
    module: "nodenext",
    moduleResolution: "nodenext",
    sourceMap: true,
    experimentalDecorators: true,
    pretty: true,
    noFallthroughCasesInSwitch: true,
    noImplicitReturns: true,
    forceConsistentCasingInFileNames: true,
  },
  files: ["index.ts"],
};
const TEMPLATE_PACKAGE = {
  name: "my-agents",
  main: "index.ts",
  devDependencies: { "@types/node": "^18", typescript: "^5.0.0" },
  dependencies: { "@pulumi/pulumi": "^3.113.0" },
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

let workspace: string | undefined;
let clone: string;
let project: string;
let tarball: string;
let packedHere = false;
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

const NPM_ENV = { npm_config_prefer_offline: "true", npm_config_update_notifier: "false", npm_config_audit: "false", npm_config_fund: "false" };

/** Runs README lines with bash, as a user types them into one terminal; resolves with stdout. */
async function sh(script: string, cwd: string, env: Record<string, string> = {}): Promise<string> {
  const { stdout } = await run("bash", ["-euo", "pipefail", "-c", script], { cwd, env: { ...process.env, ...NPM_ENV, ...env }, maxBuffer: 16 * 1024 * 1024 });
  return stdout;
}

/** Starts the README's emulator command in the project folder; resolves with the URL it prints. */
function startEmulatorFromReadme(): Promise<string> {
  // The README's command as written, on a free port instead of the default 4737.
  const argv = [...(emulatorLine[1] as string).split(/\s+/).slice(1), "--port", "0"];
  const child = spawn("npx", argv, { cwd: project, detached: true, stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, ...NPM_ENV } });
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
  // The clone, under another folder name: a link to this repository.
  workspace = fs.mkdtempSync(path.join(os.tmpdir(), "agent37-quickstart-"));
  clone = path.join(workspace, "agent37-clone");
  fs.symlinkSync(REPO_ROOT, clone);
  packedHere = !fs.existsSync(path.join(REPO_ROOT, `pulumi-agent37-${manifest.version}.tgz`));
  // Step 1's pack and step 2's folder, in one shell as the README says, from the clone as a
  // user's shell is in it (`cd`, so `pwd` is the link's path).
  const where = await sh(`cd "$CLONE"\n${packLine}\n${folderLine}\nprintf '%s\\n%s' "$TARBALL" "$(pwd)"`, workspace, { CLONE: clone });
  const [packed = "", folder = ""] = where.trim().split("\n").slice(-2);
  tarball = packed;
  project = folder;
  // Step 2 without the CLI: the files the README gives inline.
  fs.writeFileSync(path.join(project, "Pulumi.yaml"), pulumiYaml as string);
  fs.writeFileSync(path.join(project, "package.json"), JSON.stringify(templatePackage, null, 4));
  fs.writeFileSync(path.join(project, "tsconfig.json"), JSON.stringify(templateTsconfig, null, 4));
  // Step 3, as written.
  await sh(installLine, project, { TARBALL: tarball });
  // Step 4's program.
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
  if (workspace !== undefined) fs.rmSync(workspace, { recursive: true, force: true });
  if (packedHere) fs.rmSync(path.join(REPO_ROOT, `pulumi-agent37-${manifest.version}.tgz`), { force: true });
  if (latestTs !== undefined) fs.rmSync(latestTs, { recursive: true, force: true });
});

describe("the README quickstart on the packed tarball, in a fresh folder", () => {
  it("packs from a clone whose folder has another name, into an absolute TARBALL, and makes the project beside it", () => {
    expect(path.basename(clone)).not.toBe("pulumi-agent37");
    expect(tarball).toBe(path.join(clone, `pulumi-agent37-${manifest.version}.tgz`));
    expect(fs.existsSync(tarball)).toBe(true);
    expect(project).toBe(path.join(workspace as string, "my-agents"));
  });

  it("gives the files of Pulumi's typescript template inline, exactly", () => {
    expect(templateTsconfig).toEqual(TEMPLATE_TSCONFIG);
    expect(templatePackage).toEqual(TEMPLATE_PACKAGE);
    expect(pulumiYaml).toBe("name: my-agents\ndescription: A minimal TypeScript Pulumi program\nruntime: nodejs\n");
  });

  it("installs the tarball, with an @pulumi/pulumi in the package's peer range, into the project", () => {
    const installed = JSON.parse(fs.readFileSync(path.join(project, "node_modules", "pulumi-agent37", "package.json"), "utf8")) as { version: string };
    expect(installed.version).toBe(manifest.version);
    expect(fs.lstatSync(path.join(project, "node_modules", "pulumi-agent37")).isSymbolicLink()).toBe(false);
    const sdk = JSON.parse(fs.readFileSync(path.join(project, "node_modules", "@pulumi", "pulumi", "package.json"), "utf8")) as { version: string };
    expect(semver.satisfies(sdk.version, manifest.peerDependencies["@pulumi/pulumi"] as string)).toBe(true);
    const deps = (JSON.parse(fs.readFileSync(path.join(project, "package.json"), "utf8")) as { dependencies: Record<string, string> }).dependencies;
    expect(deps["pulumi-agent37"]).toMatch(/^file:.*pulumi-agent37-[\d.]+\.tgz$/);
  });

  it("type-checks the README's program with the README's command under the template's tsconfig, no skipLibCheck", async () => {
    expect(section).not.toContain("skipLibCheck");
    const result = await sh(`${typeCheckLine} && echo typechecked`, project).catch((e: { stdout?: string; stderr?: string }) => `${e.stdout ?? ""}${e.stderr ?? ""}`);
    expect(result).toBe("typechecked\n");
  });

  it("starts the emulator from that folder with the README's npx command, which never downloads", async () => {
    expect(emulatorLine[1]).toMatch(/^npx --no -- /);
    expect(apiUrl).toBe("http://127.0.0.1:4737");
    const res = await fetch(`${emulatorUrl}/v1/instances`, { headers: { authorization: `Bearer ${apiKey}` } });
    expect(res.status).toBe(200);
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

