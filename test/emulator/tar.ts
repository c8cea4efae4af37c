import { gzipSync } from "node:zlib";

/** One entry of a test archive. */
export interface TarEntry {
  name: string;
  body?: string | Buffer;
  type?: "file" | "dir";
}

function field(h: Buffer, offset: number, length: number, value: string): void {
  h.write(value.slice(0, length), offset, "latin1");
}

function octal(value: number, width: number): string {
  return `${value.toString(8).padStart(width - 1, "0")}\0`;
}

function header(name: string, size: number, type: string): Buffer {
  const h = Buffer.alloc(512);
  field(h, 0, 100, name);
  field(h, 100, 8, octal(type === "5" ? 0o755 : 0o644, 8));
  field(h, 108, 8, octal(0, 8));
  field(h, 116, 8, octal(0, 8));
  field(h, 124, 12, octal(size, 12));
  field(h, 136, 12, octal(0, 12));
  field(h, 148, 8, "        ");
  field(h, 156, 1, type);
  field(h, 257, 6, "ustar\0");
  field(h, 263, 2, "00");
  let sum = 0;
  for (const b of h) sum += b;
  field(h, 148, 8, `${sum.toString(8).padStart(6, "0")}\0 `);
  return h;
}

function padded(data: Buffer): Buffer[] {
  const pad = (512 - (data.length % 512)) % 512;
  return [data, Buffer.alloc(pad)];
}

/** An uncompressed ustar archive (GNU long names for paths over 100 bytes), independent of the code under test. */
export function tar(entries: TarEntry[]): Buffer {
  const parts: Buffer[] = [];
  for (const e of entries) {
    const body = Buffer.from(e.body ?? "");
    const type = e.type === "dir" ? "5" : "0";
    if (Buffer.byteLength(e.name) > 100) {
      const long = Buffer.from(`${e.name}\0`);
      parts.push(header("././@LongLink", long.length, "L"), ...padded(long));
    }
    parts.push(header(e.name, type === "5" ? 0 : body.length, type));
    if (type === "0") parts.push(...padded(body));
  }
  parts.push(Buffer.alloc(1024));
  return Buffer.concat(parts);
}

export function tarGz(entries: TarEntry[]): Buffer {
  return gzipSync(tar(entries));
}

export const DOCKERFILE = "FROM node:22-slim\n# a comment\nCOPY . /app\nRUN npm ci \\\n  --omit=dev\nCMD [\"node\", \"/app/server.js\"]\n";
