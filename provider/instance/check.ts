// Agent37Instance's `check`: its inputs schema applied by the shared validation.
import { checkAgainst, parseAgainst, type CheckFailure } from "../core/check";
import { InstanceInputs } from "./inputs";

/** Validates inputs; returns every problem as a `{property, reason}` failure. */
export function checkInputs(news: Record<string, unknown>): CheckFailure[] {
  return checkAgainst(InstanceInputs, "Agent37Instance", news);
}

/** Parses known inputs into their typed form (after a successful check); `null`s and `__provider` dropped. */
export function parseInputs(news: Record<string, unknown>): InstanceInputs {
  return parseAgainst(InstanceInputs, "Agent37Instance", news);
}
