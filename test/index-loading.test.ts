/**
 * What `require("pulumi-agent37")` loads (the compiled package, as a program and the dynamic
 * provider host load it): the resource classes and the error classes, none of the resources'
 * implementations nor zod; the factories, diff rules and template helpers load on first use
 * (provider/index.ts, core/lazy.ts). And the lazy names are still the package's exports: each value
 * export TypeScript sees is there at run time, is the implementation's own, and imports by name
 * from an ES module (Node's CommonJS export detection sees the getters).
 */
import { execFileSync } from "node:child_process";
import * as path from "node:path";
import { pathToFileURL } from "node:url";
import * as ts from "typescript";
import { REPO_ROOT } from "./harness";

const DIST = path.join(REPO_ROOT, "dist", "provider");
const INDEX = path.join(DIST, "index.js");

function node(args: string[]): string {
  return execFileSync(process.execPath, args, { cwd: REPO_ROOT, encoding: "utf8" });
}

/** The names provider/index.ts exports as values (classes, functions, constants), as TypeScript sees them. */
function valueExports(): string[] {
  const entry = path.join(REPO_ROOT, "provider", "index.ts");
  const program = ts.createProgram([entry], { module: ts.ModuleKind.CommonJS, moduleResolution: ts.ModuleResolutionKind.Node10, target: ts.ScriptTarget.ES2022, strict: true, types: ["node"], skipLibCheck: true, noEmit: true });
  const checker = program.getTypeChecker();
  const symbol = checker.getSymbolAtLocation(program.getSourceFile(entry) as ts.SourceFile) as ts.Symbol;
  return checker
    .getExportsOfModule(symbol)
    .filter((e) => {
      const target = e.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(e) : e;
      return (target.flags & ts.SymbolFlags.Value) !== 0;
    })
    .map((e) => e.name)
    .sort();
}

describe("require('pulumi-agent37')", () => {
  it("loads the classes only: no resource implementation, no front door, no zod or undici", () => {
    const loaded = JSON.parse(node(["-e", `require(${JSON.stringify(INDEX)}); console.log(JSON.stringify(Object.keys(require.cache)))`])) as string[];
    expect(loaded).toContain(INDEX);
    expect(loaded.filter((f) => /[\\/]node_modules[\\/](zod|undici|tldts)[\\/]/.test(f))).toEqual([]);
    const ours = loaded.filter((f) => f.startsWith(DIST + path.sep)).map((f) => path.relative(DIST, f).split(path.sep).join("/"));
    expect(ours.filter((f) => f.startsWith("front/") || /\/(provider|operations|api|schema|fields|diff|rollout)\.js$/.test(f))).toEqual([]);
    // The error classes are there, real classes: `instanceof` holds across the hierarchy.
    expect(ours).toEqual(expect.arrayContaining(["core/errors.js", "domain/errors.js", "ssh-key/errors.js", "instance/resource.js"]));
  });

  it("has every value export TypeScript sees, the implementation's own, loaded on first use", () => {
    const names = valueExports();
    expect(names.length).toBeGreaterThan(60);
    const probe = `
      const index = require(${JSON.stringify(INDEX)});
      const before = new Set(Object.keys(require.cache));
      const names = ${JSON.stringify(names)};
      const missing = names.filter((n) => index[n] === undefined);
      const zodBefore = [...before].some((f) => f.includes("/node_modules/zod/"));
      const factory = index.createInstanceProvider;
      const same = factory === require(${JSON.stringify(path.join(DIST, "front", "dynamic", "instance.js"))}).createInstanceProvider
        && index.DOMAIN_DIFF_RULES === require(${JSON.stringify(path.join(DIST, "domain", "fields.js"))}).DOMAIN_DIFF_RULES;
      const err = new index.Agent37DomainExistsError("acme.com", undefined);
      console.log(JSON.stringify({ missing, zodBefore, same, instanceOf: err instanceof index.Agent37Error && err instanceof Error, enumerable: names.filter((n) => !Object.keys(index).includes(n)) }));`;
    expect(JSON.parse(node(["-e", probe]))).toEqual({ missing: [], zodBefore: false, same: true, instanceOf: true, enumerable: [] });
  });

  it("imports every value export by name from an ES module", () => {
    const names = valueExports();
    const script = `import { ${names.join(", ")} } from ${JSON.stringify(pathToFileURL(INDEX).href)};
      const values = { ${names.join(", ")} };
      console.log(JSON.stringify(Object.entries(values).filter(([, v]) => v === undefined).map(([k]) => k)));`;
    expect(JSON.parse(node(["--input-type=module", "-e", script]))).toEqual([]);
  });
});
