// The build context: which files it holds (`.dockerignore` applied, the Dockerfile at the root),
// its content hash, and the deterministic gzipped tar uploaded to Agent37. Everything streams:
// contents pass through in chunks, so memory stays flat however large the context is.
import { createHash, type Hash } from "node:crypto";
import { createReadStream, createWriteStream } from "node:fs";
import * as fs from "node:fs/promises";
import * as path from "node:path";
import { Readable, Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { createGzip } from "node:zlib";
import { IgnoreMatcher } from "./dockerignore";
import { DEFAULT_DOCKERFILE, MAX_CONTEXT_BYTES } from "./schema";
import { END_OF_ARCHIVE, entryBytes, entryHeader, padding, type EntryKind } from "./tar";

/** A problem with the context, naming the input it comes from. */
export class ContextError extends Error {
  override name = "ContextError";
  constructor(
    readonly property: "build.context" | "build.dockerfile",
    reason: string,
  ) {
    super(reason);
  }
}

export interface ContextEntry {
  /** `/`-separated path in the archive. */
  path: string;
  /** Absolute path on disk. */
  source: string;
  kind: EntryKind;
  /** The owner's executable bit: the only part of the mode that counts (umask never does). */
  executable: boolean;
  size: number;
  linkTarget?: string;
}

export interface ContextScan {
  root: string;
  /** Sorted by path; the chosen Dockerfile is the entry `Dockerfile`. */
  entries: ContextEntry[];
  /** Exact length of the uncompressed tar. */
  tarBytes: number;
}

/** Gzip never grows data by more than this (stored blocks: 5 bytes per 16 KiB, plus framing). */
export function gzipBound(bytes: number): number {
  return bytes + Math.ceil(bytes / 16_384) * 5 + 64;
}

const HASH_PREFIX = "agent37-context-v1\0";

/** `a/b` paths compare by code unit: the same on every machine and locale. */
function byPath(a: ContextEntry, b: ContextEntry): number {
  return a.path < b.path ? -1 : a.path > b.path ? 1 : 0;
}

async function readIgnore(root: string): Promise<IgnoreMatcher> {
  let text: string;
  try {
    text = await fs.readFile(path.join(root, ".dockerignore"), "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return IgnoreMatcher.fromText(undefined);
    throw new ContextError("build.context", `cannot read ${path.join(root, ".dockerignore")}: ${(err as Error).message}`);
  }
  try {
    return IgnoreMatcher.fromText(text);
  } catch (err) {
    throw new ContextError("build.context", `${(err as Error).message} in ${path.join(root, ".dockerignore")}`);
  }
}

/**
 * Lists the context: every regular file and symbolic link `.dockerignore` keeps (symlinks are
 * stored as links, never followed; empty folders are not stored), plus the Dockerfile named by
 * `dockerfile` as `Dockerfile` at the root, even when it lives elsewhere or is ignored (as
 * `docker build` always sends it). A root `Dockerfile` that is not the chosen one is left out.
 */
export async function scanContext(context: string, dockerfile: string = DEFAULT_DOCKERFILE): Promise<ContextScan> {
  const root = path.resolve(context);
  let rootStat;
  try {
    rootStat = await fs.stat(root);
  } catch {
    throw new ContextError("build.context", `build context folder ${root} does not exist`);
  }
  if (!rootStat.isDirectory()) throw new ContextError("build.context", `build context ${root} is not a folder`);

  const dockerfileRel = dockerfile.split(/[\\/]+/).filter((p) => p !== "" && p !== ".").join("/");
  const dockerfileAbs = path.join(root, dockerfileRel);
  let dfStat;
  try {
    dfStat = await fs.stat(dockerfileAbs);
  } catch {
    throw new ContextError("build.dockerfile", `the Dockerfile ${dockerfileRel} is missing from the build context ${root}`);
  }
  if (!dfStat.isFile()) throw new ContextError("build.dockerfile", `the Dockerfile ${dockerfileRel} in ${root} is not a file`);

  const ignore = await readIgnore(root);
  const entries: ContextEntry[] = [];
  const walk = async (dirAbs: string, dirRel: string): Promise<void> => {
    let names;
    try {
      names = await fs.readdir(dirAbs, { withFileTypes: true });
    } catch (err) {
      throw new ContextError("build.context", `cannot read ${dirAbs}: ${(err as Error).message}`);
    }
    await Promise.all(
      names.map(async (d) => {
        const rel = dirRel === "" ? d.name : `${dirRel}/${d.name}`;
        const abs = path.join(dirAbs, d.name);
        if (d.isDirectory()) {
          // Without exceptions nothing below an ignored folder can come back: skip the walk.
          if (!ignore.hasExceptions && ignore.ignores(rel)) return;
          await walk(abs, rel);
          return;
        }
        if (!d.isFile() && !d.isSymbolicLink()) return;
        if (dirRel === "" && d.name === "Dockerfile") return;
        if (ignore.ignores(rel)) return;
        const st = await fs.lstat(abs);
        if (st.isSymbolicLink()) {
          entries.push({ path: rel, source: abs, kind: "symlink", executable: false, size: 0, linkTarget: await fs.readlink(abs) });
        } else if (st.isFile()) {
          entries.push({ path: rel, source: abs, kind: "file", executable: (st.mode & 0o100) !== 0, size: st.size });
        }
      }),
    );
  };
  await walk(root, "");
  entries.push({ path: "Dockerfile", source: dockerfileAbs, kind: "file", executable: (dfStat.mode & 0o100) !== 0, size: dfStat.size });
  entries.sort(byPath);
  let tarBytes = END_OF_ARCHIVE.length;
  for (const e of entries) tarBytes += entryBytes(e);
  return { root, entries, tarBytes };
}

/** Files at most this large are read whole, several at a time; larger ones stream in chunks. */
const WHOLE_READ_MAX = 256 * 1024;
/** Small files read ahead of the one being hashed (hides the file system's latency). */
const READ_AHEAD = 32;
const CHUNK = 256 * 1024;

class ContextChangedError extends ContextError {
  constructor(file: string) {
    super("build.context", `${file} changed while the build context was read; run again`);
  }
}

/**
 * The context's bytes in archive order: for each entry, `onEntry` then its content chunks.
 * Read-ahead keeps a bounded number of small files in memory; large files stream.
 */
async function* contents(scan: ContextScan): AsyncGenerator<{ entry: ContextEntry; chunk?: Buffer }> {
  const pending = new Map<number, Promise<Buffer>>();
  const prefetch = (i: number): void => {
    const e = scan.entries[i];
    if (e !== undefined && e.kind === "file" && e.size <= WHOLE_READ_MAX && !pending.has(i)) pending.set(i, fs.readFile(e.source));
  };
  for (let i = 0; i < Math.min(READ_AHEAD, scan.entries.length); i++) prefetch(i);
  try {
    for (let i = 0; i < scan.entries.length; i++) {
      const e = scan.entries[i] as ContextEntry;
      prefetch(i + READ_AHEAD);
      yield { entry: e };
      if (e.kind !== "file") continue;
      const whole = pending.get(i);
      if (whole !== undefined) {
        pending.delete(i);
        let data: Buffer;
        try {
          data = await whole;
        } catch {
          throw new ContextChangedError(e.source);
        }
        if (data.length !== e.size) throw new ContextChangedError(e.source);
        if (data.length > 0) yield { entry: e, chunk: data };
        continue;
      }
      let read = 0;
      if (e.size > 0) {
        const stream = createReadStream(e.source, { start: 0, end: e.size - 1, highWaterMark: CHUNK });
        try {
          for await (const chunk of stream as AsyncIterable<Buffer>) {
            read += chunk.length;
            yield { entry: e, chunk };
          }
        } catch {
          throw new ContextChangedError(e.source);
        }
      }
      if (read !== e.size) throw new ContextChangedError(e.source);
    }
  } finally {
    // Settle reads started ahead so none rejects unobserved.
    for (const p of pending.values()) p.catch(() => undefined);
  }
}

function hashEntry(hash: Hash, e: ContextEntry): void {
  hash.update(`${e.kind}\0${e.path}\0${e.executable ? 1 : 0}\0${e.size}\0${e.linkTarget ?? ""}\0`);
}

/**
 * The content hash: sorted relative paths, each entry's kind, executable bit, size and bytes
 * (link target for symlinks). Mtime, owner and the rest of the mode never enter it.
 */
export async function hashContext(scan: ContextScan): Promise<string> {
  const hash = createHash("sha256").update(HASH_PREFIX);
  for await (const { entry, chunk } of contents(scan)) {
    if (chunk === undefined) hashEntry(hash, entry);
    else hash.update(chunk);
  }
  return `sha256:${hash.digest("hex")}`;
}

/** The uncompressed tar as a stream; `hash` resolves to the content hash of what was streamed. */
export function tarStream(scan: ContextScan): { stream: Readable; hash: Promise<string> } {
  let resolveHash!: (h: string) => void;
  let rejectHash!: (e: unknown) => void;
  const hash = new Promise<string>((res, rej) => {
    resolveHash = res;
    rejectHash = rej;
  });
  hash.catch(() => undefined);
  async function* chunks(): AsyncGenerator<Buffer> {
    const h = createHash("sha256").update(HASH_PREFIX);
    let current: ContextEntry | undefined;
    try {
      for await (const { entry, chunk } of contents(scan)) {
        if (chunk === undefined) {
          if (current !== undefined && current.kind === "file" && padding(current.size) > 0) yield Buffer.alloc(padding(current.size));
          current = entry;
          hashEntry(h, entry);
          yield entryHeader(entry);
        } else {
          h.update(chunk);
          yield chunk;
        }
      }
      if (current !== undefined && current.kind === "file" && padding(current.size) > 0) yield Buffer.alloc(padding(current.size));
      yield END_OF_ARCHIVE;
      resolveHash(`sha256:${h.digest("hex")}`);
    } catch (err) {
      rejectHash(err);
      throw err;
    }
  }
  return { stream: Readable.from(chunks(), { objectMode: false }), hash };
}

/** Deterministic gzip settings: same input, same bytes (for one zlib version). */
function gzip() {
  return createGzip({ level: 6, memLevel: 8 });
}

/** Counts bytes and drops them. */
class Counter extends Writable {
  bytes = 0;
  override _write(chunk: Buffer, _enc: BufferEncoding, cb: () => void): void {
    this.bytes += chunk.length;
    cb();
  }
}

/** Exact size of the gzipped archive, computed by compressing it (nothing is kept). */
export async function gzippedSize(scan: ContextScan): Promise<number> {
  const counter = new Counter();
  await pipeline(tarStream(scan).stream, gzip(), counter);
  return counter.bytes;
}

/**
 * Whether the gzipped archive fits the API's limit. The bound of gzip's growth answers most
 * contexts from the tar length alone; only one whose tar passes the limit is compressed to find out.
 */
export async function archiveSizeProblem(scan: ContextScan, limit = MAX_CONTEXT_BYTES): Promise<string | undefined> {
  if (gzipBound(scan.tarBytes) <= limit) return undefined;
  const size = await gzippedSize(scan);
  if (size <= limit) return undefined;
  return `the build context ${scan.root} gives a ${size.toLocaleString("en-US")}-byte archive (gzipped tar), over Agent37's limit of ${limit.toLocaleString("en-US")} bytes: leave large files out with .dockerignore`;
}

/** Writes the gzipped archive to `file`; returns its size and the content hash of what it holds. */
export async function writeArchive(scan: ContextScan, file: string): Promise<{ bytes: number; contextHash: string }> {
  const { stream, hash } = tarStream(scan);
  await pipeline(stream, gzip(), createWriteStream(file));
  const bytes = (await fs.stat(file)).size;
  return { bytes, contextHash: await hash };
}

/** `scanContext` + `hashContext` + the size check, as `check` needs them. */
export async function inspectContext(context: string, dockerfile?: string): Promise<{ scan: ContextScan; contextHash: string }> {
  const scan = await scanContext(context, dockerfile);
  const problem = await archiveSizeProblem(scan);
  if (problem !== undefined) throw new ContextError("build.context", problem);
  return { scan, contextHash: await hashContext(scan) };
}
