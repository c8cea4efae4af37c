// agent37:index:Exec in the plugin: its schema, and its operations from the same
// Agent37ExecProvider the dynamic door runs.
/* eslint-disable @typescript-eslint/no-require-imports -- the implementation loads when the plugin first serves this module (registry.ts) */
import { opsFromProvider } from "../ops";
import type { PluginModule, PropertySpec } from "../spec";

export const EXEC = "agent37:index:Exec";

const str = (description: string): PropertySpec => ({ type: "string", description });
const any: PropertySpec = { $ref: "pulumi.json#/Any" };

const inputs: Record<string, PropertySpec> = {
  instanceId: { ...str("The instance to run in, usually an Instance's `instanceId`. A change replaces (runs `create` in the new one)."), willReplaceOnChanges: true },
  create: str("Command run with `sh -c` on create."),
  update: str("Command run when what runs changes (commands, `triggers`, `environment`, `expectExitCode`); default: the `create` command."),
  delete: str("Command run on destroy; skipped (with a warning) when the instance is gone or not running."),
  triggers: { type: "array", items: any, description: "Any values; a change re-runs `update` (or `create`)." },
  environment: {
    type: "object",
    additionalProperties: { type: "string" },
    secret: true,
    description: "Exported (single-quoted) before each command. Secret; its values are masked in outputs and messages.",
  },
  expectExitCode: { type: "integer", description: "Exit code that counts as success (default 0); another fails the operation with the output's tail." },
  waitForRunning: { type: "boolean", description: "Wait (bounded) until the instance is running, waking it if asleep (default true); a stopped instance fails at once." },
};

const outputs: Record<string, PropertySpec> = {
  ...inputs,
  update: str("The `update` command, if any."),
  delete: str("The `delete` command, if any."),
  exitCode: { type: "integer", description: "Exit code of the last run." },
  stdout: str("Standard output of the last run (environment values masked; at most 512 KB, see `truncated`)."),
  stderr: str("Standard error of the last run (environment values masked)."),
  truncated: { type: "boolean", description: "Whether Agent37 cut either stream at 512 KB." },
  ranAt: str("ISO 8601 time the last run finished."),
};

/** Agent37Exec: a command run in an instance, declaratively. */
export const execModule: PluginModule = {
  resources: {
    [EXEC]: {
      description:
        "A command run inside an Agent37 instance: `create` on create, `update` (or `create`) when inputs or `triggers` change, `delete` on destroy. Nothing is created on Agent37's side; the resource is the record of the run, so it cannot be imported.",
      inputProperties: inputs,
      requiredInputs: ["instanceId", "create"],
      properties: outputs,
      required: ["instanceId", "create", "triggers", "environment", "expectExitCode", "waitForRunning", "exitCode", "stdout", "stderr", "truncated", "ranAt"],
    },
  },
  secretOutputs: { [EXEC]: ["environment"] },
  instantiate() {
    const { Agent37ExecProvider } = require("../../../exec/provider") as typeof import("../../../exec/provider");
    const { execFieldChanges, plannedExecCreateOutputs, plannedExecUpdateOutputs } = require("../../../exec/plan") as typeof import("../../../exec/plan");
    const provider = new Agent37ExecProvider();
    const ops = opsFromProvider(provider, {
      changes: (olds, news) => execFieldChanges(olds, news),
      planCreate: (news) => plannedExecCreateOutputs(news),
      planUpdate: (olds, news) => plannedExecUpdateOutputs(olds, news),
    });
    return {
      configure(config) {
        provider.configure({ config } as never);
      },
      resources: {
        [EXEC]: {
          ...ops,
          // A run any of whose inputs was secret keeps its output streams secret, as the resource
          // class says with `secretInputs` in the dynamic door.
          check: (olds, news, ctx) => ops.check(olds, ctx.secret && news.secretInputs === undefined ? { ...news, secretInputs: true } : news, ctx),
          async read(id, props, inputs) {
            if (Object.keys(props).length === 0) {
              throw new Error("agent37:index:Exec cannot be imported: it is the record of a command run, and Agent37 keeps no such record to read");
            }
            return ops.read(id, props, inputs);
          },
        },
      },
    };
  },
};
