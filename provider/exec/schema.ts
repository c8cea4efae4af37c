// Schemas of Agent37Exec: the resource inputs (parsed strictly) and the exec answer (parsed
// tolerantly), plus the outputs the provider records.
import * as z from "zod";
import { asSecret } from "../core/check";
import type { ExecOutputs } from "./types";

export type { ExecOutputs } from "./types";

/** Names a POSIX shell accepts in `export NAME=...`. */
export const EXEC_ENV_KEY_PATTERN = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** The platform kills a command after 280 s and answers 502 (docs/exec.md, "Limits"). */
export const EXEC_TIME_LIMIT_SECONDS = 280;
/** Each of stdout and stderr is capped at 512 KB, the middle cut out (`truncated`). */
export const EXEC_STREAM_CAP_BYTES = 512 * 1024;

const noNullByte = (what: string) =>
  z
    .string({ error: `${what} must be a string` })
    .refine((s) => !s.includes("\u0000"), `${what} must not contain a null byte (Agent37 rejects it with 400 invalid_request)`);

const command = (what: string) => noNullByte(what).refine((s) => s.trim() !== "", `${what} must not be empty`);

export const ExecInputs = z.strictObject({
  instanceId: z
    .string({ error: "instanceId must be a string" })
    .regex(/^[A-Za-z0-9_-]+$/, "instanceId must be an Agent37 instance id (e.g. `instance.instanceId`)"),
  create: command("create"),
  update: command("update (omit it to re-run create)").optional(),
  delete: command("delete (omit it to run nothing on destroy)").optional(),
  triggers: z.array(z.unknown(), { error: "triggers must be a list" }).optional(),
  environment: z
    .record(
      z.string().regex(EXEC_ENV_KEY_PATTERN, "environment keys must match ^[A-Za-z_][A-Za-z0-9_]*$ (a shell variable name)"),
      noNullByte("environment values"),
    )
    .optional(),
  expectExitCode: z
    .number({ error: "expectExitCode must be a number" })
    .int("expectExitCode must be a whole number")
    .min(0, "expectExitCode must be 0..255")
    .max(255, "expectExitCode must be 0..255")
    .optional(),
  waitForRunning: z.boolean({ error: "waitForRunning must be true or false" }).optional(),
  /** Set by the resource class: whether any input was a Pulumi secret (the engine sends plaintext). */
  secretInputs: z.boolean({ error: "secretInputs is set by Agent37Exec: true or false" }).optional(),
  /** Set by the resource class: the env of the Agent37Instance named by `instanceId` (its values are masked too). */
  instanceEnv: z.record(z.string(), z.string({ error: "instanceEnv values must be strings" })).optional(),
});
export type ExecInputs = z.infer<typeof ExecInputs>;

/** `POST /v1/instances/{id}/exec` → 200. */
export const ExecResponse = z
  .object({
    exit_code: z.number().int(),
    stdout: z.string().optional().default(""),
    stderr: z.string().optional().default(""),
    truncated: z.boolean().optional().default(false),
  })
  .loose();
export type ExecResponse = z.infer<typeof ExecResponse>;

/**
 * Whether a secret went into the run: an input the program marked secret, any `environment`
 * (always secret), or an instance env that the command can print (`printenv`). Then stdout and
 * stderr are secret outputs, as `@pulumi/command` makes every output secret once an input is.
 */
export function isSecretRun(o: Partial<ExecInputs> | Partial<ExecOutputs>): boolean {
  return o.secretInputs === true || Object.keys(o.environment ?? {}).length > 0 || Object.keys(o.instanceEnv ?? {}).length > 0;
}

/** The two streams (decoded values: the adapters unwrap secrets), as secret envelopes when `secret`. */
export function streams(o: Partial<ExecOutputs>, secret: boolean): Pick<ExecOutputs, "stdout" | "stderr"> {
  const text = (v: unknown) => (typeof v === "string" ? v : "");
  const stdout = text(o.stdout);
  const stderr = text(o.stderr);
  return secret ? { stdout: asSecret(stdout), stderr: asSecret(stderr) } : { stdout, stderr };
}
