// The build context: which files it holds (`.dockerignore` applied, the Dockerfile at the root),
// its content hash, and the deterministic gzipped tar uploaded to Agent37. Everything streams:
// contents pass through in chunks, so memory stays flat however large the context is.
import { createHash, type Hash } from "node:crypto";
import * as fsSync from "node:fs";
import * as fs from "node:fs/promises";
import * as path from "node:path";
import { crc32 } from "node:zlib";
import { IgnoreMatcher } from "../core/ignore";
import { CONTEXT_WORDS, TreeChangedError, TreeError, byPath, hashOpen, insideRealRoot, kindOf, openRegular, readError as treeReadError, readRegularText, walkTree, yieldToLoop, YIELD_EVERY, type Listed } from "../core/tree";
import { GZIP_HEADER, STORED_MAX, archiveBytes, storedBlockHeader } from "./gzip";
import { DEFAULT_DOCKERFILE, MAX_CONTEXT_BYTES } from "./schema";
import { END_OF_ARCHIVE, BLOCK, entryBytes, entryHeader, padding, type EntryKind } from "./tar";

/** A build context that cannot be read as it is; `property` is `build.context` or `build.dockerfile`. */
export const ContextError = TreeError;
export type ContextError = TreeError;
type ContextProperty = "build.context" | "build.dockerfile";
const readError = (property: ContextProperty, file: string, err: unknown): TreeError => treeReadError(CONTEXT_WORDS, file, err, property);

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

const HASH_PREFIX = "agent37-context-v1\0";

/**
 * The ignore file BuildKit applies: `<Dockerfile path>.dockerignore` beside the chosen Dockerfile
 * when there is one (so several Dockerfiles can keep different files), else the context's
 * `.dockerignore`, else none.
 */
async function readIgnore(realRoot: string, dockerfileAbs: string): Promise<IgnoreMatcher> {
  for (const file of [`${dockerfileAbs}.dockerignore`, path.join(realRoot, ".dockerignore")]) {
    try {
      fsSync.lstatSync(file);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "ENOENT") continue;
      throw readError("build.context", file, err);
    }
    const text = readRegularText(insideRealRoot(realRoot, file, "build.context", "the ignore file"));
    try {
      return IgnoreMatcher.fromText(text);
    } catch (err) {
      throw new ContextError("build.context", `${(err as Error).message} in ${file}`);
    }
  }
  return IgnoreMatcher.fromText(undefined);
}

/**
 * Walks the context (synchronous file-system calls, in slices between yields: per file they cost
 * a fraction of their asynchronous form, which is what keeps hashing close to `tar`'s speed):
 * every regular file and symbolic link `.dockerignore` keeps (symlinks are stored as links,
 * never followed; empty folders are not stored), plus the Dockerfile named by `dockerfile` as
 * `Dockerfile` at the root, even when it lives elsewhere or is ignored (as `docker build` always
 * sends it). A root `Dockerfile` that is not the chosen one is left out. Sorted by path.
 */
async function listContext(context: string, dockerfile: string): Promise<{ root: string; listed: Listed[] }> {
  const root = path.resolve(context);
  let rootStat;
  try {
    rootStat = fsSync.statSync(root);
  } catch {
    throw new ContextError("build.context", `build context folder ${root} does not exist`);
  }
  if (!rootStat.isDirectory()) throw new ContextError("build.context", `build context ${root} is not a folder`);
  const realRoot = fsSync.realpathSync(root);

  const dockerfileRel = dockerfile.split(/[\\/]+/).filter((p) => p !== "" && p !== ".").join("/");
  const dockerfileAbs = path.join(root, dockerfileRel);
  let dfStat;
  try {
    dfStat = fsSync.statSync(dockerfileAbs);
  } catch {
    throw new ContextError("build.dockerfile", `the Dockerfile ${dockerfileRel} is missing from the build context ${root}`);
  }
  // The Dockerfile may be reached through a link (a linked folder, a linked file), but only to a
  // regular file inside the context: what is read from it is uploaded.
  const dockerfileReal = insideRealRoot(realRoot, dockerfileAbs, "build.dockerfile", "the Dockerfile");
  if (!dfStat.isFile()) throw new ContextError("build.dockerfile", `the Dockerfile ${dockerfileRel} in ${root} is ${kindOf(dfStat)}, not a regular file`);

  const ignore = await readIgnore(realRoot, path.join(realRoot, dockerfileRel));
  // A root `Dockerfile` that is not the chosen one is left out; the chosen one goes in as `Dockerfile`.
  const listed: Listed[] = [{ path: "Dockerfile", source: dockerfileReal, kind: "file" }, ...(await walkTree(root, ignore, CONTEXT_WORDS, (rel) => rel === "Dockerfile"))];
  listed.sort(byPath);
  return { root, listed };
}

function tarTotal(entries: readonly ContextEntry[]): number {
  let total = END_OF_ARCHIVE.length;
  for (const e of entries) total += entryBytes(e);
  return total;
}

/** Lists the context and reads each entry's size, mode and link target (for the archive's headers). */
export async function scanContext(context: string, dockerfile: string = DEFAULT_DOCKERFILE): Promise<ContextScan> {
  const { root, listed } = await listContext(context, dockerfile);
  const entries: ContextEntry[] = [];
  for (let i = 0; i < listed.length; i++) {
    const l = listed[i] as Listed;
    if (l.kind === "symlink") {
      let linkTarget: string;
      try {
        linkTarget = fsSync.readlinkSync(l.source);
      } catch (err) {
        throw readError("build.context", l.source, err);
      }
      entries.push({ ...l, executable: false, size: 0, linkTarget });
    } else {
      const { fd, stat } = openRegular(l.source);
      fsSync.closeSync(fd);
      entries.push({ ...l, executable: (stat.mode & 0o100) !== 0, size: stat.size });
    }
    if ((i + 1) % YIELD_EVERY === 0) await yieldToLoop();
  }
  return { root, entries, tarBytes: tarTotal(entries) };
}

function hashEntry(hash: Hash, e: ContextEntry): void {
  hash.update(`${e.kind}\0${e.path}\0${e.executable ? 1 : 0}\0${e.size}\0${e.linkTarget ?? ""}\0`);
}

/** Hashes one file's bytes (opened, read and closed without giving the event loop a turn). */
function hashFile(hash: Hash, source: string, size: number): void {
  const { fd } = openRegular(source);
  try {
    hashOpen(hash, fd, source, size);
  } finally {
    fsSync.closeSync(fd);
  }
}

/**
 * The content hash: sorted relative paths, each entry's kind, executable bit, size and bytes
 * (link target for symlinks). Mtime, owner and the rest of the mode never enter it.
 */
export async function hashContext(scan: ContextScan): Promise<string> {
  const hash = createHash("sha256").update(HASH_PREFIX);
  for (let i = 0; i < scan.entries.length; i++) {
    const e = scan.entries[i] as ContextEntry;
    hashEntry(hash, e);
    if (e.kind === "file") {
      try {
        hashFile(hash, e.source, e.size);
      } catch (err) {
        if (err instanceof ContextError) throw err;
        throw readError("build.context", e.source, err);
      }
    }
    if ((i + 1) % YIELD_EVERY === 0) await yieldToLoop();
  }
  return `sha256:${hash.digest("hex")}`;
}

/** Bytes read at a time when archiving. */
const ARCHIVE_CHUNK = 256 * 1024;
const ZEROS = Buffer.alloc(BLOCK);

/**
 * Streams the tar of `scan` into `sink` and returns the content hash of what it read. Contents
 * pass through one buffer that is reused once `sink` resolves for the chunk before: the memory
 * an archive takes is that buffer, whatever the size of the context.
 */
async function pumpTar(scan: ContextScan, sink: (chunk: Buffer) => Promise<void>): Promise<string> {
  const hash = createHash("sha256").update(HASH_PREFIX);
  const buf = Buffer.allocUnsafe(ARCHIVE_CHUNK);
  for (const e of scan.entries) {
    hashEntry(hash, e);
    await sink(entryHeader(e));
    if (e.kind !== "file") continue;
    const { fd } = openRegular(e.source);
    try {
      if (fsSync.fstatSync(fd).size !== e.size) throw new TreeChangedError(e.source, "build.context");
      let left = e.size;
      while (left > 0) {
        const n = fsSync.readSync(fd, buf, 0, Math.min(buf.length, left), null);
        if (n === 0) throw new TreeChangedError(e.source, "build.context");
        const chunk = buf.subarray(0, n);
        hash.update(chunk);
        await sink(chunk);
        left -= n;
      }
    } finally {
      fsSync.closeSync(fd);
    }
    const pad = padding(e.size);
    if (pad > 0) await sink(ZEROS.subarray(0, pad));
  }
  await sink(END_OF_ARCHIVE);
  return `sha256:${hash.digest("hex")}`;
}

/**
 * Streams the archive (gzip of the tar) of `scan` into `sink`, which must be done with a chunk
 * when it resolves (the chunk's memory is reused). Returns the content hash of what was read.
 */
export async function streamArchive(scan: ContextScan, sink: (chunk: Buffer) => Promise<void>): Promise<string> {
  const total = scan.tarBytes;
  let emitted = 0;
  let blockLeft = 0;
  let crc = 0;
  await sink(GZIP_HEADER);
  if (total === 0) await sink(storedBlockHeader(0, true));
  const hash = await pumpTar(scan, async (chunk) => {
    crc = crc32(chunk, crc);
    let offset = 0;
    while (offset < chunk.length) {
      if (blockLeft === 0) {
        blockLeft = Math.min(STORED_MAX, total - emitted);
        if (blockLeft <= 0) throw new Error("the tar grew past the length its scan predicted");
        await sink(storedBlockHeader(blockLeft, emitted + blockLeft === total));
      }
      const n = Math.min(blockLeft, chunk.length - offset);
      await sink(offset === 0 && n === chunk.length ? chunk : chunk.subarray(offset, offset + n));
      offset += n;
      blockLeft -= n;
      emitted += n;
    }
  });
  if (emitted !== total) throw new Error(`the tar is ${emitted} bytes, its scan predicted ${total}`);
  const trailer = Buffer.alloc(8);
  trailer.writeUInt32LE(crc >>> 0, 0);
  trailer.writeUInt32LE(total % 2 ** 32, 4);
  await sink(trailer);
  return hash;
}

/** Whether the archive fits Agent37's limit (exact: see `archiveBytes`). */
export function archiveSizeProblem(scan: ContextScan, limit = MAX_CONTEXT_BYTES): string | undefined {
  const size = archiveBytes(scan.tarBytes);
  if (size <= limit) return undefined;
  return `the build context ${scan.root} makes a ${size.toLocaleString("en-US")}-byte archive, over Agent37's limit of ${limit.toLocaleString("en-US")} bytes: leave large files out with .dockerignore`;
}

// The archive's exact size, for `size_bytes` and check's limit (gzip.ts).
export { archiveBytes };

/** Writes the archive to `file`; returns its size and the content hash of what it holds. */
export async function writeArchive(scan: ContextScan, file: string): Promise<{ bytes: number; contextHash: string }> {
  const fd = fsSync.openSync(file, "w");
  let contextHash: string;
  try {
    contextHash = await streamArchive(scan, (chunk) => {
      fsSync.writeSync(fd, chunk);
      return Promise.resolve();
    });
  } finally {
    fsSync.closeSync(fd);
  }
  return { bytes: (await fs.stat(file)).size, contextHash };
}

/**
 * What `check` needs, in one pass over the files: the listing, each file opened once (its size
 * and mode read from the open file, then its bytes hashed), the archive's size checked.
 */
export async function inspectContext(context: string, dockerfile: string = DEFAULT_DOCKERFILE): Promise<{ scan: ContextScan; contextHash: string }> {
  const { root, listed } = await listContext(context, dockerfile);
  const hash = createHash("sha256").update(HASH_PREFIX);
  const entries: ContextEntry[] = [];
  let tarBytes = END_OF_ARCHIVE.length;
  for (let i = 0; i < listed.length; i++) {
    const l = listed[i] as Listed;
    let entry: ContextEntry;
    try {
      if (l.kind === "symlink") {
        entry = { ...l, executable: false, size: 0, linkTarget: fsSync.readlinkSync(l.source) };
        hashEntry(hash, entry);
      } else {
        // The size and mode come from the open file, so they describe the bytes that are read.
        const { fd, stat: st } = openRegular(l.source);
        try {
          entry = { ...l, executable: (st.mode & 0o100) !== 0, size: st.size };
          hashEntry(hash, entry);
          hashOpen(hash, fd, l.source, st.size);
        } finally {
          fsSync.closeSync(fd);
        }
      }
    } catch (err) {
      if (err instanceof ContextError) throw err;
      throw readError("build.context", l.source, err);
    }
    entries.push(entry);
    tarBytes += entryBytes(entry);
    // Over the limit already: no need to read the rest.
    if (archiveBytes(tarBytes) > MAX_CONTEXT_BYTES) break;
    if ((i + 1) % YIELD_EVERY === 0) await yieldToLoop();
  }
  const scan: ContextScan = { root, entries, tarBytes };
  const problem = archiveSizeProblem(scan);
  if (problem !== undefined) throw new ContextError("build.context", problem);
  return { scan, contextHash: `sha256:${hash.digest("hex")}` };
}
