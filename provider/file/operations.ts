// Agent37File on the seam (core/resource.ts): check resolves the path and hashes the declared
// bytes (no network); create writes with `overwrite=false` unless told; an update writes with
// `X-Expected-Mtime` set to the recorded mtime, so an edit made inside the instance since is
// never silently overwritten; refresh reads the entry (the content only when its size or mtime
// moved); delete removes the file. The content is never an output, a log line or in an error.
import { UNKNOWN, isUnknown, type CheckFailure } from "../core/check";
import type { Loose } from "../core/declare";
import type { OperationContext, Resource } from "../core/resource";
import { FilesApi, UNKNOWN_MTIME } from "./api";
import { bytesBody, fileBody, type WriteBody } from "./body";
import { Agent37NotAFileError } from "./errors";
import { FILE } from "./fields";
import { instancePathFailures, instancePathOperation, resolveInstancePath, withResolvedPath } from "../core/instance-path";
import type { FileEntry } from "./schema";
import { SourceError, hashLocalFile, localPath, sha256Of } from "./source";
import type { FileInputs, FileOutputs } from "./types";

const ADVICE: Readonly<Record<string, string>> = {
  not_found: "The instance is gone: `pulumi refresh` drops its files from the stack's state.",
  payload_too_large: "The file is larger than the gateway accepts: make it smaller, then run the Pulumi command again.",
};

const given = (v: unknown): boolean => v !== undefined && v !== null;

/** What check refuses beyond the declared types: the path's rules, one source of bytes, a readable regular `source`. */
export function fileProblems(inputs: Loose): CheckFailure[] {
  const out: CheckFailure[] = instancePathFailures(inputs);
  const hasContent = given(inputs["content"]);
  const hasSource = given(inputs["source"]);
  if (hasContent && hasSource) out.push({ property: "content", reason: "give exactly one of content and source, not both" });
  else if (!hasContent && !hasSource) out.push({ property: "content", reason: "give exactly one of content and source" });
  const source = inputs["source"];
  if (typeof source === "string" && !isUnknown(source) && !hasContent) {
    try {
      hashLocalFile(localPath(source));
    } catch (err) {
      if (!(err instanceof SourceError)) throw err;
      out.push({ property: "source", reason: err.message });
    }
  }
  return out;
}

/** The hash check records: of `content`, or of `source`'s bytes; unknown while either is. */
function declaredHash(inputs: Loose): unknown {
  const content = inputs["content"];
  const source = inputs["source"];
  if (isUnknown(content) || isUnknown(source)) return UNKNOWN;
  if (typeof content === "string") return sha256Of(Buffer.from(content, "utf8"));
  if (typeof source === "string") {
    try {
      return hashLocalFile(localPath(source)).sha256;
    } catch {
      return undefined;
    }
  }
  return undefined;
}

function bodyOf(inputs: FileInputs): WriteBody {
  if (inputs.content !== undefined) return bytesBody(inputs.content);
  const file = localPath(inputs.source ?? "");
  return fileBody(file, hashLocalFile(file).sha256);
}

function outputsOf(inputs: { instanceId: string }, entry: FileEntry, sha256: string): FileOutputs {
  return { instanceId: inputs.instanceId, path: entry.path, size: entry.size ?? 0, modified: entry.modified, sha256 };
}

async function files(ctx: OperationContext, instanceId: string): Promise<FilesApi> {
  const api = await FilesApi.open(ctx.client(), instanceId);
  if (api === undefined) throw new Agent37NotAFileError(instanceId, "deleted instance");
  return api;
}

/** Writes the declared bytes; the recorded hash is of what was sent. */
async function write(api: FilesApi, inputs: FileInputs, opts: { overwrite: boolean; expectedMtime?: number; expectedSha256?: string }): Promise<FileOutputs> {
  const file = resolveInstancePath(inputs.path);
  const body = bodyOf(inputs);
  const entry = await api.write(file, body, opts);
  return outputsOf(inputs, entry, body.sha256);
}

export const fileResource: Resource<FileInputs, FileOutputs> = {
  declaration: FILE,
  advice: ADVICE,

  // The path is recorded resolved (as the gateway resolves it), so `SOUL.md` and its absolute
  // form are the same file; the hash of the declared bytes is what the diff compares.
  complete(inputs: Loose, failures): Loose {
    const out = withResolvedPath(inputs, failures);
    const hash = declaredHash(out);
    if (hash !== undefined) out["sha256"] = hash;
    return out;
  },

  refuse: (inputs) => fileProblems(inputs),

  // An update rewrites the file: its size and mtime are Agent37's, its hash the declared one.
  planUpdate: (olds, _planned, news) => ({ ...olds, size: UNKNOWN, modified: UNKNOWN, sha256: news["sha256"] ?? UNKNOWN }),

  operation: (kind, subject) => instancePathOperation({ create: "writing", update: "updating", read: "refreshing", delete: "deleting" }[kind], "file", subject),

  async create(inputs, ctx) {
    const outputs = await write(await files(ctx, inputs.instanceId), inputs, { overwrite: inputs.overwrite === true });
    return { id: `${inputs.instanceId}:${outputs.path}`, outputs };
  },

  async read(_id, olds, ctx) {
    if (typeof olds.instanceId !== "string" || typeof olds.path !== "string") return undefined;
    const api = await FilesApi.open(ctx.client(), olds.instanceId);
    if (api === undefined) return undefined;
    const entry = await api.entry(olds.path);
    if (entry === undefined || entry.type !== "file") return undefined;
    // The content is read only when the entry moved: an unchanged size and mtime is an unchanged
    // file. An entry past its folder's first 1,000 came with its bytes' hash (and no mtime).
    const same = entry.modified !== UNKNOWN_MTIME && entry.size === olds.size && entry.modified === olds.modified && typeof olds.sha256 === "string";
    const sha256 = entry.sha256 ?? (same ? (olds.sha256 as string) : ((await api.hash(olds.path)) ?? ""));
    return { outputs: outputsOf({ instanceId: olds.instanceId }, entry, sha256) };
  },

  async update(_id, olds, news, ctx) {
    const api = await files(ctx, news.instanceId);
    // Guarded by the recorded mtime; by the recorded hash when the mtime could not be read.
    const known = typeof olds.modified === "number" && olds.modified !== UNKNOWN_MTIME;
    const guard = known ? { expectedMtime: olds.modified as number } : typeof olds.sha256 === "string" ? { expectedSha256: olds.sha256 } : {};
    return write(api, news, { overwrite: true, ...guard });
  },

  async delete(_id, olds, ctx) {
    if (typeof olds.instanceId !== "string" || typeof olds.path !== "string") return;
    const api = await FilesApi.open(ctx.client(), olds.instanceId);
    if (api === undefined) return;
    const entry = await api.entry(olds.path);
    if (entry === undefined) return;
    // The gateway's DELETE is recursive: a folder (or link) now at the path is not this file.
    if (entry.type !== "file") throw new Agent37NotAFileError(olds.path, entry.type);
    await api.remove(olds.path);
  },
};
