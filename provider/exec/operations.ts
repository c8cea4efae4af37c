// Agent37Exec on the seam (core/resource.ts). Nothing is created on Agent37's side: the resource
// is the record of a command that ran (run.ts). Values arrive decoded and validated; the front
// doors' adapters do the wire work. Its errors are its own words (they name the command, never
// its secrets) with every environment value masked, so the adapters pass them on as they are.
import { randomUUID } from "node:crypto";
import { Agent37StateError, InvalidRequestError, NotFoundError } from "../core/errors";
import { explain } from "../core/explain";
import type { Resource } from "../core/resource";
import { plain } from "../core/wire";
import { withTimings } from "../core/timings";
import { InstancesApi } from "../instance/api";
import { execChanges } from "./diff";
import { EXEC } from "./fields";
import { plannedExecUpdateOutputs } from "./plan";
import { DEFAULT_TIMINGS, runExec } from "./run";
import { isSecretRun, streams, type ExecInputs, type ExecOutputs, type ExecResponse } from "./schema";
import { maskError, masker } from "./shell";

interface RunResult {
  exitCode: number;
  stdout: string;
  stderr: string;
  truncated: boolean;
  ranAt: string;
}

function previousResult(o: Partial<ExecOutputs>): RunResult {
  return {
    exitCode: typeof o.exitCode === "number" ? o.exitCode : 0,
    stdout: typeof o.stdout === "string" ? o.stdout : "",
    stderr: typeof o.stderr === "string" ? o.stderr : "",
    truncated: o.truncated === true,
    ranAt: typeof o.ranAt === "string" ? o.ranAt : "",
  };
}

function outputsOf(inputs: ExecInputs, result: ExecResponse | RunResult): ExecOutputs {
  const mask = masker(inputs.environment, inputs.instanceEnv);
  const run: RunResult =
    "exit_code" in result
      ? { exitCode: result.exit_code, stdout: mask(result.stdout), stderr: mask(result.stderr), truncated: result.truncated, ranAt: new Date().toISOString() }
      : result;
  return plain({
    instanceId: inputs.instanceId,
    create: inputs.create,
    update: inputs.update ?? null,
    delete: inputs.delete ?? null,
    triggers: inputs.triggers ?? [],
    environment: inputs.environment ?? {},
    expectExitCode: inputs.expectExitCode ?? 0,
    waitForRunning: inputs.waitForRunning ?? true,
    secretInputs: inputs.secretInputs === true,
    instanceEnv: inputs.instanceEnv ?? {},
    ...run,
    ...streams(run, isSecretRun(inputs)),
  });
}

/** Runs `fn`; any error leaves with environment (and instance env) values masked. */
async function guarded<T>(inputs: ExecInputs, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw maskError(err, masker(inputs.environment, inputs.instanceEnv));
  }
}

/** The inputs a recorded run's `delete` command runs with. */
function recordedInputs(recorded: Partial<ExecOutputs>, command: string, instanceId: string): ExecInputs {
  return {
    instanceId,
    create: typeof recorded.create === "string" ? recorded.create : "",
    delete: command,
    environment: recorded.environment ?? {},
    expectExitCode: recorded.expectExitCode ?? 0,
    waitForRunning: recorded.waitForRunning ?? true,
    instanceEnv: recorded.instanceEnv ?? {},
  };
}

/** Agent37Exec with the given waits (tests shorten them). */
export const execResourceWith = withTimings(DEFAULT_TIMINGS, (waits): Resource<ExecInputs, ExecOutputs> => {
  return {
    declaration: EXEC,

    // Its errors are worded (and masked) where they happen: run.ts and `guarded`.
    operation: () => undefined,

    // A re-run makes its result unknown; a stored-only change keeps the last one.
    planUpdate: (olds, _planned, news) => plannedExecUpdateOutputs(olds as Record<string, unknown>, news),

    /**
     * Runs `create`. A failure (wrong exit code, instance not running, exec refused) fails the
     * create plainly: nothing exists on Agent37's side to keep in state, and the next `up` runs
     * the command again.
     */
    async create(inputs, ctx) {
      const result = await guarded(inputs, () => runExec(ctx.client(), waits, "create", inputs.create, inputs));
      return { id: randomUUID(), outputs: outputsOf(inputs, result) };
    },

    /**
     * Re-runs (`update`, else `create`) when what runs changed (command, triggers, environment,
     * expected code). A change of `delete` or `waitForRunning` alone is recorded without a run.
     */
    async update(_id, olds, news, ctx) {
      const changes = execChanges(olds as Record<string, unknown>, news);
      if (changes.rerun.length === 0 && changes.replace.length === 0) return outputsOf(news, previousResult(olds));
      const command = news.update ?? news.create;
      return outputsOf(news, await guarded(news, () => runExec(ctx.client(), waits, "update", command, news)));
    },

    /**
     * Runs `delete` when set. Best effort about the instance: gone (404) or not running (stopped,
     * failed, or exec refused with 400) means there is nothing to clean up in it, so the delete
     * succeeds with a warning. A command that runs and exits with the wrong code fails the delete.
     */
    async delete(_id, recorded, ctx) {
      const command = recorded.delete;
      if (typeof command !== "string" || command.trim() === "" || typeof recorded.instanceId !== "string") return;
      const inputs = recordedInputs(recorded, command, recorded.instanceId);
      try {
        await guarded(inputs, () => runExec(ctx.client(), waits, "delete", command, inputs));
      } catch (err) {
        if (err instanceof NotFoundError || err instanceof Agent37StateError || err instanceof InvalidRequestError) {
          // Goes to the provider host's stderr, which the engine shows in its diagnostics.
          console.error(masker(inputs.environment, inputs.instanceEnv)(`warning: Agent37Exec delete command not run: ${err.message}`));
          return;
        }
        throw err;
      }
    },

    /**
     * Refresh: the record stays as it is while its instance exists; an instance that is gone takes
     * the record with it (the next `up` runs `create` in whatever instance the program then names).
     */
    async read(id, recorded, ctx) {
      // The engine hands this provider plaintext: the streams' secret bit is restored here.
      const kept = { ...recorded, ...streams(recorded, isSecretRun(recorded)) } as ExecOutputs;
      const instanceId = recorded.instanceId;
      if (typeof instanceId !== "string") return { outputs: kept };
      try {
        const live = await new InstancesApi(ctx.client()).get(instanceId);
        if (live.status === "deleted" || live.status === "deleting") return undefined;
      } catch (err) {
        if (err instanceof NotFoundError) return undefined;
        throw explain(err, `refreshing Agent37Exec ${id}: reading its instance ${instanceId}`, []);
      }
      return { outputs: kept };
    },
  };
});

export const execResource: Resource<ExecInputs, ExecOutputs> = execResourceWith();
