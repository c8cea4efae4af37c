/**
 * The package's type declarations as a consumer compiles them: the packed tarball installed in a
 * fresh project, and a program that uses every resource class, the provider factories and the
 * emulator, type-checked with no `skipLibCheck` (so every declaration file it reaches is checked)
 * and no `esModuleInterop`, under Pulumi's TypeScript template and under every other module
 * resolution, by the newest TypeScript 5 and the newest TypeScript 6 (each installed fresh).
 *
 * The program carries `@ts-expect-error` lines: a declaration that degraded to `any` leaves such
 * a directive unused, which is an error, so the checks also prove the types still say something.
 * And the declarations reachable from the package's exports are walked: they name no module but
 * `@pulumi/pulumi` (the peer dependency) and Node's own, and never zod.
 */
import { execFile, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import { REPO_ROOT } from "./harness";
import { installConsumer, type Consumer } from "./plugin/consumer";

const run = promisify(execFile);
const manifest = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "package.json"), "utf8")) as {
  exports: Record<string, string | { types?: string }>;
  typesVersions: Record<string, Record<string, string[]>>;
  devDependencies: Record<string, string>;
};

/**
 * Pulumi's `typescript` template (the pulumi/templates repository, `typescript/tsconfig.json`):
 * `pulumi new typescript` writes `module`/`moduleResolution` `nodenext` since March 2026, and
 * `commonjs`/`node` before; everything else is the same in both.
 */
const TEMPLATE_OPTIONS = {
  strict: true,
  outDir: "bin",
  target: "es2020",
  sourceMap: true,
  experimentalDecorators: true,
  pretty: true,
  noFallthroughCasesInSwitch: true,
  noImplicitReturns: true,
  forceConsistentCasingInFileNames: true,
};
const TEMPLATE_NOW = { ...TEMPLATE_OPTIONS, module: "nodenext", moduleResolution: "nodenext" };
const TEMPLATE_BEFORE = { ...TEMPLATE_OPTIONS, module: "commonjs", moduleResolution: "node" };

/** Every resource class, the factories and the emulator, as a program uses them. */
const PROGRAM = `import * as pulumi from "@pulumi/pulumi";
import {
  Agent37Domain,
  Agent37DomainVerification,
  Agent37Error,
  Agent37Exec,
  Agent37Instance,
  Agent37SshKey,
  Agent37Template,
  InputError,
  createDomainProvider,
  createDomainVerificationProvider,
  createExecProvider,
  createInstanceProvider,
  createSshKeyProvider,
  createTemplateProvider,
  rollingFleet,
  type DomainOutputs,
  type ExecOutputs,
  type HealthCheckOutput,
  type HealthStatus,
  type InstanceOutputs,
  type SshKeyOutputs,
  type TemplateOutputs,
  type VerificationOutputs,
} from "pulumi-agent37";
import { instanceProvider, templateProvider } from "pulumi-agent37/dynamic";
import { startEmulator, type AdminInstanceList, type FaultPlan, type RequestLogSnapshot, type RunningEmulator } from "pulumi-agent37/emulator";

const config = new pulumi.Config();
const template = new Agent37Template("app", { name: "my-app", build: { context: "app" }, defaultPort: 8000 });
const agent = new Agent37Instance("agent", {
  template: template.pinned,
  resources: { cpu: 2, memory: 4 },
  ports: [9119],
  health: { path: "/ready", status: [200, "3xx"], timeoutSeconds: 300 },
});
const key = new Agent37SshKey("laptop", { publicKey: config.require("publicKey"), name: "laptop" });
const domain = new Agent37Domain("brand", { domain: "acme-agents.com" });
const verified = new Agent37DomainVerification("brand-verified", { domain: domain.domain, timeoutSeconds: 600 });
const seed = new Agent37Exec("seed", { instanceId: agent.instanceId, create: "echo seeded", environment: { TOKEN: config.requireSecret("token") } });
const fleet = rollingFleet({ template: template.pinned, names: ["web-1", "web-2"], batchSize: 1 });

export const url: pulumi.Output<string> = agent.url;
export const dashboard: pulumi.Output<string> = agent.urlForPort(9119);
export const gate: pulumi.Output<HealthCheckOutput | null> = agent.healthCheck;
export const keyId: pulumi.Output<string> = key.keyId;
export const nameservers: pulumi.Output<string[]> = domain.nameservers;
export const status: pulumi.Output<string> = verified.status;
export const stdout = seed.stdout;
export const fleetUrls: pulumi.Output<string>[] = fleet.instances.map((i) => i.url);

// The output types, as a program reads a stack's outputs.
export function describe(o: InstanceOutputs, e: ExecOutputs, d: DomainOutputs, v: VerificationOutputs, s: SshKeyOutputs, t: TemplateOutputs): string {
  const wanted: HealthStatus | undefined = o.healthCheck?.status;
  return [o.instanceId, o.ports.map((p) => p.url).join(","), String(wanted), e.exitCode.toFixed(0), d.nameservers.join(" "), v.timeoutSeconds, s.fingerprint, t.name].join(" ");
}

// The factories and the serialized providers' entries.
export const providers = [
  createInstanceProvider({ timings: { pollIntervalMs: 100 }, client: { retryPolicy: { maxAttempts: 2 } } }),
  createExecProvider(),
  createDomainProvider(),
  createDomainVerificationProvider(),
  createSshKeyProvider(),
  createTemplateProvider(),
  instanceProvider(),
  templateProvider(),
];
export async function checked(): Promise<string[]> {
  const result = await createInstanceProvider().check({}, { template: "agent37-hermes" });
  return (result.failures ?? []).map((f) => f.property);
}
export function explain(err: unknown): string {
  if (err instanceof InputError) return err.failures.map((f) => f.reason).join("; ");
  return err instanceof Agent37Error ? err.message : String(err);
}

// The emulator, as a test suite starts it.
export async function emulate(): Promise<number> {
  const plan: FaultPlan = { seed: 1, faults: [{ path: "/v1/instances", kind: "status", status: 503, count: 1 }] };
  const emulator: RunningEmulator = await startEmulator({ port: 0, quiet: true, apps: [{ template: "my-app", readyAfterMs: 10 }] });
  const admin = (await (await fetch(emulator.url + "/_emulator/instances")).json()) as AdminInstanceList;
  const log = (await (await fetch(emulator.url + "/_emulator/requests")).json()) as RequestLogSnapshot;
  await fetch(emulator.url + "/_emulator/faults", { method: "PUT", body: JSON.stringify(plan) });
  await emulator.close();
  return admin.data.length + Object.keys(log).length;
}

// The declarations still say what is wrong.
// @ts-expect-error cpu is a number
new Agent37Instance("wrong", { template: "agent37-hermes", resources: { cpu: "two", memory: 4 } });
// @ts-expect-error publicKey is required
new Agent37SshKey("keyless", {});
// @ts-expect-error an unknown fault kind
export const badPlan: FaultPlan = { faults: [{ path: "/", kind: "explode" }] };
// @ts-expect-error InstanceOutputs has no such field
export const missing = (o: InstanceOutputs) => o.noSuchOutput;
`;

/** `import`/`export ... from`, `import("...")` and `/// <reference types>` specifiers of a declaration file. */
function specifiers(source: string): string[] {
  const out: string[] = [];
  for (const m of source.matchAll(/(?:\bfrom\s+|\bimport\s*\(\s*|^\s*import\s+|\/\/\/\s*<reference\s+(?:types|path)\s*=\s*)["']([^"']+)["']/gm)) out.push(m[1] as string);
  return out;
}

/** Every declaration file reachable from the package's `types` entries, and what each imports from outside the package. */
function declarationGraph(pkgDir: string): { files: string[]; external: Map<string, string[]> } {
  const entries = [
    ...Object.values(manifest.exports).flatMap((e) => (typeof e === "object" && e.types !== undefined ? [e.types] : [])),
    ...Object.values(manifest.typesVersions).flatMap((map) => Object.values(map).flat()),
  ].map((p) => path.join(pkgDir, p));
  const seen = new Set<string>();
  const external = new Map<string, string[]>();
  const queue = [...entries];
  while (queue.length > 0) {
    const file = queue.pop() as string;
    if (seen.has(file)) continue;
    if (!fs.existsSync(file)) throw new Error(`a declaration the package names is missing: ${path.relative(pkgDir, file)}`);
    seen.add(file);
    for (const spec of specifiers(fs.readFileSync(file, "utf8"))) {
      if (!spec.startsWith(".")) {
        external.set(spec, [...(external.get(spec) ?? []), path.relative(pkgDir, file)]);
        continue;
      }
      const base = path.resolve(path.dirname(file), spec);
      const target = [`${base}.d.ts`, `${base.replace(/\.js$/, "")}.d.ts`, path.join(base, "index.d.ts")].find((c) => fs.existsSync(c));
      if (target === undefined) throw new Error(`${path.relative(pkgDir, file)} imports ${spec}, which the package does not ship`);
      queue.push(target);
    }
  }
  return { files: [...seen].map((f) => path.relative(pkgDir, f)).sort(), external };
}

let consumer: Consumer | undefined;
let project: string;
const compilers: Record<string, string> = {};

/** Installs `typescript@<range>` into a folder of its own; resolves with that folder. */
function installTypeScript(range: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "agent37-ts-"));
  fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: "compiler", private: true }));
  const npm = spawnSync("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund", "--ignore-scripts", `typescript@${range}`], {
    cwd: dir,
    encoding: "utf8",
    env: { ...process.env, npm_config_update_notifier: "false" },
  });
  if (npm.status !== 0) throw new Error(`npm install typescript@${range} failed: ${npm.stderr}`);
  return dir;
}

function compilerVersion(dir: string): string {
  return (JSON.parse(fs.readFileSync(path.join(dir, "node_modules", "typescript", "package.json"), "utf8")) as { version: string }).version;
}

/** One compile checks every declaration `@pulumi/pulumi` brings, too: seconds, more on a busy machine. */
const COMPILE_MS = 180_000;

/** Writes `program` under `options` into its own folder of the project; type-checks it with TypeScript `major`. */
async function typeCheck(major: string, name: string, options: Record<string, unknown>, file = "index.ts", source = PROGRAM): Promise<{ code: number; out: string }> {
  const folder = path.join(project, `check-ts${major}-${name}`);
  fs.mkdirSync(folder, { recursive: true });
  fs.writeFileSync(path.join(folder, file), source);
  fs.writeFileSync(path.join(folder, "tsconfig.json"), JSON.stringify({ compilerOptions: { ...options, noEmit: true, pretty: false }, files: [file] }, null, 2));
  const tsc = path.join(compilers[major] as string, "node_modules", "typescript", "bin", "tsc");
  try {
    const { stdout } = await run(process.execPath, [tsc, "-p", "."], { cwd: folder });
    return { code: 0, out: stdout };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: e.code ?? 1, out: `${e.stdout ?? ""}${e.stderr ?? ""}` };
  }
}

beforeAll(() => {
  consumer = installConsumer({
    // What `pulumi new typescript` leaves, with the versions this repository tests (npm has them cached).
    manifest: { name: "my-agents", main: "index.ts", devDependencies: { "@types/node": manifest.devDependencies["@types/node"] }, dependencies: {} },
    packages: (tarball) => [`./${tarball}`, `@pulumi/pulumi@${manifest.devDependencies["@pulumi/pulumi"] as string}`, `@types/node@${manifest.devDependencies["@types/node"] as string}`],
  });
  project = consumer.dir;
  compilers["5"] = installTypeScript("5");
  compilers["6"] = installTypeScript("6");
}, 300_000);

afterAll(() => {
  consumer?.remove();
  for (const dir of Object.values(compilers)) fs.rmSync(dir, { recursive: true, force: true });
});

describe("the declarations the package ships", () => {
  it("name no module but @pulumi/pulumi and Node's, and never zod", () => {
    const pkgDir = path.join(project, "node_modules", "pulumi-agent37");
    const { files, external } = declarationGraph(pkgDir);
    expect(files).toEqual(expect.arrayContaining(["dist/provider/index.d.ts", "dist/provider/dynamic.d.ts", "dist/emulator/index.d.ts"]));
    const foreign = [...external.entries()].filter(([spec]) => !/^(@pulumi\/pulumi(\/.*)?|node:.+)$/.test(spec));
    expect(foreign).toEqual([]);
    const mentions = files.filter((f) => /zod/i.test(fs.readFileSync(path.join(pkgDir, f), "utf8")));
    expect(mentions).toEqual([]);
  });

  it("the walk finds a dependency's import where one is", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "agent37-graph-"));
    try {
      fs.mkdirSync(path.join(dir, "dist", "provider"), { recursive: true });
      fs.mkdirSync(path.join(dir, "dist", "emulator"), { recursive: true });
      fs.writeFileSync(path.join(dir, "dist", "provider", "index.d.ts"), 'export type { A } from "./a";\n');
      fs.writeFileSync(path.join(dir, "dist", "provider", "a.d.ts"), 'import { z } from "zod";\nexport type A = z.infer<z.ZodString>;\n');
      fs.writeFileSync(path.join(dir, "dist", "provider", "dynamic.d.ts"), 'export declare const d: typeof import("undici");\n');
      fs.writeFileSync(path.join(dir, "dist", "emulator", "index.d.ts"), "export {};\n");
      const { files, external } = declarationGraph(dir);
      expect(files).toContain("dist/provider/a.d.ts");
      expect([...external.keys()].sort()).toEqual(["undici", "zod"]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe.each(["5", "6"])("a consumer type-checks with TypeScript %s and no skipLibCheck", (major) => {
  it("installs that TypeScript", () => {
    expect(compilerVersion(compilers[major] as string).split(".")[0]).toBe(major);
  });

  it("under the tsconfig `pulumi new typescript` writes (nodenext)", async () => {
    expect(await typeCheck(major, "template", TEMPLATE_NOW)).toEqual({ code: 0, out: "" });
  }, COMPILE_MS);

  it.each([
    ["node16", { module: "node16", moduleResolution: "node16" }],
    // nodenext: the template's above.
    ["bundler (esnext)", { module: "esnext", moduleResolution: "bundler" }],
    ["bundler (preserve)", { module: "preserve", moduleResolution: "bundler" }],
  ])("under moduleResolution %s, strict", async (name, options) => {
    expect(await typeCheck(major, name.replace(/\W+/g, "-"), { strict: true, target: "es2022", types: ["node"], ...options })).toEqual({ code: 0, out: "" });
  }, COMPILE_MS);

  it("as an ES module (index.mts) under nodenext", async () => {
    expect(await typeCheck(major, "esm", TEMPLATE_NOW, "index.mts")).toEqual({ code: 0, out: "" });
  }, COMPILE_MS);

  it("reports each wrong use of the package's types, in the program", async () => {
    // The program without its `@ts-expect-error` directives: each line they excused is an error.
    const result = await typeCheck(major, "wrong", TEMPLATE_NOW, "index.ts", PROGRAM.replace(/^\/\/ @ts-expect-error.*\n/gm, ""));
    expect(result.code).not.toBe(0);
    const errors = result.out.split("\n").filter((l) => /error TS\d+/.test(l));
    expect(errors).toHaveLength(PROGRAM.match(/^\/\/ @ts-expect-error/gm)?.length as number);
    expect(errors.every((l) => l.startsWith("index.ts("))).toBe(true);
  }, COMPILE_MS);
});

describe("the template `pulumi new typescript` wrote before (commonjs, moduleResolution node, no esModuleInterop)", () => {
  it("type-checks the consumer with TypeScript 5", async () => {
    expect(await typeCheck("5", "template-before", TEMPLATE_BEFORE)).toEqual({ code: 0, out: "" });
  }, COMPILE_MS);

  it("is refused by TypeScript 6 for its moduleResolution alone, and with the opt-in TypeScript names the consumer type-checks", async () => {
    // TypeScript 6 deprecates `moduleResolution: node` (node10) for every program: the one
    // error is about the tsconfig, none about a declaration.
    const refused = await typeCheck("6", "template-before", TEMPLATE_BEFORE);
    expect(refused.code).not.toBe(0);
    expect(refused.out.match(/error TS\d+/g)).toEqual(["error TS5107"]);
    expect(refused.out).toContain("moduleResolution=node10");
    expect(await typeCheck("6", "template-before-opt-in", { ...TEMPLATE_BEFORE, ignoreDeprecations: "6.0" })).toEqual({ code: 0, out: "" });
  }, COMPILE_MS);
});
