import { createHash, timingSafeEqual } from "node:crypto";
import { once } from "node:events";
import type { IncomingMessage } from "node:http";
import { createGunzip } from "node:zlib";
import { dockerfileInstructions, TarScanner } from "./archive";
import { epochSeconds } from "./clock";
import { EmulatorError } from "./errors";
import { json, type Reply } from "./http";
import type { ArchiveFacts, BuildRecord } from "./model";
import type { Runtime } from "./runtime";

/**
 * The presigned upload URLs of template builds, served by the emulator itself at
 * `/_uploads/{buildId}?expires=...&signature=...` (outside `/v1`: a presigned URL carries its own
 * authorization, like the storage URL the real service hands out). The body is hashed and
 * scanned as it streams in (gunzip, tar headers, the root Dockerfile); nothing is buffered or
 * written to disk, so memory stays flat for a 100 MB context.
 */

export const UPLOAD_PREFIX = "/_uploads/";

/** The documented cap of a build context. */
export const MAX_CONTEXT_BYTES = 100_000_000;

/** How long an upload URL stays valid (documented: one hour). */
export const UPLOAD_TTL_SECONDS = 3600;

export function isUploadPath(path: string): boolean {
  return path.startsWith(UPLOAD_PREFIX);
}

export function uploadUrl(rt: Runtime, build: BuildRecord): string {
  return `${rt.view.base ?? `http://127.0.0.1:${rt.view.port}`}${UPLOAD_PREFIX}${build.id}?expires=${build.expiresAt}&signature=${build.uploadToken}`;
}

const denied = (message: string): EmulatorError => new EmulatorError(403, "forbidden", message);

function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Checks the URL's signature and expiry; the build it names, or a 403 that names no build. */
function authorize(rt: Runtime, url: URL): BuildRecord {
  const id = url.pathname.slice(UPLOAD_PREFIX.length);
  const build = rt.store.builds.get(id);
  const signature = url.searchParams.get("signature") ?? "";
  const expires = Number(url.searchParams.get("expires"));
  if (!build || !sameToken(signature, build.uploadToken) || expires !== build.expiresAt) {
    throw denied("The upload URL's signature does not match. Use the upload_url returned by POST /v1/template-builds.");
  }
  if (epochSeconds() >= build.expiresAt) throw denied(`The upload URL expired at ${build.expiresAt} (it is valid for one hour). Create a new build.`);
  return build;
}

/**
 * The most a context may unpack to, and the most entries it may hold. Agent37 documents only the
 * 100 MB cap of the upload itself (`max_bytes`); these two are the emulator's own (assumption 33
 * in docs/emulator.md), so that a small gzip "bomb" (3 MB inflating to 3 GB) is refused after a
 * bounded amount of work instead of being inflated to its end. They are ten times the upload cap
 * and far more files than a Docker build context holds in practice.
 */
export const MAX_UNPACKED_BYTES = 1_000_000_000;
export const MAX_CONTEXT_ENTRIES = 200_000;

/** An upload refused while it streamed in, with the reason (answered `400 invalid_request`). */
export interface Refusal {
  refused: string;
}

/**
 * Hashes and scans a stream of gzipped tar bytes, refusing more than `limit` bytes. A context
 * that unpacks past `MAX_UNPACKED_BYTES` or `MAX_CONTEXT_ENTRIES` is refused as soon as that
 * shows; the rest of the body is then drained without being looked at, after the answer.
 */
export async function scanContext(body: AsyncIterable<Buffer>, limit: number): Promise<ArchiveFacts | Refusal | "too_large"> {
  const hash = createHash("sha256");
  const tar = new TarScanner();
  // Large output chunks: inflating highly compressible data 16 KB at a time costs ten times more.
  const gunzip = createGunzip({ chunkSize: 1024 * 1024 });
  let gzipProblem: string | null = null;
  let refused: string | null = null;
  let unpacked = 0;
  gunzip.on("data", (d: Buffer) => {
    if (refused !== null) return;
    unpacked += d.length;
    if (unpacked > MAX_UNPACKED_BYTES) {
      refused = `the build context unpacks to more than ${MAX_UNPACKED_BYTES} bytes (the emulator's limit on an unpacked context)`;
      gunzip.destroy();
      return;
    }
    tar.write(d);
    if (tar.entryCount > MAX_CONTEXT_ENTRIES) {
      refused = `the build context holds more than ${MAX_CONTEXT_ENTRIES} entries (the emulator's limit)`;
      gunzip.destroy();
    }
  });
  gunzip.on("error", (err: Error) => {
    gzipProblem ??= `the build context is not a valid gzip stream (${err.message})`;
  });
  const ended = new Promise<void>((resolve) => {
    gunzip.once("end", resolve);
    gunzip.once("error", () => resolve());
    gunzip.once("close", resolve);
  });
  let bytes = 0;
  let tooLarge = false;
  // Read by hand: leaving a for-await loop early would destroy the request, and its socket with it.
  const chunks = body[Symbol.asyncIterator]();
  try {
    for (;;) {
      const next = await chunks.next();
      if (next.done) break;
      const chunk = next.value;
      bytes += chunk.length;
      // Keep reading to the end (the client is still sending), but stop looking at the bytes.
      if (bytes > limit) tooLarge = true;
      if (tooLarge) continue;
      hash.update(chunk);
      if (gzipProblem === null && refused === null && !gunzip.write(chunk)) {
        await Promise.race([once(gunzip, "drain").catch(() => undefined), ended]);
      }
      if (refused !== null) {
        void drain(chunks);
        return { refused };
      }
    }
  } catch {
    // The client went away mid-body: nothing is kept, and nobody is left to read an answer.
    gunzip.destroy();
    throw new EmulatorError(400, "invalid_request", `The upload was interrupted after ${bytes} bytes; the build's context did not change.`);
  }
  if (tooLarge) {
    gunzip.destroy();
    return "too_large";
  }
  if (gzipProblem === null && refused === null) gunzip.end();
  await ended;
  if (refused !== null) return { refused };
  const scan = tar.end();
  const problem = bytes === 0 ? "the build context is empty" : (gzipProblem ?? scan.problem);
  return {
    bytes,
    sha256: `sha256:${hash.digest("hex")}`,
    problem,
    entries: scan.entries,
    dockerfile: scan.dockerfile,
    instructions: scan.dockerfileText === null ? [] : dockerfileInstructions(scan.dockerfileText),
  };
}

/** Reads the rest of a refused body and drops it, so the connection stays usable. */
async function drain(chunks: AsyncIterator<Buffer>): Promise<void> {
  try {
    for (;;) if ((await chunks.next()).done) return;
  } catch {
    // The client went away: nothing to drain.
  }
}

/**
 * `PUT {upload_url}`: replaces the build's context until the build starts. The size must be the
 * `size_bytes` declared at create (the URL is signed for it); a PUT declaring more than that is
 * refused before its body is read.
 */
export async function handleUpload(rt: Runtime, req: IncomingMessage, url: URL): Promise<Reply> {
  try {
    return await receive(rt, req, url);
  } catch (err) {
    // A refused upload is drained, so the connection stays usable for the client's next request.
    req.resume();
    throw err;
  }
}

async function receive(rt: Runtime, req: IncomingMessage, url: URL): Promise<Reply> {
  const build = authorize(rt, url);
  if ((req.method ?? "GET").toUpperCase() !== "PUT") {
    throw new EmulatorError(405, "method_not_allowed", "An upload URL only accepts PUT.", { headers: { allow: "PUT" } });
  }
  if (build.startedAt !== null) throw new EmulatorError(409, "build_conflict", `Build ${build.id} has already started; its context can no longer change.`);
  const declared = req.headers["content-length"];
  if (declared !== undefined && Number(declared) !== build.sizeBytes) {
    throw new EmulatorError(400, "invalid_request", `The upload is ${declared} bytes but the build was created with size_bytes ${build.sizeBytes}.`);
  }
  const facts = await scanContext(req as AsyncIterable<Buffer>, Math.min(build.sizeBytes, MAX_CONTEXT_BYTES));
  if (facts === "too_large") throw new EmulatorError(400, "invalid_request", `The upload is larger than the build's size_bytes (${build.sizeBytes}).`);
  if ("refused" in facts) throw new EmulatorError(400, "invalid_request", `Invalid build context: ${facts.refused}; the build's context did not change.`);
  if (facts.bytes !== build.sizeBytes) throw new EmulatorError(400, "invalid_request", `The upload is ${facts.bytes} bytes but the build was created with size_bytes ${build.sizeBytes}.`);
  // The build may have started while the body streamed in; the first start wins.
  if (build.startedAt !== null) throw new EmulatorError(409, "build_conflict", `Build ${build.id} started while this upload was in flight; its context did not change.`);
  build.upload = facts;
  rt.store.changed();
  return json(200, { size_bytes: facts.bytes, sha256: facts.sha256 }, { etag: `"${facts.sha256.slice("sha256:".length)}"` });
}
