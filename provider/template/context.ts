// The build context: which files it holds (`.dockerignore` applied, the Dockerfile at the root),
// its content hash, and the deterministic gzipped tar uploaded to Agent37. Everything streams:
// contents pass through in chunks, so memory stays flat however large the context is.
import { createHash, type Hash } from "node:crypto";
import * as fsSync from "node:fs";
import * as fs from "node:fs/promises";
import * as path from "node:path";
import { crc32 } from "node:zlib";
import { IgnoreMatcher } from "./dockerignore";
import { DEFAULT_DOCKERFILE, MAX_CONTEXT_BYTES } from "./schema";
import { BLOCK, END_OF_ARCHIVE, entryBytes, entryHeader, padding, type EntryKind } from "./tar";

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

const OPEN_FLAGS = fsSync.constants.O_RDONLY | (fsSync.constants.O_NONBLOCK ?? 0) | (fsSync.constants.O_NOFOLLOW ?? 0);

function kindOf(st: fsSync.Stats): string {
  if (st.isFIFO()) return "a named pipe (FIFO)";
  if (st.isSocket()) return "a socket";
  if (st.isCharacterDevice() || st.isBlockDevice()) return "a device";
  if (st.isDirectory()) return "a folder";
  if (st.isSymbolicLink()) return "a symbolic link";
  return "not a regular file";
}

/** Why `file` could not be read, said as it is (only a file that vanished means "changed"). */
function readError(property: ContextError["property"], file: string, err: unknown): ContextError {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === "ENOENT") return new ContextChangedError(file, property);
  if (code === "EACCES" || code === "EPERM") return new ContextError(property, `cannot read ${file}: permission denied (${code}); make it readable, or leave it out with .dockerignore`);
  if (code === "ELOOP") return new ContextError(property, `${file} is a symbolic link where a file is read: links are never followed`);
  return new ContextError(property, `cannot read ${file}: ${(err as Error).message}`);
}

/**
 * Opens a regular file for reading. `O_NONBLOCK` keeps a named pipe from blocking the open (it
 * would wait for a writer forever) and `O_NOFOLLOW` refuses a final symbolic link; anything
 * but a regular file is then refused by its kind, before a byte is read.
 */
function openRegular(file: string, property: ContextError["property"] = "build.context"): { fd: number; stat: fsSync.Stats } {
  let fd: number;
  try {
    fd = fsSync.openSync(file, OPEN_FLAGS);
  } catch (err) {
    throw readError(property, file, err);
  }
  const stat = fsSync.fstatSync(fd);
  if (!stat.isFile()) {
    fsSync.closeSync(fd);
    throw new ContextError(property, `${file} is ${kindOf(stat)}: only regular files (and symbolic links, stored as links) go into a build context; leave it out with .dockerignore`);
  }
  return { fd, stat };
}

/** Reads a whole regular file as UTF-8 text (small files: the ignore files). */
function readRegularText(file: string): string {
  const { fd } = openRegular(file);
  try {
    return fsSync.readFileSync(fd, "utf8");
  } catch (err) {
    throw readError("build.context", file, err);
  } finally {
    fsSync.closeSync(fd);
  }
}

/** `file`'s real path when it lies inside `realRoot`; else a failure naming `property`. */
function insideRealRoot(realRoot: string, file: string, property: ContextError["property"], what: string): string {
  let real: string;
  try {
    real = fsSync.realpathSync(file);
  } catch (err) {
    throw readError(property, file, err);
  }
  if (real !== realRoot && !real.startsWith(realRoot.endsWith(path.sep) ? realRoot : realRoot + path.sep)) {
    throw new ContextError(property, `${what} ${file} leads outside the build context ${realRoot} (to ${real}) through a symbolic link: nothing outside the context is read`);
  }
  return real;
}

/** A file name as bytes, non-UTF-8 bytes written `\xNN`. */
function showName(name: Buffer): string {
  let out = "";
  for (const b of name) out += b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : `\\x${b.toString(16).padStart(2, "0")}`;
  return out;
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

const HASH_PREFIX = "agent37-context-v1\0";

/** `a/b` paths compare by code unit: the same on every machine and locale. */
function byPath(a: { path: string }, b: { path: string }): number {
  return a.path < b.path ? -1 : a.path > b.path ? 1 : 0;
}

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

/** An entry found by the walk, before anything but its type is known. */
interface Listed {
  path: string;
  source: string;
  kind: EntryKind;
}

/** Entries handled between two yields to the event loop: the host keeps answering other calls. */
const YIELD_EVERY = 256;
const yieldToLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

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
  const listed: Listed[] = [{ path: "Dockerfile", source: dockerfileReal, kind: "file" }];
  const pending: [string, string][] = [[root, ""]];
  let handled = 0;
  while (pending.length > 0) {
    const [dirAbs, dirRel] = pending.pop() as [string, string];
    let dirents;
    try {
      dirents = fsSync.readdirSync(dirAbs, { withFileTypes: true, encoding: "buffer" });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "EACCES" || (err as NodeJS.ErrnoException).code === "EPERM") {
        throw new ContextError("build.context", `cannot read the folder ${dirAbs}: permission denied; make it readable, or leave it out with .dockerignore`);
      }
      throw new ContextError("build.context", `cannot read ${dirAbs}: ${(err as Error).message}`);
    }
    for (const d of dirents) {
      const raw = d.name as unknown as Buffer;
      const name = raw.toString("utf8");
      const rel = dirRel === "" ? name : `${dirRel}/${name}`;
      if (!Buffer.from(name, "utf8").equals(raw)) {
        // Paths in the archive are UTF-8; a name that is not cannot be stored as it is.
        if (ignore.ignores(rel)) continue;
        throw new ContextError(
          "build.context",
          `${path.join(dirAbs, showName(raw))} has a name that is not valid UTF-8, which a build context's archive cannot hold: rename it, or leave it out with .dockerignore`,
        );
      }
      if (d.isDirectory()) {
        // Without exceptions nothing below an ignored folder can come back: skip the walk.
        if (!ignore.hasExceptions && ignore.ignores(rel)) continue;
        pending.push([path.join(dirAbs, name), rel]);
        continue;
      }
      if (!d.isFile() && !d.isSymbolicLink()) continue;
      if (dirRel === "" && name === "Dockerfile") continue;
      if (ignore.ignores(rel)) continue;
      listed.push({ path: rel, source: path.join(dirAbs, name), kind: d.isSymbolicLink() ? "symlink" : "file" });
    }
    handled += dirents.length;
    if (handled >= YIELD_EVERY) {
      handled = 0;
      await yieldToLoop();
    }
  }
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

class ContextChangedError extends ContextError {
  constructor(file: string, property: ContextError["property"] = "build.context") {
    super(property, `${file} changed while the build context was read; run again`);
  }
}

function hashEntry(hash: Hash, e: ContextEntry): void {
  hash.update(`${e.kind}\0${e.path}\0${e.executable ? 1 : 0}\0${e.size}\0${e.linkTarget ?? ""}\0`);
}

/** One buffer for every read of the hashing pass: each file is read and hashed between two yields. */
let readBuffer: Buffer | undefined;
const READ_BUFFER_BYTES = 1024 * 1024;

/**
 * Hashes one file's bytes, reading exactly `size` of them into the shared buffer (synchronous
 * calls: a file is opened, read and closed without giving the event loop a turn).
 */
function hashFile(hash: Hash, source: string, size: number): void {
  const { fd } = openRegular(source);
  try {
    hashOpen(hash, fd, source, size);
  } finally {
    fsSync.closeSync(fd);
  }
}

function hashOpen(hash: Hash, fd: number, source: string, size: number): void {
  readBuffer ??= Buffer.allocUnsafe(READ_BUFFER_BYTES);
  const buf = readBuffer;
  let left = size;
  while (left > 0) {
    const n = fsSync.readSync(fd, buf, 0, Math.min(buf.length, left), null);
    if (n === 0) throw new ContextChangedError(source);
    hash.update(n === buf.length ? buf : buf.subarray(0, n));
    left -= n;
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
      if (fsSync.fstatSync(fd).size !== e.size) throw new ContextChangedError(e.source);
      let left = e.size;
      while (left > 0) {
        const n = fsSync.readSync(fd, buf, 0, Math.min(buf.length, left), null);
        if (n === 0) throw new ContextChangedError(e.source);
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

// The gzip framing. The archive is a gzip member whose deflate stream is made of stored
// (uncompressed) blocks: its size is an exact function of the tar's length (so `size_bytes`, which
// Agent37 asks for before the upload, and `check`'s size limit need no compression pass), its
// bytes are the same on every machine and zlib version, and it streams through one reused buffer.
// The cost is upload bytes for contexts that would compress (source trees are usually small;
// large contexts are usually already-compressed binaries).

/** Largest stored deflate block. */
const STORED_MAX = 65_535;
/** Gzip header: magic, CM=deflate, no flags, MTIME 0, XFL 0, OS 255 (unknown): the same everywhere. */
const GZIP_HEADER = Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xff]);

/** Exact size of the archive of a tar of `tarBytes` bytes. */
export function archiveBytes(tarBytes: number): number {
  const blocks = Math.max(1, Math.ceil(tarBytes / STORED_MAX));
  return GZIP_HEADER.length + tarBytes + 5 * blocks + 8;
}

function storedBlockHeader(length: number, final: boolean): Buffer {
  const h = Buffer.alloc(5);
  h[0] = final ? 1 : 0;
  h.writeUInt16LE(length, 1);
  h.writeUInt16LE(~length & 0xffff, 3);
  return h;
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
