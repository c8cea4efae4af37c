// A local `source` file: opened as a regular file only (a FIFO, socket or device is refused
// before a byte is read, a final symbolic link is not followed), hashed in chunks, size-capped.
// Check hashes it synchronously (check has no network and is small); writes stream it.
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";

/** The largest file written: the gateway's documented cap is not stated; the emulator's is 100 MB. */
export const MAX_FILE_BYTES = 100_000_000;

const OPEN_FLAGS = fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0) | (fs.constants.O_NOFOLLOW ?? 0);
const CHUNK = 1024 * 1024;

/** The local path of a `source`: relative to the project folder (the provider's working folder). */
export const localPath = (source: string): string => path.resolve(source);

function kindOf(st: fs.Stats): string {
  if (st.isFIFO()) return "a named pipe (FIFO)";
  if (st.isSocket()) return "a socket";
  if (st.isCharacterDevice() || st.isBlockDevice()) return "a device";
  if (st.isDirectory()) return "a folder";
  return "not a regular file";
}

/** A local file that cannot be written from: the reason names it. */
export class SourceError extends Error {
  override name = "SourceError";
}

/** Opens `file` as a regular file (never blocking on a FIFO, never following a final link). */
export function openRegular(file: string, what = "source"): { fd: number; size: number } {
  let fd: number;
  try {
    fd = fs.openSync(file, OPEN_FLAGS);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === "ENOENT") throw new SourceError(`${what} ${file} does not exist`);
    if (code === "ELOOP") throw new SourceError(`${what} ${file} is a symbolic link: links are never followed`);
    throw new SourceError(`${what} ${file} cannot be read (${code ?? (err as Error).message})`);
  }
  const st = fs.fstatSync(fd);
  if (!st.isFile()) {
    fs.closeSync(fd);
    throw new SourceError(`${what} ${file} is ${kindOf(st)}: only a regular file is read`);
  }
  return { fd, size: st.size };
}

/** SHA-256 (hex) and size of a regular file, read in 1 MiB chunks; refused past `limit`. */
export function hashLocalFile(file: string, limit = MAX_FILE_BYTES, what = "source"): { sha256: string; size: number } {
  const { fd, size } = openRegular(file, what);
  try {
    if (size > limit) throw new SourceError(`${what} ${file} is ${size} bytes, over the limit of ${limit}`);
    const hash = createHash("sha256");
    const buf = Buffer.allocUnsafe(Math.min(CHUNK, Math.max(size, 1)));
    let total = 0;
    for (;;) {
      const n = fs.readSync(fd, buf, 0, buf.length, null);
      if (n === 0) break;
      total += n;
      if (total > limit) throw new SourceError(`${what} ${file} grew past the limit of ${limit} bytes while it was read`);
      hash.update(buf.subarray(0, n));
    }
    return { sha256: hash.digest("hex"), size: total };
  } finally {
    fs.closeSync(fd);
  }
}

export const sha256Of = (bytes: Buffer | string): string => createHash("sha256").update(bytes).digest("hex");
