// The rule of Agent37DomainVerification's `timeoutSeconds` beyond its type (the inputs are
// declared in fields.ts), with messages that name the field and the rule.
import * as z from "zod";
import { MAX_VERIFY_TIMEOUT_SECONDS } from "./fields";

export { DEFAULT_VERIFY_TIMEOUT_SECONDS, MAX_VERIFY_TIMEOUT_SECONDS } from "./fields";

export const TimeoutSeconds = z
  .number({ error: "timeoutSeconds must be a number" })
  .int("timeoutSeconds must be a whole number of seconds")
  .min(1, `timeoutSeconds must be 1..${MAX_VERIFY_TIMEOUT_SECONDS}`)
  .max(MAX_VERIFY_TIMEOUT_SECONDS, `timeoutSeconds must be 1..${MAX_VERIFY_TIMEOUT_SECONDS}`);
