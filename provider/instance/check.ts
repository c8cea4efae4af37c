// `check` for Agent37Instance outside the adapters (tests): the declaration's validation
// (fields.ts, each field's rules from inputs.ts), as the adapters apply it. No network; values
// still unknown at preview are left out of validation.
import { checkAgainst, type CheckFailure } from "../core/check";
import type { Loose } from "../core/declare";
import { inputSchema } from "../core/validate";
import { INSTANCE_DECL } from "./fields";

let schema: ReturnType<typeof inputSchema> | undefined;

/** Validates Agent37Instance inputs; every problem is a `{property, reason}` failure. */
export function checkInputs(news: Loose): CheckFailure[] {
  schema ??= inputSchema(INSTANCE_DECL);
  return checkAgainst(schema, INSTANCE_DECL.className, news);
}
