// The `pulumi.dynamic.ResourceProvider` for Agent37Exec. Loaded in the provider host through
// `pulumi-agent37/dynamic` (`execProvider()`); holds the settings from `configure` and one client.
// Nothing is created on Agent37's side: the resource is the record of a command that ran.
import { randomUUID } from "node:crypto";
import type * as pulumi from "@pulumi/pulumi";
import { unwrapSecrets } from "../core/check";
import {
  Agent37ApiError,
  Agent37DeadlineError,
  Agent37StateError,
  Agent37TransportError,
  InvalidRequestError,
  NotFoundError,
  ProvisioningFailedError,
} from "../core/errors";
import type { Agent37Client } from "../core/http";
import { InstancesApi } from "../instance/api";
import { explain } from "../core/explain";
import { waitingFor, type Observe } from "../core/progress";
import { sleep } from "../core/sleep";
import { plain } from "../core/wire";
import { Connection, type ConnectionOptions } from "../core/connection";
import { postExec } from "./api";
import { checkExecInputs, parseExecInputs } from "./check";
import { diffExec, execChanges } from "./diff";
import { Agent37ExecError, type ExecPhase } from "./errors";
import { EXEC_TIME_LIMIT_SECONDS, isSecretRun, streams, type ExecInputs, type ExecOutputs, type ExecResponse } from "./schema";
import { buildScript, describeCommand, maskError, masker, tail } from "./shell";

type Loose = Record<string, unknown>;

export interface ExecTimings {
  /** First wait between GETs while the instance is in a transitional state. @default 200 (ms) */
  pollIntervalMs: number;
  /** Cap of that wait. @default 2000 (ms) */
  maxPollIntervalMs: number;
  /** How long `waitForRunning` waits for `running`. @default 600000 (ms) */
  waitTimeoutMs: number;
}

const DEFAULT_TIMINGS: ExecTimings = { pollIntervalMs: 200, maxPollIntervalMs: 2_000, waitTimeoutMs: 600_000 };

export interface ExecProviderOptions extends ConnectionOptions {
  timings?: Partial<ExecTimings>;
}

/** States from which nothing but the user brings the instance back. */
const NOT_COMING = new Set(["stopped", "stopping", "failed", "deleting", "deleted"]);

/** Bytes of stderr quoted in a failure message. */
const TAIL_BYTES = 2048;

export class Agent37ExecProvider implements pulumi.dynamic.ResourceProvider {
  private readonly connection: Connection;
  private readonly timings: ExecTimings;

  constructor(options: ExecProviderOptions = {}) {
    this.connection = new Connection(options);
    this.timings = { ...DEFAULT_TIMINGS, ...options.timings };
  }

  async configure(req: pulumi.dynamic.ConfigureRequest): Promise<void> {
    this.connection.configure(req.config);
  }

  private client(): Agent37Client {
    return this.connection.client().client;
  }

  async check(_olds: Loose, news: Loose): Promise<pulumi.dynamic.CheckResult> {
    return { inputs: news, failures: checkExecInputs(news) };
  }

  async diff(_id: string, olds: Loose, news: Loose): Promise<pulumi.dynamic.DiffResult> {
    return diffExec(olds, news);
  }

  /**
   * Runs `create`. A failure (wrong exit code, instance not running, exec refused) fails the
   * create plainly: nothing exists on Agent37's side to keep in state, and the next `up` runs
   * the command again.
   */
  async create(raw: Loose): Promise<pulumi.dynamic.CreateResult> {
    const inputs = parseExecInputs(raw);
    const result = await this.guarded(inputs, () => this.run("create", inputs.create, inputs));
    return { id: randomUUID(), outs: outputsOf(inputs, result) };
  }

  /**
   * Re-runs (`update`, else `create`) when what runs changed (command, triggers, environment,
   * expected code). A change of `delete` or `waitForRunning` alone is recorded without a run.
   */
  async update(_id: string, olds: Loose, news: Loose): Promise<pulumi.dynamic.UpdateResult> {
    const inputs = parseExecInputs(news);
    const previous = unwrapSecrets(olds ?? {}) as Partial<ExecOutputs>;
    const changes = execChanges(previous as Loose, news);
    if (changes.rerun.length === 0 && changes.replace.length === 0) {
      return { outs: outputsOf(inputs, previousResult(previous)) };
    }
    const command = inputs.update ?? inputs.create;
    const result = await this.guarded(inputs, () => this.run("update", command, inputs));
    return { outs: outputsOf(inputs, result) };
  }

  /**
   * Runs `delete` when set. Best effort about the instance: gone (404) or not running (stopped,
   * failed, or exec refused with 400) means there is nothing to clean up in it, so the delete
   * succeeds with a warning. A command that runs and exits with the wrong code fails the delete.
   */
  async delete(_id: string, props: Loose): Promise<void> {
    const recorded = unwrapSecrets(props ?? {}) as Partial<ExecOutputs>;
    const command = recorded.delete;
    if (typeof command !== "string" || command.trim() === "" || typeof recorded.instanceId !== "string") return;
    const inputs: ExecInputs = {
      instanceId: recorded.instanceId,
      create: typeof recorded.create === "string" ? recorded.create : "",
      delete: command,
      environment: recorded.environment ?? {},
      expectExitCode: recorded.expectExitCode ?? 0,
      waitForRunning: recorded.waitForRunning ?? true,
      instanceEnv: recorded.instanceEnv ?? {},
    };
    const mask = masker(inputs.environment, inputs.instanceEnv);
    try {
      await this.guarded(inputs, () => this.run("delete", command, inputs));
    } catch (err) {
      if (err instanceof NotFoundError || err instanceof Agent37StateError || err instanceof InvalidRequestError) {
        // Goes to the provider host's stderr, which the engine shows in its diagnostics.
        console.error(mask(`warning: Agent37Exec delete command not run: ${err.message}`));
        return;
      }
      throw err;
    }
  }

  /**
   * Refresh: the record stays as it is while its instance exists; an instance that is gone takes
   * the record with it (the next `up` runs `create` in whatever instance the program then names).
   */
  async read(id: string, props: Loose): Promise<pulumi.dynamic.ReadResult> {
    const recorded = unwrapSecrets(props ?? {}) as Partial<ExecOutputs>;
    const instanceId = recorded.instanceId;
    // The engine hands this provider plaintext: the streams' secret bit is restored here.
    const kept = { ...props, ...streams(recorded, isSecretRun(recorded)) };
    if (typeof instanceId !== "string") return { id, props: kept };
    try {
      const live = await new InstancesApi(this.client()).get(instanceId);
      if (live.status === "deleted" || live.status === "deleting") return { id: "" };
    } catch (err) {
      if (err instanceof NotFoundError) return { id: "" };
      throw explain(err, `refreshing Agent37Exec ${id}: reading its instance ${instanceId}`, []);
    }
    return { id, props: kept };
  }

  // ---- internals -------------------------------------------------------------------------

  /** Runs `fn`; any error leaves with environment (and instance env) values masked. */
  private async guarded<T>(inputs: ExecInputs, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      throw maskError(err, masker(inputs.environment, inputs.instanceEnv));
    }
  }

  /**
   * One command in the instance. An error this resource words itself already starts with the
   * command; any other (an answer of Agent37 while waiting for the instance, a refused exec) gets
   * the command put in front, as every resource's operation is (core/explain.ts).
   */
  private async run(phase: ExecPhase, command: string, inputs: ExecInputs): Promise<ExecResponse> {
    try {
      return await this.runCommand(phase, command, inputs);
    } catch (err) {
      if (err instanceof Agent37ExecError || err instanceof Agent37StateError || err instanceof Agent37DeadlineError) throw err;
      throw explain(err, `Agent37Exec ${phase} command ${describeCommand(command, inputs)} in instance ${inputs.instanceId}`, []);
    }
  }

  /** Wait for running (unless told not to), exec, check the code. */
  private async runCommand(phase: ExecPhase, command: string, inputs: ExecInputs): Promise<ExecResponse> {
    const client = this.client();
    const id = inputs.instanceId;
    if (inputs.waitForRunning ?? true) await waitingFor(`instance ${id} to be running`, (observe) => this.untilRunning(new InstancesApi(client), id, phase, observe));
    let res: ExecResponse;
    try {
      // One request that lasts as long as the command: the line says how long it has run (the
      // command itself is not shown: it may carry values the user keeps out of logs).
      res = await waitingFor(`the ${phase} command in instance ${id} to finish`, () => postExec(client, id, buildScript(command, inputs.environment)));
    } catch (err) {
      throw await this.explain(err, phase, command, inputs);
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
   * Waits until the instance is `running`: through transitional states, and waking a sleeping
   * one (`start` is the only wake path for a port-less sandbox: it has no URL a request could wake). A stopped,
   * failed or deleted instance is not waited for: nothing in this resource would bring it back,
   * so the run fails at once, naming the state.
   */
  private async untilRunning(api: InstancesApi, id: string, phase: ExecPhase, observe: Observe): Promise<void> {
    const deadline = Date.now() + this.timings.waitTimeoutMs;
    let wait = this.timings.pollIntervalMs;
    let woke = false;
    for (;;) {
      const live = await api.get(id);
      if (live.status === "running") return;
      if (NOT_COMING.has(live.status)) throw notRunning(phase, id, live.status);
      observe(live.status);
      if (live.status === "sleeping" && !woke) {
        try {
          await api.lifecycle(id, "start");
        } catch (err) {
          // It woke by itself in between (a start on a running instance may be refused as a
          // wrong-state 400): the next read tells.
          if (!(err instanceof InvalidRequestError)) throw err;
        }
        woke = true;
        continue;
      }
      // Transitional statuses, and any this version does not know, are waited for within the bound.
      if (Date.now() >= deadline) {
        throw new Agent37DeadlineError(`Agent37Exec ${phase}: waiting for instance ${id} to be running (it is ${live.status})`, this.timings.waitTimeoutMs);
      }
      await sleep(Math.min(wait, Math.max(0, deadline - Date.now())));
      wait = Math.min(this.timings.maxPollIntervalMs, Math.round(wait * 1.5));
    }
  }

  /** Turns an exec failure into a message that says what it means for the command. */
  private async explain(err: unknown, phase: ExecPhase, command: string, inputs: ExecInputs): Promise<unknown> {
    const id = inputs.instanceId;
    const what = `Agent37Exec ${phase} command ${describeCommand(command, inputs)} in instance ${id}`;
    if (err instanceof InvalidRequestError) {
      // Exec answers 400 for any status but running; name the status.
      let status: string | undefined;
      try {
        status = (await new InstancesApi(this.client()).get(id)).status;
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

/** A provider with explicit options (tests, embedding). The host uses `execProvider()`. */
export function createExecProvider(options?: ExecProviderOptions): Agent37ExecProvider {
  return new Agent37ExecProvider(options);
}
