// The import direction inside provider/ (eslint.config.mjs): the core depends on nothing else,
// a resource on the core and another resource's API module, the front doors on both; and the
// emulator's own: it uses only the provider's neutral modules. Lints
// sample imports with the project's own config, in a child process (the config is an ES module).
// And the tests' folders mirror the source folders (docs/contracts.md, "Ownership of files"),
// and what the seam keeps in one place (issue 19): one loose-record alias, secrets unwrapped only
// in the core and the two doors' adapters, no file over 320 lines without its reason, a thin
// plugin folder.
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";

const ROOT = path.resolve(__dirname, "..");

interface Verdict {
  file: string;
  code: string;
  restricted: boolean;
}

const CASES: [file: string, code: string, restricted: boolean][] = [
  ["provider/core/sample.ts", 'import { InstancesApi } from "../instance/api";', true],
  ["provider/core/sample.ts", 'import { poll } from "./poll";', false],
  ["provider/core/sample.ts", 'import type * as dynamic from "../dynamic";', false],
  ["provider/exec/sample.ts", 'import { InstancesApi } from "../instance/api";', false],
  ["provider/exec/sample.ts", 'import { reconcile } from "../instance/reconcile";', true],
  ["provider/domain/sample.ts", 'import { TemplateLookups } from "../instance/templates";', true],
  ["provider/ssh-key/sample.ts", 'import { serve } from "../front/plugin/server";', true],
  ["provider/template/sample.ts", 'import { Agent37Instance } from "../instance/resource";', false],
  ["provider/front/plugin/sample.ts", 'import { reconcile } from "../../instance/reconcile";', false],
  ["provider/ssh-key/sample.ts", 'import { parseSshPublicKey } from "../../emulator/ssh";', true],
  ["provider/core/sample.ts", 'import { domainProblem } from "../../emulator/hosting/domains";', true],
  ["provider/front/plugin/sample.ts", 'import { startEmulator } from "../../../emulator/start";', true],
  ["provider/ssh-key/sample.ts", 'import { parseSshPublicKey } from "../core/ssh-public-key";', false],
  ["emulator/sample.ts", 'export * from "../provider/core/ssh-public-key";', false],
  ["emulator/hosting/sample.ts", 'import { domainNameIssue } from "../../provider/core/domain-name";', false],
  ["emulator/sample.ts", 'import type { Assert } from "../provider/core/schema-type";', false],
  ["emulator/sample.ts", 'import "../provider/core/require-node";', false],
  ["emulator/sample.ts", 'import { Agent37Client } from "../provider/core/http";', true],
  ["emulator/hosting/sample.ts", 'import { DomainObject } from "../../provider/domain/schema";', true],
  ["emulator/sample.ts", 'import { domainNameIssue } from "../provider/core/domain-name-extra";', true],
  ["emulator/sample.ts", 'import { Agent37Instance } from "pulumi-agent37";', true],
  ["emulator/sample.ts", 'import { instanceProvider } from "pulumi-agent37/dynamic";', true],
  ["emulator/sample.ts", 'import { startEmulator } from "./start";', false],
];

function lint(cases: typeof CASES): Verdict[] {
  const script = `
    import { ESLint } from "eslint";
    const eslint = new ESLint({ cwd: ${JSON.stringify(ROOT)} });
    const cases = JSON.parse(process.argv[1]);
    const out = [];
    for (const [file, code] of cases) {
      const [result] = await eslint.lintText(code + "\\nexport const used = [];\\n", { filePath: file });
      out.push({ file, code, restricted: result.messages.some((m) => m.ruleId === "no-restricted-imports") });
    }
    process.stdout.write(JSON.stringify(out));
  `;
  const stdout = execFileSync(process.execPath, ["--input-type=module", "-e", script, JSON.stringify(cases)], { cwd: ROOT, encoding: "utf8" });
  return JSON.parse(stdout) as Verdict[];
}

describe("import direction in provider/ and of the emulator", () => {
  it("refuses what crosses a layer and allows the rest", () => {
    const verdicts = lint(CASES);
    expect(verdicts).toEqual(CASES.map(([file, code, restricted]) => ({ file, code, restricted })));
  });
});

// Where the tests of a source folder live when not in test/<folder>, and why.
const TESTED_IN: Record<string, string> = {
  // One suite drives a domain and its verification together.
  "provider/domain-verification": "test/domain",
  // The doors: Pulumi's dynamic provider host and the plugin, each with suites across resources.
  "provider/front/dynamic": "test/engine",
  "provider/front/plugin": "test/plugin",
  // The plugin's transport: its suite (unary-server.test.ts) sits with the plugin's, which start it.
  "provider/front/grpc": "test/plugin",
};
// Suites about a door or a property across resources, and what the suites share.
const ACROSS = ["test/bench", "test/cli", "test/compat", "test/engine", "test/examples", "test/harness", "test/plugin", "test/reliability", "test/seam", "test/setup"];

const dirs = (rel: string): string[] =>
  fs.readdirSync(path.join(ROOT, rel), { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => `${rel}/${e.name}`);
const hasTests = (rel: string): boolean => fs.existsSync(path.join(ROOT, rel)) && fs.readdirSync(path.join(ROOT, rel)).some((f) => f.endsWith(".test.ts"));

describe("the test folders mirror the source folders", () => {
  // provider/<folder>, the doors under provider/front/, and the emulator.
  const sources = [...dirs("provider").filter((d) => d !== "provider/front"), ...dirs("provider/front"), "emulator"].sort();
  const testFolderOf = (source: string): string => TESTED_IN[source] ?? `test/${source.replace(/^provider\//, "")}`;

  it.each(sources)("%s has a test folder with tests", (source) => {
    expect([source, hasTests(testFolderOf(source))]).toEqual([source, true]);
  });

  it("every test folder is a source folder's or a suite across them", () => {
    const known = new Set([...sources.map(testFolderOf), ...ACROSS]);
    expect(dirs("test").filter((d) => !known.has(d))).toEqual([]);
  });
});

/** Every .ts file below `dir` (relative to the repository), with its text. */
function tsFiles(dir: string): { file: string; text: string }[] {
  return fs
    .readdirSync(path.join(ROOT, dir), { recursive: true, encoding: "utf8" })
    .filter((f) => f.endsWith(".ts"))
    .map((f) => ({ file: path.join(dir, f), text: fs.readFileSync(path.join(ROOT, dir, f), "utf8") }));
}

describe("what the seam keeps in one place (issue 19)", () => {
  const provider = tsFiles("provider");
  // The adapters of the two doors, the only code outside provider/core that sees wire values.
  const ADAPTERS = ["provider/front/dynamic/adapter.ts", "provider/front/plugin/provider.ts", "provider/front/plugin/config.ts"];

  it("one loose-record alias in provider/ (core/declare.ts's Loose)", () => {
    const aliases = provider.filter((s) => /^export type \w+ = Record<string, unknown>;|^type Loose\b/m.test(s.text)).map((s) => s.file);
    expect(aliases).toEqual(["provider/core/declare.ts"]);
  });

  it("secrets are unwrapped and nulls dropped only in provider/core and the two doors' adapters", () => {
    const callers = provider.filter((s) => /\b(unwrapSecrets|dropNulls)\(/.test(s.text)).map((s) => s.file);
    expect(callers.filter((f) => !f.startsWith("provider/core/") && !ADAPTERS.includes(f))).toEqual([]);
  });

  it("no file in provider/ is over 320 lines unless its header says why (`Longer than 320 lines:`)", () => {
    const long = provider.filter((s) => s.text.split("\n").length > 320 && !/^\/\/ Longer than 320 lines:/m.test(s.text.split("\n").slice(0, 20).join("\n")));
    expect(long.map((s) => s.file)).toEqual([]);
  });

  it("the plugin's folder is a thin adapter: under 620 lines in all", () => {
    const lines = tsFiles("provider/front/plugin").reduce((n, s) => n + s.text.split("\n").length - 1, 0);
    expect(lines).toBeLessThan(620);
  });
});
