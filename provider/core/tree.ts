// A local tree read the way every resource that uploads one reads it (Agent37Template's build
// context, Agent37Directory's source): regular files opened without blocking on a FIFO or
// following a final link, anything else refused by its kind before a byte is read, the walk in
// slices between yields (synchronous calls: per file they cost a fraction of their asynchronous
// form), paths sorted by code unit, and contents hashed through one reused buffer so memory stays
// flat however large the tree is. Each failure names the input property it concerns.
import type { Hash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import type { IgnoreMatcher } from "./ignore";

/** A local tree that cannot be read as it is: the reason, and the input property it concerns. */
export class TreeError extends Error {
  override name = "ContextError";
  constructor(
    readonly property: string,
    reason: string,
  ) {
    super(reason);
  }
}

/** A file that changed (vanished, shrank) while it was read. */
export class TreeChangedError extends TreeError {
  constructor(file: string, property: string, what = "the build context") {
    super(property, `${file} changed while ${what} was read; run again`);
  }
}

const OPEN_FLAGS = fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0) | (fs.constants.O_NOFOLLOW ?? 0);

export function kindOf(st: fs.Stats): string {
  if (st.isFIFO()) return "a named pipe (FIFO)";
  if (st.isSocket()) return "a socket";
  if (st.isCharacterDevice() || st.isBlockDevice()) return "a device";
  if (st.isDirectory()) return "a folder";
  if (st.isSymbolicLink()) return "a symbolic link";
  return "not a regular file";
}

/** How a tree's own rules are named in messages: its ignore mechanism, and what the tree is. */
export interface TreeWords {
  /** The input property failures name, e.g. `build.context`. */
  property: string;
  /** How to leave a file out, e.g. `leave it out with .dockerignore`. */
  leaveOut: string;
  /** What the tree is, e.g. `the build context`. */
  what: string;
}

export const CONTEXT_WORDS: TreeWords = { property: "build.context", leaveOut: "leave it out with .dockerignore", what: "the build context" };

/** Why `file` could not be read, said as it is (only a file that vanished means "changed"). */
export function readError(words: TreeWords, file: string, err: unknown, property = words.property): TreeError {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === "ENOENT") return new TreeChangedError(file, property, words.what);
  if (code === "EACCES" || code === "EPERM") return new TreeError(property, `cannot read ${file}: permission denied (${code}); make it readable, or ${words.leaveOut}`);
  if (code === "ELOOP") return new TreeError(property, `${file} is a symbolic link where a file is read: links are never followed`);
  return new TreeError(property, `cannot read ${file}: ${(err as Error).message}`);
}

/**
 * Opens a regular file for reading. `O_NONBLOCK` keeps a named pipe from blocking the open (it
 * would wait for a writer forever) and `O_NOFOLLOW` refuses a final symbolic link; anything
 * but a regular file is then refused by its kind, before a byte is read.
 */
export function openRegular(file: string, words: TreeWords = CONTEXT_WORDS, property = words.property, allowed = "only regular files (and symbolic links, stored as links) go into a build context"): { fd: number; stat: fs.Stats } {
  let fd: number;
  try {
    fd = fs.openSync(file, OPEN_FLAGS);
  } catch (err) {
    throw readError(words, file, err, property);
  }
  const stat = fs.fstatSync(fd);
  if (!stat.isFile()) {
    fs.closeSync(fd);
    throw new TreeError(property, `${file} is ${kindOf(stat)}: ${allowed}; ${words.leaveOut}`);
  }
  return { fd, stat };
}

/** Reads a whole regular file as UTF-8 text (small files: ignore files). */
export function readRegularText(file: string, words: TreeWords = CONTEXT_WORDS): string {
  const { fd } = openRegular(file, words);
  try {
    return fs.readFileSync(fd, "utf8");
  } catch (err) {
    throw readError(words, file, err);
  } finally {
    fs.closeSync(fd);
  }
}

/** `file`'s real path when it lies inside `realRoot`; else a failure naming `property`. */
export function insideRealRoot(realRoot: string, file: string, property: string, what: string, words: TreeWords = CONTEXT_WORDS): string {
  let real: string;
  try {
    real = fs.realpathSync(file);
  } catch (err) {
    throw readError(words, file, err, property);
  }
  if (real !== realRoot && !real.startsWith(realRoot.endsWith(path.sep) ? realRoot : realRoot + path.sep)) {
    throw new TreeError(property, `${what} ${file} leads outside ${words.what} ${realRoot} (to ${real}) through a symbolic link: nothing outside ${words.what.replace(/^the build /, "the ")} is read`);
  }
  return real;
}

/** A file name as bytes, non-UTF-8 bytes written `\xNN`. */
function showName(name: Buffer): string {
  let out = "";
  for (const b of name) out += b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : `\\x${b.toString(16).padStart(2, "0")}`;
  return out;
}

/** `a/b` paths compare by code unit: the same on every machine and locale. */
export function byPath(a: { path: string }, b: { path: string }): number {
  return a.path < b.path ? -1 : a.path > b.path ? 1 : 0;
}

/** An entry found by the walk, before anything but its type is known. */
export interface Listed {
  /** `/`-separated, relative to the root. */
  path: string;
  /** Absolute path on disk. */
  source: string;
  kind: "file" | "symlink";
}

/** Entries handled between two yields to the event loop: the host keeps answering other calls. */
export const YIELD_EVERY = 256;
export const yieldToLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * Walks `root`: every regular file and symbolic link `ignore` keeps (links are listed as links,
 * never followed; folders are not entries), except those `skip` names. Not sorted.
 */
export async function walkTree(root: string, ignore: IgnoreMatcher, words: TreeWords, skip?: (rel: string) => boolean): Promise<Listed[]> {
  const listed: Listed[] = [];
  const pending: [string, string][] = [[root, ""]];
  let handled = 0;
  while (pending.length > 0) {
    const [dirAbs, dirRel] = pending.pop() as [string, string];
    let dirents;
    try {
      dirents = fs.readdirSync(dirAbs, { withFileTypes: true, encoding: "buffer" });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "EACCES" || (err as NodeJS.ErrnoException).code === "EPERM") {
        throw new TreeError(words.property, `cannot read the folder ${dirAbs}: permission denied; make it readable, or ${words.leaveOut}`);
      }
      throw new TreeError(words.property, `cannot read ${dirAbs}: ${(err as Error).message}`);
    }
    for (const d of dirents) {
      const raw = d.name as unknown as Buffer;
      const name = raw.toString("utf8");
      const rel = dirRel === "" ? name : `${dirRel}/${name}`;
      if (!Buffer.from(name, "utf8").equals(raw)) {
        // Paths are sent as UTF-8; a name that is not cannot be sent as it is.
        if (ignore.ignores(rel)) continue;
        throw new TreeError(words.property, `${path.join(dirAbs, showName(raw))} has a name that is not valid UTF-8, which ${words.what} cannot hold: rename it, or ${words.leaveOut}`);
      }
      if (d.isDirectory()) {
        // Without exceptions nothing below an ignored folder can come back: skip the walk.
        if (!ignore.hasExceptions && ignore.ignores(rel)) continue;
        pending.push([path.join(dirAbs, name), rel]);
        continue;
      }
      if (!d.isFile() && !d.isSymbolicLink()) continue;
      if (skip?.(rel) === true || ignore.ignores(rel)) continue;
      listed.push({ path: rel, source: path.join(dirAbs, name), kind: d.isSymbolicLink() ? "symlink" : "file" });
    }
    handled += dirents.length;
    if (handled >= YIELD_EVERY) {
      handled = 0;
      await yieldToLoop();
    }
  }
  return listed;
}

/** One buffer for every read of a hashing pass: each file is read and hashed between two yields. */
let readBuffer: Buffer | undefined;
const READ_BUFFER_BYTES = 1024 * 1024;

/** Hashes exactly `size` bytes of the open file `fd` into `hash`, through the shared buffer. */
export function hashOpen(hash: Hash, fd: number, source: string, size: number, words: TreeWords = CONTEXT_WORDS): void {
  readBuffer ??= Buffer.allocUnsafe(READ_BUFFER_BYTES);
  const buf = readBuffer;
  let left = size;
  while (left > 0) {
    const n = fs.readSync(fd, buf, 0, Math.min(buf.length, left), null);
    if (n === 0) throw new TreeChangedError(source, words.property, words.what);
    hash.update(n === buf.length ? buf : buf.subarray(0, n));
    left -= n;
  }
}
