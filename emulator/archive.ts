/**
 * A streaming reader of tar headers (ustar, GNU long names, PAX paths), fed the decompressed
 * bytes of a build context chunk by chunk. It keeps one header block and the Dockerfile's text
 * (capped), never the archive: memory stays flat however large the context.
 */

const BLOCK = 512;
/** The most of the root Dockerfile kept for the build log. */
const DOCKERFILE_MAX = 64 * 1024;
/** Long-name and PAX records are short; anything larger is not a tar a builder would accept. */
const META_MAX = 64 * 1024;
const MAX_INSTRUCTIONS = 200;

export interface TarScan {
  /** Why the bytes are not a complete tar archive, or null. */
  problem: string | null;
  entries: number;
  /** Whether a regular file `Dockerfile` sits at the archive's root. */
  dockerfile: boolean;
  /** The root Dockerfile's text (at most 64 KB), or null. */
  dockerfileText: string | null;
}

type Mode = { kind: "header" } | { kind: "data"; left: number; pad: number; keep: "dockerfile" | "longname" | "pax" | null };

function octal(buf: Buffer, start: number, length: number): number {
  // GNU base-256 for sizes of 8 GB and more: high bit of the first byte set.
  const first = buf[start] ?? 0;
  if (first & 0x80) {
    let n = first & 0x7f;
    for (let i = 1; i < length; i++) n = n * 256 + (buf[start + i] ?? 0);
    return n;
  }
  const text = buf.toString("latin1", start, start + length).replace(/\0.*$/s, "").trim();
  if (text === "") return 0;
  if (!/^[0-7]+$/.test(text)) return Number.NaN;
  return parseInt(text, 8);
}

function cString(buf: Buffer, start: number, length: number): string {
  const end = buf.indexOf(0, start);
  return buf.toString("utf8", start, end === -1 || end > start + length ? start + length : end);
}

function checksumOk(h: Buffer): boolean {
  const stored = octal(h, 148, 8);
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 0x20 : (h[i] ?? 0);
  return stored === sum;
}

/** `./Dockerfile` and `Dockerfile` are the root Dockerfile; `a/Dockerfile` is not. */
function atRoot(name: string): string {
  return name.replace(/^(\.\/)+/, "").replace(/^\/+/, "");
}

export class TarScanner {
  private mode: Mode = { kind: "header" };
  private block = Buffer.alloc(BLOCK);
  private filled = 0;
  private zeroBlocks = 0;
  private ended = false;
  private entries = 0;
  private dockerfile = false;
  private dockerfileParts: Buffer[] = [];
  private dockerfileBytes = 0;
  private meta: Buffer[] = [];
  private metaBytes = 0;
  private nextName: string | null = null;
  private problem: string | null = null;

  /** Entries seen so far (directories included; long-name and PAX records not). */
  get entryCount(): number {
    return this.entries;
  }

  /** Feeds decompressed bytes. */
  write(chunk: Buffer): void {
    let at = 0;
    while (at < chunk.length && this.problem === null && !this.ended) {
      if (this.mode.kind === "data") {
        const mode = this.mode;
        if (mode.left > 0) {
          const take = Math.min(mode.left, chunk.length - at);
          this.keep(mode.keep, chunk.subarray(at, at + take));
          mode.left -= take;
          at += take;
        } else {
          const skip = Math.min(mode.pad, chunk.length - at);
          mode.pad -= skip;
          at += skip;
        }
        if (mode.left === 0 && mode.pad === 0) this.endEntry(mode.keep);
        continue;
      }
      const take = Math.min(BLOCK - this.filled, chunk.length - at);
      chunk.copy(this.block, this.filled, at, at + take);
      this.filled += take;
      at += take;
      if (this.filled === BLOCK) {
        this.filled = 0;
        this.header(this.block);
      }
    }
  }

  /** The result once every decompressed byte was written. */
  end(): TarScan {
    let problem = this.problem;
    if (problem === null && this.entries === 0 && this.zeroBlocks === 0) problem = "the build context is not a tar archive (it is empty)";
    else if (problem === null && (this.mode.kind === "data" || this.filled !== 0)) problem = "the tar archive is truncated";
    const text = this.dockerfile ? Buffer.concat(this.dockerfileParts).toString("utf8") : null;
    return { problem, entries: this.entries, dockerfile: this.dockerfile, dockerfileText: text };
  }

  private header(h: Buffer): void {
    if (h.every((b) => b === 0)) {
      // Two zero blocks end the archive; whatever follows is padding.
      if (++this.zeroBlocks >= 2) this.ended = true;
      return;
    }
    this.zeroBlocks = 0;
    if (!checksumOk(h)) {
      this.problem = this.entries === 0 ? "the build context is not a tar archive" : `the tar archive is corrupt after ${this.entries} entries (bad header checksum)`;
      return;
    }
    const size = octal(h, 124, 12);
    if (!Number.isFinite(size) || size < 0) {
      this.problem = "the tar archive has an entry with an unreadable size";
      return;
    }
    const type = String.fromCharCode(h[156] ?? 0);
    const magic = h.toString("latin1", 257, 262);
    const prefix = magic === "ustar" ? cString(h, 345, 155) : "";
    const base = cString(h, 0, 100);
    const name = this.nextName ?? (prefix ? `${prefix}/${base}` : base);
    let keep: "dockerfile" | "longname" | "pax" | null = null;
    if (type === "L" || type === "x") {
      if (size > META_MAX) {
        this.problem = "the tar archive has an oversized long-name or PAX header";
        return;
      }
      keep = type === "L" ? "longname" : "pax";
    } else if (type !== "g") {
      this.entries += 1;
      this.nextName = null;
      const regular = type === "0" || type === "\0" || type === "7";
      if (regular && atRoot(name) === "Dockerfile") {
        this.dockerfile = true;
        this.dockerfileParts = [];
        this.dockerfileBytes = 0;
        keep = "dockerfile";
      }
    }
    const pad = (BLOCK - (size % BLOCK)) % BLOCK;
    if (size === 0) this.endEntry(keep);
    else this.mode = { kind: "data", left: size, pad, keep };
  }

  private keep(what: "dockerfile" | "longname" | "pax" | null, bytes: Buffer): void {
    if (what === "dockerfile") {
      const room = DOCKERFILE_MAX - this.dockerfileBytes;
      if (room > 0) {
        const part = Buffer.from(bytes.subarray(0, room));
        this.dockerfileParts.push(part);
        this.dockerfileBytes += part.length;
      }
    } else if (what !== null) {
      this.meta.push(Buffer.from(bytes));
      this.metaBytes += bytes.length;
    }
  }

  private endEntry(what: "dockerfile" | "longname" | "pax" | null): void {
    this.mode = { kind: "header" };
    if (what === "longname" || what === "pax") {
      const text = Buffer.concat(this.meta, this.metaBytes).toString("utf8");
      this.meta = [];
      this.metaBytes = 0;
      if (what === "longname") this.nextName = text.replace(/\0.*$/s, "");
      else {
        const path = /(?:^|\n)\d+ path=([^\n]*)\n/.exec(text)?.[1];
        if (path !== undefined) this.nextName = path;
      }
    }
  }
}

/**
 * A Dockerfile's instructions as a builder would list them: comments and blank lines dropped,
 * backslash continuations joined. Used for the build log; `FROM` decides whether there is a stage.
 */
export function dockerfileInstructions(text: string): string[] {
  const out: string[] = [];
  let pending = "";
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (pending === "" && (line === "" || line.startsWith("#"))) continue;
    if (line.endsWith("\\")) {
      pending += `${line.slice(0, -1).trim()} `;
      continue;
    }
    const joined = `${pending}${line}`.trim();
    pending = "";
    if (joined !== "") out.push(joined);
    if (out.length >= MAX_INSTRUCTIONS) return out;
  }
  if (pending.trim() !== "") out.push(pending.trim());
  return out;
}
