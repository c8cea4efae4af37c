// Typed hosting-API calls for templates and template builds, and the upload of a build context
// to the presigned URL a build hands out (node:http, whose write callback says when a chunk has
// left, so the archive streams through one reused buffer). Paths are built with `encodePath`.
import * as http from "node:http";
import * as https from "node:https";
import { Agent37Error, Agent37TimeoutError, Agent37TransportError, createApiError, type RequestInfo } from "../core/errors";
import { encodePath, loopbackLookup, type Agent37Client } from "../core/http";
import { DEFAULT_RETRY_POLICY, decideRetry, type RetryPolicy } from "../core/retry";
import { sleep } from "../core/sleep";
import { ContextError, streamArchive, type ContextScan } from "./context";
import { BuildLogs, BuildObject, CreatedBuild, StartAck, TemplateDeleteAck, TemplateObject } from "./schema";

/** Registering an image copies it into Agent37's storage synchronously: minutes. */
const INGEST_ATTEMPT_TIMEOUT_MS = 30 * 60_000;
/** A 100 MB upload on a slow link. */
const UPLOAD_TIMEOUT_MS = 30 * 60_000;

export interface CreateTemplateBody {
  name: string;
  image_ref: string;
  description?: string;
  default_port?: number;
}

export interface PatchTemplateBody {
  image_ref?: string;
  description?: string;
  default_port?: number | null;
}

export interface CreateBuildBody {
  name: string;
  size_bytes: number;
  description?: string;
  default_port?: number;
}

export class TemplatesApi {
  constructor(readonly client: Agent37Client) {}

  get(name: string) {
    return this.client.call({ method: "GET", path: encodePath`/v1/templates/${name}`, schema: TemplateObject, idempotent: true });
  }
  /** Not repeated after an ambiguous failure: the caller looks the name up instead. */
  create(body: CreateTemplateBody) {
    return this.client.call({
      method: "POST",
      path: "/v1/templates",
      body,
      schema: TemplateObject,
      idempotent: false,
      attemptTimeoutMs: INGEST_ATTEMPT_TIMEOUT_MS,
      deadlineMs: INGEST_ATTEMPT_TIMEOUT_MS,
    });
  }
  /** Idempotent: the same `image_ref` again adds no revision. */
  patch(name: string, body: PatchTemplateBody) {
    return this.client.call({
      method: "PATCH",
      path: encodePath`/v1/templates/${name}`,
      body,
      schema: TemplateObject,
      idempotent: true,
      attemptTimeoutMs: INGEST_ATTEMPT_TIMEOUT_MS,
    });
  }
  delete(name: string) {
    return this.client.call({ method: "DELETE", path: encodePath`/v1/templates/${name}`, schema: TemplateDeleteAck, idempotent: true });
  }
  /**
   * Repeated freely: a build that is created twice is never started twice (the provider starts
   * only the one whose upload it made), and an unstarted build is inert until its URL expires.
   */
  createBuild(body: CreateBuildBody) {
    return this.client.call({ method: "POST", path: "/v1/template-builds", body, schema: CreatedBuild, idempotent: true });
  }
  /** One attempt: a `409 build_conflict` is resolved by the caller, which reads the build first. */
  startBuild(id: string) {
    return this.client.call({ method: "POST", path: encodePath`/v1/template-builds/${id}/start`, schema: StartAck, idempotent: true, retry: false });
  }
  getBuild(id: string) {
    return this.client.call({ method: "GET", path: encodePath`/v1/template-builds/${id}`, schema: BuildObject, idempotent: true });
  }
  buildLogs(id: string, offset: number) {
    return this.client.call({ method: "GET", path: `${encodePath`/v1/template-builds/${id}/logs`}?offset=${offset}`, schema: BuildLogs, idempotent: true });
  }
}

/** The URL without its query: a presigned URL's signature is a credential and stays out of messages. */
export function describeUploadUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.origin}${u.pathname}`;
  } catch {
    return "(upload URL)";
  }
}

export interface UploadOptions {
  random?: () => number;
  /** Bound of the whole upload, retries included. @default 1800000 (ms, 30 minutes) */
  timeoutMs?: number;
}

/** One PUT of the archive, streamed: each chunk is handed to the socket and flushed before the next is read. */
function putOnce(url: URL, scan: ContextScan, bytes: number, info: RequestInfo, signal: AbortSignal): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    const send = url.protocol === "https:" ? https.request : http.request;
    const req = send(url, {
      method: "PUT",
      headers: { "content-type": "application/gzip", "content-length": String(bytes) },
      lookup: loopbackLookup,
      signal,
    });
    let settled = false;
    const fail = (err: unknown): void => {
      if (settled) return;
      settled = true;
      req.destroy();
      reject(err);
    };
    req.on("error", (e) => fail(signal.aborted ? new Agent37TimeoutError(info, 0) : new Agent37TransportError(info, transportCode(e), true, e)));
    req.on("response", (res) => {
      const parts: Buffer[] = [];
      res.on("data", (d: Buffer) => parts.push(d));
      res.on("error", (e) => fail(new Agent37TransportError(info, transportCode(e), true, e)));
      res.on("end", () => {
        const text = Buffer.concat(parts).toString("utf8");
        const status = res.statusCode ?? 0;
        if (status >= 200 && status < 300) {
          hashed.then(
            (h) => {
              settled = true;
              resolve(h);
            },
            fail,
          );
          return;
        }
        let body: unknown = text;
        try {
          body = JSON.parse(text);
        } catch {
          // Storage services answer XML or text; the status and text are reported as they are.
        }
        fail(createApiError(status, body, info));
      });
    });
    const write = (chunk: Buffer): Promise<void> =>
      new Promise((done, failed) => {
        if (settled) return failed(new Error("upload ended"));
        req.write(chunk, (err) => (err ? failed(err) : done()));
      });
    const hashed = streamArchive(scan, write).then((h) => {
      req.end();
      return h;
    });
    hashed.catch(fail);
  });
}

function transportCode(e: unknown): string {
  const code = (e as { code?: unknown }).code;
  return typeof code === "string" ? code : "UNKNOWN";
}

/**
 * The upload's retry policy: the shared one, with every 5xx retried. A PUT of the same bytes to
 * the same URL is idempotent (it replaces the object), so a storage service's `500` is as safe to
 * repeat as a gateway's `502`; the number of attempts and the backoff stay the shared ones.
 */
const UPLOAD_RETRY_POLICY: RetryPolicy = {
  ...DEFAULT_RETRY_POLICY,
  retriableStatuses: Array.from({ length: 100 }, (_, i) => 500 + i),
};

/**
 * PUTs the archive of `scan` to a presigned `url`, streamed from the files (nothing is held
 * but one chunk at a time). The URL carries its own authorization, so the API key is never
 * sent. A PUT of the same bytes is idempotent: failures the retry policy calls transient are
 * retried, reading the files again. Returns the content hash of what the last attempt sent.
 */
export async function uploadArchive(url: string, scan: ContextScan, bytes: number, options: UploadOptions = {}): Promise<string> {
  const info: RequestInfo = { method: "PUT", url: describeUploadUrl(url) };
  const timeoutMs = options.timeoutMs ?? UPLOAD_TIMEOUT_MS;
  const deadlineAt = Date.now() + timeoutMs;
  const target = new URL(url);
  for (let attempt = 1; ; attempt++) {
    let err: unknown;
    const signal = AbortSignal.timeout(Math.max(1, deadlineAt - Date.now()));
    try {
      return await putOnce(target, scan, bytes, info, signal);
    } catch (e) {
      if (e instanceof ContextError) throw e;
      err = signal.aborted ? new Agent37TimeoutError(info, timeoutMs) : e;
    }
    const decision = decideRetry({ attempt, error: err, idempotent: true, remainingMs: deadlineAt - Date.now(), random: (options.random ?? Math.random)(), policy: UPLOAD_RETRY_POLICY });
    if (!decision.retry) {
      // The explanation says how often it was tried (not "sent once").
      if (err instanceof Agent37Error) err.attempts = attempt;
      throw err;
    }
    await sleep(decision.delayMs);
  }
}
