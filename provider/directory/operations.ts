// Agent37Directory on the seam (core/resource.ts): check reads and hashes the local folder (no
// network); create and update write exactly the files whose content is not yet there, a few at a
// time, each streamed; prune deletes exactly the files this resource wrote that are gone locally;
// refresh lists the folders it wrote to and re-reads only the files whose mtime moved; delete
// removes the files it wrote. A file it did not write is never overwritten or deleted: a new
// file is written with `overwrite=false`, a file it wrote with `X-Expected-Mtime`.
import { UNKNOWN, isUnknown, type CheckFailure } from "../core/check";
import type { Loose } from "../core/declare";
import { instancePathFailures, instancePathOperation, resolveInstancePath, withResolvedPath } from "../core/instance-path";
import type { OperationContext, Resource } from "../core/resource";
import { TreeError } from "../core/tree";
import { BufferPool, FilesApi, UNKNOWN_MTIME, localBody, type ReadEntry } from "../file/api";
import { Agent37DirectoryIncompleteError, Agent37DirectoryInitError } from "./errors";
import { DIRECTORY } from "./fields";
import { SHORT, decodeManifest, encodeManifest, recordHash, scanLocal, type LocalTree, type Recorded } from "./tree";
import type { DirectoryInputs, DirectoryOutputs } from "./types";

/** Files written at once: enough to hide the round trips, few enough to keep memory flat. */
export const PARALLEL = 8;

// Check reads the folder once: refuse and complete are given the same inputs object.
const scans = new WeakMap<Loose, Promise<LocalTree | TreeError>>();

function scanOf(inputs: Loose): Promise<LocalTree | TreeError> | undefined {
  const source = inputs["source"];
  const ignore = inputs["ignore"];
  if (typeof source !== "string" || isUnknown(source) || (ignore !== undefined && !Array.isArray(ignore)) || (Array.isArray(ignore) && ignore.some(isUnknown))) return undefined;
  let scan = scans.get(inputs);
  if (scan === undefined) {
    scan = scanLocal(source, ignore as string[] | undefined).catch((err: unknown) => {
      if (err instanceof TreeError) return err;
      throw err;
    });
    scans.set(inputs, scan);
  }
  return scan;
}

/** Runs `work` over `items`, at most `limit` at a time; the first failure stops new work and is thrown once the rest settle. */
async function pool<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  let failure: { err: unknown } | undefined;
  const lane = async (): Promise<void> => {
    while (failure === undefined && next < items.length) {
      const item = items[next++] as T;
      try {
        await work(item);
      } catch (err) {
        failure ??= { err };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  if (failure !== undefined) throw failure.err;
}

const idOf = (instanceId: string, target: string): string => `${instanceId}:${target}`;

function outputsOf(instanceId: string, target: string, record: ReadonlyMap<string, Recorded>): DirectoryOutputs {
  return { instanceId, path: target, files: record.size, sha256: recordHash(record), manifest: encodeManifest(record) };
}

/**
 * Brings the folder to `local`: writes what `record` lacks or holds otherwise, prunes what it
 * holds that `local` lacks. `record` is updated as each file is surely written or deleted, so a
 * failure part-way leaves it true (and is thrown with it, as an init failure keeps it).
 */
async function sync(api: FilesApi, inputs: DirectoryInputs, local: LocalTree, record: Map<string, Recorded>): Promise<DirectoryOutputs> {
  const target = resolveInstancePath(inputs.path);
  const changed = local.files.filter((f) => record.get(f.path)?.hash !== f.hash);
  const present = new Set(local.files.map((f) => f.path));
  const gone = inputs.prune === false ? [] : [...record.keys()].filter((p) => !present.has(p));
  const buffers = new BufferPool();
  try {
    await pool(changed, PARALLEL, async (f) => {
      const was = record.get(f.path);
      const { body, release } = await localBody(f.source, f.sha256, buffers);
      try {
        // A file it wrote is guarded by the recorded mtime, or by the recorded hash when the mtime could not be read.
        const guard = was === undefined ? { overwrite: false } : { overwrite: true, ...(was.modified !== UNKNOWN_MTIME ? { expectedMtime: was.modified } : { expectedSha256: was.hash }) };
        const entry = await api.write(`${target}/${f.path}`, body, guard);
        // What was sent, which is what check hashed unless the file changed since.
        record.set(f.path, { hash: body.sha256.slice(0, SHORT), modified: entry.modified });
      } finally {
        release();
      }
    });
    await pool(gone, PARALLEL, async (p) => {
      await api.remove(`${target}/${p}`);
      record.delete(p);
    });
  } catch (err) {
    throw new Agent37DirectoryIncompleteError(idOf(inputs.instanceId, target), outputsOf(inputs.instanceId, target, record), err);
  }
  return outputsOf(inputs.instanceId, target, record);
}

async function files(ctx: OperationContext, instanceId: string): Promise<FilesApi> {
  const api = await FilesApi.open(ctx.client(), instanceId);
  if (api === undefined) throw new Error(`instance ${instanceId} is gone: its folder cannot be written`);
  return api;
}

async function localOf(inputs: DirectoryInputs): Promise<LocalTree> {
  return scanLocal(inputs.source, inputs.ignore);
}

export const directoryResource: Resource<DirectoryInputs, DirectoryOutputs> = {
  declaration: DIRECTORY,

  async refuse(inputs: Loose): Promise<CheckFailure[]> {
    const out: CheckFailure[] = instancePathFailures(inputs, true);
    const scan = await scanOf(inputs);
    if (scan instanceof TreeError) out.push({ property: scan.property, reason: scan.message });
    return out;
  },

  async complete(inputs: Loose, failures): Promise<Loose> {
    const out = withResolvedPath(inputs, failures);
    const scan = scanOf(inputs);
    if (scan === undefined) out["sha256"] = UNKNOWN;
    else {
      const tree = await scan;
      if (!(tree instanceof TreeError)) out["sha256"] = tree.sha256;
    }
    return out;
  },

  planUpdate: (olds, _planned, news) => ({ ...olds, files: UNKNOWN, manifest: UNKNOWN, sha256: news["sha256"] ?? UNKNOWN }),

  operation: (kind, subject) => instancePathOperation({ create: "syncing", update: "syncing", read: "refreshing", delete: "deleting" }[kind], "folder", subject),

  initFailure: (explained, _inputs) => {
    const incomplete = explained instanceof Agent37DirectoryIncompleteError ? explained : (explained as { cause?: unknown } | null)?.cause;
    return incomplete instanceof Agent37DirectoryIncompleteError ? new Agent37DirectoryInitError(incomplete.id, incomplete.outputs, explained) : undefined;
  },

  async create(inputs, ctx) {
    const api = await files(ctx, inputs.instanceId);
    const outputs = await sync(api, inputs, await localOf(inputs), new Map());
    return { id: idOf(inputs.instanceId, outputs.path), outputs };
  },

  async update(_id, olds, news, ctx) {
    const api = await files(ctx, news.instanceId);
    return sync(api, news, await localOf(news), decodeManifest(olds.manifest));
  },

  async read(_id, olds, ctx) {
    if (typeof olds.instanceId !== "string" || typeof olds.path !== "string") return undefined;
    const api = await FilesApi.open(ctx.client(), olds.instanceId);
    if (api === undefined) return undefined;
    const record = decodeManifest(olds.manifest);
    const byDir = new Map<string, string[]>();
    for (const p of record.keys()) {
      const slash = p.lastIndexOf("/");
      const dir = slash < 0 ? "" : p.slice(0, slash);
      byDir.set(dir, [...(byDir.get(dir) ?? []), p]);
    }
    await pool([...byDir.entries()], PARALLEL, async ([dir, paths]) => {
      const listing = await api.list(dir === "" ? olds.path! : `${olds.path}/${dir}`);
      const entries = new Map<string, ReadEntry>((listing?.entries ?? []).map((e) => [e.path, e]));
      for (const p of paths) {
        const file = `${olds.path}/${p}`;
        const entry = entries.get(file) ?? (listing?.truncated === true ? await api.entry(file) : undefined);
        const was = record.get(p)!;
        if (entry === undefined || entry.type !== "file") {
          record.delete(p);
          continue;
        }
        if (entry.modified !== UNKNOWN_MTIME && entry.modified === was.modified) continue;
        // Moved since it was written (or past the listing's 1,000 entries, read whole): its bytes tell whether it was edited.
        const hash = (entry.sha256 ?? (await api.hash(file)))?.slice(0, SHORT);
        if (hash === undefined) record.delete(p);
        else record.set(p, { hash, modified: entry.modified });
      }
    });
    return { outputs: outputsOf(olds.instanceId, olds.path, record) };
  },

  async delete(_id, olds, ctx) {
    if (typeof olds.instanceId !== "string" || typeof olds.path !== "string") return;
    const api = await FilesApi.open(ctx.client(), olds.instanceId);
    if (api === undefined) return;
    const target = olds.path;
    await pool([...decodeManifest(olds.manifest).keys()], PARALLEL, (p) => api.remove(`${target}/${p}`));
  },
};
