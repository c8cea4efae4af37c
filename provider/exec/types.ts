// The public types of Agent37Exec, plain TypeScript: the package's declarations name no type of its
// dependencies (core/schema-type.ts).
import type { SecretValue } from "../core/check";

/**
 * What Agent37Exec records: its inputs (the engine hands a dynamic provider only these at
 * delete, so `delete` and `environment` must be here) and the result of the last run.
 */
export interface ExecOutputs {
  instanceId: string;
  create: string;
  update: string | null;
  delete: string | null;
  triggers: unknown[];
  /** Secret output (`additionalSecretOutputs`). */
  environment: Record<string, string>;
  expectExitCode: number;
  waitForRunning: boolean;
  /** Whether a secret went into the run: then `stdout` and `stderr` are secret outputs. */
  secretInputs: boolean;
  /** Secret output (`additionalSecretOutputs`): the instance env masked in the streams. */
  instanceEnv: Record<string, string>;
  exitCode: number;
  /** Secret values masked; a secret output (an envelope) when a secret went into the run. */
  stdout: string | SecretValue<string>;
  /** As `stdout`. */
  stderr: string | SecretValue<string>;
  truncated: boolean;
  /** ISO 8601 time the recorded run finished. */
  ranAt: string;
}

/** How Agent37Exec waits for its instance to be running. */
export interface ExecTimings {
  /** First wait between GETs while the instance is in a transitional state. @default 200 (ms) */
  pollIntervalMs: number;
  /** Cap of that wait. @default 2000 (ms) */
  maxPollIntervalMs: number;
  /** How long `waitForRunning` waits for `running`. @default 600000 (ms) */
  waitTimeoutMs: number;
}
