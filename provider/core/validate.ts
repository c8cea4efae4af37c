// The zod schema of a resource's inputs, built from its declaration (core/declare.ts); check and
// the typed parse (core/check.ts) apply it. Kept apart from the declaration, so the declaration's
// emitted types, which the public ones reach, name no zod type.
import { z } from "zod";
import { userInputs, type Declaration, type InputField } from "./declare";

function base(name: string, field: InputField): z.ZodType {
  const error = `${name} must be ${field.type === "string[]" ? "a list of strings" : `a${field.type === "integer" ? "n" : ""} ${field.type}`}`;
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
    const schema = field.schema ? (field.schema() as z.ZodType) : base(name, field);
    shape[name] = field.required === true ? schema : schema.optional();
  }
  return z.strictObject(shape);
}

