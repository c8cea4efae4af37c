// The zod schema of a resource's inputs, built from its declaration (core/declare.ts); check and
// the typed parse (core/check.ts) apply it. Kept apart from the declaration, so the declaration's
// emitted types, which the public ones reach, name no zod type.
import * as z from "zod";
import { validatedInputs, type Declaration, type FieldType, type InputField } from "./declare";

/** What a value of `type` is, in a failure's words (`a list of strings`, `an integer`). */
function noun(type: FieldType): string {
  if (type === "string[]") return "a list of strings";
  if (type === "any") return "a value";
  if (typeof type === "string") return `a${type === "integer" ? "n" : ""} ${type}`;
  if ("array" in type) return "a list";
  if ("enum" in type) return `one of ${type.values.map((v) => JSON.stringify(v.value)).join(", ")}`;
  return "an object";
}

/** The schema of a value of `type` at `name` (`build`, `build.context`, `env values`). */
function typed(name: string, type: FieldType, maxLength?: number): z.ZodType {
  const error = `${name} must be ${noun(type)}`;
  if (typeof type === "object") {
    if ("array" in type) return z.array(typed(`${name} entries`, type.array), { error });
    if ("map" in type) return z.record(z.string(), typed(`${name} values`, type.map), { error });
    if ("enum" in type) return z.enum(type.values.map((v) => v.value) as [string, ...string[]], { error });
    const shape: Record<string, z.ZodType> = {};
    for (const [k, p] of Object.entries(type.properties)) {
      const schema = typed(`${name}.${k}`, p.type);
      shape[k] = p.required === true ? schema : schema.optional();
    }
    return z.strictObject(shape, { error });
  }
  switch (type) {
    case "string":
      return maxLength === undefined ? z.string({ error }) : z.string({ error }).max(maxLength, `${name} must be at most ${maxLength} characters`);
    case "boolean":
      return z.boolean({ error });
    case "integer":
      return z.number({ error }).int(error);
    case "number":
      return z.number({ error });
    case "any":
      return z.unknown();
    case "string[]":
      return z.array(z.string({ error }), { error });
  }
}

function base(name: string, field: InputField): z.ZodType {
  return typed(name, field.type, field.maxLength);
}

/** The strict zod schema of the validated inputs (unknown fields are errors). */
export function inputSchema(decl: Declaration): z.ZodType {
  const shape: Record<string, z.ZodType> = {};
  for (const [name, field] of validatedInputs(decl)) {
    const schema = field.schema ? (field.schema() as z.ZodType) : base(name, field);
    shape[name] = field.required === true ? schema : schema.optional();
  }
  return z.strictObject(shape);
}
