// The plugin door's adapter for seam resources (core/resource.ts): a `PluginModule` whose schema
// fragment, change kinds, preview plans and secret outputs come from the resource's declaration.
// Wire values are decoded in server.ts (secrets unwrapped once, marked again on the way out); the
// operations are those of the dynamic door's adapter over the same resource, so validation,
// explained errors and init failures are the same in both doors.
// The schema comes from the declaration alone; the resource's operations (and zod with them) load
// when the plugin first serves the module (registry.ts).
/* eslint-disable @typescript-eslint/no-require-imports -- see above */
import { UNKNOWN } from "../../core/check";
import { createKeyOfUrn } from "../../core/create-key";
import { declaredChanges, namedTypes, plannedOutputs, schemaOutputs, secretOutputs, userInputs, type Declaration, type EnumType, type FieldType, type ObjectType } from "../../core/declare";
import type { Resource } from "../../core/resource";
import { CREATE_SCOPE_KEY } from "./config";
import { changesOf, opsFromProvider } from "./ops";
import type { EnumTypeSpec, ObjectTypeSpec, PluginModule, PropertySpec, ResourceSpec } from "./spec";

/** The plugin's type token of a declared resource. */
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

/** What a declaration gives a plugin module: its resource's schema fragment, its types and its secret outputs. */
export function declaredModule(decl: Declaration): Required<Pick<PluginModule, "resources" | "types" | "secretOutputs">> {
  const token = tokenOf(decl);
  return {
    resources: { [token]: resourceSpec(decl) },
    types: Object.fromEntries(namedTypes(decl).map((t) => ("enum" in t ? [`agent37:index:${t.enum}`, enumTypeSpec(t)] : [`agent37:index:${t.object}`, objectTypeSpec(t)]))),
    secretOutputs: { [token]: secretOutputs(decl).filter((k) => decl.outputs[k]?.internal !== true) },
  };
}

/** A seam resource as one module of the plugin: its declaration, and its resource loaded on first use. */
export function pluginModule<I, O>(decl: Declaration, load: () => Resource<I, O>): PluginModule {
  const token = tokenOf(decl);
  return {
    ...declaredModule(decl),
    instantiate() {
      const resource = load();
      const { DynamicAdapter } = require("../dynamic/adapter") as typeof import("../dynamic/adapter");
      const provider = new DynamicAdapter(resource);
      const plan = (news: Record<string, unknown>) => plannedOutputs(decl, news, UNKNOWN);
      const ops = opsFromProvider(provider, {
        changes: (olds, news) => changesOf(resource.changes ? resource.changes(olds, news) : declaredChanges(decl, olds, news)),
        planCreate: (news) => (resource.planCreate ? resource.planCreate(plan(news), news) : plan(news)),
        planUpdate: (olds, news) => (resource.planUpdate ? resource.planUpdate(olds as Partial<O>, plan(news), news) : olds),
      });
      const flag = decl.secretInputsFlag;
      const keyInput = decl.createKeyInput;
      // The dynamic door's class gives the create key; here it comes from the URN, when absent.
      const withKey = (news: Record<string, unknown>, urn: string) => (keyInput !== undefined && news[keyInput] === undefined ? { ...news, [keyInput]: createKeyOfUrn(urn, token) } : news);
      const scopeInput = decl.createScopeInput;
      // The provider's create scope (config.ts), from Configure; none before it or in 0.1.0 state.
      let scope: string | undefined;
      return {
        configure(config) {
          provider.configure({ config } as never);
          scope = config.get(`agent37:${CREATE_SCOPE_KEY}`);
        },
        resources: {
          [token]: {
            ...ops,
            // Secrets arrive marked here (the dynamic door's class says it with the flag itself).
            check: (olds, news, ctx) => ops.check(olds, withKey(flag !== undefined && ctx.secret && news[flag] === undefined ? { ...news, [flag]: true } : news, ctx.urn), ctx),
            // The URN names project and stack only; the provider's scope tells this stack's creates
            // from those of a same-named stack in another backend or organization. Given to the
            // create alone, not kept in the inputs: a preview may have drawn another scope.
            create: (news) => ops.create(scopeInput !== undefined && scope !== undefined && news[scopeInput] === undefined ? { ...news, [scopeInput]: scope } : news),
            async read(id, props, inputs) {
              if (decl.notImportable !== undefined && Object.keys(props).length === 0) throw new Error(`${token} cannot be imported: ${decl.notImportable}`);
              return ops.read(id, props, inputs);
            },
          },
        },
      };
    },
  };
}
