// The gateway's Files API on an instance (the docs' "Files" page; port 3737 of an agent
// instance, keyed like every instance-URL request). The instance is looked up first on the
// hosting API: a stopped one is refused at once, a sleeping one is woken by the first request.
// Writes are PUTs (idempotent): a cut-off body, a reset or a 5xx is retried with a fresh body.
import { createHash } from "node:crypto";
import { Agent37Error, Agent37TransportError, NotFoundError, createApiError } from "../core/errors";
import { encodePath, type Agent37Client, type GatewayRequest, type PlaneResponse } from "../core/http";
import type { Schema } from "../core/schema-type";
import { sleep } from "../core/sleep";
import { InstancesApi } from "../instance/api";
import { Agent37FileExistsError, Agent37FileModifiedError, Agent37InstanceStoppedError } from "./errors";
import type { WriteBody } from "./body";
// The bodies a folder sync sends, reached through this API module (the resources' import rule).
export { BufferPool, localBody } from "./body";
import { FileEntry, FileList } from "./schema";

const GATEWAY_PORT = 3737;
const STOPPED = new Set(["stopped", "stopping"]);
const ATTEMPTS = 5;
const SMALL_TIMEOUT_MS = 60_000;
const WRITE_TIMEOUT_MS = 15 * 60_000;
const RETRIED_STATUSES = new Set([500, 502, 503, 504]);

/** The gateway URL of an instance: port 3737 (`{id}-3737`), from its default-port URL. */
export function gatewayUrl(id: string, url: string): string {
  try {
    const u = new URL(url);
    const labels = u.hostname.split(".");
    if (labels[0] !== id.toLowerCase()) return url.replace(/\/+$/, "");
    labels[0] = `${id.toLowerCase()}-${GATEWAY_PORT}`;
    return `${u.protocol}//${labels.join(".")}${u.port === "" ? "" : `:${u.port}`}`;
  } catch {
    return url.replace(/\/+$/, "");
  }
}

/** `modified` of an entry whose mtime could not be read (see `FilesApi.entry`): no mtime guard is possible. */
export const UNKNOWN_MTIME = 0;

/** A FileEntry, with the hash of its bytes when they had to be read to find it. */
export type ReadEntry = FileEntry & { sha256?: string };

export class FilesApi {
  private constructor(
    private readonly client: Agent37Client,
    readonly instanceId: string,
    private readonly base: string,
  ) {}

  /** The instance's Files API; undefined when the instance is gone. Refuses a stopped instance. */
  static async open(client: Agent37Client, instanceId: string): Promise<FilesApi | undefined> {
    let live;
    try {
      live = await new InstancesApi(client).get(instanceId);
    } catch (err) {
      if (err instanceof NotFoundError) return undefined;
      throw err;
    }
    if (live.status === "deleted" || live.status === "deleting") return undefined;
    if (STOPPED.has(live.status)) throw new Agent37InstanceStoppedError(instanceId, live.status);
    const url = live.url ?? live.ports?.find((p) => p.port === GATEWAY_PORT)?.url ?? live.ports?.find((p) => p.default)?.url;
    if (url === undefined) throw new Agent37Error(`instance ${instanceId} has no URL: its files cannot be reached`);
    return new FilesApi(client, instanceId, gatewayUrl(instanceId, url));
  }

  /**
   * One gateway request, retried on a reset or a 5xx when `idempotent` (each attempt gets a
   * fresh body). A 502 from the edge may mean the instance stopped meanwhile: it is looked up
   * again, and a stopped instance fails at once.
   */
  private async send(r: Omit<GatewayRequest, "url" | "timeoutMs"> & { path: string; timeoutMs?: number }, idempotent = true): Promise<{ res: PlaneResponse; attempts: number }> {
    const url = `${this.base}${r.path}`;
    for (let attempt = 1; ; attempt++) {
      let failure: unknown;
      try {
        const res = await this.client.gatewaySend({ ...r, url, timeoutMs: r.timeoutMs ?? SMALL_TIMEOUT_MS });
        if (!RETRIED_STATUSES.has(res.status)) return { res, attempts: attempt };
        failure = createApiError(res.status, res.body, { method: r.method, url });
        if (res.status === 502) await FilesApi.open(this.client, this.instanceId);
      } catch (err) {
        if (!(err instanceof Agent37TransportError) || err instanceof Agent37InstanceStoppedError) throw err;
        failure = err;
      }
      if (!idempotent || attempt >= ATTEMPTS) throw failure;
      await sleep(Math.min(4_000, 250 * 2 ** (attempt - 1)));
    }
  }

  private parsed<T>(res: PlaneResponse, schema: Schema<T>, method: string, path: string): T {
    if (res.status < 200 || res.status >= 300) throw createApiError(res.status, res.body, { method, url: `${this.base}${path}` });
    const out = schema.safeParse(res.body);
    if (!out.success) throw new Agent37Error(`the gateway answered ${method} ${path} with an unexpected body`);
    return out.data;
  }

  /**
   * Writes `file`. `overwrite: false` refuses a file that exists (`409`); `expectedMtime` refuses
   * a file modified since (`412`). When the mtime is not known (a file past its folder's first
   * 1,000 entries, see `entry`), `expectedSha256` guards instead: the file is read first, and a
   * file whose bytes are no longer those (a prefix of the hash is enough) is refused as
   * modified, before anything is sent. That check and the PUT are two requests, so an edit made
   * between them is not seen: the window is one round trip.
   *
   * A refused file that already holds exactly these bytes is taken as written: this write's own
   * earlier attempt that landed while its answer was lost, or an earlier `up`'s (nothing it did
   * not write is overwritten, since nothing would change).
   */
  async write(file: string, body: WriteBody, opts: { overwrite: boolean; expectedMtime?: number; expectedSha256?: string }): Promise<FileEntry> {
    const path = encodePath`/v1/files/content?path=${file}&overwrite=${String(opts.overwrite)}`;
    const headers: Record<string, string> = { "content-type": "application/octet-stream" };
    if (opts.expectedMtime !== undefined) headers["x-expected-mtime"] = String(opts.expectedMtime);
    else if (opts.expectedSha256 !== undefined) {
      const now = await this.hash(file);
      if (now !== undefined && !now.startsWith(opts.expectedSha256)) {
        const landed = now === body.sha256 ? await this.entry(file) : undefined;
        if (landed !== undefined) return landed;
        throw new Agent37FileModifiedError(file);
      }
    }
    const { res } = await this.send({ method: "PUT", path, headers, body: body.open, timeoutMs: WRITE_TIMEOUT_MS });
    if (res.status === 409 || res.status === 412) {
      const landed = await this.entry(file);
      if (landed?.type === "file" && (landed.sha256 ?? (await this.hash(file))) === body.sha256) return landed;
      if (res.status === 409) throw new Agent37FileExistsError(file);
      throw new Agent37FileModifiedError(file);
    }
    return this.parsed(res, FileEntry, "PUT", path);
  }

  /**
   * The entry at `file`, or undefined when nothing is there (its folder listed: the gateway has
   * no stat). Past the listing's first 1,000 entries (`truncated`) the file's content is read
   * instead: such an entry has `modified: 0` (unknown: the gateway tells a file's mtime only in
   * a listing and in a PUT's answer) and carries the `sha256` of its bytes.
   */
  async entry(file: string): Promise<ReadEntry | undefined> {
    const slash = file.lastIndexOf("/");
    const dir = slash <= 0 ? "/" : file.slice(0, slash);
    const list = await this.list(dir);
    const found = list?.entries.find((e) => e.path === file);
    if (found !== undefined || list?.truncated !== true) return found;
    const read = await this.hashAndSize(file);
    return read === undefined ? undefined : { name: file.slice(slash + 1), path: file, type: "file", size: read.size, modified: UNKNOWN_MTIME, sha256: read.sha256 };
  }

  /** One level of `dir`; undefined when it is missing or not a folder. */
  async list(dir: string): Promise<FileList | undefined> {
    const path = encodePath`/v1/files?path=${dir}`;
    const { res } = await this.send({ method: "GET", path });
    if (res.status === 404 || (res.status === 400 && errorCode(res) === "not_a_directory")) return undefined;
    return this.parsed(res, FileList, "GET", path);
  }

  /** SHA-256 (hex) of the file's bytes, streamed; undefined when it is missing. */
  async hash(file: string): Promise<string | undefined> {
    return (await this.hashAndSize(file))?.sha256;
  }

  private async hashAndSize(file: string): Promise<{ sha256: string; size: number } | undefined> {
    const path = encodePath`/v1/files/content?path=${file}`;
    const hash = createHash("sha256");
    let size = 0;
    const sink = (chunk: Buffer): void => {
      hash.update(chunk);
      size += chunk.length;
    };
    const { res } = await this.send({ method: "GET", path, timeoutMs: WRITE_TIMEOUT_MS, sink });
    if (res.status === 404 || res.status === 400) return undefined;
    if (res.status < 200 || res.status >= 300) throw createApiError(res.status, res.body, { method: "GET", url: `${this.base}${path}` });
    return { sha256: hash.digest("hex"), size };
  }

  /** Removes `file` (recursive on the gateway: callers check it is a file first); a missing one is fine. */
  async remove(file: string): Promise<void> {
    const path = encodePath`/v1/files?path=${file}`;
    const { res } = await this.send({ method: "DELETE", path });
    if (res.status === 404) return;
    if (res.status < 200 || res.status >= 300) throw createApiError(res.status, res.body, { method: "DELETE", url: `${this.base}${path}` });
  }
}

function errorCode(res: PlaneResponse): string | undefined {
  const e = (res.body as { error?: unknown } | null)?.error;
  if (typeof e === "string") return e;
  return typeof (e as { code?: unknown } | null)?.code === "string" ? (e as { code: string }).code : undefined;
}
