import type { IncomingMessage, ServerResponse } from "node:http";
import * as path from "node:path";
import { pipeline } from "node:stream/promises";
import { EmulatorError, gateway } from "./errors";
import { HOME_DIR, WORKSPACE_DIR } from "./hosting/exec";
import { json, readBody, type Reply } from "./http";
import type { InstanceRecord } from "./model";
import type { Runtime } from "./runtime";
import { Tree } from "./tree";

/**
 * The gateway's Files API (the docs' "Files" page) on port 3737 of an agent template's instance, behind
 * the edge like every gateway route (auth, 404, stopped, wake: emulator/plane.ts). The instance's
 * files live in its data folder on this machine (emulator/tree.ts keeps every operation inside
 * it). Paths: `~` and `~/...` are the instance user's home (`/home/user`), a relative path is
 * resolved against the agent workspace, `..` is resolved lexically (as the gateway's
 * `path.resolve` does), and every answer carries the resolved absolute path.
 *
 * Assumptions where the docs are silent (docs/emulator.md, "Files"):
 * - the gateway is not jailed (the docs say so); the emulator is, by necessity: a path outside
 *   the instance's folder on this machine names the same path inside it;
 * - a NUL byte in a path, a repeated `path` parameter, and a write over something that is not a
 *   regular file are `400 validation_error` (the gateway would fail with a `500`);
 * - a folder on the way that is a file is `400 not_a_directory` for writes and `mkdir`, a 404 for
 *   reads (the gateway's `stat` says ENOTDIR, which it answers as `file_not_found`);
 * - `DELETE` of `/` is refused with `400` rather than attempted;
 * - written bytes go to a temporary file renamed into place, so a cut-off body leaves the earlier
 *   file as it was (the gateway writes in place); a file body is capped at `filesMaxBytes`.
 */

export const LIST_CAP = 1000;

const DISPOSITIONS = new Set(["inline", "attachment"]);

/** `~` -> home, relative -> against the workspace; lexical `..`, as the gateway's `path.resolve`. */
export function resolveVirtual(raw: string, param: string): string {
  if (raw.includes("\u0000")) throw gateway.validation(`${param} must not contain a NUL byte.`, param);
  let p = raw;
  if (p === "~") p = HOME_DIR;
  else if (p.startsWith("~/")) p = `${HOME_DIR}/${p.slice(2)}`;
  return path.posix.resolve(WORKSPACE_DIR, p);
}

function single(query: URLSearchParams, name: string): string | undefined {
  const all = query.getAll(name);
  if (all.length > 1) throw gateway.validation(`${name} must be given once.`, name);
  return all[0];
}

function requirePath(query: URLSearchParams): string {
  const raw = single(query, "path");
  if (raw === undefined || raw.trim() === "") throw gateway.validation("path query parameter is required.", "path");
  return resolveVirtual(raw, "path");
}

function boolFlag(query: URLSearchParams, name: string, fallback: boolean): boolean {
  const raw = single(query, name);
  if (raw === undefined || raw === "") return fallback;
  if (raw === "true") return true;
  if (raw === "false") return false;
  throw gateway.validation(`${name} must be 'true' or 'false'.`, name);
}

function expectedMtime(req: IncomingMessage): number | null {
  const raw = req.headers["x-expected-mtime"];
  const value = Array.isArray(raw) ? raw.join(",") : raw;
  if (value === undefined || value.trim() === "") return null;
  const ms = Number(value);
  if (!Number.isFinite(ms)) throw gateway.validation("X-Expected-Mtime must be epoch milliseconds.", "X-Expected-Mtime");
  return ms;
}

const TYPES: Record<string, string> = {
  ".txt": "text/plain",
  ".md": "text/markdown",
  ".markdown": "text/markdown",
  ".json": "application/json",
  ".html": "text/html",
  ".htm": "text/html",
  ".css": "text/css",
  ".js": "text/javascript",
  ".mjs": "text/javascript",
  ".csv": "text/csv",
  ".xml": "application/xml",
  ".yaml": "text/yaml",
  ".yml": "text/yaml",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".jpeg": "image/jpeg",
  ".gif": "image/gif",
  ".webp": "image/webp",
  ".pdf": "application/pdf",
  ".zip": "application/zip",
  ".gz": "application/gzip",
  ".tar": "application/x-tar",
};

/** By extension, like the gateway's `send`; text types carry a charset. */
function contentType(name: string): string {
  const type = TYPES[path.posix.extname(name).toLowerCase()] ?? "application/octet-stream";
  return type.startsWith("text/") || type === "application/json" ? `${type}; charset=UTF-8` : type;
}

function attachment(name: string): string {
  const fallback = name.replace(/[^\x20-\x7e]|["\\]/g, "_");
  const encoded = encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return fallback === name ? `attachment; filename="${name}"` : `attachment; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}

function treeOf(rt: Runtime, rec: InstanceRecord): Tree {
  const { base, steps } = rt.exec.tree(rec.id);
  return new Tree(base, steps);
}

type Route = "list" | "read" | "write" | "remove" | "rename" | "mkdir";

/** The Files API route of a request, or undefined (a trailing slash is allowed, as in Express). */
export function filesRoute(method: string, urlPath: string): Route | undefined {
  const p = urlPath.length > 1 && urlPath.endsWith("/") ? urlPath.slice(0, -1) : urlPath;
  if (p === "/v1/files") return ({ GET: "list", DELETE: "remove", PATCH: "rename" } as Record<string, Route>)[method];
  if (p === "/v1/files/content") return ({ GET: "read", PUT: "write" } as Record<string, Route>)[method];
  if (p === "/v1/files/dir" && method === "POST") return "mkdir";
  return undefined;
}

/** A filesystem error the tree did not turn into an answer: never with a host path in it. */
function fsFailure(err: unknown): EmulatorError {
  const c = (err as NodeJS.ErrnoException | null)?.code;
  if (c === "ENAMETOOLONG") return gateway.validation("A name in the path is too long.", "path");
  return gateway.internal(`The file operation failed${typeof c === "string" ? ` (${c})` : ""}.`);
}

export async function filesRequest(rt: Runtime, req: IncomingMessage, rec: InstanceRecord, route: Route, query: URLSearchParams): Promise<Reply> {
  try {
    return await handle(rt, req, rec, route, query);
  } catch (err) {
    if (err instanceof EmulatorError) throw err;
    throw fsFailure(err);
  }
}

async function handle(rt: Runtime, req: IncomingMessage, rec: InstanceRecord, route: Route, query: URLSearchParams): Promise<Reply> {
  switch (route) {
    case "list": {
      const raw = single(query, "path");
      const dir = raw === undefined || raw.trim() === "" ? WORKSPACE_DIR : resolveVirtual(raw, "path");
      const { entries, truncated } = await treeOf(rt, rec).list(dir, LIST_CAP);
      const parent = path.posix.dirname(dir);
      return json(200, { path: dir, parentPath: parent === dir ? null : parent, entries, truncated });
    }
    case "read": {
      const file = requirePath(query);
      const rawDisposition = single(query, "disposition");
      const disposition = rawDisposition === undefined || rawDisposition === "" ? "attachment" : rawDisposition;
      if (!DISPOSITIONS.has(disposition)) throw gateway.validation("disposition must be one of: inline, attachment.", "disposition");
      const { handle: fh, stats } = await treeOf(rt, rec).open(file);
      const name = path.posix.basename(file);
      return {
        status: 200,
        headers: {
          "content-type": contentType(name),
          "content-length": String(stats.size),
          "content-disposition": disposition === "inline" ? "inline" : attachment(name),
          "last-modified": stats.mtime.toUTCString(),
        },
        stream: async (res: ServerResponse) => {
          try {
            await pipeline(fh.createReadStream(), res);
          } catch {
            // The client went away; the stream closed the file.
          }
        },
        discard: () => void fh.close().catch(() => undefined),
      };
    }
    case "write": {
      const file = requirePath(query);
      const overwrite = boolFlag(query, "overwrite", true);
      const expected = expectedMtime(req);
      const cap = rt.opts.filesMaxBytes;
      const declared = Number(req.headers["content-length"] ?? "0");
      if (Number.isFinite(declared) && declared > cap) throw gateway.payloadTooLarge(`The file is larger than the emulator's cap of ${cap} bytes.`);
      const entry = await treeOf(rt, rec).write(file, { overwrite, expectedMtime: expected, cap }, req as AsyncIterable<Buffer>);
      return json(200, entry);
    }
    case "remove": {
      await treeOf(rt, rec).remove(requirePath(query));
      return json(200, { ok: true });
    }
    case "rename": {
      let raw: Buffer;
      try {
        raw = await readBody(req);
      } catch (err) {
        if (err instanceof EmulatorError && err.status === 413) throw gateway.payloadTooLarge(err.message);
        throw err;
      }
      const body = parseBody(raw);
      const from = bodyPath(body["from"], "from");
      const to = bodyPath(body["to"], "to");
      return json(200, await treeOf(rt, rec).rename(from, to));
    }
    case "mkdir":
      return json(200, await treeOf(rt, rec).mkdir(requirePath(query)));
  }
}

function parseBody(raw: Buffer): Record<string, unknown> {
  const text = raw.toString("utf8");
  if (text.trim() === "") return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw gateway.validation("Request body is not valid JSON.");
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) throw gateway.validation("Request body must be a JSON object with from and to.", "body");
  return value as Record<string, unknown>;
}

function bodyPath(value: unknown, field: string): string {
  if (typeof value !== "string" || value.trim() === "") throw gateway.validation(`${field} must be a non-empty string.`, field);
  return resolveVirtual(value, field);
}
