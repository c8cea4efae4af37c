// The source of a resource's generated files, from its one declaration (provider/core/declare.ts):
// `types.ts` (its plain inputs and outputs, for its operations) and `resource.ts` (the dynamic
// door's class with its `Args`, doc comments from the declaration's descriptions). Plain
// TypeScript, so the emitted .d.ts names no zod type. Written by scripts/gen-resources.ts; a
// test renders them again and fails on any difference.
import { objectTypes, outputOnlyKeys, secretOutputs, userInputs, type Declaration, type EnumType, type FieldType, type ObjectType } from "../provider/core/declare";

const TS: Record<Extract<FieldType, string>, string> = { string: "string", integer: "number", number: "number", boolean: "boolean", any: "unknown", "string[]": "string[]" };

/** An enum as the union of its values (`"dedicated" | "shared"`). */
const enumUnion = (type: EnumType): string => type.values.map((v) => JSON.stringify(v.value)).join(" | ");

/** The plain TypeScript type of a declared field type (an object type by its interface in `types.ts`). */
export function tsType(type: FieldType): string {
  if (typeof type === "string") return TS[type];
  if ("array" in type) return `${tsType(type.array)}[]`;
  if ("map" in type) return `Record<string, ${tsType(type.map)}>`;
  if ("enum" in type) return enumUnion(type);
  return type.object;
}

/**
 * The type an `Args` member wraps in `pulumi.Input<...>`: each element, value and property of a
 * nested type is an input of its own, as Pulumi's generated SDKs have it.
 */
export function argType(type: FieldType): string {
  if (type === "string[]") return "pulumi.Input<string>[]";
  if (typeof type === "string") return TS[type];
  if ("array" in type) return `pulumi.Input<${argType(type.array)}>[]`;
  if ("map" in type) return `Record<string, pulumi.Input<${argType(type.map)}>>`;
  if ("enum" in type) return enumUnion(type);
  return `Agent37${type.object}Args`;
}

/** An object type's interface: plain (`types.ts`) or of inputs (`resource.ts`). */
function objectInterface(type: ObjectType, args: boolean): string[] {
  const out = [...doc(type.description, ""), `export interface ${args ? `Agent37${type.object}Args` : type.object} {`];
  for (const [name, p] of Object.entries(type.properties)) {
    out.push(...doc(p.description, "  "), `  ${name}${p.required === true ? "" : "?"}: ${args ? `pulumi.Input<${argType(p.type)}>` : tsType(p.type)};`);
  }
  return [...out, "}", ""];
}

/** `text` as a doc comment at `indent`, wrapped at 100 columns. */
function doc(text: string, indent: string): string[] {
  const width = 100 - indent.length - 3;
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(/\s+/)) {
    if (line !== "" && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line === "" ? word : `${line} ${word}`;
  }
  if (line !== "") lines.push(line);
  if (lines.length === 1 && lines[0]!.length + 7 <= width + 3) return [`${indent}/** ${lines[0]} */`];
  return [`${indent}/**`, ...lines.map((l) => `${indent} * ${l}`), `${indent} */`];
}

function header(decl: Declaration, folder: string): string[] {
  return [`// Generated from provider/${folder}/fields.ts by scripts/gen-resources.ts: do not edit; a test fails when it drifts.`];
}

/** `types.ts`: the resource's inputs (as validated) and outputs (as recorded). */
export function typesSource(decl: Declaration, folder: string): string {
  const out = [...header(decl, folder), `// The plain values ${decl.className}'s operations take and give.`, ""];
  for (const t of objectTypes(decl)) out.push(...objectInterface(t, false));
  out.push(...doc(`The inputs of ${decl.className}, as check validated them.`, ""), `export interface ${decl.name}Inputs {`);
  for (const [name, f] of userInputs(decl)) out.push(...doc(f.description, "  "), `  ${name}${f.required === true ? "" : "?"}: ${tsType(f.type)};`);
  out.push("}", "");
  out.push(...doc(`What an ${decl.className} resolves to.`, ""), `export interface ${decl.name}Outputs {`);
  for (const [name, f] of Object.entries(decl.outputs)) out.push(...doc(f.description, "  "), `  ${name}: ${tsType(f.type)}${f.nullable === true ? " | null" : ""};`);
  out.push("}", "");
  return out.join("\n");
}

/**
 * `resource.ts`: the dynamic door's resource class and its `Args`. The class is its constructor
 * over core/declared-resource.ts; its outputs are `types.ts`'s, merged in as properties, so that
 * each keeps its type and doc comment without being written twice.
 */
export function resourceSource(decl: Declaration, folder: string): string {
  const inputs = userInputs(decl);
  const secrets = secretOutputs(decl);
  const out = [
    ...header(decl, folder),
    `// The ${decl.className} resource class users write in their programs.`,
    'import type * as pulumi from "@pulumi/pulumi";',
    'import { DeclaredResource, declaredProps, type OutputProperties } from "../core/declared-resource";',
    `import type { ${decl.name}Outputs } from "./types";`,
    "",
    ...objectTypes(decl).flatMap((t) => objectInterface(t, true)),
    `/** Inputs of {@link ${decl.className}}. */`,
    `export interface ${decl.className}Args {`,
  ];
  for (const [name, f] of inputs) out.push(...doc(f.description, "  "), `  ${name}${f.required === true ? "" : "?"}: pulumi.Input<${argType(f.type)}>;`);
  out.push("}", "", `const OUTPUT_KEYS = [${outputOnlyKeys(decl).map((k) => JSON.stringify(k)).join(", ")}] as const;`, "");
  if (secrets.length > 0) out.push(`const SECRET_OUTPUTS = [${secrets.map((k) => JSON.stringify(k)).join(", ")}];`, "");
  const props = `declaredProps(args, [${inputs.map(([k]) => JSON.stringify(k)).join(", ")}], OUTPUT_KEYS)`;
  out.push(
    ...doc(decl.description, ""),
    "// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging -- its outputs are the interface's (below), set by Pulumi's constructor",
    `export class ${decl.className} extends DeclaredResource {`,
    `  constructor(name: string, args: ${decl.className}Args, opts: pulumi.CustomResourceOptions = {}) {`,
    `    super(${JSON.stringify(decl.name)}, ${JSON.stringify(decl.entry)}, name, ${props}, opts${secrets.length > 0 ? ", SECRET_OUTPUTS" : ""});`,
    "  }",
    "}",
    "",
    // After the class: typedoc reads a class's heritage from the first of its declarations.
    "// Its outputs, as properties (see core/declared-resource.ts): Pulumi's constructor sets them.",
    "// eslint-disable-next-line @typescript-eslint/no-empty-object-type, @typescript-eslint/no-unsafe-declaration-merging -- its members are the merged ones",
    `export interface ${decl.className} extends OutputProperties<${decl.name}Outputs> {}`,
    "",
  );
  return out.join("\n");
}
