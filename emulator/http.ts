import type { IncomingMessage, ServerResponse } from "node:http";
import { EmulatorError } from "./errors";

/**
 * What a handler produces. Handlers never write to the socket themselves, so the fault layer can
 * let a handler act fully and then drop the connection (`reset-after`) or answer an error
 * (`status-after`) instead of the handler's response.
 */
export interface Reply {
  status: number;
  headers?: Record<string, string>;
  /** JSON-serialized. */
  body?: unknown;
  /** Sent as is instead of `body` (a spoiled answer, see the `garble-after` fault). */
  raw?: string;
  /** Writes a streamed body (SSE); headers are written before it is called. */
  stream?: (res: ServerResponse) => Promise<void>;
  /** Releases what `stream` would have used (an open file) when the reply is never written. */
  discard?: () => void;
}

export function json(status: number, body: unknown, headers?: Record<string, string>): Reply {
  return headers ? { status, body, headers } : { status, body };
}

const MAX_BODY = 4 * 1024 * 1024;

export async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY) throw new EmulatorError(413, "payload_too_large", "Request body is larger than 4 MB");
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/**
 * Parses a JSON body. An empty body reads as `{}` (create with no body is documented as valid);
 * anything that is not a JSON object is rejected with the caller's error.
 */
export function parseJsonObject(raw: Buffer, invalid: (message: string) => EmulatorError): Record<string, unknown> {
  const text = raw.toString("utf8");
  if (text.trim() === "") return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw invalid("Request body is not valid JSON.");
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) throw invalid("Request body must be a JSON object.");
  return value as Record<string, unknown>;
}

export function writeReply(res: ServerResponse, reply: Reply): Promise<void> {
  const headers: Record<string, string> = { ...reply.headers };
  if (reply.stream) {
    res.writeHead(reply.status, headers);
    return reply.stream(res).finally(() => {
      if (!res.writableEnded) res.end();
    });
  }
  const payload = reply.raw ?? (reply.body === undefined ? "" : JSON.stringify(reply.body));
  headers["content-type"] ??= "application/json; charset=utf-8";
  headers["content-length"] = String(Buffer.byteLength(payload));
  res.writeHead(reply.status, headers);
  res.end(payload);
  return Promise.resolve();
}
