// What a Files API write sends: the bytes, made afresh for each attempt (a stream cannot be sent
// twice), and their hash, to recognise a write that landed when its answer was lost.
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import { Transform, type Readable } from "node:stream";
import { sha256Of } from "./source";

/**
 * The largest local file read whole before it is sent (one read, one `content-length` body);
 * a bigger one is streamed in 1 MiB reads. A folder sync writes 8 files at a time, so what it
 * holds stays under 8 MiB. Streaming a small file cost more than it saved: a read stream, a
 * transform and a chunked body per file made a 1,000-file sync slower than one PUT at a time
 * (docs/bench.md, "Agent37Directory: a folder sync against one PUT at a time").
 */
export const WHOLE_MAX_BYTES = 1024 * 1024;

/**
 * What a write sends: the bytes (made afresh per attempt), and their hash. A streamed file's
 * hash is of the bytes the last attempt read, known once it is sent.
 */
export interface WriteBody {
  open(): Buffer | Readable;
  readonly sha256: string;
}

/** A local file streamed (1 MiB reads: memory stays flat), hashed as it is sent. */
export function fileBody(file: string, expected: string): WriteBody {
  let sent = expected;
  return {
    open() {
      const hash = createHash("sha256");
      const through = new Transform({
        transform(chunk: Buffer, _enc, done) {
          hash.update(chunk);
          done(null, chunk);
        },
        flush(done) {
          sent = hash.digest("hex");
          done();
        },
      });
      const read = fs.createReadStream(file, { highWaterMark: 1024 * 1024 });
      read.on("error", (err) => through.destroy(err));
      return read.pipe(through);
    },
    get sha256() {
      return sent;
    },
  };
}

/** Bytes to write: a string's UTF-8, or a buffer. */
export function bytesBody(content: string | Buffer): WriteBody {
  const bytes = typeof content === "string" ? Buffer.from(content, "utf8") : content;
  return { open: () => bytes, sha256: sha256Of(bytes) };
}

/** Buffers of `WHOLE_MAX_BYTES` handed out and taken back, so a sync reuses a few instead of leaving one per file to the collector. */
export class BufferPool {
  private readonly free: Buffer[] = [];

  take(): Buffer {
    return this.free.pop() ?? Buffer.allocUnsafe(WHOLE_MAX_BYTES + 1);
  }

  give(buffer: Buffer): void {
    this.free.push(buffer);
  }
}

/**
 * A local file as a body: read whole into one of `pool`'s buffers when it is at most
 * `WHOLE_MAX_BYTES` now (its hash is of the bytes read, so a file changed since check is
 * recorded as it was sent), streamed otherwise. `release` gives the buffer back: call it once
 * the write is answered (a retry sends the same bytes again).
 */
export async function localBody(file: string, expected: string, pool: BufferPool): Promise<{ body: WriteBody; release: () => void }> {
  const buffer = pool.take();
  const release = (): void => pool.give(buffer);
  let size = 0;
  try {
    const handle = await fs.promises.open(file, "r");
    try {
      for (;;) {
        const { bytesRead } = await handle.read(buffer, size, buffer.length - size, null);
        if (bytesRead === 0) break;
        size += bytesRead;
        if (size === buffer.length) break;
      }
    } finally {
      await handle.close();
    }
  } catch (err) {
    release();
    throw err;
  }
  if (size > WHOLE_MAX_BYTES) {
    release();
    return { body: fileBody(file, expected), release: () => undefined };
  }
  return { body: bytesBody(buffer.subarray(0, size)), release };
}
