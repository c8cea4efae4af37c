/**
 * The API reference (`npm run docs`: typedoc over docs/api/*.ts, see typedoc.json) is organised by
 * resource: one page per resource, holding the resource, its inputs, its outputs, an example and
 * the errors it raises; every public export is documented on exactly one page; and the build
 * has no warning (typedoc.json's `treatWarningsAsErrors`).
 */
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import * as ts from "typescript";
import { REPO_ROOT } from "./harness";

const run = promisify(execFile);

/** Each resource page: the module, the resource class, its inputs, its outputs and its own errors. */
const RESOURCES: { page: string; resource: string; inputs: string; outputs: string; errors: string[] }[] = [
  { page: "instance", resource: "Agent37Instance", inputs: "Agent37InstanceArgs", outputs: "InstanceOutputs", errors: ["Agent37InitError", "Agent37HealthTimeoutError", "Agent37StateError"] },
  { page: "exec", resource: "Agent37Exec", inputs: "Agent37ExecArgs", outputs: "ExecOutputs", errors: ["Agent37ExecError"] },
  { page: "template", resource: "Agent37Template", inputs: "Agent37TemplateArgs", outputs: "TemplateOutputs", errors: ["Agent37TemplateBuildError", "Agent37TemplateInitError"] },
  { page: "domain", resource: "Agent37Domain", inputs: "Agent37DomainArgs", outputs: "DomainOutputs", errors: ["Agent37DomainNotOursError", "Agent37DomainExistsError", "Agent37DomainInitError"] },
  { page: "domain-verification", resource: "Agent37DomainVerification", inputs: "Agent37DomainVerificationArgs", outputs: "VerificationOutputs", errors: ["Agent37DomainVerificationError"] },
  { page: "ssh-key", resource: "Agent37SshKey", inputs: "Agent37SshKeyArgs", outputs: "SshKeyOutputs", errors: ["Agent37SshKeyNotOursError", "Agent37SshKeyInitError"] },
];

interface Reflection {
  name: string;
  kind: number;
  children?: Reflection[];
}

/** typedoc's ReflectionKind.Reference: a re-export of a declaration documented elsewhere. */
const REFERENCE = 4194304;

/** The names each public entry point of the package exports, as TypeScript sees them. */
function publicExports(): Set<string> {
  const entries = ["provider/index.ts", "provider/dynamic.ts", "emulator/index.ts"].map((f) => path.join(REPO_ROOT, f));
  const program = ts.createProgram(entries, { module: ts.ModuleKind.CommonJS, moduleResolution: ts.ModuleResolutionKind.Node10, target: ts.ScriptTarget.ES2022, strict: true, types: ["node"], skipLibCheck: true, noEmit: true });
  const checker = program.getTypeChecker();
  const names = new Set<string>();
  for (const entry of entries) {
    const symbol = checker.getSymbolAtLocation(program.getSourceFile(entry) as ts.SourceFile);
    for (const e of checker.getExportsOfModule(symbol as ts.Symbol)) names.add(e.name);
  }
  return names;
}

/** The temporary folder of the build; `out` is its html/ once typedoc has written it. */
let root: string | undefined;
let out: string;
let modules: Reflection[];
let warnings: string;

/** The text of a page, tags stripped. */
function page(file: string): string {
  return fs
    .readFileSync(path.join(out, file), "utf8")
    .replace(/<[^>]+>/g, " ")
    .replace(/\s+/g, " ");
}

beforeAll(async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "agent37-api-"));
  root = dir;
  // typedoc.json as `npm run docs` uses it, into a temporary folder, with the JSON model too.
  const { stdout, stderr } = await run(process.execPath, [path.join(REPO_ROOT, "node_modules", "typedoc", "bin", "typedoc"), "--out", path.join(dir, "html"), "--json", path.join(dir, "api.json")], { cwd: REPO_ROOT });
  warnings = `${stdout}${stderr}`.split("\n").filter((l) => /warning|error/i.test(l)).join("\n");
  modules = (JSON.parse(fs.readFileSync(path.join(dir, "api.json"), "utf8")) as Reflection).children ?? [];
  out = path.join(dir, "html");
}, 240_000);

afterAll(() => {
  // Only the folder this suite made: removing a parent derived from `out` removed the whole
  // temporary directory (other suites' folders with it) when typedoc failed before `out` moved.
  if (root !== undefined) fs.rmSync(root, { recursive: true, force: true });
});

describe("the API reference", () => {
  it("builds with no warning", () => {
    expect(warnings).toBe("");
  });

  it.each(RESOURCES)("has a page for $resource with its inputs, outputs, an example and its errors", ({ page: name, resource, inputs, outputs, errors }) => {
    const file = path.join("modules", `${name}.html`);
    expect(fs.existsSync(path.join(out, file))).toBe(true);
    const html = fs.readFileSync(path.join(out, file), "utf8");
    // The resource and what belongs to it are documented on this page's module...
    const members = (modules.find((m) => m.name === name)?.children ?? []).filter((c) => c.kind !== REFERENCE).map((c) => c.name);
    expect(members).toEqual(expect.arrayContaining([resource, inputs, outputs, ...errors]));
    // ...with the page's own sections, each pointing at its declarations' pages.
    const text = page(file);
    for (const section of ["Example", "Inputs", "Outputs", "Errors"]) expect(text).toContain(` ${section} `);
    const examples = [...html.matchAll(/<pre><code class="ts">([\s\S]*?)<\/code>/g)].map((m) => (m[1] as string).replace(/<br\/>/g, "\n").replace(/<[^>]+>/g, ""));
    expect(examples.some((code) => code.includes(`new ${resource}(`))).toBe(true);
    expect(html).toContain(`href="../classes/${name}.${resource}.html"`);
    expect(html).toContain(`href="../interfaces/${name}.${inputs}.html"`);
    expect(html).toContain(`href="../interfaces/${name}.${outputs}.html"`);
    const errorsSection = html.slice(html.indexOf('id="errors"'));
    for (const error of errors) expect(errorsSection).toContain(`href="../classes/${name}.${error}.html"`);
    // Errors every resource raises are on the errors page, linked from the resource's.
    expect(errorsSection).toContain('href="../classes/errors.Agent37ApiError.html"');
  });

  it("lists the resource pages first on its landing page", () => {
    const landing = fs.readFileSync(path.join(out, "index.html"), "utf8");
    const order = RESOURCES.map((r) => landing.indexOf(`href="modules/${r.page}.html"`));
    expect(order.every((i) => i > 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(landing.indexOf('href="modules/errors.html"')).toBeGreaterThan(Math.max(...order));
  });

  it("documents every public export on exactly one page", () => {
    const documented = modules.flatMap((m) => (m.children ?? []).filter((c) => c.kind !== REFERENCE).map((c) => c.name));
    const exported = publicExports();
    expect(exported.size).toBeGreaterThan(80);
    expect([...exported].filter((n) => !documented.includes(n)).sort()).toEqual([]);
    // A name twice is a type and a value of that name (the emulator's schemas), never one declaration on two pages.
    const twice = documented.filter((n, i) => documented.indexOf(n) !== i);
    for (const name of twice) expect(modules.filter((m) => (m.children ?? []).some((c) => c.name === name && c.kind !== REFERENCE))).toHaveLength(1);
  }, 60_000);
});
