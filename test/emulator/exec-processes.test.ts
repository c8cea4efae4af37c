import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { randomBytes } from "node:crypto";
import { startTest, type Json, type TestClient } from "./helpers";

/**
 * What exec leaves on the emulator's host: no secret on a command line, and no process outliving
 * its instance, the emulator, or the time limit of its call. Checked on Linux through /proc.
 */

const KEY = "sk_live_execProcesses00000000001";
const LIMIT_MS = 2000;

let c: TestClient;
let dir: string;
/** Pids a test started; whatever survives (on a broken emulator) is killed after the suite. */
const started: number[] = [];

beforeAll(async () => {
  c = await startTest({ keys: [KEY], execTimeoutMs: LIMIT_MS });
});
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "agent37-exec-proc-"));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));
afterAll(async () => {
  for (const pid of started) {
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      // gone, as it should be
    }
  }
  await c.close();
});

const exec = (id: string, command: string) => c.api("POST", `/v1/instances/${id}/exec`, { command });

/** Alive and not a zombie (an orphan killed under a PID 1 that does not reap stays a zombie). */
function alive(pid: number): boolean {
  let stat: string;
  try {
    stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
  } catch {
    return false;
  }
  const state = stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3);
  return state !== "Z" && state !== "X";
}

function commandLines(): { pid: string; cmdline: string }[] {
  const out: { pid: string; cmdline: string }[] = [];
  for (const pid of fs.readdirSync("/proc").filter((p) => /^\d+$/.test(p))) {
    try {
      out.push({ pid, cmdline: fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").replace(/\0/g, " ") });
    } catch {
      // exited meanwhile
    }
  }
  return out;
}

const exists = (file: string) => async (): Promise<boolean> => fs.existsSync(file) && fs.readFileSync(file, "utf8") !== "";

async function readPid(file: string): Promise<number> {
  await c.until(exists(file), Boolean);
  const pid = Number(fs.readFileSync(file, "utf8").trim());
  started.push(pid);
  return pid;
}

/** A command that starts `sleep 300` in the background, output elsewhere, and answers its pid. */
async function backgroundSleep(inst: Json): Promise<number> {
  const r = await exec(inst.id, "sleep 300 >/dev/null 2>&1 & echo $!");
  expect(r.status).toBe(200);
  const pid = Number(r.body.stdout.trim());
  started.push(pid);
  expect(alive(pid)).toBe(true);
  return pid;
}

describe("exec command lines", () => {
  it("never carry the command's environment values: no process's cmdline holds them, and the command still sees them", async () => {
    const inst = await c.create({ template: "sandbox" });
    const token = `tok-${randomBytes(12).toString("hex")}`;
    const seen = path.join(dir, "seen");
    const release = path.join(dir, "release");
    // The provider's form: the environment exported first, then the command.
    const command = `export A37_TOKEN='${token}'; sh -c 'printf %s "$A37_TOKEN"' > '${seen}'; while [ ! -e '${release}' ]; do sleep 0.02; done; printf done`;
    const call = exec(inst.id, command);
    // A child of the command has printed the value: the command runs, and holds it in its environment.
    await c.until(exists(seen), Boolean);
    expect(fs.readFileSync(seen, "utf8")).toBe(token);
    const leaks = commandLines().filter((p) => p.cmdline.includes(token));
    fs.writeFileSync(release, "");
    const r = await call;
    expect(leaks).toEqual([]);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ exit_code: 0, stdout: "done" });
  });

  it("keeps sh -c behaviour: $0, exit codes, syntax errors, here-documents, stdin at end of file", async () => {
    const inst = await c.create({ template: "sandbox" });
    expect((await exec(inst.id, "echo $0; exit 7")).body).toMatchObject({ exit_code: 7, stdout: "sh\n" });
    expect((await exec(inst.id, "if")).body.exit_code).toBe(2);
    expect((await exec(inst.id, "cat <<EOF\nline one\nEOF\n")).body.stdout).toBe("line one\n");
    expect((await exec(inst.id, "cat; echo after")).body.stdout).toBe("after\n");
    // The script's pipe is not handed to the command.
    expect((await exec(inst.id, "[ -e /dev/fd/3 ] && echo open || echo closed")).body.stdout).toBe("closed\n");
  });

  it("runs the command even when the instance's env sets PATH to nowhere", async () => {
    const inst = await c.create({ template: "sandbox", env: { PATH: "/nonexistent" } });
    const r = await exec(inst.id, 'printf "%s" "$PATH"');
    expect(r.body).toMatchObject({ exit_code: 0, stdout: "/nonexistent" });
  });
});

describe("processes a command leaves behind", () => {
  it("are killed when the instance is deleted", async () => {
    const inst = await c.create({ template: "sandbox" });
    const pid = await backgroundSleep(inst);
    expect((await c.api("DELETE", `/v1/instances/${inst.id}`)).status).toBe(200);
    await c.until(async () => alive(pid), (a) => !a);
  });

  it.each([
    ["stops", "stop", undefined],
    ["restarts", "restart", undefined],
    ["is resized (its container is recreated)", "resize", { disk: 10 }],
  ] as const)("are killed when the instance %s", async (_what, action, body) => {
    const inst = await c.create({ template: "sandbox" });
    await c.until(() => c.api("GET", `/v1/instances/${inst.id}`), (r) => r.body.status === "running");
    const pid = await backgroundSleep(inst);
    const r = await c.api("POST", `/v1/instances/${inst.id}/${action}`, body);
    expect(r.status).toBe(200);
    await c.until(async () => alive(pid), (a) => !a);
  });

  it("of other instances live on when one instance is deleted", async () => {
    const keep = await c.create({ template: "sandbox" });
    const drop = await c.create({ template: "sandbox" });
    const kept = await backgroundSleep(keep);
    const dropped = await backgroundSleep(drop);
    await c.api("DELETE", `/v1/instances/${drop.id}`);
    await c.until(async () => alive(dropped), (a) => !a);
    expect(alive(kept)).toBe(true);
  });

  it("are killed when the emulator closes", async () => {
    const other = await startTest({ keys: [KEY] });
    const inst = await other.create({ template: "sandbox" });
    const r = await other.api("POST", `/v1/instances/${inst.id}/exec`, { command: "sleep 300 >/dev/null 2>&1 & echo $!" });
    const pid = Number(r.body.stdout.trim());
    started.push(pid);
    expect(alive(pid)).toBe(true);
    await other.close();
    await c.until(async () => alive(pid), (a) => !a);
  });
});

describe("the exec time limit", () => {
  it("answers at the limit although a process that left the group holds the output open", async () => {
    const inst = await c.create({ template: "sandbox" });
    const pidFile = path.join(dir, "pid");
    const t0 = Date.now();
    const r = await exec(inst.id, `setsid sleep 20 & echo $! > '${pidFile}'; echo hi`);
    const took = Date.now() - t0;
    await readPid(pidFile);
    expect(r.status).toBe(502);
    expect(r.body.error.code).toBe("provisioning_failed");
    expect(r.body.error.message).toMatch(/kept the command's output open past the 2 s exec limit/);
    expect(took).toBeLessThan(LIMIT_MS + 2000);
  });

  it("answers at the limit and kills a detached child that holds the output open", async () => {
    const inst = await c.create({ template: "sandbox" });
    const pidFile = path.join(dir, "pid");
    const t0 = Date.now();
    const r = await exec(inst.id, `(sleep 20 & echo $! > '${pidFile}') ; echo hi`);
    const took = Date.now() - t0;
    const pid = await readPid(pidFile);
    expect(r.status).toBe(502);
    expect(took).toBeLessThan(LIMIT_MS + 2000);
    await c.until(async () => alive(pid), (a) => !a);
  });
});
