// One declaration per resource: each field once (its type, description, whether it is required,
// secret, what a change does, where a preview's value comes from). Everything that used to restate
// a field comes from here: the zod validation of inputs, the diff's rules, the preview plan, the
// output key lists, the plugin's schema fragment, and the dynamic door's generated `Args` and
// output types (scripts/resource-source.ts; a test fails when the generated files drift).
import { z } from "zod";
import { propertyChanges, type ChangeKind, type DiffRules } from "./kinds";
import type { Loose } from "./wire";

/** The value types a field can have, as the schema and TypeScript both name them. */
export type FieldType = "string" | "integer" | "number" | "boolean" | "string[]";

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
  /** Message when the value has the wrong type. @default `<name> must be a <type>` */
  typeError?: string;
  /** Longest string accepted, in characters. */
  maxLength?: number;
  /** Further rules (zod refinements) on the field's base schema. */
  refine?: (schema: z.ZodType) => z.ZodType;
}

export interface OutputField {
  type: FieldType;
  description: string;
  /** May be null (the schema leaves it out of `required`). */
  nullable?: boolean;
  secret?: boolean;
  /**
   * Where a preview's value comes from: `input`, the checked input of the same name (unknown
   * when absent); `{input}`, the checked input of that name; `unknown`, assigned by Agent37.
   */
  plan: "input" | { input: string } | "unknown";
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
}

/** The inputs users write (computed ones left out). */
export function userInputs(decl: Declaration): [string, InputField][] {
  return Object.entries(decl.inputs).filter(([, f]) => f.computed !== true);
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

function base(name: string, field: InputField): z.ZodType {
  const error = field.typeError ?? `${name} must be ${field.type === "string[]" ? "a list of strings" : `a${field.type === "integer" ? "n" : ""} ${field.type}`}`;
  switch (field.type) {
    case "string":
      return field.maxLength === undefined ? z.string({ error }) : z.string({ error }).max(field.maxLength, `${name} must be at most ${field.maxLength} characters`);
    case "boolean":
      return z.boolean({ error });
    case "integer":
      return z.number({ error }).int(error);
    case "number":
      return z.number({ error });
    case "string[]":
      return z.array(z.string({ error }), { error });
  }
}

/** The strict zod schema of the user inputs (unknown fields are errors). */
export function inputSchema(decl: Declaration): z.ZodType {
  const shape: Record<string, z.ZodType> = {};
  for (const [name, field] of userInputs(decl)) {
    const schema = field.refine ? field.refine(base(name, field)) : base(name, field);
    shape[name] = field.required === true ? schema : schema.optional();
  }
  return z.strictObject(shape);
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

/** Outputs an in-place update cannot change: all of them when no input updates in place. */
export function stableOutputKeys(decl: Declaration): string[] {
  return Object.values(decl.inputs).some((f) => f.onChange === "update") ? [] : Object.keys(decl.outputs);
}

/** The outputs a preview of a create shows: each from its checked input, or unknown. */
export function plannedOutputs(decl: Declaration, checked: Loose, unknown: string): Loose {
  const out: Loose = {};
  for (const [name, field] of Object.entries(decl.outputs)) {
    const v = field.plan === "unknown" ? undefined : checked[field.plan === "input" ? name : field.plan.input];
    out[name] = v === undefined || v === null ? unknown : v;
  }
  return out;
}
