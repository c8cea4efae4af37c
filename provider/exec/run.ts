// One Agent37Exec command in its instance: wait until the instance runs (waking a sleeping one),
// send the exec once, check the exit code, and word every failure so it names the command
// (never its secrets) and says what it means for a command that may have run.
import { Agent37ApiError, Agent37DeadlineError, Agent37StateError, Agent37TransportError, InvalidRequestError, ProvisioningFailedError } from "../core/errors";
import { explain } from "../core/explain";
import type { Agent37Client } from "../core/http";
import { poll } from "../core/poll";
import { waitingFor } from "../core/progress";
import { InstancesApi } from "../instance/api";
import { postExec } from "./api";
import { Agent37ExecError, type ExecPhase } from "./errors";
import { EXEC_TIME_LIMIT_SECONDS, type ExecInputs, type ExecResponse } from "./schema";
import { buildScript, describeCommand, masker, tail } from "./shell";
import type { ExecTimings } from "./types";

export type { ExecTimings } from "./types";

export const DEFAULT_TIMINGS: ExecTimings = { pollIntervalMs: 200, maxPollIntervalMs: 2_000, waitTimeoutMs: 600_000 };

/** States from which nothing but the user brings the instance back. */
const NOT_COMING = new Set(["stopped", "stopping", "failed", "deleting", "deleted"]);

type InstanceObject = Awaited<ReturnType<InstancesApi["get"]>>;

/** Bytes of stderr quoted in a failure message. */
const TAIL_BYTES = 2048;

/**
 * One command in the instance. An error this resource words itself already starts with the
 * command; any other (an answer of Agent37 while waiting for the instance, a refused exec) gets
 * the command put in front, as every resource's operation is (core/explain.ts).
 */
export async function runExec(client: Agent37Client, timings: ExecTimings, phase: ExecPhase, command: string, inputs: ExecInputs): Promise<ExecResponse> {
  try {
    return await runCommand(client, timings, phase, command, inputs);
  } catch (err) {
    if (err instanceof Agent37ExecError || err instanceof Agent37StateError || err instanceof Agent37DeadlineError) throw err;
    throw explain(err, `Agent37Exec ${phase} command ${describeCommand(command, inputs)} in instance ${inputs.instanceId}`, []);
  }
}

/** Wait for running (unless told not to), exec, check the code. */
async function runCommand(client: Agent37Client, timings: ExecTimings, phase: ExecPhase, command: string, inputs: ExecInputs): Promise<ExecResponse> {
  const id = inputs.instanceId;
  if (inputs.waitForRunning ?? true) await untilRunning(new InstancesApi(client), timings, id, phase);
  let res: ExecResponse;
  try {
    // One request that lasts as long as the command: the line says how long it has run (the
    // command itself is not shown: it may carry values the user keeps out of logs).
    res = await waitingFor(`the ${phase} command in instance ${id} to finish`, () => postExec(client, id, buildScript(command, inputs.environment)));
  } catch (err) {
    throw await explainExec(client, err, phase, command, inputs);
  }
  const expected = inputs.expectExitCode ?? 0;
  if (res.exit_code !== expected) {
    const mask = masker(inputs.environment, inputs.instanceEnv);
    const stream = res.stderr !== "" ? "stderr" : "stdout";
    const outputTail = tail(mask(res.stderr !== "" ? res.stderr : res.stdout), TAIL_BYTES);
    throw new Agent37ExecError(
      `Agent37Exec ${phase} command ${describeCommand(command, inputs)} in instance ${id} ` +
        `exited with code ${res.exit_code} (expected ${expected})` +
        (res.truncated ? "; its output was truncated by Agent37 (512 KB per stream)" : "") +
        (outputTail === "" ? "; it printed nothing" : `\n${stream} (last ${TAIL_BYTES / 1024} KB):\n${outputTail}`),
      { instanceId: id, phase, exitCode: res.exit_code, expectedExitCode: expected, outputTail },
    );
  }
  return res;
}

/**
 * Waits until the instance is `running` (core/poll.ts): through transitional states, and waking
 * a sleeping one once (`start` is the only wake path for a port-less sandbox: it has no URL a
 * request could wake). A stopped, failed or deleted instance is not waited for: nothing in this
 * resource would bring it back, so the run fails at once, naming the state.
 */
async function untilRunning(api: InstancesApi, timings: ExecTimings, id: string, phase: ExecPhase): Promise<void> {
  let woke = false;
  const probe = async (): Promise<InstanceObject> => {
    const live = await api.get(id);
    if (NOT_COMING.has(live.status)) throw notRunning(phase, id, live.status);
    if (live.status !== "sleeping" || woke) return live;
    woke = true;
    try {
      await api.lifecycle(id, "start");
    } catch (err) {
      // It woke by itself in between (a start on a running instance may be refused as a
      // wrong-state 400): the next read tells.
      if (!(err instanceof InvalidRequestError)) throw err;
    }
    return probe();
  };
  // Transitional statuses, and any this version does not know, are waited for within the bound.
  await poll(probe, (live) => live.status === "running", {
    intervalMs: timings.pollIntervalMs,
    maxIntervalMs: timings.maxPollIntervalMs,
    timeoutMs: timings.waitTimeoutMs,
    what: (live) => `Agent37Exec ${phase}: waiting for instance ${id} to be running (it is ${live.status})`,
    progress: { what: `instance ${id} to be running`, state: (live) => live.status },
  });
}

/** Turns an exec failure into a message that says what it means for the command. */
async function explainExec(client: Agent37Client, err: unknown, phase: ExecPhase, command: string, inputs: ExecInputs): Promise<unknown> {
  const id = inputs.instanceId;
  const what = `Agent37Exec ${phase} command ${describeCommand(command, inputs)} in instance ${id}`;
  if (err instanceof InvalidRequestError) {
    // Exec answers 400 for any status but running; name the status.
    let status: string | undefined;
    try {
      status = (await new InstancesApi(client).get(id)).status;
    } catch {
      status = undefined;
    }
    if (status !== undefined && status !== "running") return notRunning(phase, id, status, err);
    return err;
  }
  if (err instanceof ProvisioningFailedError) {
    return new Agent37ExecError(
      `${what} failed on the platform (${err.status} ${err.code}): the command ran past the ${EXEC_TIME_LIMIT_SECONDS} s exec ` +
        `limit or the instance could not be reached. It may have partly run, so it is not repeated: ${err.apiMessage}`,
      { instanceId: id, phase, cause: err },
    );
  }
  if (err instanceof Agent37TransportError && err.mayHaveReachedServer) {
    return new Agent37ExecError(
      `${what}: outcome unknown (${err.transportCode}): the command may or may not have run. Exec is not idempotent, so ` +
        `it is not repeated; check the instance, then run again (${err.method} ${err.url})`,
      { instanceId: id, phase, cause: err },
    );
  }
  if (err instanceof Agent37ApiError && err.status >= 500) {
    return new Agent37ExecError(`${what}: ${err.message}. The command may have run, so it is not repeated`, { instanceId: id, phase, cause: err });
  }
  return err;
}

function notRunning(phase: ExecPhase, id: string, status: string, cause?: unknown): Agent37StateError {
  const hint =
    status === "stopped" || status === "stopping"
      ? "Agent37Exec does not start a stopped instance: start it (an Agent37Instance with state \"running\") and run again"
      : status === "deleted" || status === "deleting"
        ? "the instance is gone"
        : "exec needs a running instance";
  const e = new Agent37StateError(`Agent37Exec ${phase}: instance ${id} is ${status}, not running (exec requires running); ${hint}`, id, status);
  if (cause !== undefined) Object.defineProperty(e, "cause", { value: cause, enumerable: false });
  return e;
}
