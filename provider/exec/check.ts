// `check` for Agent37Exec outside the adapters (tests): the declaration's validation
// (fields.ts, core/validate.ts), as the adapters apply it. No network; values still unknown at
// preview are left out of validation.
import { checkAgainst, type CheckFailure } from "../core/check";
import type { Loose } from "../core/declare";
import { inputSchema } from "../core/validate";
import { EXEC } from "./fields";

let schema: ReturnType<typeof inputSchema> | undefined;

/** Validates Agent37Exec inputs; every problem is a `{property, reason}` failure. */
export function checkExecInputs(news: Loose): CheckFailure[] {
  schema ??= inputSchema(EXEC);
  return checkAgainst(schema, EXEC.className, news);
}
