// The public types of Agent37Instance, plain TypeScript: the package's declarations name no type
// of its dependencies (core/schema-type.ts). The schemas in inputs.ts are pinned to these.

export interface PortOutput {
  port: number;
  default: boolean;
  url: string;
}

export interface PublicPortOutput {
  port: number;
  url: string;
  domainUrls: string[];
  prefix: string | null;
  label: string | null;
  created: number | null;
}

export interface HealthOutput {
  ok: boolean;
  healthy: boolean;
  agent: string;
  version: string;
  /** ISO 8601 time of the answer that ended the readiness gate. */
  checkedAt: string;
  /**
   * HTTP status of that answer, for gates that wait for an answer of the app (workspace
   * templates, or `health.status`); absent for the gateway's health.
   */
  status?: number;
}

export interface StatusReasonOutput {
  code: string;
  message: string;
  detail: string | null;
  operation: string | null;
  at: number | null;
}

export interface BudgetOutput {
  monthlyCapMicros: number | null;
  creditMicros: number | null;
}

/** Everything an Agent37Instance resolves to (README, "Outputs reference"), plus echoes of write-only inputs. */
export interface InstanceOutputs {
  instanceId: string;
  /**
   * The run state the instance is in, in the terms of the `state` input: "running" (sleeping and
   * starting count), "stopped" (also while stopping), null when it is neither (failed). An output
   * so that drift of the run state shows as `state: "running" => "stopped"`: the engine shows a
   * change of an input from the outputs. Absent from state written by 0.1.0 until a refresh or update.
   */
  state?: "running" | "stopped" | null;
  url: string;
  ports: PortOutput[];
  portUrls: Record<string, string>;
  status: string;
  statusReason: StatusReasonOutput | null;
  template: string;
  templateRevision: number | null;
  imageRef: string | null;
  imageDigest: string | null;
  resources: { cpu: number; memory: number; disk: number } | null;
  publicPorts: PublicPortOutput[];
  domainUrls: string[];
  name: string | null;
  user: string | null;
  metadata: Record<string, unknown>;
  autoSleep: boolean;
  idleTimeoutSeconds: number;
  created: number | null;
  health: HealthOutput | null;
  /** Echo of the `type` input (the API does not return it). */
  type: string | null;
  /** Echo of the write-only `env` input; a secret output. */
  env: Record<string, string>;
  /** Echo of the `budget` input (the instance object does not carry it). */
  budget: BudgetOutput | null;
  /** Echo of the `ports` input: the extra ports whose URLs were requested. */
  requestedPorts: number[];
  /** Echo of the `adoptInstanceId` input. */
  adoptInstanceId: string | null;
  /**
   * Echo of the `health` input (the readiness gate's settings), normalized: null for the default
   * gate. Absent from state written by 0.1.0. It lets a change of the gate be diffed (an instance
   * whose gate was disabled has `health: null`, and only the echo tells that apart from one whose
   * template has no gate).
   */
  healthCheck?: HealthCheckOutput | null;
}

/** An HTTP status (`204`), a class (`"2xx"`), or a list of them (`[200, "3xx"]`). */
export type HealthStatus = number | string | (number | string)[];

/** The `health` input (the readiness gate's settings), as checked: see `Agent37InstanceArgs.health`. */
export interface HealthCheckOutput {
  path?: string | undefined;
  status?: HealthStatus | undefined;
  timeoutSeconds?: number | undefined;
  disabled?: boolean | undefined;
}

export interface ProviderTimings {
  /** First wait between GETs while an instance is in a transitional state. @default 200 (ms) */
  pollIntervalMs: number;
  /** Cap of that wait. @default 2000 (ms) */
  maxPollIntervalMs: number;
  /** How long to wait for a transitional state to settle. @default 900000 (ms) */
  settleTimeoutMs: number;
  /** How long delete waits for the id to read as 404. @default 600000 (ms) */
  deleteTimeoutMs: number;
  /** Health poll interval (from one answer to the next request). @default 500 (ms) */
  healthIntervalMs: number;
  /** Create attempts after ambiguous failures (each preceded by a lookup of the create token). @default 4 */
  createAttempts: number;
}
