// The plugin door's adapter for seam resources (core/resource.ts): a `PluginModule` whose schema
// fragment, change kinds, preview plans and secret outputs come from the resource's declaration.
// Wire values are decoded in server.ts (secrets unwrapped once, marked again on the way out); the
// operations are those of the dynamic door's adapter over the same resource, so validation,
// explained errors and init failures are the same in both doors.
// The schema comes from the declaration alone; the resource's operations (and zod with them) load
// when the plugin first serves the module (registry.ts).
/* eslint-disable @typescript-eslint/no-require-imports -- see above */
import { UNKNOWN } from "../../core/check";
import { declaredChanges, plannedOutputs, secretOutputs, userInputs, type Declaration, type FieldType } from "../../core/declare";
import type { Resource } from "../../core/resource";
import { changesOf, opsFromProvider } from "./ops";
import type { PluginModule, PropertySpec, ResourceSpec } from "./spec";

/** The plugin's type token of a declared resource. */
export const tokenOf = (decl: Declaration): string => `agent37:index:${decl.name}`;

/** A declared field type in the schema's terms. */
export function typeSpec(type: FieldType): PropertySpec {
  return type === "string[]" ? { type: "array", items: { type: "string" } } : { type };
}

/** The resource's schema fragment: its input properties, outputs and what is required. */
export function resourceSpec(decl: Declaration): ResourceSpec {
  const inputProperties: Record<string, PropertySpec> = {};
  for (const [name, f] of userInputs(decl)) {
    inputProperties[name] = {
      ...typeSpec(f.type),
      description: f.description,
      ...(f.secret === true ? { secret: true } : {}),
      ...(f.onChange === "replace" ? { willReplaceOnChanges: true } : {}),
    };
  }
  const properties: Record<string, PropertySpec> = {};
  for (const [name, f] of Object.entries(decl.outputs)) properties[name] = { ...typeSpec(f.type), description: f.description, ...(f.secret === true ? { secret: true } : {}) };
  return {
    description: decl.description,
    inputProperties,
    requiredInputs: userInputs(decl)
      .filter(([, f]) => f.required === true)
      .map(([k]) => k),
    properties,
    required: Object.entries(decl.outputs)
      .filter(([, f]) => f.nullable !== true)
      .map(([k]) => k),
  };
}

/** A seam resource as one module of the plugin: its declaration, and its resource loaded on first use. */
export function pluginModule<I, O>(decl: Declaration, load: () => Resource<I, O>): PluginModule {
  const token = tokenOf(decl);
  return {
    resources: { [token]: resourceSpec(decl) },
    secretOutputs: { [token]: secretOutputs(decl) },
    instantiate() {
      const resource = load();
      const { DynamicAdapter } = require("../dynamic/adapter") as typeof import("../dynamic/adapter");
      const provider = new DynamicAdapter(resource);
      const plan = (news: Record<string, unknown>) => plannedOutputs(decl, news, UNKNOWN);
      return {
        configure(config) {
          provider.configure({ config } as never);
        },
        resources: {
          [token]: opsFromProvider(provider, {
            changes: (olds, news) => changesOf(declaredChanges(decl, olds, news)),
            planCreate: plan,
            planUpdate: (olds, news) => (resource.planUpdate ? resource.planUpdate(olds as Partial<O>, plan(news), news) : olds),
          }),
        },
      };
    },
  };
}
