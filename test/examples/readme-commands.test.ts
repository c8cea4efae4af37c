/**
 * The examples' READMEs, followed as written: in a copy of each example's folder, every shell
 * command they show runs (the install of the packed tarball, the type-check, the emulator command,
 * started and stopped, and the `curl` to it), except the `pulumi` CLI's own commands, which need
 * the CLI and a backend (test/cli/ runs examples/yaml's through the real CLI). An example whose
 * README says to install "as examples/basic shows" gets basic's install and type-check. And each
 * example's package.json asks for the same versions as the package itself.
 */
import { execFile, execFileSync, spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import * as semver from "semver";
import { REPO_ROOT } from "../harness";

const run = promisify(execFile);
const EXAMPLES_DIR = path.join(REPO_ROOT, "examples");
const EXAMPLES = fs.readdirSync(EXAMPLES_DIR).filter((e) => fs.existsSync(path.join(EXAMPLES_DIR, e, "README.md")));
const manifest = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "package.json"), "utf8")) as {
  version: string;
  engines: { node: string };
  peerDependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};
const NPM_ENV = { npm_config_prefer_offline: "true", npm_config_update_notifier: "false", npm_config_audit: "false", npm_config_fund: "false" };

type Kind = "install" | "typecheck" | "emulator" | "curl" | "pulumi" | "export";

/** The shell commands a README shows: each line of its `sh` blocks (continuations joined, comments dropped), and inline emulator commands. */
export function shownCommands(readme: string): string[] {
  const lines: string[] = [];
  for (const m of readme.matchAll(/^```sh\n([\s\S]*?)^```/gm)) {
    const joined = (m[1] as string).replace(/\\\n\s*/g, "");
    for (const raw of joined.split("\n")) {
      const text = raw.replace(/\s+#\s.*$/, "").trim();
      if (text !== "" && !text.startsWith("#")) lines.push(text);
    }
  }
  const prose = readme.replace(/^```[\s\S]*?^```/gm, "");
  for (const m of prose.matchAll(/`(npx [^`]*agent37-emulator[^`]*)`/g)) lines.push(m[1] as string);
  return lines;
}

export function kindOf(command: string): Kind | undefined {
  if (/^npm install( "\$TARBALL")?$/.test(command)) return "install";
  if (command === "npx tsc --noEmit") return "typecheck";
  if (/^npx --no -- agent37-emulator( --[a-z-]+ \S+)*$/.test(command)) return "emulator";
  if (/^curl .*http:\/\/127\.0\.0\.1:4737\//.test(command)) return "curl";
  if (/^pulumi [a-z]/.test(command)) return "pulumi";
  if (/^export [A-Z_]+=/.test(command)) return "export";
  return undefined;
}

function commandsOf(example: string): { text: string; kind: Kind | undefined }[] {
  const readme = fs.readFileSync(path.join(EXAMPLES_DIR, example, "README.md"), "utf8");
  let shown = shownCommands(readme);
  // "Install, log in and start the emulator as examples/basic shows."
  if (example !== "basic" && readme.includes("](../basic/README.md#run-with-the-pulumi-cli)")) {
    const basic = shownCommands(fs.readFileSync(path.join(EXAMPLES_DIR, "basic", "README.md"), "utf8"));
    shown = [...basic.filter((c) => ["install", "typecheck"].includes(kindOf(c) ?? "")), ...shown];
  }
  return shown.map((text) => ({ text, kind: kindOf(text) }));
}

async function sh(script: string, cwd: string, env: Record<string, string>): Promise<{ code: number; out: string }> {
  try {
    const { stdout, stderr } = await run("bash", ["-euo", "pipefail", "-c", script], { cwd, env: { ...process.env, ...NPM_ENV, ...env }, maxBuffer: 16 * 1024 * 1024 });
    return { code: 0, out: `${stdout}${stderr}` };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === "number" ? e.code : 1, out: `${e.stdout ?? ""}${e.stderr ?? ""}` };
  }
}

/** Starts a README's emulator command (on a free port instead of 4737); resolves with its port and a stop. */
function startEmulator(command: string, cwd: string): Promise<{ port: string; stop: () => Promise<number | null> }> {
  const child = spawn("bash", ["-c", `exec ${command} --port 0`], { cwd, detached: true, stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, ...NPM_ENV } });
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    let out = "";
    const onData = (chunk: Buffer): void => {
      out += chunk.toString();
      const m = out.match(/listening on http:\/\/127\.0\.0\.1:(\d+)/);
      if (m !== null) {
        resolve({
          port: m[1] as string,
          stop: async () => {
            process.kill(-(child.pid as number), "SIGTERM");
            return exited;
          },
        });
      }
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    void exited.then((code) => reject(new Error(`${command} exited (${code}) before listening:\n${out}`)));
  });
}

let tmp: string;
let tarball: string;

beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "agent37-example-readmes-"));
  const name = execFileSync("npm", ["pack", "--silent", "--pack-destination", tmp], { cwd: REPO_ROOT, encoding: "utf8", env: { ...process.env, ...NPM_ENV } }).trim().split("\n").pop() as string;
  tarball = path.join(tmp, name);
}, 120_000);

afterAll(() => {
  if (tmp !== undefined) fs.rmSync(tmp, { recursive: true, force: true });
});

describe("the examples' READMEs", () => {
  it("show only commands this test runs, or the pulumi CLI's", () => {
    const all = EXAMPLES.flatMap((e) => commandsOf(e).map((c) => ({ example: e, ...c })));
    expect(all.filter((c) => c.kind === undefined).map((c) => `${c.example}: ${c.text}`)).toEqual([]);
    // Every example has an emulator command, and the install and type-check run for each TypeScript one.
    for (const e of EXAMPLES) {
      const kinds = commandsOf(e).map((c) => c.kind);
      expect([e, kinds.includes("emulator"), kinds.includes("install")]).toEqual([e, true, true]);
      if (fs.existsSync(path.join(EXAMPLES_DIR, e, "tsconfig.json"))) expect([e, kinds.includes("typecheck")]).toEqual([e, true]);
    }
  });

  it("would catch a command it does not run, and the old forms", () => {
    expect(kindOf("npx agent37-emulator --key sk_live_0123456789abcdef0123")).toBeUndefined();
    expect(kindOf("npx --yes --package=./pulumi-agent37-0.1.0.tgz agent37-emulator --key k")).toBeUndefined();
    expect(kindOf("npm install ./pulumi-agent37-0.1.0.tgz")).toBeUndefined();
    expect(shownCommands("```sh\ncurl -X POST http://127.0.0.1:4737/x \\\n  -d '{}'   # note\n```\nthen `npx --no -- agent37-emulator --key k`.\n")).toEqual([
      "curl -X POST http://127.0.0.1:4737/x -d '{}'",
      "npx --no -- agent37-emulator --key k",
    ]);
  });

  it.each(EXAMPLES)(
    "examples/%s: install, type-check, the emulator and its curl run as shown, in a copy of the folder",
    async (example) => {
      const dir = path.join(tmp, example);
      fs.cpSync(path.join(EXAMPLES_DIR, example), dir, { recursive: true, filter: (src) => !src.split(path.sep).includes("node_modules") });
      const commands = commandsOf(example);
      const env = { TARBALL: tarball };
      for (const c of commands.filter((x) => x.kind === "install" || x.kind === "typecheck")) {
        const result = await sh(c.text, dir, env);
        expect({ command: c.text, code: result.code, out: result.code === 0 ? "" : result.out }).toEqual({ command: c.text, code: 0, out: "" });
      }
      for (const c of commands.filter((x) => x.kind === "emulator")) {
        const emulator = await startEmulator(c.text, dir);
        try {
          const res = await fetch(`http://127.0.0.1:${emulator.port}/v1/instances`, { headers: { authorization: "Bearer sk_live_0123456789abcdef0123" } });
          expect([c.text, res.status]).toEqual([c.text, 200]);
          for (const curl of commands.filter((x) => x.kind === "curl")) {
            const result = await sh(curl.text.replace(/^curl /, "curl --fail-with-body -sS ").replaceAll("127.0.0.1:4737", `127.0.0.1:${emulator.port}`), dir, env);
            expect({ command: curl.text, code: result.code, out: result.code === 0 ? "" : result.out }).toEqual({ command: curl.text, code: 0, out: "" });
          }
        } finally {
          // Stopped as a user stops it: the process ends on the signal, with no error exit.
          const code = await emulator.stop();
          expect([c.text, code === 0 || code === null]).toEqual([c.text, true]);
        }
      }
      // The package came from the tarball, not the registry.
      const installed = JSON.parse(fs.readFileSync(path.join(dir, "node_modules", "pulumi-agent37", "package.json"), "utf8")) as { version: string };
      expect(installed.version).toBe(manifest.version);
    },
    300_000,
  );

  it.each(EXAMPLES)("examples/%s/package.json asks for the package's own version ranges", (example) => {
    const pkg = JSON.parse(fs.readFileSync(path.join(EXAMPLES_DIR, example, "package.json"), "utf8")) as { dependencies: Record<string, string>; devDependencies?: Record<string, string> };
    expect(pkg.dependencies["@pulumi/pulumi"]).toBe(manifest.peerDependencies["@pulumi/pulumi"]);
    expect(pkg.dependencies["pulumi-agent37"]).toBe(`^${manifest.version}`);
    if (pkg.devDependencies === undefined) return;
    // @types/node from the oldest Node the package supports; TypeScript from the release it is built with.
    const oldestNode = semver.minVersion(manifest.engines.node) as semver.SemVer;
    const ts = semver.parse(manifest.devDependencies.typescript) as semver.SemVer;
    expect(pkg.devDependencies["@types/node"]).toBe(`^${oldestNode.major}.${oldestNode.minor}.0`);
    expect(pkg.devDependencies.typescript).toBe(`^${ts.major}.${ts.minor}.0`);
    expect(semver.satisfies(manifest.devDependencies["@types/node"] as string, pkg.devDependencies["@types/node"] as string)).toBe(true);
  });
});
