// The local side of Agent37Directory: the files `source` holds (`ignore` applied with the build
// context's rules, core/ignore.ts), each hashed with the core's tree reader (core/tree.ts), and
// the manifest that records what was written, compact enough for 10,000 files in under 1 MB.
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { IgnoreMatcher } from "../core/ignore";
import { TreeError, byPath, hashOpen, openRegular, walkTree, yieldToLoop, YIELD_EVERY, type TreeWords } from "../core/tree";

const WORDS: TreeWords = { property: "source", leaveOut: "leave it out with `ignore`", what: "the source folder" };
const PREFIX = "agent37-directory-v1\0";
/** Hex digits of a file's SHA-256 kept per file: 64 bits tell a change apart; the state stays small. */
export const SHORT = 16;

export interface LocalFile {
  /** `/`-separated, relative to `source`. */
  path: string;
  /** Absolute path on disk. */
  source: string;
  size: number;
  /** SHA-256 (hex, first `SHORT` digits) of its bytes: what the manifest records. */
  hash: string;
  /** The whole SHA-256: a write that landed before its answer was lost is recognised by it. */
  sha256: string;
}

export interface LocalTree {
  root: string;
  files: LocalFile[];
  sha256: string;
}

/** One written file as recorded: its content hash and the mtime the gateway answered. */
export interface Recorded {
  hash: string;
  modified: number;
}

/** The tree hash over sorted paths and their hashes: the same for the local folder and the record of it. */
export function treeHash(files: Iterable<[string, string]>): string {
  const h = createHash("sha256").update(PREFIX);
  for (const [p, hash] of files) h.update(`${p}\0${hash}\n`);
  return h.digest("hex");
}

/** Reads and hashes `source` (1 MiB reads through one buffer: memory stays flat). */
export async function scanLocal(source: string, ignore: readonly string[] | undefined): Promise<LocalTree> {
  const root = path.resolve(source);
  let st;
  try {
    st = fs.statSync(root);
  } catch {
    throw new TreeError("source", `source folder ${root} does not exist`);
  }
  if (!st.isDirectory()) throw new TreeError("source", `source ${root} is not a folder`);
  let matcher: IgnoreMatcher;
  try {
    matcher = IgnoreMatcher.fromText((ignore ?? []).join("\n"));
  } catch (err) {
    throw new TreeError("ignore", (err as Error).message.replace(".dockerignore line", "ignore pattern"));
  }
  const listed = (await walkTree(root, matcher, WORDS)).sort(byPath);
  const files: LocalFile[] = [];
  for (let i = 0; i < listed.length; i++) {
    const l = listed[i]!;
    if (/[\t\n]/.test(l.path)) throw new TreeError("source", `${l.source} has a tab or a newline in its name, which the manifest cannot hold: rename it, or ${WORDS.leaveOut}`);
    if (l.kind === "symlink") throw new TreeError("source", `${l.source} is a symbolic link: the Files API writes files only; ${WORDS.leaveOut}`);
    const { fd, stat } = openRegular(l.source, WORDS, "source", "only regular files are written");
    try {
      const h = createHash("sha256");
      hashOpen(h, fd, l.source, stat.size, WORDS);
      const sha256 = h.digest("hex");
      files.push({ path: l.path, source: l.source, size: stat.size, hash: sha256.slice(0, SHORT), sha256 });
    } finally {
      fs.closeSync(fd);
    }
    if ((i + 1) % YIELD_EVERY === 0) await yieldToLoop();
  }
  return { root, files, sha256: treeHash(files.map((f) => [f.path, f.hash])) };
}

/** The manifest: `path\thash\tmtime` a line, sorted by path. Paths never hold a tab or a newline (refused at check). */
export function encodeManifest(record: ReadonlyMap<string, Recorded>): string {
  return [...record.keys()]
    .sort()
    .map((p) => `${p}\t${record.get(p)!.hash}\t${record.get(p)!.modified}`)
    .join("\n");
}

export function decodeManifest(text: unknown): Map<string, Recorded> {
  const out = new Map<string, Recorded>();
  if (typeof text !== "string" || text === "") return out;
  for (const line of text.split("\n")) {
    const [p, hash, modified] = line.split("\t");
    if (p !== undefined && hash !== undefined) out.set(p, { hash, modified: Number(modified ?? 0) });
  }
  return out;
}

/** The tree hash of a record. */
export const recordHash = (record: ReadonlyMap<string, Recorded>): string => treeHash([...record.keys()].sort().map((p) => [p, record.get(p)!.hash]));
