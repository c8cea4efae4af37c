// The parts of Pulumi's package schema the plugin writes (pkg/codegen/schema/pulumi.json), and
// the contract every resource of the plugin fulfils. A resource joins the plugin with one
// `PluginModule` (its schema plus its operations) listed in registry.ts.
import type { ConfigSource } from "../../core/settings";
import type { Properties } from "./wire";

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

export type ChangeKind = "update" | "replace";

export interface CheckOutcome {
  inputs: Properties;
  failures: { property: string; reason: string }[];
}

/** What the plugin knows about a Check beyond the values. */
export interface CheckContext {
  /** The resource's URN. */
  urn: string;
  /** Whether any input arrived as (or holding) a secret. */
  secret: boolean;
}

/** One resource's operations in one plugin process (values plain: secrets already unwrapped). */
export interface ResourceOps {
  check(olds: Properties, news: Properties, ctx: CheckContext): Promise<CheckOutcome>;
  /** Changed inputs and their kind; `olds` are the recorded outputs. Throws to refuse a plan. */
  changes(id: string, olds: Properties, news: Properties): Promise<{ changes: Map<string, ChangeKind>; deleteBeforeReplace: boolean }>;
  /** Outputs after a create, from the inputs alone (preview; no API call). */
  planCreate(news: Properties): Properties;
  /** Outputs after an in-place update, from recorded outputs and new inputs alone (preview; no API call). */
  planUpdate(olds: Properties, news: Properties, changes: Map<string, ChangeKind>): Properties;
  create(news: Properties): Promise<{ id: string; outs: Properties }>;
  /** `props` empty: an import by id; the answer then carries the inputs that reproduce the outputs. */
  read(id: string, props: Properties, inputs: Properties): Promise<{ id: string; outs?: Properties; inputs?: Properties }>;
  update(id: string, olds: Properties, news: Properties): Promise<Properties>;
  delete(id: string, props: Properties): Promise<void>;
}

export type Invoke = (args: Properties) => Promise<Properties>;

/** One plugin process's implementation of a module, configured once per process. */
export interface ModuleInstance {
  configure(config: ConfigSource): void;
  resources: Record<string, ResourceOps>;
  functions?: Record<string, Invoke>;
}

/** A resource (or group of resources and functions) of the plugin: schema and implementation. */
export interface PluginModule {
  resources: Record<string, ResourceSpec>;
  functions?: Record<string, FunctionSpec>;
  types?: Record<string, TypeSpec>;
  /** Outputs that are always secret, per resource token. */
  secretOutputs?: Record<string, readonly string[]>;
  instantiate(): ModuleInstance;
}
