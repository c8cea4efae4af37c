/**
 * Agent37Exec output secrecy through Pulumi's provider host, against the emulator's real `sh -c`:
 * `stdout` and `stderr` are Pulumi secrets whenever a secret went into the run (an environment,
 * a command the program marked secret, the env of the instance the command can print), and the
 * values are masked in the forms commands print them (as is, shell-quoted by `set -x`,
 * JSON-escaped, percent-encoded; a 3-character value as a whole token).
 */
import * as pulumi from "@pulumi/pulumi";
import { Agent37Exec, Agent37Instance } from "pulumi-agent37";
import { Engine, runProgram, startRig, type Properties, type Rig } from "../harness";
import { isSecretEnvelope } from "../harness/protocol";

const EXEC_TYPE = "pulumi-nodejs:dynamic/agent37:Exec";
/** Holds a quote, a double quote, a backslash and a space: every encoding differs from it. */
const TOKEN = `pa"ss\\wo rd'x-4242`;

let rig: Rig;
beforeAll(async () => {
  rig = await startRig({ provisionMs: 30, bootMs: 50, lifecycleMs: 30, deleteMs: 20 });
});
afterAll(async () => rig?.close());

const execOutputs = (engine: Engine): Properties => ([...engine.state.values()].find((r) => r.type === EXEC_TYPE)?.outputs ?? {}) as Properties;

/** The run's streams as the engine recorded them (envelope = secret), and the plaintext. */
function streams(outputs: Properties): { secret: boolean[]; stdout: string; stderr: string } {
  const text = (v: unknown) => String(isSecretEnvelope(v) ? v.value : v);
  return { secret: [isSecretEnvelope(outputs.stdout), isSecretEnvelope(outputs.stderr)], stdout: text(outputs.stdout), stderr: text(outputs.stderr) };
}

it("masks the value as is, shell-quoted (bash set -x), JSON-escaped and percent-encoded, and makes both streams secret", async () => {
  const engine = new Engine(rig.host);
  const command = [
    `bash -c 'set -x; printf "%s\\n" "$TOKEN" >/dev/null'`,
    `node -e 'console.log(JSON.stringify({ token: process.env.TOKEN }))'`,
    `node -e 'console.log("https://x.test/?t=" + encodeURIComponent(process.env.TOKEN))'`,
    `printf '%s\\n' "$TOKEN"`,
    `echo "short: $CODE, not inside: x$CODE"`,
  ].join("; ");
  let stdoutSecret: Promise<boolean> | undefined;
  await runProgram(engine, () => {
    const box = new Agent37Instance("box", { template: "sandbox" });
    const exec = new Agent37Exec("masked", { instanceId: box.instanceId, create: `{ ${command}; } 2>&1`, environment: { TOKEN, CODE: "a1b" } });
    stdoutSecret = pulumi.isSecret(exec.stdout);
  });
  const { secret, stdout } = streams(execOutputs(engine));
  expect(secret).toEqual([true, true]);
  // The program sees a secret Output too.
  expect(await stdoutSecret).toBe(true);
  // Every form was printed, and none survived.
  expect(stdout.split("\n").filter((l) => l !== "")).toEqual([
    "+ printf '%s\\n' ***",
    '{"token":"***"}',
    "https://x.test/?t=***",
    "***",
    "short: ***, not inside: xa1b",
  ]);
  for (const form of [TOKEN, `'pa"ss\\wo rd'\\''x-4242'`, JSON.stringify(TOKEN).slice(1, -1), encodeURIComponent(TOKEN)]) expect(stdout).not.toContain(form);
  await engine.destroy();
});

it("makes the streams secret when only the command was a secret", async () => {
  const engine = new Engine(rig.host);
  await runProgram(engine, () => {
    const box = new Agent37Instance("box", { template: "sandbox" });
    new Agent37Exec("secret-command", { instanceId: box.instanceId, create: pulumi.secret("echo from-a-secret-command") });
  });
  const outputs = execOutputs(engine);
  expect(streams(outputs)).toEqual({ secret: [true, true], stdout: "from-a-secret-command\n", stderr: "" });
  expect(outputs.secretInputs).toBe(true);
  await engine.destroy();
});

it("masks the instance's own env that a command prints (printenv), and makes the streams secret", async () => {
  const engine = new Engine(rig.host);
  await runProgram(engine, () => {
    const box = new Agent37Instance("box", { template: "sandbox", env: { APP_SECRET: "instance-env-secret-77" } });
    new Agent37Exec("printenv", { instanceId: box.instanceId, create: "printenv APP_SECRET" });
  });
  const outputs = execOutputs(engine);
  expect(streams(outputs)).toEqual({ secret: [true, true], stdout: "***\n", stderr: "" });
  // The instance env recorded for masking is itself a secret output of the Exec.
  expect(JSON.stringify(outputs)).toContain("instance-env-secret-77");
  await engine.destroy();
});

it("leaves the streams plain when nothing secret went in", async () => {
  const engine = new Engine(rig.host);
  await runProgram(engine, () => {
    const box = new Agent37Instance("box", { template: "sandbox" });
    new Agent37Exec("plain", { instanceId: box.instanceId, create: "echo plain" });
  });
  expect(streams(execOutputs(engine))).toEqual({ secret: [false, false], stdout: "plain\n", stderr: "" });
  await engine.destroy();
});
