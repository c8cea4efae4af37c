// Schemas of Agent37DomainVerification: the inputs (parsed strictly) and the outputs.
import { z } from "zod";
import { DomainName } from "../domain/schema";

export type { VerificationOutputs } from "./types";

export const DEFAULT_VERIFY_TIMEOUT_SECONDS = 3600;
/** A day: DNS delegation rarely takes longer, and a run waiting longer is better stopped and rerun. */
export const MAX_VERIFY_TIMEOUT_SECONDS = 86_400;

export const VerificationInputs = z.strictObject({
  domain: DomainName,
  timeoutSeconds: z
    .number({ error: "timeoutSeconds must be a number" })
    .int("timeoutSeconds must be a whole number of seconds")
    .min(1, `timeoutSeconds must be 1..${MAX_VERIFY_TIMEOUT_SECONDS}`)
    .max(MAX_VERIFY_TIMEOUT_SECONDS, `timeoutSeconds must be 1..${MAX_VERIFY_TIMEOUT_SECONDS}`)
    .optional(),
});
export type VerificationInputs = z.infer<typeof VerificationInputs>;

