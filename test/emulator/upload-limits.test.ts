import { execFileSync, spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { Readable } from "node:stream";
import { createGzip, gzipSync } from "node:zlib";
import { request } from "undici";
import { startTest, type Json, type Res, type TestClient } from "./helpers";
import { DOCKERFILE, tar, tarGz } from "./tar";

/**
 * A build context is small on the wire and may be huge unpacked: the upload URL refuses one that
 * unpacks past the emulator's limits as soon as that shows, with the hosting API's envelope,
 * instead of inflating gigabytes. The bombs are generated here and streamed, never held whole.
 */

const KEY = "sk_live_uploadLimits000000000001";
const UNPACKED_LIMIT = 1_000_000_000;
const ENTRY_LIMIT = 200_000;

let c: TestClient;
beforeAll(async () => {
  // Inflating up to the limit is CPU work: on a loaded machine it can outlast the default 30 s
  // request timeout, which is not what these tests are about.
  c = await startTest({ keys: [KEY], requestTimeoutMs: 600_000 });
});
afterAll(() => c.close());

async function createBuild(name: string, size: number): Promise<Json> {
  const r = await c.api("POST", "/v1/template-builds", { name, size_bytes: size });
  if (r.status !== 201) throw new Error(`build create failed: ${r.status} ${r.text}`);
  return r.body;
}

async function put(url: string, body: Buffer | Readable, length: number): Promise<Res> {
  const r = await request(url, { method: "PUT", body, headers: { "content-length": String(length) }, dispatcher: c.agent });
  const text = await r.body.text();
  return { status: r.statusCode, headers: r.headers, body: text ? JSON.parse(text) : undefined, text };
}

/** The header of an empty regular file `x` (the test's own tar writer, independent of the code under test). */
const BASE_HEADER = Buffer.from(tar([{ name: "x", body: "" }]).subarray(0, 512));

/** A ustar header of one regular file of `size` bytes: the base header, renamed, resized and re-summed. */
function fileHeader(name: string, size: number): Buffer {
  const h = Buffer.from(BASE_HEADER);
  h.fill(0, 0, 100);
  h.write(name, 0, "latin1");
  h.write(`${size.toString(8).padStart(11, "0")}\0`, 124, "latin1");
  h.fill(" ", 148, 156);
  let sum = 0;
  for (let i = 0; i < 512; i++) sum += h[i] ?? 0;
  h.write(`${sum.toString(8).padStart(6, "0")}\0 `, 148, "latin1");
  return h;
}

/** A tar's entries without its two end blocks, so more can follow. */
const withoutEnd = (t: Buffer): Buffer => t.subarray(0, t.length - 1024);

/**
 * A gzip of ~3 MB that inflates to 3 GB: a Dockerfile, then the header of a 3 GB file whose data
 * is one gzip member of 16 MiB of zeros repeated (a gzip stream may hold several members).
 */
function bomb(): { size: number; stream: () => Readable } {
  const unpacked = 3_000_000_000;
  const zeros = gzipSync(Buffer.alloc(16 * 1024 * 1024));
  const repeats = Math.ceil(unpacked / (16 * 1024 * 1024));
  const head = gzipSync(Buffer.concat([withoutEnd(tar([{ name: "Dockerfile", body: DOCKERFILE }])), fileHeader("big.bin", unpacked)]));
  const size = head.length + repeats * zeros.length;
  function* parts(): Generator<Buffer> {
    yield head;
    for (let i = 0; i < repeats; i++) yield zeros;
  }
  return { size, stream: () => Readable.from(parts()) };
}

/**
 * The emulator as its own process, as users run it (`agent37-emulator`), so that its memory is
 * measured alone: the test runner's heap (other suites' garbage in the same worker) would
 * otherwise count too and make the bound depend on what ran before.
 */
interface EmulatorProcess {
  url: string;
  pid: number;
  stop(): Promise<void>;
}

const CLI = path.resolve(__dirname, "..", "..", "dist", "emulator", "cli.js");

async function emulatorProcess(): Promise<EmulatorProcess> {
  if (!fs.existsSync(CLI)) throw new Error("dist/emulator/cli.js is missing: run `npm run build` first (npm test does)");
  const child = spawn(process.execPath, [CLI, "--port", "0", "--key", KEY, "--request-timeout-ms", "600000"], { stdio: ["ignore", "pipe", "pipe"] });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  let out = "";
  let err = "";
  child.stderr.on("data", (d: Buffer) => (err += d.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout.on("data", (d: Buffer) => {
      out += d.toString();
      const m = /agent37-emulator listening on (\S+)/.exec(out);
      if (m?.[1]) resolve(m[1]);
    });
    child.once("exit", (code) => reject(new Error(`the emulator exited (${code}) before listening: ${out}${err}`)));
  });
  return {
    url,
    pid: child.pid ?? 0,
    async stop() {
      child.kill("SIGTERM");
      await exited;
    },
  };
}

/** One field of `/proc/<pid>/status`, in bytes (the kernel reports kB). */
function procStatus(pid: number, field: "VmRSS" | "VmHWM"): number {
  const m = new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"));
  if (!m?.[1]) throw new Error(`no ${field} in /proc/${pid}/status`);
  return Number(m[1]) * 1024;
}

/**
 * Peak resident memory of process `pid` while `run` runs, above what it was before. On Linux the
 * kernel keeps the peak itself: writing 5 to `clear_refs` resets the high-water mark (VmHWM) to
 * the current size, so no sample can miss a short peak. Elsewhere `ps` is sampled.
 */
async function peakRssGrowth<T>(pid: number, run: () => Promise<T>): Promise<{ result: T; growth: number }> {
  if (fs.existsSync(`/proc/${pid}/clear_refs`)) {
    const before = procStatus(pid, "VmRSS");
    fs.writeFileSync(`/proc/${pid}/clear_refs`, "5");
    const result = await run();
    return { result, growth: procStatus(pid, "VmHWM") - before };
  }
  const rss = (): number => Number(execFileSync("ps", ["-o", "rss=", "-p", String(pid)], { encoding: "utf8" }).trim()) * 1024;
  const before = rss();
  let peak = before;
  let sampling = true;
  const sampler = (async () => {
    while (sampling) {
      peak = Math.max(peak, rss());
      await new Promise((r) => setTimeout(r, 20));
    }
  })();
  try {
    const result = await run();
    return { result, growth: Math.max(peak, rss()) - before };
  } finally {
    sampling = false;
    await sampler;
  }
}

describe("the upload URL under a decompression bomb", () => {
  it("refuses a 3 MB gzip that unpacks to 3 GB, with 400 invalid_request, in bounded memory", async () => {
    const { size, stream } = bomb();
    expect(size).toBeLessThan(4_000_000);
    const emu = await emulatorProcess();
    try {
      const api = async (method: string, p: string, body?: unknown): Promise<Res> => {
        const r = await request(`${emu.url}${p}`, {
          method: method as "GET",
          headers: { authorization: `Bearer ${KEY}`, "content-type": "application/json" },
          ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
          dispatcher: c.agent,
        });
        const text = await r.body.text();
        return { status: r.statusCode, headers: r.headers, body: text ? JSON.parse(text) : undefined, text };
      };
      const created = await api("POST", "/v1/template-builds", { name: "bomb-one", size_bytes: size });
      expect(created.status).toBe(201);
      const build = created.body;
      const { result: r, growth } = await peakRssGrowth(emu.pid, () => put(build.upload_url, stream(), size));
      expect(r.status).toBe(400);
      expect(r.body.error.code).toBe("invalid_request");
      expect(r.body.error.message).toMatch(new RegExp(`unpacks to more than ${UNPACKED_LIMIT} bytes`));
      // Inflating 1 GB before the refusal must not hold it: measured at 5-80 MB on Node 22 and 24.
      expect(growth).toBeLessThan(200 * 1024 * 1024);

      // Nothing of it was kept: the build has no context, and a proper one is still accepted.
      const start = await api("POST", `/v1/template-builds/${build.id}/start`);
      expect({ status: start.status, code: start.body.error.code }).toEqual({ status: 400, code: "invalid_request" });
      expect(start.body.error.message).toMatch(/has no context/);
    } finally {
      await emu.stop();
    }
  });

  it("keeps serving on the same connection pool after a refusal", async () => {
    const { size, stream } = bomb();
    const build = await createBuild("bomb-two", size);
    expect((await put(build.upload_url, stream(), size)).status).toBe(400);
    const good = tarGz([{ name: "Dockerfile", body: DOCKERFILE }]);
    const next = await createBuild("after-bomb", good.length);
    const r = await put(next.upload_url, good, good.length);
    expect(r.status).toBe(200);
    expect((await c.api("GET", "/v1/templates")).status).toBe(200);
  });

  it(`refuses a context of more than ${ENTRY_LIMIT} entries`, async () => {
    // Zero-length files: 512 bytes each unpacked, a few bytes each gzipped.
    function* entries(): Generator<Buffer> {
      yield withoutEnd(tar([{ name: "Dockerfile", body: DOCKERFILE }]));
      for (let i = 0; i < ENTRY_LIMIT + 10; i += 1000) {
        const batch: Buffer[] = [];
        for (let j = i; j < i + 1000; j++) batch.push(fileHeader(`f/${j}`, 0));
        yield Buffer.concat(batch);
      }
      yield Buffer.alloc(1024);
    }
    const gz: Buffer[] = [];
    for await (const chunk of Readable.from(entries()).pipe(createGzip())) gz.push(chunk as Buffer);
    const archive = Buffer.concat(gz);
    const build = await createBuild("many-entries", archive.length);
    const r = await put(build.upload_url, archive, archive.length);
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe("invalid_request");
    expect(r.body.error.message).toMatch(new RegExp(`more than ${ENTRY_LIMIT} entries`));
  });

  it("still accepts a context that unpacks to a large but allowed size", async () => {
    const body = gzipSync(tar([{ name: "Dockerfile", body: DOCKERFILE }, { name: "data.bin", body: Buffer.alloc(32 * 1024 * 1024) }]));
    const build = await createBuild("large-ok", body.length);
    const r = await put(build.upload_url, body, body.length);
    expect(r.status).toBe(200);
  });
});
