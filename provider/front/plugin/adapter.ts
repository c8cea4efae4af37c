// The plugin door's adapter for the seam (core/resource.ts): a resource, or a resource's invokes,
// as a `PluginModule`. A resource's schema, change kinds, preview plans and secret outputs come
// from its declaration; its operations are those of the dynamic door's adapter over the same
// resource, so validation, explained errors and init failures are the same in both doors. Wire
// values are decoded in provider.ts (secrets unwrapped once, marked again on the way out).
// The schema comes from the declaration alone; the resource's operations (and zod with them) load
// when the plugin first serves the module (registry.ts).
/* eslint-disable @typescript-eslint/no-require-imports -- see above */
import { UNKNOWN } from "../../core/check";
import { createKeyOfUrn, CREATE_SCOPE_KEY } from "../../core/create-key";
import { declaredChanges, plannedOutputs, secretOutputs, type Declaration, type Loose } from "../../core/declare";
import type { OperationContext, Resource } from "../../core/resource";
import { declaredSchema, tokenOf, type FunctionSpec } from "../../core/schema";
import type { Invoke, PluginModule, ResourceOps } from "./spec";

/** A seam resource as one module of the plugin: its declaration, and its resource loaded on first use. */
export function pluginModule<I, O>(decl: Declaration, load: () => Resource<I, O>): PluginModule {
  const token = tokenOf(decl);
  return {
    ...declaredSchema(decl),
    secretOutputs: { [token]: secretOutputs(decl).filter((k) => decl.outputs[k]?.internal !== true) },
    instantiate() {
      const resource = load();
      const { DynamicAdapter } = require("../dynamic/adapter") as typeof import("../dynamic/adapter");
      const provider = new DynamicAdapter(resource);
      const plan = (news: Loose) => plannedOutputs(decl, news, UNKNOWN);
      const flag = decl.secretInputsFlag;
      const keyInput = decl.createKeyInput;
      // The dynamic door's class gives the create key; here it comes from the URN, when absent.
      const withKey = (news: Loose, urn: string) => (keyInput !== undefined && news[keyInput] === undefined ? { ...news, [keyInput]: createKeyOfUrn(urn, token) } : news);
      const scopeInput = decl.createScopeInput;
      // The provider's create scope (core/create-key.ts), from Configure; none before it or in 0.1.0 state.
      let scope: string | undefined;
      const ops: ResourceOps = {
        async check(olds, news, ctx) {
          // Secrets arrive marked here (the dynamic door's class says it with the flag itself).
          const given = withKey(flag !== undefined && ctx.secret && news[flag] === undefined ? { ...news, [flag]: true } : news, ctx.urn);
          const r = await provider.check(olds, given);
          return { inputs: (r.inputs ?? given) as Loose, failures: (r.failures ?? []).map((f) => ({ property: f.property, reason: f.reason })) };
        },
        async changes(id, olds, news) {
          // The provider's own diff decides replaces and may refuse the plan (it throws then).
          const diff = await provider.diff(id, olds, news);
          const changes = new Map(Object.entries(resource.changes ? resource.changes(olds, news) : declaredChanges(decl, olds, news)));
          for (const k of diff.replaces ?? []) changes.set(k, "replace");
          return { changes, deleteBeforeReplace: diff.deleteBeforeReplace === true };
        },
        planCreate: (news) => (resource.planCreate ? resource.planCreate(plan(news), news) : plan(news)),
        planUpdate: (olds, news) => (resource.planUpdate ? resource.planUpdate(olds as Partial<O>, plan(news), news) : olds),
        async create(news) {
          // The URN names project and stack only; the provider's scope tells this stack's creates
          // from those of a same-named stack in another backend or organization. Given to the
          // create alone, not kept in the inputs: a preview may have drawn another scope.
          const r = await provider.create(scopeInput !== undefined && scope !== undefined && news[scopeInput] === undefined ? { ...news, [scopeInput]: scope } : news);
          return { id: r.id, outs: (r.outs ?? {}) as Loose };
        },
        async read(id, props) {
          if (decl.notImportable !== undefined && Object.keys(props).length === 0) throw new Error(`${token} cannot be imported: ${decl.notImportable}`);
          const r = await provider.read(id, props);
          return { id: r.id ?? "", ...(r.props !== undefined ? { outs: r.props as Loose } : {}), ...(r.inputs !== undefined ? { inputs: r.inputs as Loose } : {}) };
        },
        update: async (id, olds, news) => ((await provider.update(id, olds, news)).outs ?? {}) as Loose,
        delete: (id, props) => provider.delete(id, props),
      };
      return {
        configure(config) {
          provider.configure({ config } as never);
          scope = config.get(`agent37:${CREATE_SCOPE_KEY}`);
        },
        resources: { [token]: ops },
      };
    },
  };
}

/**
 * A resource's invokes as one module of the plugin: their schema, and their implementation over
 * the seam's operation context (one connection, configured as every module is), made on first use.
 */
export function invokesModule(functions: Record<string, FunctionSpec>, load: (ctx: OperationContext) => Record<string, Invoke>): PluginModule {
  return {
    resources: {},
    functions,
    instantiate() {
      const { Connection } = require("../../core/connection") as typeof import("../../core/connection");
      const connection = new Connection();
      return {
        configure: (config) => connection.configure(config),
        resources: {},
        functions: load({ client: () => connection.client().client, connection: () => connection }),
      };
    },
  };
}
