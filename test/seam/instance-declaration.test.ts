/**
 * Agent37Instance's one declaration (provider/instance/fields.ts) against what is still written by
 * hand beside it: the resource class and its `Args` (resource.ts), the plain output types
 * (types.ts), the input validation (inputs.ts) and the plugin's schema. Field by field: names,
 * types (nested objects, lists, maps and enums all the way down), required and nullable ones,
 * secret, and which inputs the schema says replace.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import * as ts from "typescript";
import { secretOutputs, userInputs, validatedInputs, type FieldType } from "../../provider/core/declare";
import { MODULES } from "../../provider/front/plugin/registry";
import { buildSchema } from "../../provider/core/schema";
import type { ResourceSpec } from "../../provider/core/schema";
import { INSTANCE_DECL } from "../../provider/instance/fields";
import { InstanceInputs } from "../../provider/instance/inputs";

const ROOT = path.resolve(__dirname, "..", "..");
const parse = (file: string): ts.SourceFile => ts.createSourceFile(file, fs.readFileSync(path.join(ROOT, file), "utf8"), ts.ScriptTarget.ES2022, true);
const RESOURCE = parse("provider/instance/resource.ts");
const TYPES = parse("provider/instance/types.ts");

/** The property members of the interface or class `name` in `sf`. */
function membersOf(sf: ts.SourceFile, name: string): Map<string, ts.PropertySignature | ts.PropertyDeclaration> {
  const out = new Map<string, ts.PropertySignature | ts.PropertyDeclaration>();
  const visit = (node: ts.Node): void => {
    if ((ts.isInterfaceDeclaration(node) || ts.isClassDeclaration(node)) && node.name?.text === name) {
      for (const m of node.members) if ((ts.isPropertySignature(m) || ts.isPropertyDeclaration(m)) && m.type !== undefined) out.set((m.name as ts.Identifier).text, m);
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  if (out.size === 0) throw new Error(`no interface or class ${name}`);
  return out;
}

const SCALAR: Record<string, string> = { string: "string", integer: "number", number: "number", boolean: "boolean" };

/** `pulumi.Input<X>` / `pulumi.Output<X>` as X. */
function unwrap(node: ts.TypeNode, wrapper: string): ts.TypeNode {
  if (ts.isTypeReferenceNode(node) && node.typeName.getText() === wrapper && node.typeArguments?.length === 1) return unwrap(node.typeArguments[0]!, wrapper);
  return node;
}

const isNull = (t: ts.TypeNode): boolean => ts.isLiteralTypeNode(t) && t.literal.kind === ts.SyntaxKind.NullKeyword;

/** `X | null` (or `X | undefined`, a plain type's absent property) as X, and whether the null was there. */
function withoutNull(node: ts.TypeNode): { node: ts.TypeNode; nullable: boolean } {
  if (!ts.isUnionTypeNode(node)) return { node, nullable: false };
  const rest = node.types.filter((t) => !isNull(t) && t.kind !== ts.SyntaxKind.UndefinedKeyword);
  if (rest.length === node.types.length) return { node, nullable: false };
  return { node: rest.length === 1 ? rest[0]! : ts.factory.createUnionTypeNode(rest), nullable: node.types.some(isNull) };
}

/** Text of a type node, whether parsed (with source positions) or built above. */
const text = (node: ts.TypeNode): string => (node.pos >= 0 ? node.getText() : ts.createPrinter().printNode(ts.EmitHint.Unspecified, node, RESOURCE));

/** Where the TypeScript `node` disagrees with the declared `type` (empty: they agree). `wrapper` is pulumi.Input for Args. */
function mismatches(where: string, node: ts.TypeNode, type: FieldType, wrapper: string | undefined): string[] {
  const inner = (n: ts.TypeNode): ts.TypeNode => withoutNull(wrapper === undefined ? n : unwrap(n, wrapper)).node;
  const n = inner(node);
  if (type === "any") return [];
  if (typeof type === "string" && type !== "string[]") {
    // A string output whose values the class names (`"running" | "stopped"`) is a string all the same.
    const literals = ts.isUnionTypeNode(n) && n.types.every((t) => ts.isLiteralTypeNode(t) && ts.isStringLiteral(t.literal));
    return text(n) === SCALAR[type] || (type === "string" && literals) ? [] : [`${where}: ${text(n)}, declared ${type}`];
  }
  if (type === "string[]" || "array" in type) {
    if (!ts.isArrayTypeNode(n)) return [`${where}: ${text(n)}, declared a list`];
    return mismatches(`${where}[]`, n.elementType, type === "string[]" ? "string" : type.array, wrapper);
  }
  if ("map" in type) {
    if (!ts.isTypeReferenceNode(n) || n.typeName.getText() !== "Record" || n.typeArguments?.length !== 2) return [`${where}: ${text(n)}, declared a map`];
    return mismatches(`${where}{}`, n.typeArguments[1]!, type.map, wrapper);
  }
  if ("enum" in type) {
    const want = type.values.map((v) => JSON.stringify(v.value)).join(" | ");
    return text(n) === want ? [] : [`${where}: ${text(n)}, declared ${want}`];
  }
  // An object: written inline, or by the name of a plain interface of types.ts.
  const members = ts.isTypeLiteralNode(n)
    ? new Map(n.members.filter(ts.isPropertySignature).map((m) => [(m.name as ts.Identifier).text, m] as const))
    : ts.isTypeReferenceNode(n)
      ? membersOf(TYPES, n.typeName.getText())
      : undefined;
  if (members === undefined) return [`${where}: ${text(n)}, declared the object ${type.object}`];
  const out: string[] = [];
  if ([...members.keys()].sort().join() !== Object.keys(type.properties).sort().join()) out.push(`${where}: members ${[...members.keys()].sort().join()}, declared ${Object.keys(type.properties).sort().join()}`);
  for (const [k, p] of Object.entries(type.properties)) {
    const m = members.get(k);
    if (m?.type === undefined) continue;
    // Args: optional exactly where the declaration does not require the property.
    if (wrapper !== undefined && (m.questionToken !== undefined) === (p.required === true)) out.push(`${where}.${k}: optional ${m.questionToken !== undefined}, declared required ${p.required === true}`);
    out.push(...mismatches(`${where}.${k}`, m.type, p.type, wrapper));
  }
  return out;
}

describe("Agent37Instance: the hand-written class and types held to the declaration", () => {
  const spec = (buildSchema(MODULES) as { resources: Record<string, ResourceSpec> }).resources["agent37:index:Instance"]!;

  it("Args: every user input, optional, of the declared type all the way down", () => {
    const args = membersOf(RESOURCE, "Agent37InstanceArgs");
    expect([...args.keys()]).toEqual(userInputs(INSTANCE_DECL).map(([k]) => k));
    const problems = userInputs(INSTANCE_DECL).flatMap(([k, f]) => {
      const m = args.get(k)!;
      return [...(m.questionToken === undefined ? [`${k}: not optional`] : []), ...mismatches(k, m.type!, f.type, "pulumi.Input")];
    });
    expect(problems).toEqual([]);
  });

  it("the class's outputs: every declared output, of its type, null exactly where declared nullable", () => {
    const outputs = membersOf(RESOURCE, "Agent37Instance");
    expect([...outputs.keys()]).toEqual(Object.keys(INSTANCE_DECL.outputs));
    const problems = Object.entries(INSTANCE_DECL.outputs).flatMap(([k, f]) => {
      const type = unwrap(outputs.get(k)!.type!, "pulumi.Output");
      const nullable = withoutNull(type).nullable;
      return [...(nullable === (f.nullable === true) ? [] : [`${k}: nullable ${nullable}`]), ...mismatches(k, type, f.type, undefined)];
    });
    expect(problems).toEqual([]);
  });

  it("the plain outputs (types.ts InstanceOutputs): every declared output, of its type", () => {
    const outputs = membersOf(TYPES, "InstanceOutputs");
    expect([...outputs.keys()].sort()).toEqual(Object.keys(INSTANCE_DECL.outputs).sort());
    expect(Object.entries(INSTANCE_DECL.outputs).flatMap(([k, f]) => mismatches(k, outputs.get(k)!.type!, f.type, undefined))).toEqual([]);
  });

  it("validation: inputs.ts validates exactly the declared inputs, internal ones included", () => {
    expect(Object.keys(InstanceInputs.shape).sort()).toEqual(validatedInputs(INSTANCE_DECL).map(([k]) => k).sort());
    // Each declared field's rules are inputs.ts's own.
    for (const [k, f] of validatedInputs(INSTANCE_DECL)) expect([k, f.schema?.()]).toEqual([k, InstanceInputs.shape[k as keyof typeof InstanceInputs.shape]]);
  });

  it("the schema: inputs, outputs, required outputs, secrets and replaces are the declaration's", () => {
    expect(Object.keys(spec.inputProperties)).toEqual(userInputs(INSTANCE_DECL).map(([k]) => k));
    expect(spec).not.toHaveProperty("requiredInputs");
    expect(Object.keys(spec.properties)).toEqual(Object.keys(INSTANCE_DECL.outputs));
    expect(spec.required).toEqual(Object.entries(INSTANCE_DECL.outputs).filter(([, f]) => f.nullable !== true).map(([k]) => k));
    const replaces = Object.entries(spec.inputProperties).filter(([, p]) => p.willReplaceOnChanges === true).map(([k]) => k);
    expect(replaces).toEqual(["type", "env", "adoptInstanceId"]);
    expect(replaces).toEqual(userInputs(INSTANCE_DECL).filter(([, f]) => f.onChange === "replace").map(([k]) => k));
    expect(Object.keys(spec.properties).filter((k) => spec.properties[k]?.secret === true)).toEqual(["env"]);
    expect(secretOutputs(INSTANCE_DECL)).toEqual(["env"]);
  });

  it("the class registers the declared secret outputs and every output key", () => {
    const source = fs.readFileSync(path.join(ROOT, "provider/instance/resource.ts"), "utf8");
    const listed = (name: string): unknown => JSON.parse(new RegExp(`const ${name} = (\\[.*\\]);`).exec(source)?.[1] ?? "null");
    expect(listed("OUTPUT_KEYS")).toEqual(Object.keys(INSTANCE_DECL.outputs));
    expect(listed("SECRET_OUTPUTS")).toEqual(secretOutputs(INSTANCE_DECL));
    // The base adds them to the program's own additionalSecretOutputs (test/provider/declared-resource.test.ts).
    expect(source).toContain('super("Instance", "instanceProvider", name, props, opts, SECRET_OUTPUTS);');
  });

  it("a disagreement is found: a renamed member, a type of another kind, a wrong enum", () => {
    const probe = ts.createSourceFile("p.ts", 'interface P { a: pulumi.Input<{ cpu?: pulumi.Input<string> }>; b: pulumi.Input<"x" | "y">; c: pulumi.Input<number[]> }', ts.ScriptTarget.ES2022, true);
    const m = membersOf(probe, "P");
    expect(mismatches("a", m.get("a")!.type!, { object: "R", description: "", properties: { cpu: { type: "integer", description: "" } } }, "pulumi.Input")).toEqual(["a.cpu: string, declared integer"]);
    expect(mismatches("a", m.get("a")!.type!, { object: "R", description: "", properties: { memory: { type: "integer", description: "" } } }, "pulumi.Input")).toEqual(["a: members cpu, declared memory"]);
    expect(mismatches("b", m.get("b")!.type!, { enum: "E", description: "", values: [{ value: "x", description: "" }] }, "pulumi.Input")).toEqual(['b: "x" | "y", declared "x"']);
    expect(mismatches("c", m.get("c")!.type!, { map: "integer" }, "pulumi.Input")).toEqual(["c: number[], declared a map"]);
  });
});
