import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { EmulatorError, gateway } from "./errors";

/**
 * An instance's filesystem, as the gateway's Files API sees it, kept inside the instance's data
 * folder on this machine. Virtual absolute paths (`/home/user/x`) name entries under the tree's
 * root folder; nothing this module does reads or writes anything outside it:
 *
 * - Paths are resolved lexically first (`..` stops at the virtual `/`), so no spelling of a path
 *   names a place above the root; percent-decoding happened once, in the query string, before.
 * - Symbolic links inside the tree are followed as a chroot would: their targets are virtual
 *   paths (`/etc/passwd` means the tree's `etc/passwd`), re-resolved from the virtual root, at
 *   most 40 of them per path.
 * - The walk opens one folder at a time with `O_NOFOLLOW | O_DIRECTORY`, and every later step
 *   names its entry relative to the folder it holds open (through `/proc/self/fd/N/name` on
 *   Linux), never by a host path. A folder swapped for a link between two steps (a race with a
 *   process in the instance) makes the open fail (`ELOOP`/`ENOTDIR`) and the link is then resolved
 *   virtually like any other; a file opened is the one inside the held folder. Where
 *   `/proc/self/fd` is absent (not Linux) the walk uses host paths checked step by step, which a
 *   concurrent swap can defeat: exec, the only way to change the tree behind the API's back, only
 *   runs on loopback, where its commands can reach the host anyway.
 * - Files are written to a fresh temporary file in the target's folder and renamed into place, so
 *   a write never goes into an existing inode (a hard link an instance made to a file outside is
 *   replaced, not written through), and a regular file with more than one link is never read.
 *   FIFOs, sockets and devices are never opened for reading or writing.
 */

/** At most this many symbolic links are followed while resolving one path (Linux's own limit). */
const MAX_HOPS = 40;

const O_DIR = fs.constants.O_RDONLY | fs.constants.O_DIRECTORY | fs.constants.O_NOFOLLOW;

/** Whether `/proc/self/fd/N` names the folder that descriptor N holds open (Linux). */
let procFd: boolean | undefined;
function hasProcFd(): boolean {
  if (procFd !== undefined) return procFd;
  let fd: number | undefined;
  try {
    fd = fs.openSync("/", O_DIR);
    procFd = fs.statSync(`/proc/self/fd/${fd}`).isDirectory();
  } catch {
    procFd = false;
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
  return procFd;
}

/** A folder held open: `ref` names it for the next step (`/proc/self/fd/N`, or its host path). */
interface Dir {
  ref: string;
  handle: fs.promises.FileHandle;
}

function at(dir: Dir, name: string): string {
  return `${dir.ref}/${name}`;
}

function code(err: unknown): string | undefined {
  const c = (err as NodeJS.ErrnoException | null)?.code;
  return typeof c === "string" ? c : undefined;
}

async function closeDir(dir: Dir | undefined): Promise<void> {
  if (dir) await dir.handle.close().catch(() => undefined);
}

async function openDirAt(ref: string, hostRef: string | undefined): Promise<Dir> {
  const handle = await fs.promises.open(ref, O_DIR);
  return { handle, ref: hostRef ?? `/proc/self/fd/${handle.fd}` };
}

/** Components of a normalized virtual absolute path (`/` has none). */
function split(virtual: string): string[] {
  return virtual.split("/").filter((c) => c !== "");
}

function join(comps: readonly string[]): string {
  return `/${comps.join("/")}`;
}

export type EntryType = "file" | "directory" | "symlink" | "other";

/** The gateway's FileEntry (the docs' "Files" page). */
export interface FileEntry {
  name: string;
  path: string;
  type: EntryType;
  size: number | null;
  /** mtime in epoch ms, fractional. */
  modified: number;
  hidden: boolean;
}

export function toEntry(virtual: string, st: fs.Stats): FileEntry {
  const type: EntryType = st.isDirectory() ? "directory" : st.isFile() ? "file" : st.isSymbolicLink() ? "symlink" : "other";
  const name = path.posix.basename(virtual);
  return { name, path: virtual, type, size: type === "directory" ? null : st.size, modified: st.mtimeMs, hidden: name.startsWith(".") };
}

/** Where a walk ended: the folder holding the last component (held open), and its name (`""` for `/`). */
interface Walked {
  parent: Dir;
  name: string;
}

class Relink {
  constructor(readonly comps: string[]) {}
}

/** The place a walk could not get through: a component is missing or not a folder. */
export class WalkError extends Error {
  constructor(
    readonly kind: "missing" | "not-a-directory",
    readonly at: string,
  ) {
    super(`${kind} at ${at}`);
  }
}

export class Tree {
  private readonly linux = hasProcFd();

  /** `base` is a host folder; `steps` the folders under it, opened one by one without following links, that lead to the virtual root. */
  constructor(
    private readonly base: string,
    private readonly steps: readonly string[],
  ) {}

  private async openRoot(): Promise<Dir> {
    let dir = await openDirAt(this.base, this.linux ? undefined : this.base);
    for (const step of this.steps) {
      let next: Dir;
      try {
        next = await openDirAt(at(dir, step), this.linux ? undefined : at(dir, step));
      } catch {
        await closeDir(dir);
        throw gateway.internal("The instance's folder is missing or not a folder.");
      }
      await closeDir(dir);
      dir = next;
    }
    return dir;
  }

  /** The link at `comps[i]` as the remaining components to walk instead, or undefined when it is no link. */
  private async linkAt(dir: Dir, comps: readonly string[], i: number): Promise<Relink | undefined> {
    const p = at(dir, comps[i] ?? "");
    let st: fs.Stats;
    try {
      st = await fs.promises.lstat(p);
    } catch (err) {
      if (code(err) === "ENOENT") return undefined;
      throw err;
    }
    if (!st.isSymbolicLink()) return undefined;
    const target = await fs.promises.readlink(p);
    // A chroot's reading: an absolute target starts at the virtual root, `..` stops there.
    const next = path.posix.resolve(join(comps.slice(0, i)), target, ...comps.slice(i + 1));
    return new Relink(split(next));
  }

  /**
   * Walks to the folder that holds the last component of `virtual`, following links in every
   * folder on the way (and in the last component with `followLast`), creating missing folders
   * with `create`. The caller closes `parent`.
   */
  async walk(virtual: string, opts: { create?: boolean; followLast?: boolean } = {}): Promise<Walked> {
    let comps = split(virtual);
    for (let hop = 0; ; hop++) {
      if (hop > MAX_HOPS) throw gateway.validation(`Too many levels of symbolic links in '${virtual}'.`, "path");
      let dir = await this.openRoot();
      let relink: Relink | undefined;
      try {
        for (let i = 0; i < comps.length - 1 && relink === undefined; i++) {
          const step = await this.step(dir, comps, i, opts.create === true);
          if (step instanceof Relink) relink = step;
          else {
            await closeDir(dir);
            dir = step;
          }
        }
        if (relink === undefined && opts.followLast === true && comps.length > 0) relink = await this.linkAt(dir, comps, comps.length - 1);
      } catch (err) {
        await closeDir(dir);
        throw err;
      }
      if (relink === undefined) return { parent: dir, name: comps[comps.length - 1] ?? "" };
      await closeDir(dir);
      comps = relink.comps;
    }
  }

  private async step(dir: Dir, comps: readonly string[], i: number, create: boolean): Promise<Dir | Relink> {
    const name = comps[i] ?? "";
    const p = at(dir, name);
    for (let attempt = 0; attempt < MAX_HOPS; attempt++) {
      try {
        return await openDirAt(p, this.linux ? undefined : p);
      } catch (err) {
        const c = code(err);
        if (c === "ENOENT") {
          if (!create) throw new WalkError("missing", join(comps.slice(0, i + 1)));
          try {
            await fs.promises.mkdir(p);
          } catch (mk) {
            if (code(mk) !== "EEXIST") throw mk;
          }
          continue;
        }
        if (c === "ELOOP" || c === "ENOTDIR" || c === "EMLINK") {
          const link = await this.linkAt(dir, comps, i);
          if (link) return link;
          // Not a link: a file (or it changed again meanwhile; look once more).
          const st = await fs.promises.lstat(p).catch(() => undefined);
          if (st && !st.isDirectory()) throw new WalkError("not-a-directory", join(comps.slice(0, i + 1)));
          continue;
        }
        throw err;
      }
    }
    throw gateway.internal(`The folder '${join(comps.slice(0, i + 1))}' kept changing while it was opened.`);
  }

  /** lstat of a walked place; undefined when nothing is there. */
  private async lstatAt(w: Walked): Promise<fs.Stats | undefined> {
    if (w.name === "") return w.parent.handle.stat();
    try {
      return await fs.promises.lstat(at(w.parent, w.name));
    } catch (err) {
      if (code(err) === "ENOENT") return undefined;
      throw err;
    }
  }

  /** Runs `fn` on the walk of `virtual`, closing what the walk held; walk errors map through `onWalk`. */
  private async within<T>(virtual: string, opts: { create?: boolean; followLast?: boolean }, onWalk: (e: WalkError) => T | Promise<T>, fn: (w: Walked) => Promise<T>): Promise<T> {
    let w: Walked;
    try {
      w = await this.walk(virtual, opts);
    } catch (err) {
      if (err instanceof WalkError) return onWalk(err);
      throw err;
    }
    try {
      return await fn(w);
    } finally {
      await closeDir(w.parent);
    }
  }

  /** One level of a folder: directories first, then by name; at most `cap` entries. */
  async list(virtual: string, cap: number): Promise<{ entries: FileEntry[]; truncated: boolean }> {
    for (let attempt = 0; ; attempt++) {
      const result = await this.within(
        virtual,
        { followLast: true },
        // The gateway stats the path: a component that is missing or a file is ENOENT/ENOTDIR, both a 404.
        () => {
          throw gateway.fileNotFound(virtual);
        },
        async (w) => {
          let dir: Dir;
          if (w.name === "") dir = w.parent;
          else {
            try {
              dir = await openDirAt(at(w.parent, w.name), this.linux ? undefined : at(w.parent, w.name));
            } catch (err) {
              const c = code(err);
              if (c === "ENOENT") throw gateway.fileNotFound(virtual);
              const st = await fs.promises.lstat(at(w.parent, w.name)).catch(() => undefined);
              // Turned into a link after the walk looked: walk again.
              if (st?.isSymbolicLink() === true) return undefined;
              if (c === "ENOTDIR" || c === "ELOOP") throw gateway.notADirectory(virtual);
              throw err;
            }
          }
          try {
            return await this.readFolder(dir, virtual, cap);
          } finally {
            if (dir !== w.parent) await closeDir(dir);
          }
        },
      );
      if (result) return result;
      if (attempt >= MAX_HOPS) throw gateway.validation(`Too many levels of symbolic links in '${virtual}'.`, "path");
    }
  }

  private async readFolder(dir: Dir, virtual: string, cap: number): Promise<{ entries: FileEntry[]; truncated: boolean }> {
    const dirents = await fs.promises.readdir(dir.ref, { withFileTypes: true });
    // Directories first, then by name without regard to case (ties by exact name, so the order is total).
    const key = (d: fs.Dirent): string => d.name.toLowerCase();
    dirents.sort((a, b) => {
      if (a.isDirectory() !== b.isDirectory()) return a.isDirectory() ? -1 : 1;
      const ka = key(a);
      const kb = key(b);
      if (ka !== kb) return ka < kb ? -1 : 1;
      return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
    });
    const truncated = dirents.length > cap;
    const entries: FileEntry[] = [];
    for (const d of dirents.slice(0, cap)) {
      // lstat: a link reports as a link, never its target.
      const st = await fs.promises.lstat(at(dir, d.name)).catch(() => undefined);
      if (st) entries.push(toEntry(path.posix.join(virtual, d.name), st));
    }
    return { entries, truncated };
  }

  /** Opens a regular file for reading. The caller closes the handle. */
  async open(virtual: string): Promise<{ handle: fs.promises.FileHandle; stats: fs.Stats }> {
    const notAFile = (): EmulatorError => gateway.validation(`'${virtual}' is not a downloadable file.`, "path");
    for (let attempt = 0; ; attempt++) {
      const opened = await this.within(
        virtual,
        { followLast: true },
        () => {
          throw gateway.fileNotFound(virtual);
        },
        async (w) => {
          if (w.name === "") throw notAFile();
          let handle: fs.promises.FileHandle;
          try {
            // O_NONBLOCK: a FIFO opens at once (and is then refused) instead of waiting for a writer.
            handle = await fs.promises.open(at(w.parent, w.name), fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW | fs.constants.O_NONBLOCK);
          } catch (err) {
            const c = code(err);
            if (c === "ENOENT") throw gateway.fileNotFound(virtual);
            if (c === "ELOOP") return undefined;
            if (c === "ENXIO" || c === "EISDIR") throw notAFile();
            throw err;
          }
          const stats = await handle.stat();
          if (!stats.isFile()) {
            await handle.close();
            throw notAFile();
          }
          if (stats.nlink > 1) {
            await handle.close();
            throw gateway.validation(`'${virtual}' has other hard links; the emulator serves only files whose one link is in the instance.`, "path");
          }
          return { handle, stats };
        },
      );
      if (opened) return opened;
      if (attempt >= MAX_HOPS) throw gateway.validation(`Too many levels of symbolic links in '${virtual}'.`, "path");
    }
  }

  /**
   * Writes `body` to `virtual` (parents created). Refusals come before a byte is read: an
   * existing file with `overwrite: false` (409), an `expectedMtime` that differs from the
   * existing file's (412), a place that is not a regular file (400). The bytes go to a temporary
   * file in the same folder, renamed into place once all of them arrived: a body cut off or over
   * `cap` leaves what was there before.
   */
  async write(virtual: string, opts: { overwrite: boolean; expectedMtime: number | null; cap: number }, body: AsyncIterable<Buffer>): Promise<FileEntry> {
    const notAFile = (): EmulatorError => gateway.validation(`'${virtual}' is not a regular file.`, "path");
    if (split(virtual).length === 0) throw notAFile();
    for (let attempt = 0; ; attempt++) {
      const done = await this.within(
        virtual,
        { create: true, followLast: true },
        (e) => {
          throw gateway.notADirectory(e.at);
        },
        async (w) => {
          const existing = await this.lstatAt(w);
          if (existing?.isSymbolicLink() === true) return undefined;
          if (existing && !existing.isFile()) throw notAFile();
          if (existing && !opts.overwrite) throw gateway.fileExists(virtual);
          if (existing && opts.expectedMtime !== null && existing.mtimeMs !== opts.expectedMtime) throw gateway.modified(virtual);
          return this.writeAt(w, virtual, existing, opts, body);
        },
      );
      if (done) return done;
      if (attempt >= MAX_HOPS) throw gateway.validation(`Too many levels of symbolic links in '${virtual}'.`, "path");
    }
  }

  private async writeAt(w: Walked, virtual: string, existing: fs.Stats | undefined, opts: { overwrite: boolean; cap: number }, body: AsyncIterable<Buffer>): Promise<FileEntry> {
    const temp = `.agent37-upload-${randomBytes(8).toString("hex")}`;
    const tempPath = at(w.parent, temp);
    const handle = await fs.promises.open(tempPath, fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL | fs.constants.O_NOFOLLOW, 0o666);
    let placed = false;
    try {
      if (existing) await handle.chmod(existing.mode & 0o7777);
      let size = 0;
      try {
        for await (const chunk of body) {
          size += chunk.length;
          if (size > opts.cap) throw gateway.payloadTooLarge(`The file is larger than the emulator's cap of ${opts.cap} bytes.`);
          await handle.write(chunk);
        }
      } catch (err) {
        if (err instanceof EmulatorError) throw err;
        throw gateway.validation("The request body was cut off before it ended.");
      }
      await handle.close().catch(() => undefined);
      const finalPath = at(w.parent, w.name);
      if (opts.overwrite) await fs.promises.rename(tempPath, finalPath);
      else {
        // No clobber: link(2) fails if anything appeared there meanwhile.
        try {
          await fs.promises.link(tempPath, finalPath);
        } catch (err) {
          if (code(err) === "EEXIST") throw gateway.fileExists(virtual);
          throw err;
        }
        await fs.promises.unlink(tempPath).catch(() => undefined);
      }
      placed = true;
      return toEntry(virtual, await fs.promises.lstat(finalPath));
    } finally {
      await handle.close().catch(() => undefined);
      if (!placed) await fs.promises.unlink(tempPath).catch(() => undefined);
    }
  }

  /** `rm -rf` that never follows a link (a link is removed itself); nothing there is a no-op. */
  async remove(virtual: string): Promise<void> {
    if (split(virtual).length === 0) throw gateway.validation("Refusing to delete '/', the instance's whole filesystem.", "path");
    await this.within(
      virtual,
      {},
      () => undefined,
      async (w) => {
        const st = await this.lstatAt(w);
        if (!st) return;
        if (st.isDirectory()) await this.removeTree(w.parent, w.name);
        else await fs.promises.unlink(at(w.parent, w.name)).catch((err: unknown) => (code(err) === "ENOENT" ? undefined : Promise.reject(err)));
      },
    );
  }

  private async removeTree(parent: Dir, name: string): Promise<void> {
    for (let attempt = 0; attempt < MAX_HOPS; attempt++) {
      let dir: Dir;
      try {
        dir = await openDirAt(at(parent, name), this.linux ? undefined : at(parent, name));
      } catch (err) {
        const c = code(err);
        if (c === "ENOENT") return;
        if (c === "ELOOP" || c === "ENOTDIR") {
          // Now a link or a file: remove that entry itself, never what it points to.
          await fs.promises.unlink(at(parent, name)).catch(() => undefined);
          return;
        }
        throw err;
      }
      try {
        for (const d of await fs.promises.readdir(dir.ref, { withFileTypes: true })) {
          if (d.isDirectory()) await this.removeTree(dir, d.name);
          else {
            try {
              await fs.promises.unlink(at(dir, d.name));
            } catch (err) {
              const c = code(err);
              if (c === "EISDIR" || c === "EPERM") await this.removeTree(dir, d.name);
              else if (c !== "ENOENT") throw err;
            }
          }
        }
      } finally {
        await closeDir(dir);
      }
      try {
        await fs.promises.rmdir(at(parent, name));
        return;
      } catch (err) {
        const c = code(err);
        if (c === "ENOENT") return;
        // Something was added meanwhile: empty it again.
        if (c !== "ENOTEMPTY" && c !== "EEXIST") throw err;
      }
    }
    throw gateway.internal("A folder kept filling up while it was deleted.");
  }

  /** Renames `from` to `to` (links themselves, never their targets); answers the entry at `to`. */
  async rename(from: string, to: string): Promise<FileEntry> {
    if (split(from).length === 0) throw gateway.validation("Cannot move '/'.", "from");
    if (split(to).length === 0) throw gateway.validation("Cannot move onto '/'.", "to");
    return this.within(
      from,
      {},
      () => {
        throw gateway.fileNotFound(from);
      },
      async (wf) => {
        if (!(await this.lstatAt(wf))) throw gateway.fileNotFound(from);
        return this.within(
          to,
          {},
          (e) => {
            throw gateway.validation(e.kind === "missing" ? `Could not move the file: the folder '${e.at}' does not exist.` : `Could not move the file: '${e.at}' is not a directory.`, "to");
          },
          async (wt) => {
            try {
              await fs.promises.rename(at(wf.parent, wf.name), at(wt.parent, wt.name));
            } catch (err) {
              throw gateway.validation(`Could not move '${from}' to '${to}': ${renameReason(code(err))}.`, "to");
            }
            const st = await this.lstatAt(wt);
            if (!st) throw gateway.fileNotFound(to);
            return toEntry(to, st);
          },
        );
      },
    );
  }

  /** `mkdir -p`; answers the folder's entry. */
  async mkdir(virtual: string): Promise<FileEntry> {
    for (let attempt = 0; ; attempt++) {
      const made = await this.within(
        virtual,
        { create: true, followLast: true },
        (e) => {
          throw gateway.notADirectory(e.at);
        },
        async (w) => {
          if (w.name !== "") {
            try {
              await fs.promises.mkdir(at(w.parent, w.name));
            } catch (err) {
              if (code(err) !== "EEXIST") throw err;
            }
          }
          const st = await this.lstatAt(w);
          if (st?.isSymbolicLink() === true) return undefined;
          if (!st) throw gateway.fileNotFound(virtual);
          if (!st.isDirectory()) throw gateway.validation(`'${virtual}' exists and is not a directory.`, "path");
          return toEntry(virtual, st);
        },
      );
      if (made) return made;
      if (attempt >= MAX_HOPS) throw gateway.validation(`Too many levels of symbolic links in '${virtual}'.`, "path");
    }
  }
}

function renameReason(c: string | undefined): string {
  switch (c) {
    case "EISDIR":
      return "the destination is a directory and the source is not";
    case "ENOTDIR":
      return "the source is a directory and the destination is not";
    case "ENOTEMPTY":
    case "EEXIST":
      return "the destination is a non-empty directory";
    case "EINVAL":
      return "a directory cannot move into itself";
    case "ENAMETOOLONG":
      return "a name is too long";
    default:
      return `the filesystem refused (${c ?? "error"})`;
  }
}
