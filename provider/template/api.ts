// Typed hosting-API calls for templates and template builds, and the upload of a build context
// to the presigned URL a build hands out. Paths are built with `encodePath`.
import { createReadStream } from "node:fs";
import { request, type Dispatcher } from "undici";
import { Agent37TimeoutError, Agent37TransportError, createApiError, type RequestInfo } from "../client/errors";
import { encodePath, sharedDispatcher, type Agent37Client } from "../client/http";
import { decideRetry } from "../client/retry";
import { sleep } from "../client/sleep";
import { BuildLogs, BuildObject, CreatedBuild, StartAck, TemplateDeleteAck, TemplateObject } from "./schema";

/** Registering an image copies it into Agent37's storage synchronously: minutes. */
const INGEST_ATTEMPT_TIMEOUT_MS = 30 * 60_000;
/** A 100 MB upload on a slow link. */
const UPLOAD_ATTEMPT_TIMEOUT_MS = 30 * 60_000;

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
  dispatcher?: Dispatcher;
  random?: () => number;
  attemptTimeoutMs?: number;
}

/**
 * PUTs the archive in `file` to a presigned `url`, streaming it from disk. The URL carries its own
 * authorization, so the API key is never sent. A PUT of the same bytes is idempotent: failures
 * the retry policy calls transient are retried, reading the file again.
 */
export async function uploadArchive(url: string, file: string, bytes: number, options: UploadOptions = {}): Promise<void> {
  const info: RequestInfo = { method: "PUT", url: describeUploadUrl(url) };
  const timeoutMs = options.attemptTimeoutMs ?? UPLOAD_ATTEMPT_TIMEOUT_MS;
  const deadlineAt = Date.now() + timeoutMs;
  for (let attempt = 1; ; attempt++) {
    let err: unknown;
    const timeout = AbortSignal.timeout(Math.max(1, deadlineAt - Date.now()));
    try {
      const res = await request(url, {
        method: "PUT",
        headers: { "content-type": "application/gzip", "content-length": String(bytes) },
        body: createReadStream(file),
        signal: timeout,
        dispatcher: options.dispatcher ?? sharedDispatcher(),
      });
      const text = await res.body.text();
      if (res.statusCode >= 200 && res.statusCode < 300) return;
      let body: unknown = text;
      try {
        body = JSON.parse(text);
      } catch {
        // Storage services answer XML or text; the status and text are reported as they are.
      }
      err = createApiError(res.statusCode, body, info);
    } catch (e) {
      if (timeout.aborted) err = new Agent37TimeoutError(info, timeoutMs);
      else {
        const code = (e as { code?: unknown }).code;
        err = new Agent37TransportError(info, typeof code === "string" ? code : "UNKNOWN", true, e);
      }
    }
    const decision = decideRetry({ attempt, error: err, idempotent: true, remainingMs: deadlineAt - Date.now(), random: (options.random ?? Math.random)() });
    if (!decision.retry) throw err;
    await sleep(decision.delayMs);
  }
}
