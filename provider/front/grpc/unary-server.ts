// The gRPC transport the plugin is served over: unary calls over Node's own HTTP/2 (h2c,
// loopback), the only kind of call the engine makes to a resource provider. It knows gRPC's
// framing, statuses and deadlines and nothing of Pulumi's resources, so it lives beside the
// plugin's adapter (front/plugin/) rather than in it; and not in core/, which holds what the
// resources and both doors share: only the plugin door (and the benches' null plugin) serves gRPC.
// Not `@grpc/grpc-js`: loading that runtime (65 modules) took half of the plugin's start to its
// port line, and the engine starts the plugin twice in a row for a YAML stack (once for the
// schema, once for the resources), so it was paid twice before the first resource (docs/bench.md,
// the real-CLI section; docs/plugin.md, "Start-up"). What it implements of the gRPC over HTTP/2 protocol:
// - a request is one length-prefixed message (flag 0, uncompressed; the engine does not
//   compress), larger than `maxReceiveBytes` refused with RESOURCE_EXHAUSTED;
// - the answer is one message then trailers `grpc-status: 0`; a failure is a trailers-only
//   answer with `grpc-status`, `grpc-message` (percent-encoded) and binary metadata (`-bin`,
//   base64); a method the table does not hold answers UNIMPLEMENTED, as grpc-js does;
// - `grpc-timeout`, a reset stream or a closed connection mark the call cancelled
//   (`cancelled`, the "cancelled" event) as grpc-js does; an expired deadline answers
//   DEADLINE_EXCEEDED.
import * as http2 from "node:http2";

/** gRPC status codes (the protocol's numbers). */
export const Status = {
  OK: 0,
  CANCELLED: 1,
  UNKNOWN: 2,
  INVALID_ARGUMENT: 3,
  DEADLINE_EXCEEDED: 4,
  RESOURCE_EXHAUSTED: 8,
  UNIMPLEMENTED: 12,
  INTERNAL: 13,
} as const;

/** A failed call's answer: the status, its message, and binary trailers (names end in `-bin`). */
export interface CallError {
  code: number;
  details: string;
  binaryMetadata?: Record<string, Buffer>;
}

/** What a handler sees of a call: the request, and whether the caller has gone away. */
export interface UnaryCall<Req> {
  readonly request: Req;
  readonly cancelled: boolean;
  on(event: "cancelled", listener: () => void): void;
}

/** A unary call's handler: it answers the encoded response message, or the call's failure. */
export type UnaryHandler<Req = unknown> = (call: UnaryCall<Req>, callback: (err: CallError | null, res?: Uint8Array) => void) => void;

export interface UnaryMethod {
  /** The request message's decoder. */
  deserialize(bytes: Uint8Array): unknown;
  handler: UnaryHandler;
}

/**
 * The methods a server serves, by HTTP/2 path (`/package.Service/Method`); a path it answers
 * `undefined` for is UNIMPLEMENTED. A `Map` is one; the plugin's start (start.ts) makes its
 * methods when a call first asks for them.
 */
export interface MethodTable {
  get(path: string): UnaryMethod | undefined;
}

export interface UnaryServer {
  port: number;
  /** Stops taking calls; `done` runs once running calls have answered and connections closed. */
  tryShutdown(done: () => void): void;
  /** Closes every connection now. */
  forceShutdown(): void;
  /** `tryShutdown`, then `forceShutdown` if calls still run after `graceMs`; the same promise on every call. */
  shutdown(graceMs: number): Promise<void>;
}

/** A call's cancellation as a signal: aborted when its caller goes away (deadline, cancel, lost connection). */
export function signalOf(call: UnaryCall<unknown>): AbortSignal {
  const caller = new AbortController();
  call.on("cancelled", () => caller.abort());
  if (call.cancelled) caller.abort();
  return caller.signal;
}

/** `grpc-message`: percent-encoded outside printable ASCII, and `%` itself (the protocol's rule). */
export function encodeGrpcMessage(message: string): string {
  return Array.from(Buffer.from(message, "utf8"), (b) => (b >= 0x20 && b <= 0x7e && b !== 0x25 ? String.fromCharCode(b) : `%${b.toString(16).toUpperCase().padStart(2, "0")}`)).join("");
}

/** A `grpc-timeout` header (`<digits><unit>`) in milliseconds; undefined when absent or malformed. */
export function grpcTimeoutMs(value: string | undefined): number | undefined {
  const m = /^(\d{1,8})([HMSmun])$/.exec(value ?? "");
  if (m === null) return undefined;
  const per: Record<string, number> = { H: 3_600_000, M: 60_000, S: 1000, m: 1, u: 0.001, n: 0.000001 };
  return Number(m[1]) * (per[m[2] as string] as number);
}

/** One length-prefixed message (the whole request body of a unary call). */
export function unframe(body: Buffer): { message: Buffer } | { error: CallError } {
  if (body.length < 5) return { error: { code: Status.INTERNAL, details: "the request holds no gRPC message" } };
  if (body[0] !== 0) return { error: { code: Status.UNIMPLEMENTED, details: "compressed requests are not supported" } };
  const length = body.readUInt32BE(1);
  if (body.length !== 5 + length) return { error: { code: Status.INTERNAL, details: `the request holds ${body.length - 5} bytes after a message length of ${length}` } };
  return { message: body.subarray(5) };
}

export function frame(message: Uint8Array): Buffer {
  const out = Buffer.allocUnsafe(5 + message.length);
  out[0] = 0;
  out.writeUInt32BE(message.length, 1);
  out.set(message, 5);
  return out;
}

const CONTENT_TYPE = "application/grpc+proto";

function failureHeaders(err: CallError): http2.OutgoingHttpHeaders {
  const headers: http2.OutgoingHttpHeaders = { ":status": 200, "content-type": CONTENT_TYPE, "grpc-status": String(err.code), "grpc-message": encodeGrpcMessage(err.details) };
  for (const [name, value] of Object.entries(err.binaryMetadata ?? {})) headers[name] = value.toString("base64");
  return headers;
}

function serveStream(stream: http2.ServerHttp2Stream, headers: http2.IncomingHttpHeaders, methods: MethodTable, maxReceiveBytes: number): void {
  let answered = false;
  let cancelled = false;
  const cancelListeners: (() => void)[] = [];
  const cancel = (): void => {
    if (cancelled) return;
    cancelled = true;
    for (const l of cancelListeners.splice(0)) l();
  };
  const fail = (err: CallError): void => {
    if (answered || stream.destroyed || stream.closed) return;
    answered = true;
    stream.respond(failureHeaders(err), { endStream: true });
  };
  // A caller that goes away (reset stream, lost connection) before the answer: the call is cancelled.
  stream.on("close", () => {
    if (!answered) cancel();
  });
  stream.on("error", () => cancel());
  const method = methods.get(String(headers[":path"]));
  if (method === undefined) {
    stream.resume();
    fail({ code: Status.UNIMPLEMENTED, details: `the method ${String(headers[":path"])} is not implemented` });
    return;
  }
  const timeoutMs = grpcTimeoutMs(headers["grpc-timeout"] as string | undefined);
  const deadline =
    timeoutMs === undefined
      ? undefined
      : setTimeout(() => {
          cancel();
          fail({ code: Status.DEADLINE_EXCEEDED, details: "Deadline exceeded" });
        }, timeoutMs);
  deadline?.unref();
  const chunks: Buffer[] = [];
  let size = 0;
  stream.on("data", (chunk: Buffer) => {
    size += chunk.length;
    if (size > 5 + maxReceiveBytes) {
      // Answered at once; the rest of the request is read and dropped.
      fail({ code: Status.RESOURCE_EXHAUSTED, details: `the request is larger than ${maxReceiveBytes} bytes` });
      chunks.length = 0;
    } else if (!answered) chunks.push(chunk);
  });
  stream.on("end", () => {
    if (answered) return;
    const body = unframe(Buffer.concat(chunks));
    if ("error" in body) {
      clearTimeout(deadline);
      fail(body.error);
      return;
    }
    let request: unknown;
    try {
      request = method.deserialize(body.message);
    } catch (err) {
      clearTimeout(deadline);
      fail({ code: Status.INTERNAL, details: `the request does not decode: ${err instanceof Error ? err.message : String(err)}` });
      return;
    }
    const call: UnaryCall<unknown> = {
      request,
      get cancelled() {
        return cancelled;
      },
      on(_event, listener) {
        cancelListeners.push(listener);
      },
    };
    method.handler(call, (err, res) => {
      clearTimeout(deadline);
      if (err !== null || res === undefined) {
        fail(err ?? { code: Status.INTERNAL, details: "the handler answered nothing" });
        return;
      }
      if (answered || stream.destroyed || stream.closed) return;
      answered = true;
      stream.respond({ ":status": 200, "content-type": CONTENT_TYPE }, { waitForTrailers: true });
      stream.once("wantTrailers", () => stream.sendTrailers({ "grpc-status": "0", "grpc-message": "OK" }));
      stream.end(frame(res));
    });
  });
}

/** Serves `methods` (by HTTP/2 path, `/package.Service/Method`) on a free port of `host`. */
export function startUnaryServer(methods: MethodTable, opts: { host: string; maxReceiveBytes: number }): Promise<UnaryServer> {
  const server = http2.createServer();
  const sessions = new Set<http2.ServerHttp2Session>();
  server.on("session", (session) => {
    sessions.add(session);
    session.once("close", () => sessions.delete(session));
    // A socket error ends the session; its streams see "close" and are cancelled.
    session.on("error", () => undefined);
  });
  server.on("stream", (stream, headers) => serveStream(stream, headers, methods, opts.maxReceiveBytes));
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, opts.host, () => {
      server.off("error", reject);
      const address = server.address();
      let closing: Promise<void> | undefined;
      const unary: UnaryServer = {
        port: typeof address === "object" && address !== null ? address.port : 0,
        tryShutdown(done) {
          // Each session ends after its open streams (GOAWAY); the server closes after the last.
          server.close(() => done());
          for (const s of sessions) s.close();
        },
        forceShutdown() {
          for (const s of sessions) s.destroy();
          server.close();
        },
        shutdown(graceMs) {
          closing ??= new Promise<void>((done) => {
            const force = setTimeout(() => unary.forceShutdown(), graceMs);
            force.unref();
            unary.tryShutdown(() => {
              clearTimeout(force);
              done();
            });
          });
          return closing;
        },
      };
      resolve(unary);
    });
  });
}
