// A minimal, deterministic tar writer (POSIX ustar, with a PAX header for names that do not
// fit): regular files and symbolic links only, mode 0644 or 0755, owner 0:0, mtime 0. Only
// headers are built here; contents are streamed by the caller, so memory stays flat.

export const BLOCK = 512;
/** Two zero blocks end an archive. */
export const END_OF_ARCHIVE = Buffer.alloc(2 * BLOCK);

export type EntryKind = "file" | "symlink";

export interface TarEntryHeader {
  /** `/`-separated path inside the archive. */
  path: string;
  kind: EntryKind;
  executable: boolean;
  /** Content length (0 for symlinks). */
  size: number;
  /** Symlink target. */
  linkTarget?: string;
}

/** Zero padding after `size` bytes of content, up to the next block. */
export function padding(size: number): number {
  return (BLOCK - (size % BLOCK)) % BLOCK;
}

function octal(value: number, width: number): string {
  return value.toString(8).padStart(width - 1, "0") + "\0";
}

function write(buf: Buffer, text: string, offset: number, width: number): void {
  buf.write(text, offset, Math.min(width, Buffer.byteLength(text)), "utf8");
}

/** `[prefix, name]` when the path fits ustar's two fields, else undefined. */
function splitUstar(path: string): [string, string] | undefined {
  if (Buffer.byteLength(path) <= 100) return ["", path];
  for (let i = path.indexOf("/"); i >= 0; i = path.indexOf("/", i + 1)) {
    const prefix = path.slice(0, i);
    const name = path.slice(i + 1);
    if (Buffer.byteLength(prefix) <= 155 && Buffer.byteLength(name) <= 100 && name !== "") return [prefix, name];
  }
  return undefined;
}

function rawHeader(fields: { name: string; prefix: string; mode: number; size: number; type: string; linkname: string }): Buffer {
  const h = Buffer.alloc(BLOCK);
  write(h, fields.name, 0, 100);
  write(h, octal(fields.mode, 8), 100, 8);
  write(h, octal(0, 8), 108, 8);
  write(h, octal(0, 8), 116, 8);
  write(h, octal(fields.size, 12), 124, 12);
  write(h, octal(0, 12), 136, 12);
  h.fill(0x20, 148, 156);
  write(h, fields.type, 156, 1);
  write(h, fields.linkname, 157, 100);
  write(h, "ustar\0", 257, 6);
  write(h, "00", 263, 2);
  write(h, fields.prefix, 345, 155);
  let sum = 0;
  for (const byte of h) sum += byte;
  write(h, sum.toString(8).padStart(6, "0") + "\0 ", 148, 8);
  return h;
}

/** One PAX record: `"<len> key=value\n"`, where len counts the whole record, itself included. */
function paxRecord(key: string, value: string): string {
  const body = ` ${key}=${value}\n`;
  const bodyBytes = Buffer.byteLength(body);
  let len = bodyBytes + 1;
  while (String(len).length + bodyBytes !== len) len = String(len).length + bodyBytes;
  return `${len}${body}`;
}

/** The header block(s) of one entry: a PAX extended header first when a name is too long. */
export function entryHeader(e: TarEntryHeader): Buffer {
  const mode = e.kind === "symlink" ? 0o777 : e.executable ? 0o755 : 0o644;
  const type = e.kind === "symlink" ? "2" : "0";
  const size = e.kind === "symlink" ? 0 : e.size;
  const link = e.linkTarget ?? "";
  const split = splitUstar(e.path);
  const longLink = Buffer.byteLength(link) > 100;
  if (split !== undefined && !longLink) {
    return rawHeader({ name: split[1], prefix: split[0], mode, size, type, linkname: link });
  }
  let records = "";
  if (split === undefined) records += paxRecord("path", e.path);
  if (longLink) records += paxRecord("linkpath", link);
  const data = Buffer.from(records, "utf8");
  const pax = rawHeader({ name: "PaxHeader", prefix: "", mode: 0o644, size: data.length, type: "x", linkname: "" });
  const [prefix, name] = split ?? ["", truncateBytes(e.path.slice(e.path.lastIndexOf("/") + 1), 100)];
  const main = rawHeader({ name, prefix, mode, size, type, linkname: longLink ? "" : link });
  return Buffer.concat([pax, data, Buffer.alloc(padding(data.length)), main]);
}

function truncateBytes(s: string, max: number): string {
  let out = s;
  while (Buffer.byteLength(out) > max) out = out.slice(0, -1);
  return out;
}

/** Bytes one entry takes in the archive: header(s), content, padding. */
export function entryBytes(e: TarEntryHeader): number {
  const size = e.kind === "symlink" ? 0 : e.size;
  const plain = splitUstar(e.path) !== undefined && Buffer.byteLength(e.linkTarget ?? "") <= 100;
  return (plain ? BLOCK : entryHeader(e).length) + size + padding(size);
}
