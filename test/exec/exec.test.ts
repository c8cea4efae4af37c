/**
 * Agent37Exec through Pulumi's provider host, driven as the engine drives it, against the
 * emulator, whose exec runs a real `sh -c` in a folder per instance: effects of one command are
 * observed by a later exec in the same instance.
 */
import type * as pulumi from "@pulumi/pulumi";
import { Agent37Exec, Agent37Instance, type Agent37ExecArgs } from "pulumi-agent37";
import type { RunningEmulator } from "pulumi-agent37/emulator";
import {
  EmulatorAdmin,
  Engine,
  HostError,
  PROVIDER_KEY,
  runProgram,
  serializeProvider,
  startRig,
  traceHost,
  UNKNOWN,
  type ProviderHost,
  type Rig,
  type TracedCall,
} from "../harness";

const EXEC_TYPE = "pulumi-nodejs:dynamic/agent37:Exec";
const EXEC_ROUTE = "POST /v1/instances/:id/exec";
const SECRET = "s3cr3t-value-4242";

let rig: Rig;
let emulator: RunningEmulator;
let host: ProviderHost;
let admin: EmulatorAdmin;
let key: string;

beforeAll(async () => {
  rig = await startRig({ provisionMs: 50, bootMs: 100, lifecycleMs: 50, deleteMs: 30 });
  ({ emulator, host, admin, key } = rig);
});
afterAll(async () => rig?.close());
afterEach(async () => {
  await admin.clearFaults();
});

function newEngine(): { engine: Engine; calls: TracedCall[] } {
  const traced = traceHost(host);
  return { engine: new Engine(traced.host), calls: traced.calls };
}

/** A program: one sandbox instance and one Agent37Exec in it, as users write them. */
const sandboxWith =
  (args: (instanceId: pulumi.Output<string>) => Omit<Agent37ExecArgs, "instanceId">, name = "setup") =>
  () => {
    const box = new Agent37Instance("box", { template: "sandbox" });
    const exec = new Agent37Exec(name, { instanceId: box.instanceId, ...args(box.instanceId) });
    return { instanceId: box.instanceId, exitCode: exec.exitCode, stdout: exec.stdout, stderr: exec.stderr, truncated: exec.truncated, ranAt: exec.ranAt };
  };

/** The sandbox alone: running it after `sandboxWith` removes the Exec (its delete runs). */
const sandboxOnly = () => {
  const box = new Agent37Instance("box", { template: "sandbox" });
  return { instanceId: box.instanceId };
};

async function hostingApi(method: string, apiPath: string, body?: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${emulator.url}${apiPath}`, {
    method,
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

/** Runs a command in the instance out of band, as a person would, to observe effects. */
async function shell(id: string, command: string): Promise<{ exit_code: number; stdout: string }> {
  const res = await hostingApi("POST", `/v1/instances/${id}/exec`, { command });
  if (res.status !== 200) throw new Error(`exec in ${id}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as { exit_code: number; stdout: string };
}

async function execRequests(id: string): Promise<number> {
  return (await admin.requests()).log.filter((e) => e.route === EXEC_ROUTE && e.instanceId === id).length;
}

async function untilStatus(id: string, status: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while ((await admin.instance(id))?.status !== status) {
    if (Date.now() > deadline) throw new Error(`${id} did not reach ${status}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const execState = (engine: Engine) => [...engine.state.values()].find((r) => r.type === EXEC_TYPE);

async function failureOf(p: Promise<unknown>): Promise<HostError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof HostError) return err;
    throw err;
  }
  throw new Error("expected the run to fail");
}

describe("create", () => {
  it("runs the command in the instance: its effect is there for a later exec, and the outputs carry the result", async () => {
    const { engine } = newEngine();
    const before = Date.now();
    const { outputs } = await runProgram(engine, sandboxWith(() => ({ create: "mkdir -p app && echo hello > app/greeting && echo seeded" })));
    expect(outputs).toMatchObject({ exitCode: 0, stdout: "seeded\n", stderr: "", truncated: false });
    expect(Date.parse(outputs.ranAt as string)).toBeGreaterThanOrEqual(before - 1000);
    expect((await shell(outputs.instanceId as string, "cat app/greeting")).stdout).toBe("hello\n");
    await engine.destroy();
  });

  it("exports environment values, single-quoted, before the command", async () => {
    const { engine } = newEngine();
    const tricky = `it's "$HOME" \`id\` ; exit 9 \\ ${SECRET}`;
    const { outputs } = await runProgram(engine, sandboxWith(() => ({ create: 'printf "%s" "$TRICKY" > value.txt', environment: { TRICKY: tricky } })));
    expect(outputs.exitCode).toBe(0);
    expect((await shell(outputs.instanceId as string, "cat value.txt")).stdout).toBe(tricky);
    await engine.destroy();
  });

  it("a command exiting with another code fails the create with the instance, both codes and the stderr tail, and records nothing", async () => {
    const { engine } = newEngine();
    const error = await failureOf(runProgram(engine, sandboxWith(() => ({ create: "echo partial; echo 'disk is full' >&2; exit 3" }))));
    const id = [...engine.state.values()][0]?.id as string;
    expect(error.message).toContain(`in instance ${id} exited with code 3 (expected 0)`);
    expect(error.message).toMatch(/stderr \(last 2 KB\):\ndisk is full/);
    expect(error.initFailure).toBeUndefined();
    expect(execState(engine)).toBeUndefined();
    await engine.destroy();
  });

  it("expectExitCode makes that code the success", async () => {
    const { engine } = newEngine();
    const { outputs } = await runProgram(engine, sandboxWith(() => ({ create: "exit 3", expectExitCode: 3 })));
    expect(outputs.exitCode).toBe(3);
    await engine.destroy();
  });

  it("reports truncated when a stream passes Agent37's 512 KB cap", async () => {
    const { engine } = newEngine();
    const { outputs } = await runProgram(engine, sandboxWith(() => ({ create: "head -c 600000 /dev/zero | tr '\\0' a" })));
    expect(outputs.truncated).toBe(true);
    expect(Buffer.byteLength(outputs.stdout as string)).toBeLessThanOrEqual(512 * 1024);
    await engine.destroy();
  });
});

describe("check", () => {
  const urn = `urn:pulumi:dev::project::${EXEC_TYPE}::c`;
  let provider: string;
  beforeAll(async () => {
    provider = await serializeProvider(() => new Agent37Exec("c", { instanceId: "ab12cd34ef", create: "true" }));
  });

  it("rejects a null byte in a command or an environment value, and a key that is no shell name, without any request", async () => {
    await admin.clearRequests();
    const { failures } = await host.check(urn, {}, {
      [PROVIDER_KEY]: provider,
      instanceId: "ab12cd34ef",
      create: "echo a\u0000b",
      environment: { GOOD: "x\u0000", "BAD-KEY": "v" },
    });
    expect(failures.map((f) => f.property).sort()).toEqual(["create", "environment.BAD-KEY", "environment.GOOD"]);
    expect(failures.find((f) => f.property === "create")?.reason).toMatch(/null byte/);
    expect(await admin.apiRequestCount()).toBe(0);
  });

  it("accepts inputs still unknown at preview", async () => {
    const { failures } = await host.check(urn, {}, { [PROVIDER_KEY]: provider, instanceId: UNKNOWN, create: UNKNOWN, environment: { A: UNKNOWN } });
    expect(failures).toEqual([]);
  });
});

describe("update", () => {
  const counter = (trigger: string, extra: Partial<Agent37ExecArgs> = {}) =>
    sandboxWith(() => ({ create: "echo create >> runs.log", triggers: [trigger], ...extra }));

  it("unchanged inputs run nothing", async () => {
    const { engine } = newEngine();
    const first = await runProgram(engine, counter("a"));
    const id = first.outputs.instanceId as string;
    await admin.clearRequests();
    const second = await runProgram(engine, counter("a"));
    expect(second.steps.map((s) => s.op)).toEqual(["same", "same"]);
    expect(await execRequests(id)).toBe(0);
    await engine.destroy();
  });

  it("a trigger change re-runs create when no update command is set", async () => {
    const { engine } = newEngine();
    const first = await runProgram(engine, counter("a"));
    const second = await runProgram(engine, counter("b"));
    expect(second.steps.map((s) => s.op)).toEqual(["same", "update"]);
    expect((await shell(first.outputs.instanceId as string, "cat runs.log")).stdout).toBe("create\ncreate\n");
    expect(Date.parse(second.outputs.ranAt as string)).toBeGreaterThanOrEqual(Date.parse(first.outputs.ranAt as string));
    await engine.destroy();
  });

  it("with an update command, a change runs it instead of create", async () => {
    const { engine } = newEngine();
    const first = await runProgram(engine, counter("a", { update: "echo update >> runs.log" }));
    await runProgram(engine, counter("b", { update: "echo update >> runs.log" }));
    expect((await shell(first.outputs.instanceId as string, "cat runs.log")).stdout).toBe("create\nupdate\n");
    await engine.destroy();
  });

  it("a change of delete alone is recorded without running anything", async () => {
    const { engine } = newEngine();
    const first = await runProgram(engine, counter("a", { delete: "echo one" }));
    const id = first.outputs.instanceId as string;
    await admin.clearRequests();
    const second = await runProgram(engine, counter("a", { delete: "echo two" }));
    expect(second.steps.map((s) => s.op)).toEqual(["same", "update"]);
    expect(await execRequests(id)).toBe(0);
    expect(execState(engine)?.outputs).toMatchObject({ delete: "echo two", ranAt: first.outputs.ranAt });
    await engine.destroy();
  });

  it("diff plans a replace for another instance and an update for a new command, unknowns included, without any request", async () => {
    const { engine } = newEngine();
    await runProgram(engine, counter("a"));
    const res = execState(engine);
    if (!res) throw new Error("no exec in state");
    await admin.clearRequests();
    const news = { ...res.inputs };
    const plan = (changed: Record<string, unknown>) => host.diff(res.urn, res.id, res.outputs, { ...news, ...changed }, res.inputs);
    expect(await plan({})).toMatchObject({ changes: "none", replaces: [] });
    expect(await plan({ instanceId: "zz99zz99zz" })).toMatchObject({ changes: "some", replaces: ["instanceId"] });
    expect(await plan({ instanceId: UNKNOWN })).toMatchObject({ changes: "some", replaces: ["instanceId"] });
    expect(await plan({ triggers: [UNKNOWN] })).toMatchObject({ changes: "some", replaces: [] });
    expect(await plan({ environment: { A: "1" } })).toMatchObject({ changes: "some", replaces: [] });
    expect(await plan({ expectExitCode: 0, waitForRunning: true })).toMatchObject({ changes: "none" });
    expect(await admin.apiRequestCount()).toBe(0);
    await engine.destroy();
  });
});

describe("delete", () => {
  it("runs the delete command in the instance", async () => {
    const { engine } = newEngine();
    const first = await runProgram(engine, sandboxWith(() => ({ create: "true", delete: 'echo "cleaned $MARK" > cleanup.txt', environment: { MARK: "by-delete" } })));
    const removed = await runProgram(engine, sandboxOnly);
    expect(removed.steps.map((s) => s.op)).toEqual(["same", "delete"]);
    expect((await shell(first.outputs.instanceId as string, "cat cleanup.txt")).stdout).toBe("cleaned by-delete\n");
    await engine.destroy();
  });

  it("succeeds, with a warning that names no secret, when the instance is already gone", async () => {
    const { engine } = newEngine();
    const first = await runProgram(engine, sandboxWith(() => ({ create: "true", delete: "echo $TOKEN", environment: { TOKEN: SECRET } })));
    const id = first.outputs.instanceId as string;
    expect((await hostingApi("DELETE", `/v1/instances/${id}`)).status).toBe(200);
    await untilStatus(id, "deleted");
    const steps = await engine.destroy();
    expect(steps.map((s) => `${s.op} ${s.error ? "failed" : "ok"}`)).toEqual(["delete ok", "delete ok"]);
    expect(host.output().stderr).toMatch(new RegExp(`warning: Agent37Exec delete command not run: .*${id}`));
    expect(host.output().stderr).not.toContain(SECRET);
  });

  it("fails when the delete command runs and exits with another code", async () => {
    const { engine } = newEngine();
    await runProgram(engine, sandboxWith(() => ({ create: "true", delete: "exit 4" })));
    const error = await failureOf(runProgram(engine, sandboxOnly));
    expect(error.message).toMatch(/delete command `exit 4` in instance \w+ exited with code 4 \(expected 0\)/);
    expect(execState(engine)).toBeDefined();
    // Fixed by changing the recorded delete command (an update that runs nothing), then removed.
    await runProgram(engine, sandboxWith(() => ({ create: "true" })));
    await engine.destroy();
  });
});

describe("refresh", () => {
  it("keeps the record while the instance exists, and drops it with the instance once that is gone", async () => {
    const { engine } = newEngine();
    const first = await runProgram(engine, sandboxWith(() => ({ create: "echo once" })));
    const id = first.outputs.instanceId as string;
    const kept = await engine.refresh();
    expect(kept.map((s) => s.gone)).toEqual([false, false]);
    expect(execState(engine)?.outputs).toMatchObject({ stdout: "once\n", ranAt: first.outputs.ranAt });

    expect((await hostingApi("DELETE", `/v1/instances/${id}`)).status).toBe(200);
    await untilStatus(id, "deleted");
    const gone = await engine.refresh();
    expect(gone.map((s) => s.gone)).toEqual([true, true]);
    expect(engine.state.size).toBe(0);
  });
});

describe("an instance stopped between runs", () => {
  const program = (trigger: string, waitForRunning?: boolean) =>
    sandboxWith(() => ({ create: "echo run >> runs.log", triggers: [trigger], ...(waitForRunning === undefined ? {} : { waitForRunning }) }));

  it("makes a re-run fail naming the state, sending no exec, and the re-run succeeds once it runs again", async () => {
    const { engine } = newEngine();
    const first = await runProgram(engine, program("a"));
    const id = first.outputs.instanceId as string;
    expect((await hostingApi("POST", `/v1/instances/${id}/stop`)).status).toBe(200);
    await untilStatus(id, "stopped");
    await admin.clearRequests();

    const error = await failureOf(runProgram(engine, program("b")));
    expect(error.message).toContain(`Agent37Exec update: instance ${id} is stopped, not running`);
    expect(error.message).toContain("does not start a stopped instance");
    expect(await execRequests(id)).toBe(0);

    expect((await hostingApi("POST", `/v1/instances/${id}/start`)).status).toBe(200);
    await untilStatus(id, "running");
    const again = await runProgram(engine, program("b"));
    expect(again.steps.map((s) => s.op)).toEqual(["same", "update"]);
    expect((await shell(id, "cat runs.log")).stdout).toBe("run\nrun\n");
    await engine.destroy();
  });

  it("with waitForRunning false, exec's 400 is reported with the state and not retried", async () => {
    const { engine } = newEngine();
    const first = await runProgram(engine, program("a", false));
    const id = first.outputs.instanceId as string;
    expect((await hostingApi("POST", `/v1/instances/${id}/stop`)).status).toBe(200);
    await untilStatus(id, "stopped");
    await admin.clearRequests();

    const error = await failureOf(runProgram(engine, program("b", false)));
    expect(error.message).toContain(`instance ${id} is stopped, not running (exec requires running)`);
    const execs = (await admin.requests()).log.filter((e) => e.route === EXEC_ROUTE && e.instanceId === id);
    expect(execs.map((e) => e.status)).toEqual([400]);
    await engine.destroy();
  });
});

describe("exec is not idempotent", () => {
  const appender = sandboxWith(() => ({ create: "echo once >> runs.log" }));

  it("a lost answer is reported as outcome unknown and never re-sent", async () => {
    const { engine } = newEngine();
    await admin.setFaults([{ method: "POST", path: "/v1/instances/*/exec", kind: "reset-after", count: 1 }]);
    const error = await failureOf(runProgram(engine, appender));
    const id = [...engine.state.values()][0]?.id as string;
    expect(error.message).toMatch(/outcome unknown .*may or may not have run/);
    expect(await execRequests(id)).toBe(1);
    expect((await shell(id, "cat runs.log")).stdout).toBe("once\n");
    await engine.destroy();
  });

  it("an answer saying nothing ran (409 try_again) is retried, and the command runs once", async () => {
    const { engine } = newEngine();
    await admin.setFaults([{ method: "POST", path: "/v1/instances/*/exec", kind: "status", status: 409, code: "try_again", count: 1 }]);
    const { outputs } = await runProgram(engine, appender);
    const id = outputs.instanceId as string;
    expect(await execRequests(id)).toBe(2);
    expect((await shell(id, "cat runs.log")).stdout).toBe("once\n");
    await engine.destroy();
  });

  it("a command past the 280 s limit (502 provisioning_failed) fails once, naming the limit", async () => {
    const { engine } = newEngine();
    await admin.setFaults([
      { method: "POST", path: "/v1/instances/*/exec", kind: "status", status: 502, code: "provisioning_failed", message: "exec timed out", count: 1 },
    ]);
    const error = await failureOf(runProgram(engine, appender));
    const id = [...engine.state.values()][0]?.id as string;
    expect(error.message).toContain("ran past the 280 s exec limit");
    expect(error.message).toContain("not repeated");
    expect(await execRequests(id)).toBe(1);
    await engine.destroy();
  });
});

describe("secrets", () => {
  it("environment values are masked in error messages and the host's output", async () => {
    const { engine } = newEngine();
    const error = await failureOf(
      runProgram(engine, sandboxWith(() => ({ create: 'echo "using $TOKEN" >&2; exit 1', environment: { TOKEN: SECRET } }))),
    );
    expect(error.message).toContain("using ***");
    expect(error.message).not.toContain(SECRET);
    expect(host.output().stderr).not.toContain(SECRET);
    await engine.destroy();
  });

  it("environment values never reach stdout or stderr outputs; only the secret environment output holds them", async () => {
    const { engine } = newEngine();
    const { outputs } = await runProgram(engine, sandboxWith(() => ({ create: 'echo "token=$TOKEN"; echo "$TOKEN" >&2', environment: { TOKEN: SECRET } })));
    expect(outputs.stdout).toBe("token=***\n");
    expect(outputs.stderr).toBe("***\n");
    const recorded = execState(engine)?.outputs ?? {};
    const withoutEnvironment = Object.fromEntries(Object.entries(recorded).filter(([k]) => k !== "environment" && k !== PROVIDER_KEY));
    expect(JSON.stringify(withoutEnvironment)).not.toContain(SECRET);
    expect(recorded.environment).toEqual({ TOKEN: SECRET });
    await engine.destroy();
  });

  it("a command that looks like it carries a key is not quoted in errors; a plain one is", async () => {
    const { engine } = newEngine();
    const hidden = await failureOf(runProgram(engine, sandboxWith(() => ({ create: "echo 'Authorization: Bearer abc123'; exit 2" }))));
    expect(hidden.message).toContain("(command not shown: it may carry a secret)");
    expect(hidden.message).not.toContain("Bearer abc123'; exit");
    const shown = await failureOf(runProgram(engine, sandboxWith(() => ({ create: "exit 2" }))));
    expect(shown.message).toContain("create command `exit 2`");
    await engine.destroy();
  });

  it("the provider the host deserializes for Agent37Exec holds no key", async () => {
    const provider = await serializeProvider(() => new Agent37Exec("p", { instanceId: "ab12cd34ef", create: "true" }));
    expect(provider).not.toContain(key);
  });
});
