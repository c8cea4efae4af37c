// The Agent37Exec resource class users write in their programs.
import * as pulumi from "@pulumi/pulumi";
import { DeclaredResource, givenProps } from "../core/declared-resource";

/** Inputs of {@link Agent37Exec}. See docs/exec.md. */
export interface Agent37ExecArgs {
  /** The instance to run in, usually `instance.instanceId`. A change replaces (runs `create` in the new one). */
  instanceId: pulumi.Input<string>;
  /** Command run with `sh -c` on create. Wrap it in `pulumi.secret()` if it embeds a secret (better: use `environment`). */
  create: pulumi.Input<string>;
  /**
   * Command run when what runs changes (commands, `triggers`, `environment`, `expectExitCode`).
   * @default the `create` command
   */
  update?: pulumi.Input<string>;
  /** Command run on destroy; skipped (with a warning) when the instance is gone or not running. */
  delete?: pulumi.Input<string>;
  /** Any values; a change re-runs `update` (or `create`). */
  triggers?: pulumi.Input<pulumi.Input<unknown>[]>;
  /** Exported (single-quoted) before each command. Secret; masked in outputs and messages. */
  environment?: pulumi.Input<Record<string, pulumi.Input<string>>>;
  /**
   * Exit code that counts as success; another fails the operation with the output's tail.
   * @default 0
   */
  expectExitCode?: pulumi.Input<number>;
  /**
   * Wait (bounded) until the instance is `running`, waking it if asleep; a stopped instance
   * fails at once.
   * @default true
   */
  waitForRunning?: pulumi.Input<boolean>;
}

const OUTPUT_KEYS = [
  "exitCode",
  "stdout",
  "stderr",
  "truncated",
  "ranAt",
  "update",
  "delete",
  "triggers",
  "environment",
  "expectExitCode",
  "waitForRunning",
  "secretInputs",
  "instanceEnv",
] as const;

/** Whether `value` is, or holds, a Pulumi secret (resolved once its Outputs are). */
function holdsSecret(value: unknown): Promise<boolean> {
  if (value === undefined) return Promise.resolve(false);
  return pulumi.isSecret(pulumi.output(value));
}

/**
 * The env of the Agent37Instance that `instanceId` comes from, when it comes from one (the usual
 * `instance.instanceId`): a command can print it (`printenv`), so it is masked and counts as a
 * secret that went into the run. Found through the Output's resources.
 */
function instanceEnvOf(instanceId: pulumi.Input<string>): pulumi.Output<Record<string, string>> | undefined {
  const resources = (instanceId as { resources?: () => Set<unknown> }).resources;
  if (!pulumi.Output.isInstance(instanceId) || typeof resources !== "function") return undefined;
  for (const r of resources.call(instanceId)) {
    const env = (r as { env?: unknown }).env;
    // By type token, not `instanceof`: the program may load its own copy of this package.
    if ((r as { __pulumiType?: unknown }).__pulumiType === "pulumi-nodejs:dynamic/agent37:Instance" && pulumi.Output.isInstance(env)) {
      return env as pulumi.Output<Record<string, string>>;
    }
  }
  return undefined;
}

/**
 * A command run inside an Agent37 instance through `POST /v1/instances/{id}/exec`, declaratively:
 * `create` on create, `update` (or `create`) when inputs or `triggers` change, `delete` on destroy.
 */
export class Agent37Exec extends DeclaredResource {
  /** The instance the commands run in. */
  declare readonly instanceId: pulumi.Output<string>;
  /** The command run on create. */
  declare readonly create: pulumi.Output<string>;
  /** The command run on update; null when `create` runs again instead. */
  declare readonly update: pulumi.Output<string | null>;
  /** The command run on destroy; null when there is none. */
  declare readonly delete: pulumi.Output<string | null>;
  /** The `triggers` input as given; a change re-runs the command. */
  declare readonly triggers: pulumi.Output<unknown[]>;
  /** The variables exported before each command. A secret. */
  declare readonly environment: pulumi.Output<Record<string, string>>;
  /** The exit code that counts as success. */
  declare readonly expectExitCode: pulumi.Output<number>;
  /** Whether a run waits until the instance is `running`. */
  declare readonly waitForRunning: pulumi.Output<boolean>;
  /** Exit code of the last run. */
  declare readonly exitCode: pulumi.Output<number>;
  /** Standard output of the last run (environment values masked; at most 512 KB, see `truncated`). */
  declare readonly stdout: pulumi.Output<string>;
  /** Standard error of the last run (environment values masked). */
  declare readonly stderr: pulumi.Output<string>;
  /** Whether a Pulumi secret went into the run (then `stdout` and `stderr` are secrets). */
  declare readonly secretInputs: pulumi.Output<boolean>;
  /** Whether Agent37 cut either stream at 512 KB. */
  declare readonly truncated: pulumi.Output<boolean>;
  /** ISO 8601 time the last run finished. */
  declare readonly ranAt: pulumi.Output<string>;

  constructor(name: string, args: Agent37ExecArgs, opts: pulumi.CustomResourceOptions = {}) {
    const props = givenProps(args, OUTPUT_KEYS);
    if (args.environment !== undefined) props.environment = pulumi.secret(args.environment);
    const instanceEnv = instanceEnvOf(args.instanceId);
    if (instanceEnv !== undefined) props.instanceEnv = instanceEnv;
    // The engine sends a dynamic provider plaintext, so the class tells it whether a secret went in.
    const inputs = [args.instanceId, args.create, args.update, args.delete, args.triggers, args.environment, args.expectExitCode, args.waitForRunning];
    props.secretInputs = Promise.all(inputs.map(holdsSecret)).then((found) => found.some((s) => s));
    const secretOutputs = ["environment", "instanceEnv"];
    // With an environment a secret always goes in: say so up front as well.
    if (args.environment !== undefined || instanceEnv !== undefined) secretOutputs.push("stdout", "stderr");
    super("Exec", "execProvider", name, props, opts, secretOutputs);
  }
}
