// Every input and output of every resource the package exports carries a doc comment that
// renders well on hover. Finds the resources through the TypeScript compiler: each exported
// class that extends a Pulumi resource (its own property declarations are its outputs, its
// constructor's `args` type its inputs), and each exported function whose single parameter is an
// `...Args` interface (a helper such as rollingFleet: its args and its result). Inputs are checked
// down into object types written inline and into interfaces of this package they name.
import * as path from "node:path";
import ts from "typescript";

export interface DocProblem {
  /** `Agent37Instance.status`, `Agent37InstanceArgs.health.path`. */
  member: string;
  /** Where it is declared, `provider/instance.ts:117`. */
  where: string;
  problem: string;
}

const RESOURCE_BASES = new Set(["Resource", "CustomResource", "ComponentResource"]);

function docOf(node: ts.Node): string | undefined {
  const docs = (node as { jsDoc?: ts.JSDoc[] }).jsDoc;
  if (docs === undefined || docs.length === 0) return undefined;
  return docs.map((d) => d.getFullText()).join("\n");
}

/** What is wrong with a member's doc comment, if anything. */
function judge(node: ts.Node): string | undefined {
  const text = docOf(node);
  if (text === undefined) return "has no doc comment";
  const body = text
    .replace(/^\s*\/\*\*/, "")
    .replace(/\*\/\s*$/, "")
    .split("\n")
    .map((l) => l.replace(/^\s*\* ?/, ""));
  const summary = body.filter((l) => !l.trimStart().startsWith("@")).join(" ").trim();
  if (summary === "") return "has a doc comment with no description";
  // A tag mid-line ends the description there on hover ("Readiness gate: path").
  for (const l of body) {
    const m = l.match(/\S.*?\s(@(?:default|defaultValue)\b)/);
    if (m !== null && !l.trimStart().startsWith("@")) return `has an inline ${m[1] as string}: put it on its own line`;
  }
  return undefined;
}

class Checker {
  readonly problems: DocProblem[] = [];
  private readonly seen = new Set<ts.Node>();

  constructor(
    private readonly checker: ts.TypeChecker,
    private readonly root: string,
  ) {}

  private ours(node: ts.Node): boolean {
    const file = node.getSourceFile().fileName;
    return !file.includes(`${path.sep}node_modules${path.sep}`) && !file.includes("/node_modules/");
  }

  private where(node: ts.Node): string {
    const sf = node.getSourceFile();
    return `${path.relative(this.root, sf.fileName)}:${sf.getLineAndCharacterOfPosition(node.getStart()).line + 1}`;
  }

  private report(member: string, node: ts.Node): void {
    const problem = judge(node);
    if (problem !== undefined) this.problems.push({ member, where: this.where(node), problem });
  }

  /** Members of an inline object type or of one of our interfaces, and what they contain. */
  private members(owner: string, members: ts.NodeArray<ts.TypeElement>): void {
    for (const m of members) {
      if (!ts.isPropertySignature(m) || m.name === undefined) continue;
      const name = `${owner}.${m.name.getText()}`;
      this.report(name, m);
      if (m.type !== undefined) this.inside(name, m.type);
    }
  }

  /** Object types written inside a type (through Input<...>, arrays, unions) and our interfaces it names. */
  private inside(owner: string, type: ts.Node): void {
    const visit = (n: ts.Node): void => {
      if (ts.isTypeLiteralNode(n)) {
        this.members(owner, n.members);
        return;
      }
      if (ts.isTypeReferenceNode(n)) {
        const symbol = this.checker.getSymbolAtLocation(n.typeName);
        const target = symbol !== undefined && symbol.flags & ts.SymbolFlags.Alias ? this.checker.getAliasedSymbol(symbol) : symbol;
        for (const d of target?.declarations ?? []) {
          if (ts.isInterfaceDeclaration(d) && this.ours(d) && !this.seen.has(d)) {
            this.seen.add(d);
            this.members(d.name.text, d.members);
          }
        }
      }
      ts.forEachChild(n, visit);
    };
    visit(type);
  }

  private isResourceClass(decl: ts.ClassDeclaration): boolean {
    let type: ts.Type | undefined = this.checker.getTypeAtLocation(decl);
    for (let depth = 0; type !== undefined && depth < 10; depth++) {
      const bases: ts.Type[] = type.isClassOrInterface() ? this.checker.getBaseTypes(type) : [];
      const base = bases[0];
      if (base === undefined) return false;
      const name = base.getSymbol()?.getName();
      if (name !== undefined && RESOURCE_BASES.has(name) && !this.ours(base.getSymbol()?.declarations?.[0] as ts.Node)) return true;
      type = base;
    }
    return false;
  }

  resource(decl: ts.ClassDeclaration): void {
    const cls = decl.name?.text ?? "(class)";
    for (const m of decl.members) {
      if (!ts.isPropertyDeclaration(m)) continue;
      if (m.modifiers?.some((x) => x.kind === ts.SyntaxKind.PrivateKeyword || x.kind === ts.SyntaxKind.ProtectedKeyword)) continue;
      this.report(`${cls}.${m.name.getText()}`, m);
    }
    // Outputs merged in from an interface of the class's name (core/declared-resource.ts): its own
    // members and those of the types it extends (the resource's plain output type).
    const symbol = decl.name === undefined ? undefined : this.checker.getSymbolAtLocation(decl.name);
    for (const d of symbol?.declarations ?? []) {
      if (!ts.isInterfaceDeclaration(d)) continue;
      this.members(cls, d.members);
      for (const base of d.heritageClauses?.flatMap((c) => c.types) ?? []) this.inside(cls, base);
    }
    const ctor = decl.members.find(ts.isConstructorDeclaration);
    const args = ctor?.parameters[1]?.type;
    if (args !== undefined) this.inside(`${cls}(args)`, args);
  }

  helper(decl: ts.FunctionDeclaration): void {
    const param = decl.parameters[0]?.type;
    if (decl.parameters.length !== 1 || param === undefined || !ts.isTypeReferenceNode(param) || !param.typeName.getText().endsWith("Args")) return;
    this.inside(`${decl.name?.text ?? "(function)"}(args)`, param);
    if (decl.type !== undefined) this.inside(`${decl.name?.text ?? "(function)"}()`, decl.type);
  }

  module(entry: ts.SourceFile): void {
    const moduleSymbol = this.checker.getSymbolAtLocation(entry);
    for (const exported of moduleSymbol === undefined ? [] : this.checker.getExportsOfModule(moduleSymbol)) {
      const symbol = exported.flags & ts.SymbolFlags.Alias ? this.checker.getAliasedSymbol(exported) : exported;
      for (const d of symbol.declarations ?? []) {
        if (ts.isClassDeclaration(d) && this.isResourceClass(d)) this.resource(d);
        else if (ts.isFunctionDeclaration(d)) this.helper(d);
      }
    }
  }
}

/** The doc problems of the resources exported by `entries` (TypeScript files), compiled with `tsconfig`. */
export function checkDocs(tsconfig: string, entries: string[]): DocProblem[] {
  const config = ts.getParsedCommandLineOfConfigFile(tsconfig, {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined });
  if (config === undefined) throw new Error(`cannot read ${tsconfig}`);
  const program = ts.createProgram({ rootNames: entries, options: { ...config.options, noEmit: true } });
  const checker = new Checker(program.getTypeChecker(), path.dirname(tsconfig));
  for (const entry of entries) {
    const sf = program.getSourceFile(entry);
    if (sf === undefined) throw new Error(`${entry} is not part of the program`);
    checker.module(sf);
  }
  return checker.problems;
}

if (require.main === module) {
  const root = path.resolve(__dirname, "..", __dirname.includes(`${path.sep}dist${path.sep}`) ? ".." : "");
  const problems = checkDocs(path.join(root, "tsconfig.build.json"), [path.join(root, "provider", "index.ts")]);
  for (const p of problems) console.error(`${p.where}: ${p.member} ${p.problem}`);
  if (problems.length > 0) {
    console.error(`${problems.length} input(s) or output(s) of exported resources lack a proper doc comment`);
    process.exit(1);
  }
  console.log("every input and output of every exported resource has a doc comment");
}
