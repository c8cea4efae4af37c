// One declaration per resource: each field once (its type, description, whether it is required,
// secret, what a change does, where a preview's value comes from). Everything that used to restate
// a field comes from here: the validation of inputs (core/validate.ts), the diff's rules, the preview plan, the
// output key lists, the plugin's schema fragment, and the dynamic door's generated `Args` and
// output types (scripts/resource-source.ts; a test fails when the generated files drift).
import { containsUnknown } from "./check";
import { jsonEqual } from "./json";
import { propertyChanges, type ChangeKind, type DiffRules } from "./kinds";

/** A loose record of wire values: the one alias of its kind in provider/ (import it from here). */
export type Loose = Record<string, unknown>;

/** The single values a field can hold; `any` is any JSON value (the schema's `pulumi.json#/Any`). */
export type ScalarType = "string" | "integer" | "number" | "boolean" | "any";

/**
 * An object with declared properties: the plugin's schema lists it in its `types` section as
 * `agent37:index:<object>`, the dynamic door's `Args` as `Agent37<object>Args`, the plain types
 * as `<object>`.
 */
export interface ObjectType {
  object: string;
  description: string;
  properties: Readonly<Record<string, PropertyField>>;
}

/**
 * A string with a closed set of values: the plugin's schema lists it in its `types` section as
 * `agent37:index:<enum>` (an enum type), TypeScript as the union of the values.
 */
export interface EnumType {
  enum: string;
  description: string;
  values: readonly { value: string; description: string }[];
}

/**
 * The value types a field can have, as the schema and TypeScript both name them: a scalar, a
 * list of strings (`string[]`), a list or a string-keyed map of another type, an object, or an enum.
 */
export type FieldType = ScalarType | "string[]" | { array: FieldType } | { map: FieldType } | ObjectType | EnumType;

/** A property of an object type. */
export interface PropertyField {
  type: FieldType;
  description: string;
  required?: boolean;
}

/** Whether a field type is an object with declared properties. */
export const isObjectType = (type: FieldType): type is ObjectType => typeof type === "object" && "object" in type;

/** Whether a field type is an enum. */
export const isEnumType = (type: FieldType): type is EnumType => typeof type === "object" && "enum" in type;

/** Every object type a declaration names, nested ones included, once each by name. */
export function objectTypes(decl: Declaration): ObjectType[] {
  return namedTypes(decl).filter(isObjectType);
}

/** Every enum type a declaration names, nested ones included, once each by name. */
export function enumTypes(decl: Declaration): EnumType[] {
  return namedTypes(decl).filter(isEnumType);
}

/** Every object and enum type a declaration names, once each, in the order the fields name them. */
export function namedTypes(decl: Declaration): (ObjectType | EnumType)[] {
  const found = new Map<string, ObjectType | EnumType>();
  const visit = (type: FieldType): void => {
    if (typeof type === "string") return;
    if ("array" in type) return visit(type.array);
    if ("map" in type) return visit(type.map);
    if ("enum" in type) {
      if (!found.has(type.enum)) found.set(type.enum, type);
      return;
    }
    if (found.has(type.object)) return;
    found.set(type.object, type);
    for (const p of Object.values(type.properties)) visit(p.type);
  };
  for (const f of [...userInputs(decl).map(([, f]) => f), ...Object.values(decl.outputs)]) visit(f.type);
  return [...found.values()];
}

/** What changing an input does: replace the resource, update it in place, or nothing (read only at create, or derived). */
export type OnChange = "replace" | "update" | "none";

export interface InputField {
  type: FieldType;
  /** Shown in the schema, the SDKs and the dynamic door's `Args` doc comment. */
  description: string;
  required?: boolean;
  /** A secret input: the dynamic door marks its output secret, the schema says `secret`. */
  secret?: boolean;
  onChange: OnChange;
  /**
   * What an omitted (or null) value stands for, so the diff compares it as that value. Without a
   * default, an omitted input is not managed: the diff does not look at it.
   */
  default?: unknown;
  /**
   * The diff compares this (computed) input in its place, e.g. a key line by its fingerprint: a
   * change of the field itself is reported as a change of `comparedAs`.
   */
  comparedAs?: string;
  /**
   * Set by `check` from other inputs (users never write it): not in `Args`, not in the plugin's
   * input properties, dropped before validation.
   */
  computed?: boolean;
  /**
   * Set by the resource class (or the plugin), not by users: validated and recorded like any
   * input, but neither in `Args` nor in the plugin's schema.
   */
  internal?: boolean;
  /** Longest string accepted, in characters. */
  maxLength?: number;
  /**
   * The field's own validation schema, where its rules are more than the type (and `maxLength`)
   * say: it replaces the one core/validate.ts builds from them. Typed `unknown` so the
   * declaration's emitted types (which the public ones reach) name no type of the validator.
   */
  schema?: () => unknown;
}

export interface OutputField {
  type: FieldType;
  description: string;
  /** May be null (the schema leaves it out of `required`). */
  nullable?: boolean;
  secret?: boolean;
  /**
   * Where a preview's value comes from: `input`, the checked input of the same name (its default
   * when absent, else unknown); `{input}`, the checked input of that name; `{value}`, that value
   * (what a create that succeeds always records); `unknown`, assigned by Agent37.
   */
  plan: "input" | { input: string } | { value: string | number | boolean } | "unknown";
  /**
   * An in-place update never changes it (the dynamic diff's `stables`). Only read when some
   * input updates in place: otherwise every output is stable.
   */
  stable?: boolean;
  /** Recorded for the resource's own use: not in the plugin's schema. */
  internal?: boolean;
  /** The schema marks this output `willReplaceOnChanges` too (as the published schema has it). */
  willReplaceOnChanges?: boolean;
}

export interface Declaration {
  /** The type name: `agent37:index:<name>` in the plugin, `pulumi-nodejs:dynamic/agent37:<name>` in the dynamic door. */
  name: string;
  /** The dynamic door's resource class. */
  className: string;
  /** The class's entry in `pulumi-agent37/dynamic` (core/serialized.ts); state names it. */
  entry: string;
  description: string;
  inputs: Readonly<Record<string, InputField>>;
  outputs: Readonly<Record<string, OutputField>>;
  /** Why the resource cannot be imported (a read with no recorded outputs fails, saying so). @default importable */
  notImportable?: string;
  /**
   * The internal input that records whether any input was a Pulumi secret: the dynamic door's
   * class sets it, the plugin from the secrets it was sent.
   */
  secretInputsFlag?: string;
  /**
   * The dynamic door's class registers the secret outputs itself (`additionalSecretOutputs`), and
   * the operations wrap those that depend on the run: the dynamic adapter returns the outputs as
   * they are, as state written by 0.1.0 holds them. @default the adapter marks them secret
   */
  classMarksSecrets?: boolean;
  /**
   * The internal input that holds the resource's create key (core/create-key.ts): the dynamic
   * door's class sets it, the plugin adapter fills it at check from the URN when the program left
   * it out, so a run can recognise what an earlier run of this resource began to create.
   */
  createKeyInput?: string;
  /**
   * The internal input that holds the create scope (what tells this stack's creates from those of
   * a same-named stack elsewhere): the dynamic door's class sets it, the plugin adapter fills it
   * at create (never at check: a preview may have drawn another scope) from the provider's
   * `agent37:_createScope` configuration, when absent.
   */
  createScopeInput?: string;
  /**
   * A null input means what omitting it means: the checked inputs, and the new inputs a diff
   * compares, hold none (Agent37Instance, whose state written by 0.1.0 was checked so). @default nulls kept
   */
  dropsNulls?: boolean;
}

/** The inputs users write (computed and internal ones left out). */
export function userInputs(decl: Declaration): [string, InputField][] {
  return Object.entries(decl.inputs).filter(([, f]) => f.computed !== true && f.internal !== true);
}

/** The inputs check validates: the users' and the internal ones (computed ones check writes itself). */
export function validatedInputs(decl: Declaration): [string, InputField][] {
  return Object.entries(decl.inputs).filter(([, f]) => f.computed !== true);
}

/** The outputs the plugin's schema lists (internal ones left out). */
export function schemaOutputs(decl: Declaration): [string, OutputField][] {
  return Object.entries(decl.outputs).filter(([, f]) => f.internal !== true);
}

/** Outputs that are not user inputs: the dynamic class registers them as `undefined` so Pulumi fills them. */
export function outputOnlyKeys(decl: Declaration): string[] {
  const user = new Set(userInputs(decl).map(([k]) => k));
  return Object.keys(decl.outputs).filter((k) => !user.has(k));
}

/** Outputs that are always secret. */
export function secretOutputs(decl: Declaration): string[] {
  return Object.entries(decl.outputs)
    .filter(([k, f]) => f.secret === true || decl.inputs[k]?.secret === true)
    .map(([k]) => k);
}

/** The diff's rules: every input whose change does something, compared as itself or as its `comparedAs`. */
export function diffRules(decl: Declaration): DiffRules {
  const rules: Record<string, { kind: "replace" | "update"; absent?: unknown }> = {};
  for (const [name, field] of Object.entries(decl.inputs)) {
    if (field.onChange === "none" || field.comparedAs !== undefined) continue;
    rules[name] = field.default === undefined ? { kind: field.onChange } : { kind: field.onChange, absent: field.default };
  }
  return rules;
}

/**
 * The inputs that differ between `olds` (recorded outputs, which echo the inputs) and the checked
 * `news`, each with the kind of its change; an omitted input without a default is not compared.
 * Pure.
 */
export function declaredChanges(decl: Declaration, olds: Loose, news: Loose): Record<string, ChangeKind> {
  const rules: Record<string, DiffRules[string]> = {};
  for (const [name, rule] of Object.entries(diffRules(decl))) {
    const omitted = news[name] === undefined || news[name] === null;
    if (!omitted || decl.inputs[name]?.default !== undefined) rules[name] = rule;
  }
  return propertyChanges(rules, olds, news);
}

/** Outputs an in-place update cannot change: all of them when no input updates in place, else those declared `stable`. */
export function stableOutputKeys(decl: Declaration): string[] {
  if (!Object.values(decl.inputs).some((f) => f.onChange === "update")) return Object.keys(decl.outputs);
  return Object.entries(decl.outputs)
    .filter(([, f]) => f.stable === true)
    .map(([k]) => k);
}

/**
 * The outputs a preview of a create shows: each from its checked input (an omitted one as its
 * declared default, when it has one), or unknown.
 */
export function plannedOutputs(decl: Declaration, checked: Loose, unknown: string): Loose {
  const out: Loose = {};
  for (const [name, field] of Object.entries(decl.outputs)) {
    const plan = field.plan;
    if (typeof plan === "object" && "value" in plan) {
      out[name] = plan.value;
      continue;
    }
    const input = plan === "unknown" ? undefined : plan === "input" ? name : plan.input;
    const v = input === undefined ? undefined : (checked[input] ?? decl.inputs[input]?.default);
    out[name] = v === undefined || (v === null && decl.inputs[input ?? ""]?.default !== null) ? unknown : v;
  }
  return out;
}

/**
 * The outputs an update leaves as they are: every output whose planned value is known and equal
 * to the recorded one (an Agent37Instance rename: `instanceId`, `url`, `ports`, `portUrls`
 * and the rest but `name`). The plugin's diff answers them as its stables, for any resource.
 */
export function stableOutputs(olds: Loose, planned: Loose): string[] {
  const o = olds ?? {};
  return Object.keys(planned)
    .filter((k) => !containsUnknown(planned[k]) && k in o && jsonEqual(planned[k], o[k]))
    .sort();
}
