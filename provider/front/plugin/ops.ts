// A resource's plugin operations built from its `pulumi.dynamic.ResourceProvider`, the same
// object the dynamic door runs: the plugin adds only the per-property change kinds and the
// preview plans, which come from the resource's own modules.
import type * as pulumi from "@pulumi/pulumi";
import { UNKNOWN } from "../../core/check";
import type { ChangeKind, ResourceOps } from "./spec";
import type { Properties } from "./wire";

export interface ResourcePlans {
  /** Changed inputs and their kind (olds = recorded outputs). */
  changes(olds: Properties, news: Properties): Map<string, ChangeKind>;
  planCreate(news: Properties): Properties;
  planUpdate(olds: Properties, news: Properties, changes: Map<string, ChangeKind>): Properties;
}

type Provider = Required<Pick<pulumi.dynamic.ResourceProvider, "check" | "diff" | "create" | "read" | "delete">> &
  Pick<pulumi.dynamic.ResourceProvider, "update">;

export function opsFromProvider(provider: Provider, plans: ResourcePlans): ResourceOps {
  return {
    async check(olds, news) {
      const r = await provider.check(olds, news);
      return { inputs: (r.inputs ?? news) as Properties, failures: (r.failures ?? []).map((f) => ({ property: f.property, reason: f.reason })) };
    },
    async changes(id, olds, news) {
      // The provider's own diff decides replaces and may refuse the plan (it throws then).
      const diff = await provider.diff(id, olds, news);
      const changes = plans.changes(olds, news);
      for (const k of diff.replaces ?? []) changes.set(k, "replace");
      return { changes, deleteBeforeReplace: diff.deleteBeforeReplace === true };
    },
    planCreate: (news) => plans.planCreate(news),
    planUpdate: (olds, news, changes) => plans.planUpdate(olds, news, changes),
    async create(news) {
      const r = await provider.create(news);
      return { id: r.id, outs: (r.outs ?? {}) as Properties };
    },
    async read(id, props) {
      const r = await provider.read(id, props);
      return {
        id: r.id ?? "",
        ...(r.props !== undefined ? { outs: r.props as Properties } : {}),
        ...(r.inputs !== undefined ? { inputs: r.inputs as Properties } : {}),
      };
    },
    async update(id, olds, news) {
      // A resource without updates replaces on every change; the engine never asks it to update.
      if (provider.update === undefined) throw new Error("this resource has no in-place update: every change replaces it");
      const r = await provider.update(id, olds, news);
      return (r.outs ?? {}) as Properties;
    },
    async delete(id, props) {
      await provider.delete(id, props);
    },
  };
}

/** A resource's change kinds given as a record (`provider/core/kinds.ts`), as a map. */
export function changesOf(record: Readonly<Record<string, ChangeKind>>): Map<string, ChangeKind> {
  return new Map(Object.entries(record));
}

/**
 * The planned outputs of an in-place update for a resource whose outputs echo its inputs: the
 * recorded outputs with each changed input's new value, everything else as it was.
 */
export function echoedUpdate(olds: Properties, planned: Properties, changes: Map<string, ChangeKind>): Properties {
  const out = { ...olds };
  for (const k of changes.keys()) if (k in planned) out[k] = planned[k];
  return out;
}

/** `planned` with every output of `keys` it leaves out marked unknown (the engine's sentinel). */
export function unknownUnlessPlanned(keys: readonly string[], planned: Properties): Properties {
  const out: Properties = {};
  for (const k of keys) out[k] = k in planned && planned[k] !== undefined ? planned[k] : UNKNOWN;
  return out;
}
