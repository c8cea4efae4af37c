// The contract every module of the plugin fulfils: its part of the package schema (core/schema.ts)
// and its implementation, made on first use. Modules are listed in registry.ts; seam resources and
// invokes become modules through adapter.ts.
import type { Loose } from "../../core/declare";
import type { ChangeKind } from "../../core/kinds";
import type { SchemaPart } from "../../core/schema";
import type { ConfigSource } from "../../core/settings";

/** What the plugin knows about a Check beyond the values. */
export interface CheckContext {
  /** The resource's URN. */
  urn: string;
  /** Whether any input arrived as (or holding) a secret. */
  secret: boolean;
}

/** One resource's operations in one plugin process (values plain: secrets already unwrapped). */
export interface ResourceOps {
  check(olds: Loose, news: Loose, ctx: CheckContext): Promise<{ inputs: Loose; failures: { property: string; reason: string }[] }>;
  /** Changed inputs and their kind; `olds` are the recorded outputs. Throws to refuse a plan. */
  changes(id: string, olds: Loose, news: Loose): Promise<{ changes: Map<string, ChangeKind>; deleteBeforeReplace: boolean }>;
  /** Outputs after a create, from the inputs alone (preview; no API call). */
  planCreate(news: Loose): Loose;
  /** Outputs after an in-place update, from recorded outputs and new inputs alone (preview; no API call). */
  planUpdate(olds: Loose, news: Loose, changes: Map<string, ChangeKind>): Loose;
  create(news: Loose): Promise<{ id: string; outs: Loose }>;
  /** `props` empty: an import by id; the answer then carries the inputs that reproduce the outputs. */
  read(id: string, props: Loose, inputs: Loose): Promise<{ id: string; outs?: Loose; inputs?: Loose }>;
  update(id: string, olds: Loose, news: Loose): Promise<Loose>;
  delete(id: string, props: Loose): Promise<void>;
}

export type Invoke = (args: Loose) => Promise<Loose>;

/** One plugin process's implementation of a module, configured once per process. */
export interface ModuleInstance {
  configure(config: ConfigSource): void;
  resources: Record<string, ResourceOps>;
  functions?: Record<string, Invoke>;
}

/** A resource (or a group of functions) of the plugin: its schema and its implementation. */
export interface PluginModule extends SchemaPart {
  /** Outputs that are always secret, per resource token. */
  secretOutputs?: Record<string, readonly string[]>;
  instantiate(): ModuleInstance;
}
