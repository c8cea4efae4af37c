import * as fs from "node:fs";
import { startTest, type Json, type TestClient } from "./helpers";

const KEY = "sk_live_execWorkspace000000000001";
let c: TestClient;
let inst: Json;
beforeAll(async () => {
  c = await startTest({ keys: [KEY], execTimeoutMs: 400 });
  inst = await c.create({ template: "sandbox", env: { GREETING: "hi from env" } });
});
afterAll(() => c.close());

const exec = (id: string, body: unknown) => c.api("POST", `/v1/instances/${id}/exec`, body);

describe("POST /v1/instances/{id}/exec", () => {
  it("runs the command with sh -c and returns exit code and both streams", async () => {
    const r = await exec(inst.id, { command: "echo out; echo err 1>&2; exit 3" });
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ exit_code: 3, stdout: "out\n", stderr: "err\n", truncated: false });
  });

  it("supports pipes and redirects", async () => {
    const r = await exec(inst.id, { command: "printf 'b\\na\\n' | sort | tr a-z A-Z" });
    expect(r.body.stdout).toBe("A\nB\n");
  });

  it("keeps files between calls of the same instance", async () => {
    await exec(inst.id, { command: "echo persisted > note.txt" });
    const r = await exec(inst.id, { command: "cat note.txt" });
    expect(r.body.stdout).toBe("persisted\n");
  });

  it("gives each instance its own folder", async () => {
    await exec(inst.id, { command: "echo mine > private.txt" });
    const other = await c.create({ template: "sandbox" });
    const r = await exec(other.id, { command: "cat private.txt" });
    expect(r.body.exit_code).not.toBe(0);
  });

  it("applies the instance's write-only env", async () => {
    const r = await exec(inst.id, { command: 'printf "%s|%s" "$GREETING" "$AGENT37_INSTANCE_ID"' });
    expect(r.body.stdout).toBe(`hi from env|${inst.id}`);
  });

  it("answers a command that leaves a shell loop running in the background (no exec of its own)", async () => {
    const started = Date.now();
    const r = await exec(inst.id, { command: "(while :; do sleep 1; done) >/dev/null 2>&1 & echo $! > loop.pid" });
    expect(r.status).toBe(200);
    expect(r.body.exit_code).toBe(0);
    // Well inside the 400 ms limit of this suite: the call did not wait for the loop.
    expect(Date.now() - started).toBeLessThan(400);
    expect((await exec(inst.id, { command: "kill $(cat loop.pid)" })).body.exit_code).toBe(0);
  });

  it("reports a missing binary as exit code 127", async () => {
    const r = await exec(inst.id, { command: "definitely-not-a-binary-here" });
    expect(r.body.exit_code).toBe(127);
  });

  it("caps each stream at 512 KB, cutting the middle and leaving a marker", async () => {
    const r = await exec(inst.id, { command: "head -c 700000 /dev/zero | tr '\\0' a; printf END" });
    expect(r.body.truncated).toBe(true);
    expect(Buffer.byteLength(r.body.stdout)).toBeLessThanOrEqual(512 * 1024);
    expect(r.body.stdout).toMatch(/\[\.\.\. \d+ bytes truncated \.\.\.\]/);
    expect(r.body.stdout.startsWith("aaaa")).toBe(true);
    expect(r.body.stdout.endsWith("END")).toBe(true);
    expect(r.body.stderr).toBe("");
  });

  it("fails a command over the time limit with 502 provisioning_failed", async () => {
    const started = Date.now();
    const r = await exec(inst.id, { command: "sleep 5" });
    expect(r.status).toBe(502);
    expect(r.body.error.code).toBe("provisioning_failed");
    expect(Date.now() - started).toBeLessThan(4000);
  });

  it.each([
    ["a missing command", {}],
    ["a non-string command", { command: 42 }],
    ["a null byte", { command: "echo a\u0000b" }],
  ])("rejects %s with 400 invalid_request", async (_label, body) => {
    const r = await exec(inst.id, body);
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe("invalid_request");
  });

  it("refuses an instance that is not running with 400", async () => {
    const stopped = await c.create({ template: "sandbox" });
    await c.api("POST", `/v1/instances/${stopped.id}/stop`);
    const r = await exec(stopped.id, { command: "true" });
    expect(r.status).toBe(400);
    expect(r.body.error.message).toContain("requires running");
  });

  it("removes the instance's folder on delete and answers 404 afterwards", async () => {
    const doomed = await c.create({ template: "sandbox" });
    const dir = (await exec(doomed.id, { command: "pwd" })).body.stdout.trim();
    expect(fs.existsSync(dir)).toBe(true);
    await c.api("DELETE", `/v1/instances/${doomed.id}`);
    await c.until(() => c.api("GET", `/v1/instances/${doomed.id}`), (r) => r.status === 404);
    expect(fs.existsSync(dir)).toBe(false);
    expect((await exec(doomed.id, { command: "true" })).status).toBe(404);
  });
});

describe("exec off loopback", () => {
  it("is refused with 403 exec_disabled when the emulator listens on a non-loopback address", async () => {
    const wide = await startTest({ keys: [KEY], host: "0.0.0.0" });
    try {
      const sandbox = await wide.create({ template: "sandbox" });
      const r = await wide.api("POST", `/v1/instances/${sandbox.id}/exec`, { command: "id" });
      expect(r.status).toBe(403);
      expect(r.body.error.code).toBe("exec_disabled");
      expect(r.body.error.message).toContain("loopback");
    } finally {
      await wide.close();
    }
  });
});

describe("exec on close", () => {
  it("kills running commands and removes the folders when the emulator closes", async () => {
    const e = await startTest({ keys: [KEY] });
    const sandbox = await e.create({ template: "sandbox" });
    const dir = (await e.api("POST", `/v1/instances/${sandbox.id}/exec`, { command: "pwd" })).body.stdout.trim();
    const pending = e.api("POST", `/v1/instances/${sandbox.id}/exec`, { command: "echo $$ > pid; exec sleep 30" }).catch((err: Error) => err);
    await e.until(() => Promise.resolve(fs.existsSync(`${dir}/pid`) && fs.readFileSync(`${dir}/pid`, "utf8").trim() !== ""), (v) => v);
    const pid = Number(fs.readFileSync(`${dir}/pid`, "utf8"));
    await e.close();
    await pending;
    expect(fs.existsSync(dir)).toBe(false);
    await e.until(
      () => Promise.resolve(alive(pid)),
      (v) => !v,
    );
  });
});

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
