import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { request } from "undici";
import { startTest, type Json, type Res, type TestClient } from "./helpers";

/**
 * The Files API never reads or writes outside the instance's own folder: not by `..`, an
 * encoded form, an absolute host path, a symbolic link (made by exec, placed in the folder, or
 * swapped in while requests run) nor a hard link. A sentinel folder outside is checked after
 * every attempt: same names, same bytes, same mtimes, and its secret never in an answer.
 */

const KEY = "sk_live_filesConfinement00000001";
const WS = "/home/user/.agent37-gateway/workspace";

let c: TestClient;
let inst: Json;
// Made when the file loads: the table of traversal attempts below names it.
const sentinelDir = fs.mkdtempSync(path.join(os.tmpdir(), "agent37-sentinel-"));
const sentinel = path.join(sentinelDir, "secret.txt");
const secret = `SENTINEL-${crypto.randomBytes(12).toString("hex")}`;
let before: string;
let home: string;
const answers: string[] = [];

/** Names, sizes, mtimes and a hash of every file under the sentinel folder. */
function snapshot(dir: string): string {
  const rows: string[] = [];
  const walk = (d: string): void => {
    for (const name of fs.readdirSync(d).sort()) {
      const p = path.join(d, name);
      const st = fs.lstatSync(p);
      const hash = st.isFile() ? crypto.createHash("sha256").update(fs.readFileSync(p)).digest("hex") : "";
      rows.push(`${path.relative(dir, p)} ${st.mode} ${st.size} ${st.mtimeMs} ${hash}`);
      if (st.isDirectory()) walk(p);
    }
  };
  walk(dir);
  return rows.join("\n");
}

async function call(method: string, pathAndQuery: string, body?: string): Promise<Res> {
  const r = await request(`${c.emu.url}${pathAndQuery}`, {
    method: method as "GET",
    headers: { host: `${inst.id}.localhost:${c.emu.port}`, "x-agent37-key": KEY, ...(method === "PATCH" ? { "content-type": "application/json" } : {}) },
    ...(body !== undefined ? { body } : {}),
    dispatcher: c.agent,
  });
  const text = await r.body.text();
  answers.push(text);
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  return { status: r.statusCode, headers: r.headers, body: parsed, text };
}

const q = (p: string): string => encodeURIComponent(p);
const get = (p: string): Promise<Res> => call("GET", `/v1/files/content?path=${q(p)}`);
const list = (p: string): Promise<Res> => call("GET", `/v1/files?path=${q(p)}`);
const put = (p: string, body: string): Promise<Res> => call("PUT", `/v1/files/content?path=${q(p)}`, body);
const del = (p: string): Promise<Res> => call("DELETE", `/v1/files?path=${q(p)}`);
const exec = async (command: string): Promise<Json> => (await c.api("POST", `/v1/instances/${inst.id}/exec`, { command }, KEY)).body;

beforeAll(async () => {
  fs.writeFileSync(sentinel, secret);
  fs.mkdirSync(path.join(sentinelDir, "sub"));
  fs.writeFileSync(path.join(sentinelDir, "sub", "nested.txt"), secret);
  before = snapshot(sentinelDir);
  c = await startTest({ keys: [KEY], execTimeoutMs: 10_000 });
  inst = await c.create({});
  await c.until(() => call("GET", "/v1/health"), (r) => r.status === 200);
  home = ((await exec("pwd")) as { stdout: string }).stdout.trim();
});

afterEach(() => {
  expect(snapshot(sentinelDir)).toBe(before);
  for (const text of answers) expect(text).not.toContain(secret);
  answers.length = 0;
});

afterAll(async () => {
  await c.close();
  fs.rmSync(sentinelDir, { recursive: true, force: true });
});

describe("paths", () => {
  const ups = "../".repeat(20);

  it.each([
    ["relative ../ climbing above the root", `${ups}${sentinel.slice(1)}`],
    ["../ inside an absolute path", `/home/user/${ups}${sentinel.slice(1)}`],
    ["~/ and ../", `~/${ups}${sentinel.slice(1)}`],
    ["the absolute host path", sentinel],
  ])("%s names the same path inside the instance, where nothing is", async (_label, p) => {
    const r = await get(p);
    expect(r.status).toBe(404);
    expect(r.body.error.message).toBe(`No file at '${sentinel}'.`);
    expect((await list(path.posix.dirname(p))).status).toBe(404);
  });

  it("decodes percent-encoding once: %2e%2e is .., %252e%252e a name", async () => {
    const encoded = `${"%2e%2e%2f".repeat(20)}${sentinel.slice(1).split("/").map(encodeURIComponent).join("%2F")}`;
    const once = await call("GET", `/v1/files/content?path=${encoded}`);
    expect(once.status).toBe(404);
    expect(once.body.error.message).toBe(`No file at '${sentinel}'.`);
    const twice = await call("GET", `/v1/files/content?path=${"%252e%252e%252f".repeat(20)}secret.txt`);
    expect(twice.status).toBe(404);
    expect(twice.body.error.message).toBe(`No file at '${WS}/${"%2e%2e%2f".repeat(20)}secret.txt'.`);
  });

  it("writes, renames and deletes absolute host paths inside the instance only", async () => {
    const w = await put(sentinel, "inside");
    expect(w.status).toBe(200);
    expect(w.body.path).toBe(sentinel);
    expect((await get(sentinel)).text).toBe("inside");
    const moved = await call("PATCH", "/v1/files", JSON.stringify({ from: sentinel, to: `${sentinelDir}/sub/nested.txt` }));
    // The instance has no such folder `sub`: the sentinel's folder outside does not count.
    expect(moved.status).toBe(400);
    expect((await del(sentinelDir)).body).toEqual({ ok: true });
    expect((await get(sentinel)).status).toBe(404);
    expect(fs.existsSync(path.join(home, "..", "..", sentinel.slice(1)))).toBe(false);
  });
});

describe("symbolic links", () => {
  it("made by exec are followed inside the instance, never out of it", async () => {
    const made = await exec(`cd .agent37-gateway/workspace && ln -s '${sentinel}' leak && ln -s '${sentinelDir}' leakdir && ln -s '${"../".repeat(20)}${sentinelDir.slice(1)}' relleak`);
    expect(made.exit_code).toBe(0);
    for (const link of ["leak", "leakdir/secret.txt", "relleak/secret.txt", "leakdir/sub/nested.txt"]) {
      const r = await get(link);
      expect(r.status).toBe(404);
    }
    expect((await list("leakdir")).status).toBe(404);
    expect((await list("relleak/sub")).status).toBe(404);
    const entries = (await list(WS)).body.entries;
    expect(entries.find((e: Json) => e.name === "leak")).toMatchObject({ type: "symlink" });
  });

  it("are written through inside the instance: the link's target is a path of the instance", async () => {
    const w = await put("leak", "through the link");
    expect(w.status).toBe(200);
    // The link stays; the bytes land at the instance's own copy of the target path.
    expect(fs.lstatSync(path.join(home, ".agent37-gateway/workspace/leak")).isSymbolicLink()).toBe(true);
    expect((await get(sentinel)).text).toBe("through the link");
    expect((await put("leakdir/new.txt", "new")).status).toBe(200);
    expect((await list("leakdir")).body.entries.map((e: Json) => e.name).sort()).toEqual(["new.txt", "secret.txt"]);
    expect(fs.existsSync(path.join(sentinelDir, "new.txt"))).toBe(false);
    expect((await call("POST", `/v1/files/dir?path=${q("leakdir/sub/made")}`)).status).toBe(200);
    expect(fs.existsSync(path.join(sentinelDir, "sub", "made"))).toBe(false);
  });

  it("are deleted and renamed themselves, never their targets", async () => {
    expect((await del("leakdir/sub")).body).toEqual({ ok: true });
    expect((await del("leak")).body).toEqual({ ok: true });
    expect(fs.existsSync(path.join(home, ".agent37-gateway/workspace/leak"))).toBe(false);
    const moved = await call("PATCH", "/v1/files", JSON.stringify({ from: "relleak", to: "renamed-link" }));
    expect(moved.status).toBe(200);
    expect(moved.body.type).toBe("symlink");
    expect((await del("renamed-link")).body).toEqual({ ok: true });
    expect((await del("leakdir")).body).toEqual({ ok: true });
    expect((await del(sentinelDir)).body).toEqual({ ok: true });
  });

  it("placed in the folder from outside are confined the same way", async () => {
    const ws = path.join(home, ".agent37-gateway/workspace");
    fs.symlinkSync(sentinel, path.join(ws, "placed"));
    fs.symlinkSync(sentinelDir, path.join(ws, "placed-dir"));
    fs.symlinkSync("loop-b", path.join(ws, "loop-a"));
    fs.symlinkSync("loop-a", path.join(ws, "loop-b"));
    expect((await get("placed")).status).toBe(404);
    expect((await list("placed-dir")).status).toBe(404);
    expect((await get("placed-dir/sub/nested.txt")).status).toBe(404);
    expect((await put("placed-dir/sub/nested.txt", "mine")).status).toBe(200);
    expect((await get(`${sentinelDir}/sub/nested.txt`)).text).toBe("mine");
    // Links that lead nowhere but to each other end with a 400, not a hang.
    const loop = await get("loop-a");
    expect(loop.status).toBe(400);
    const loopWrite = await put("loop-a", "x");
    expect(loopWrite.status).toBe(400);
    expect(loopWrite.body.error.message).toContain("symbolic links");
    for (const name of ["placed", "placed-dir", "loop-a", "loop-b"]) await del(name);
    await del(sentinelDir);
  });

  it("swapped in for a folder while requests run never lead out (a race with a process in the instance)", async () => {
    const ws = path.join(home, ".agent37-gateway/workspace");
    fs.mkdirSync(path.join(ws, "real"));
    fs.writeFileSync(path.join(ws, "real", "secret.txt"), "harmless");
    // A process in the instance flips `flip` between a real folder and a link to the sentinel's folder.
    const started = await exec(
      `cd .agent37-gateway/workspace || exit 1; (while :; do mv real flip; mv flip real; ln -s '${sentinelDir}' flip; rm -f flip; done) >/dev/null 2>&1 & echo $! > ../flipper.pid`,
    );
    expect(started.exit_code).toBe(0);
    const seen = new Set<number>();
    try {
      for (let round = 0; round < 20; round++) {
        const results = await Promise.all(Array.from({ length: 15 }, (_, i) => (i % 3 === 2 ? put("flip/secret.txt", "harmless") : get("flip/secret.txt"))));
        for (const r of results) {
          seen.add(r.status);
          if (r.status === 200 && r.body?.type === undefined) expect(r.text).toBe("harmless");
        }
      }
    } finally {
      await exec("kill $(cat .agent37-gateway/flipper.pid)");
    }
    expect(seen.has(200)).toBe(true);
    for (const p of ["flip", "real", sentinelDir]) await del(p);
  });
});

describe("hard links", () => {
  it("to a file outside are never read, and a write replaces the link instead of writing through it", async () => {
    const ws = path.join(home, ".agent37-gateway/workspace");
    fs.linkSync(sentinel, path.join(ws, "hard"));
    const r = await get("hard");
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe("validation_error");
    expect((await put("hard", "replaced")).status).toBe(200);
    expect((await get("hard")).text).toBe("replaced");
    expect(fs.statSync(sentinel).nlink).toBe(1);
    expect((await del("hard")).body).toEqual({ ok: true });
  });
});

describe("the data folder", () => {
  it("keeps the instance's virtual / inside the instance's folder on this machine", async () => {
    await put("/etc/agent.conf", "conf");
    const root = path.resolve(home, "..", "..");
    expect(fs.readFileSync(path.join(root, "etc", "agent.conf"), "utf8")).toBe("conf");
    expect(path.basename(path.dirname(root))).toBe(inst.id);
  });
});
