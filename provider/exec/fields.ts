// The one declaration of Agent37Exec: every input and output once. The zod validation, the
// diff's rules, the preview plan, the plugin's schema and its secret outputs come from it. The
// resource class (resource.ts) and the public types (types.ts) stay written by hand: the class
// finds the instance's env and whether a secret went in (`instanceEnv`, `secretInputs`), and a
// run's streams are secret only when one did, which the generator does not express.
// No zod at load (the plugin serves its schema before any resource is used): the field schemas
// load with their first validation.
/* eslint-disable @typescript-eslint/no-require-imports -- see above */
import type { Declaration, InputField } from "../core/declare";

/** A field's own rules, from the strict input schema (schema.ts). */
const rules = (name: string): NonNullable<InputField["schema"]> => () => (require("./schema") as typeof import("./schema")).ExecInputs.shape[name as keyof import("./schema").ExecInputs];

const INSTANCE_ID = "The instance to run in, usually an Instance's `instanceId`. A change replaces (runs `create` in the new one).";
const CREATE = "Command run with `sh -c` on create.";
const TRIGGERS = "Any values; a change re-runs `update` (or `create`).";
const ENVIRONMENT = "Exported (single-quoted) before each command. Secret; its values are masked in outputs and messages.";
const EXPECT_EXIT_CODE = "Exit code that counts as success (default 0); another fails the operation with the output's tail.";
const WAIT_FOR_RUNNING = "Wait (bounded) until the instance is running, waking it if asleep (default true); a stopped instance fails at once.";

export const EXEC: Declaration = {
  name: "Exec",
  className: "Agent37Exec",
  entry: "execProvider",
  description:
    "A command run inside an Agent37 instance: `create` on create, `update` (or `create`) when inputs or `triggers` change, `delete` on destroy. Nothing is created on Agent37's side; the resource is the record of the run, so it cannot be imported.",
  notImportable: "it is the record of a command run, and Agent37 keeps no such record to read",
  secretInputsFlag: "secretInputs",
  classMarksSecrets: true,
  // Every input but the instance is recorded in place; which of them re-run the command is the
  // update's business (diff.ts), not the diff's.
  inputs: {
    instanceId: { type: "string", required: true, onChange: "replace", description: INSTANCE_ID, schema: rules("instanceId") },
    create: { type: "string", required: true, onChange: "update", description: CREATE, schema: rules("create") },
    update: {
      type: "string",
      onChange: "update",
      default: null,
      description: "Command run when what runs changes (commands, `triggers`, `environment`, `expectExitCode`); default: the `create` command.",
      schema: rules("update"),
    },
    delete: { type: "string", onChange: "update", default: null, description: "Command run on destroy; skipped (with a warning) when the instance is gone or not running.", schema: rules("delete") },
    triggers: { type: { array: "any" }, onChange: "update", default: [], description: TRIGGERS, schema: rules("triggers") },
    environment: { type: { map: "string" }, secret: true, onChange: "update", default: {}, description: ENVIRONMENT, schema: rules("environment") },
    expectExitCode: { type: "integer", onChange: "update", default: 0, description: EXPECT_EXIT_CODE, schema: rules("expectExitCode") },
    waitForRunning: { type: "boolean", onChange: "update", default: true, description: WAIT_FOR_RUNNING, schema: rules("waitForRunning") },
    secretInputs: { type: "boolean", internal: true, onChange: "update", default: false, description: "Whether any input was a Pulumi secret (the engine sends plaintext).", schema: rules("secretInputs") },
    instanceEnv: {
      type: { map: "string" },
      internal: true,
      secret: true,
      onChange: "update",
      default: {},
      description: "The env of the Agent37Instance named by `instanceId`: its values are masked too.",
      schema: rules("instanceEnv"),
    },
  },
  outputs: {
    instanceId: { type: "string", plan: "input", willReplaceOnChanges: true, description: INSTANCE_ID },
    create: { type: "string", plan: "input", description: CREATE },
    update: { type: "string", nullable: true, plan: "input", description: "The `update` command, if any." },
    delete: { type: "string", nullable: true, plan: "input", description: "The `delete` command, if any." },
    triggers: { type: { array: "any" }, plan: "input", description: TRIGGERS },
    environment: { type: { map: "string" }, secret: true, plan: "input", description: ENVIRONMENT },
    expectExitCode: { type: "integer", plan: "input", description: EXPECT_EXIT_CODE },
    waitForRunning: { type: "boolean", plan: "input", description: WAIT_FOR_RUNNING },
    exitCode: { type: "integer", plan: "unknown", description: "Exit code of the last run." },
    stdout: { type: "string", plan: "unknown", description: "Standard output of the last run (environment values masked; at most 512 KB, see `truncated`)." },
    stderr: { type: "string", plan: "unknown", description: "Standard error of the last run (environment values masked)." },
    truncated: { type: "boolean", plan: "unknown", description: "Whether Agent37 cut either stream at 512 KB." },
    ranAt: { type: "string", plan: "unknown", description: "ISO 8601 time the last run finished." },
    secretInputs: { type: "boolean", internal: true, plan: "input", description: "Whether a secret went into the run: then `stdout` and `stderr` are secret outputs." },
    instanceEnv: { type: { map: "string" }, internal: true, plan: "input", description: "The instance env masked in the streams." },
  },
};
