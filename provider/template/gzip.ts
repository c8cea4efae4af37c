// The gzip framing. The archive is a gzip member whose deflate stream is made of stored
// (uncompressed) blocks: its size is an exact function of the tar's length (so `size_bytes`, which
// Agent37 asks for before the upload, and `check`'s size limit need no compression pass), its
// bytes are the same on every machine and zlib version, and it streams through one reused buffer.
// The cost is upload bytes for contexts that would compress (source trees are usually small;
// large contexts are usually already-compressed binaries).

/** Largest stored deflate block. */
export const STORED_MAX = 65_535;
/** Gzip header: magic, CM=deflate, no flags, MTIME 0, XFL 0, OS 255 (unknown): the same everywhere. */
export const GZIP_HEADER = Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xff]);

/** Exact size of the archive of a tar of `tarBytes` bytes. */
export function archiveBytes(tarBytes: number): number {
  const blocks = Math.max(1, Math.ceil(tarBytes / STORED_MAX));
  return GZIP_HEADER.length + tarBytes + 5 * blocks + 8;
}

export function storedBlockHeader(length: number, final: boolean): Buffer {
  const h = Buffer.alloc(5);
  h[0] = final ? 1 : 0;
  h.writeUInt16LE(length, 1);
  h.writeUInt16LE(~length & 0xffff, 3);
  return h;
}

