// The package schema `GetSchema` answers (Pulumi's pkg/codegen/schema/pulumi.json, the parts
// this package writes): the provider configuration, and each resource's fragment and types as its
// declaration (core/declare.ts) gives them. SDKs for other languages are generated from it (`pulumi
// package add`, scripts/gen-sdk.sh over scripts/schema.ts) and Pulumi YAML reads it directly. In the
// core, not in the plugin (front/plugin/), so that the plugin, the scripts and the tests build the
// one schema from the declarations; it loads at the plugin's start, so it loads no validator.
import { packageVersion as ownVersion } from "./package-version";
import { namedTypes, schemaOutputs, userInputs, type Declaration, type EnumType, type FieldType, type ObjectType } from "./declare";

export interface PropertySpec {
  type?: "string" | "number" | "integer" | "boolean" | "array" | "object";
  $ref?: string;
  items?: PropertySpec;
  additionalProperties?: PropertySpec;
  description?: string;
  secret?: boolean;
  willReplaceOnChanges?: boolean;
  replaceOnChanges?: boolean;
}

export interface ObjectTypeSpec {
  type: "object";
  description?: string;
  properties: Record<string, PropertySpec>;
  required?: string[];
}

export interface EnumTypeSpec {
  type: "string";
  description?: string;
  enum: { value: string; description?: string }[];
}

export type TypeSpec = ObjectTypeSpec | EnumTypeSpec;

export interface ResourceSpec {
  description: string;
  inputProperties: Record<string, PropertySpec>;
  requiredInputs?: string[];
  properties: Record<string, PropertySpec>;
  required?: string[];
}

export interface FunctionSpec {
  description: string;
  inputs: ObjectTypeSpec;
  outputs: ObjectTypeSpec;
}

/** What one part of the package adds to the schema (a plugin module: a resource, or invokes). */
export interface SchemaPart {
  resources: Record<string, ResourceSpec>;
  functions?: Record<string, FunctionSpec>;
  types?: Record<string, TypeSpec>;
}

/** The schema's type token of a declared resource. */
export const tokenOf = (decl: Declaration): string => `agent37:index:${decl.name}`;

/** A declared field type in the schema's terms: an object type by reference to its entry in `types`. */
export function typeSpec(type: FieldType): PropertySpec {
  if (type === "string[]") return { type: "array", items: { type: "string" } };
  if (type === "any") return { $ref: "pulumi.json#/Any" };
  if (typeof type === "string") return { type };
  if ("array" in type) return { type: "array", items: typeSpec(type.array) };
  if ("map" in type) return { type: "object", additionalProperties: typeSpec(type.map) };
  if ("enum" in type) return { $ref: `#/types/agent37:index:${type.enum}` };
  return { $ref: `#/types/agent37:index:${type.object}` };
}

/** An object type's entry in the schema's `types` section. */
export function objectTypeSpec(type: ObjectType): ObjectTypeSpec {
  const required = Object.entries(type.properties)
    .filter(([, p]) => p.required === true)
    .map(([k]) => k);
  return {
    type: "object",
    description: type.description,
    properties: Object.fromEntries(Object.entries(type.properties).map(([k, p]) => [k, { ...typeSpec(p.type), description: p.description }])),
    ...(required.length > 0 ? { required } : {}),
  };
}

/** An enum type's entry in the schema's `types` section. */
export function enumTypeSpec(type: EnumType): EnumTypeSpec {
  return { type: "string", description: type.description, enum: type.values.map((v) => ({ value: v.value, description: v.description })) };
}

/** One property of the schema: its type, description, and whether it is secret or replaces. */
function propertySpec(f: { type: FieldType; description: string; secret?: boolean }, replaces: boolean): PropertySpec {
  return { ...typeSpec(f.type), description: f.description, ...(f.secret === true ? { secret: true } : {}), ...(replaces ? { willReplaceOnChanges: true } : {}) };
}

/** The resource's schema fragment: its input properties, outputs and what is required. */
export function resourceSpec(decl: Declaration): ResourceSpec {
  const inputProperties = Object.fromEntries(userInputs(decl).map(([name, f]) => [name, propertySpec(f, f.onChange === "replace")]));
  const properties = Object.fromEntries(schemaOutputs(decl).map(([name, f]) => [name, propertySpec(f, f.willReplaceOnChanges === true)]));
  const requiredInputs = userInputs(decl)
    .filter(([, f]) => f.required === true)
    .map(([k]) => k);
  return {
    description: decl.description,
    inputProperties,
    // Left out when no input is required, as the hand-written schema of such a resource had it.
    ...(requiredInputs.length > 0 ? { requiredInputs } : {}),
    properties,
    required: schemaOutputs(decl)
      .filter(([, f]) => f.nullable !== true)
      .map(([k]) => k),
  };
}

/** What a declaration adds to the schema: its resource's fragment and the types it names. */
export function declaredSchema(decl: Declaration): Required<Omit<SchemaPart, "functions">> {
  return {
    resources: { [tokenOf(decl)]: resourceSpec(decl) },
    types: Object.fromEntries(namedTypes(decl).map((t) => ("enum" in t ? [`agent37:index:${t.enum}`, enumTypeSpec(t)] : [`agent37:index:${t.object}`, objectTypeSpec(t)]))),
  };
}

export const PACKAGE = "agent37";

/** This package's version, the plugin's too ("0.0.0" outside a pulumi-agent37 package). */
export function packageVersion(): string {
  return ownVersion("0.0.0");
}

const CONFIG: Record<string, PropertySpec> = {
  apiKey: {
    type: "string",
    secret: true,
    description: "Agent37 API key of the workspace to manage. Falls back to the AGENT37_API_KEY environment variable of the plugin.",
  },
  apiUrl: {
    type: "string",
    description: "Agent37 API base URL (http or https). Falls back to AGENT37_API_URL, then https://api.agent37.com.",
  },
  instanceUrlTemplate: {
    type: "string",
    description:
      "Template of per-port instance URLs, with `{host}` (e.g. `https://{host}.agent37.app`). Falls back to AGENT37_INSTANCE_URL_TEMPLATE; unset, port URLs derive from each instance's own URL.",
  },
};

/**
 * Configuration keys the engine must store encrypted: the schema's secret ones (`apiKey`).
 * CheckConfig marks them secret however they arrive, so a key given in plain text (an explicit
 * provider's argument, a YAML literal) never lands unencrypted in the provider's state.
 */
export const SECRET_CONFIG_KEYS: readonly string[] = Object.entries(CONFIG)
  .filter(([, spec]) => spec.secret === true)
  .map(([k]) => k);

const PROVIDER: ResourceSpec = {
  description:
    "The provider type for Agent37. An explicit provider (one per workspace key) lets one stack manage several workspaces; a change of key or URL replaces nothing.",
  inputProperties: CONFIG,
  properties: { apiUrl: CONFIG.apiUrl as PropertySpec, instanceUrlTemplate: CONFIG.instanceUrlTemplate as PropertySpec },
};

// Where the project lives, as package.json says (a test keeps them equal).
const REPOSITORY = "https://github.com/pulumi-agent37/pulumi-agent37";
const HOMEPAGE = "https://github.com/pulumi-agent37/pulumi-agent37#readme";

/**
 * What Pulumi's code generators need per language. The Python and Go SDKs under `sdk/` are
 * generated from these (scripts/gen-sdk.sh); `pulumi package add` uses them too.
 * `meta.supportPack` (below) makes every generator take the version from the schema and
 * write a self-contained package (Go: its own go.mod in `sdk/go`).
 */
export const LANGUAGE = {
  nodejs: {
    // Not `pulumi-agent37`: that is this npm package, which holds the plugin folder itself. An
    // SDK of the same name, linked into a project, would take its place in node_modules and
    // the plugin folder would be gone.
    packageName: "@pulumi-agent37/agent37",
    packageDescription: "Agent37 instances (AI-agent hosting) through the agent37 provider plugin.",
    respectSchemaVersion: true,
  },
  python: {
    packageName: "pulumi_agent37",
    // The floor Pulumi's Python generator (v3.274.1) states for the code it writes: every
    // resource calls `pulumi.runtime.exists_resource`, new in 3.269.0.
    requires: { pulumi: ">=3.269.0,<4.0.0" },
    respectSchemaVersion: true,
    pyproject: { enabled: true },
  },
  go: {
    importBasePath: "github.com/pulumi-agent37/pulumi-agent37/sdk/go/agent37",
    respectSchemaVersion: true,
    generateResourceContainerTypes: true,
  },
  csharp: {
    rootNamespace: "PulumiAgent37",
    packageReferences: { Pulumi: "3.*" },
    respectSchemaVersion: true,
  },
  java: {
    basePackage: "io.github.pulumiagent37",
    buildFiles: "gradle",
  },
} as const;

/** The package schema over its parts (the plugin's modules, registry.ts). */
export function buildSchema(modules: readonly SchemaPart[]): Record<string, unknown> {
  const resources: Record<string, unknown> = {};
  const functions: Record<string, unknown> = {};
  const types: Record<string, unknown> = {};
  for (const m of modules) {
    Object.assign(resources, m.resources);
    Object.assign(functions, m.functions ?? {});
    Object.assign(types, m.types ?? {});
  }
  return {
    name: PACKAGE,
    displayName: "Agent37",
    version: packageVersion(),
    description: "Manage Agent37 instances (AI-agent hosting) and the commands run in them.",
    keywords: ["pulumi", "agent37", "category/infrastructure", "kind/native"],
    license: "Apache-2.0",
    homepage: HOMEPAGE,
    repository: REPOSITORY,
    publisher: "pulumi-agent37",
    meta: { moduleFormat: "(.*)", supportPack: true },
    config: { variables: CONFIG },
    provider: PROVIDER,
    resources,
    functions,
    types,
    language: LANGUAGE,
  };
}
