// The HTTP client for both planes: the hosting API (Bearer auth, JSON, retries) and single
// requests to instance URLs (health, version). All traffic goes through one keep-alive undici
// Agent whose resolver maps `localhost` and `*.localhost` to loopback (RFC 6761), so emulator
// instance hosts such as `http://ab12cd34ef.localhost:4737` work on any resolver.
import * as dns from "node:dns";
import type { LookupFunction } from "node:net";
import type { Agent, Dispatcher as UndiciDispatcher } from "undici";
import {
  Agent37DeadlineError,
  Agent37Error,
  Agent37SchemaError,
  Agent37TimeoutError,
  Agent37TransportError,
  createApiError,
  type RequestInfo,
} from "./errors";
import { registerSecret } from "./redact";
import { DEFAULT_RETRY_POLICY, decideRetry, parseRetryAfter, type RetryPolicy } from "./retry";
import type { Schema } from "./schema-type";
import { sleep } from "./sleep";

/** `localhost` and `*.localhost` always resolve to 127.0.0.1; everything else via the system resolver. */
export const loopbackLookup: LookupFunction = (hostname, options, callback) => {
  const host = hostname.toLowerCase().replace(/\.$/, "");
  if (host === "localhost" || host.endsWith(".localhost")) {
    const all = typeof options === "object" && options !== null && (options as dns.LookupOptions).all === true;
    if (all) (callback as unknown as (e: null, a: dns.LookupAddress[]) => void)(null, [{ address: "127.0.0.1", family: 4 }]);
    else callback(null, "127.0.0.1", 4);
    return;
  }
  (dns.lookup as (h: string, o: unknown, cb: unknown) => void)(hostname, options, callback);
};

let undiciModule: typeof import("undici") | undefined;

/**
 * undici, loaded on the first request: a preview (no API call) and a program that only declares
 * resources never pay its loading (about a third of the package's own start, docs/bench.md).
 */
function undici(): typeof import("undici") {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on first use, see above
  undiciModule ??= require("undici") as typeof import("undici");
  return undiciModule;
}

let sharedAgent: Agent | undefined;

/** The process-wide keep-alive Agent. */
function sharedDispatcher(): Agent {
  sharedAgent ??= new (undici().Agent)({
    keepAliveTimeout: 10_000,
    keepAliveMaxTimeout: 60_000,
    connect: { lookup: loopbackLookup },
  });
  return sharedAgent;
}

/** Percent-encodes each interpolated value: ids come from state and users. */
export function encodePath(strings: TemplateStringsArray, ...values: (string | number)[]): string {
  let out = strings[0] ?? "";
  values.forEach((v, i) => {
    out += encodeURIComponent(String(v)) + (strings[i + 1] ?? "");
  });
  return out;
}

/**
 * An undici `Dispatcher` (an `Agent`, a `MockAgent`, a `ProxyAgent`), named by the one method every
 * dispatcher has, so that these declarations name no undici type (see core/schema-type.ts).
 */
export interface Dispatcher {
  dispatch(...args: never[]): unknown;
}

export interface ClientOptions {
  /** Hosting API base, e.g. `https://api.agent37.com` (paths are under `/v1`). */
  apiUrl: string;
  apiKey: string;
  /** Per-attempt timeout. @default 60000 (ms) */
  attemptTimeoutMs?: number;
  /** Overall deadline of one call, retries included. @default 600000 (ms) */
  deadlineMs?: number;
  retryPolicy?: Partial<RetryPolicy>;
  dispatcher?: Dispatcher;
  random?: () => number;
}

export interface ApiCall<T> {
  method: "GET" | "POST" | "PATCH" | "DELETE";
  /** Path under the API base, already encoded (use `encodePath`). */
  path: string;
  body?: unknown;
  /** The schema of the answer's body. */
  schema: Schema<T>;
  /** Whether a repeat cannot cause a second effect; transport failures are retried only then. */
  idempotent: boolean;
  /** Set false to make exactly one attempt. @default true */
  retry?: boolean;
  attemptTimeoutMs?: number;
  deadlineMs?: number;
  signal?: AbortSignal;
}

/** The raw outcome of one request to an instance URL. */
export interface PlaneResponse {
  status: number;
  body: unknown;
  text: string;
}

const NO_RESPONSE_BEFORE_SEND = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "UND_ERR_CONNECT_TIMEOUT", "ENETUNREACH", "EHOSTUNREACH"]);

/** An answer's body: its JSON, the text itself when it is not JSON, null when empty. */
function parseBody(text: string): unknown {
  if (text.trim() === "") return null;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function transportCodeOf(err: unknown): string {
  let cur: unknown = err;
  for (let i = 0; i < 4 && cur !== null && typeof cur === "object"; i++) {
    const code = (cur as { code?: unknown }).code;
    if (typeof code === "string" && code !== "UND_ERR_ABORTED") return code;
    cur = (cur as { cause?: unknown }).cause;
  }
  return "UNKNOWN";
}

/** One request's deadline: its own timeout signal (which tells a timeout from the caller's abort), and that joined with the caller's. */
function deadlineOf(callerSignal: AbortSignal | undefined, timeoutMs: number): { timeout: AbortSignal; signal: AbortSignal } {
  const timeout = AbortSignal.timeout(timeoutMs);
  return { timeout, signal: callerSignal ? AbortSignal.any([callerSignal, timeout]) : timeout };
}

/** What a request that failed before an answer throws: an Agent37Error as it is, the caller's abort as its reason, a timeout, or a transport error (saying whether it may have been sent). */
function requestFailure(err: unknown, info: RequestInfo, callerSignal: AbortSignal | undefined, timeout: AbortSignal, timeoutMs: number): unknown {
  if (err instanceof Agent37Error) return err;
  if (callerSignal?.aborted) return callerSignal.reason ?? err;
  if (timeout.aborted) return new Agent37TimeoutError(info, timeoutMs);
  const code = transportCodeOf(err);
  return new Agent37TransportError(info, code, !NO_RESPONSE_BEFORE_SEND.has(code), err);
}

export class Agent37Client {
  readonly apiUrl: string;
  private readonly apiKey: string;
  private readonly attemptTimeoutMs: number;
  private readonly deadlineMs: number;
  private readonly policy: RetryPolicy;
  private readonly dispatcherOption: UndiciDispatcher | undefined;
  private readonly random: () => number;

  constructor(options: ClientOptions) {
    this.apiUrl = options.apiUrl.replace(/\/+$/, "");
    this.apiKey = options.apiKey;
    registerSecret(options.apiKey);
    this.attemptTimeoutMs = options.attemptTimeoutMs ?? 60_000;
    this.deadlineMs = options.deadlineMs ?? 600_000;
    this.policy = { ...DEFAULT_RETRY_POLICY, ...options.retryPolicy };
    this.dispatcherOption = options.dispatcher as UndiciDispatcher | undefined;
    this.random = options.random ?? Math.random;
  }

  /** Calls the hosting API with retries per the policy; resolves to the parsed body. */
  async call<T>(c: ApiCall<T>): Promise<T> {
    const url = `${this.apiUrl}${c.path}`;
    const info: RequestInfo = { method: c.method, url };
    const deadlineMs = c.deadlineMs ?? this.deadlineMs;
    const deadlineAt = Date.now() + deadlineMs;
    let attempt = 0;
    for (;;) {
      attempt++;
      c.signal?.throwIfAborted();
      try {
        const res = await this.send(info, {
          headers: { authorization: `Bearer ${this.apiKey}` },
          body: c.body,
          timeoutMs: Math.max(1, Math.min(c.attemptTimeoutMs ?? this.attemptTimeoutMs, deadlineAt - Date.now())),
          signal: c.signal,
        });
        if (res.status >= 200 && res.status < 300) {
          const parsed = c.schema.safeParse(res.body);
          if (!parsed.success) throw new Agent37SchemaError(info, parsed.error.issues);
          return parsed.data;
        }
        throw createApiError(res.status, res.body, info, parseRetryAfter(res.retryAfter));
      } catch (err) {
        // How many requests the call made, so a message can say whether it was retried.
        if (err instanceof Agent37Error) err.attempts = attempt;
        if (c.signal?.aborted) throw err;
        if (c.retry === false) throw err;
        const remainingMs = deadlineAt - Date.now();
        const decision = decideRetry({
          attempt,
          error: err,
          idempotent: c.idempotent,
          remainingMs,
          random: this.random(),
          policy: this.policy,
        });
        if (!decision.retry) {
          if (remainingMs <= 0 && err instanceof Agent37TransportError) {
            const deadline = new Agent37DeadlineError(`${info.method} ${info.url}`, deadlineMs, err);
            deadline.attempts = attempt;
            throw deadline;
          }
          throw err;
        }
        await sleep(decision.delayMs, c.signal);
      }
    }
  }

  /**
   * One request to an instance-plane URL (no retries: the caller polls). Sends the key both as
   * `X-Agent37-Key` (current edge) and `Authorization: Bearer` (2026-06 edge); the current edge
   * reads the former and strips the latter.
   */
  async plane(method: "GET", url: string, timeoutMs: number, signal?: AbortSignal): Promise<PlaneResponse> {
    const res = await this.send(
      { method, url },
      {
        headers: { "x-agent37-key": this.apiKey, authorization: `Bearer ${this.apiKey}` },
        body: undefined,
        timeoutMs,
        signal,
      },
    );
    return { status: res.status, body: res.body, text: res.text };
  }

  /** See `gatewayRequest`. */
  async gatewaySend(r: GatewayRequest): Promise<PlaneResponse> {
    const info: RequestInfo = { method: r.method, url: r.url };
    const { timeout, signal } = deadlineOf(r.signal, r.timeoutMs);
    try {
      const res = await undici().request(r.url, {
        method: r.method as UndiciDispatcher.HttpMethod,
        headers: { accept: "application/json", "x-agent37-key": this.apiKey, authorization: `Bearer ${this.apiKey}`, ...r.headers },
        body: (r.body?.() ?? null) as never,
        signal,
        dispatcher: this.dispatcherOption ?? sharedDispatcher(),
      });
      if (res.statusCode >= 200 && res.statusCode < 300 && r.sink !== undefined) {
        for await (const chunk of res.body) r.sink(chunk as Buffer);
        return { status: res.statusCode, body: null, text: "" };
      }
      const text = await res.body.text();
      return { status: res.statusCode, body: parseBody(text), text };
    } catch (err) {
      throw requestFailure(err, info, r.signal, timeout, r.timeoutMs);
    }
  }

  private async send(
    info: RequestInfo,
    opts: { headers: Record<string, string>; body: unknown; timeoutMs: number; signal: AbortSignal | undefined },
  ): Promise<{ status: number; body: unknown; text: string; retryAfter: string | undefined }> {
    const { timeout, signal } = deadlineOf(opts.signal, opts.timeoutMs);
    const headers: Record<string, string> = { accept: "application/json", ...opts.headers };
    let body: string | null = null;
    if (opts.body !== undefined) {
      headers["content-type"] = "application/json";
      body = JSON.stringify(opts.body);
    }
    try {
      const res = await undici().request(info.url, {
        method: info.method as UndiciDispatcher.HttpMethod,
        headers,
        body,
        signal,
        dispatcher: this.dispatcherOption ?? sharedDispatcher(),
      });
      const text = await res.body.text();
      const ra = res.headers["retry-after"];
      return { status: res.statusCode, body: parseBody(text), text, retryAfter: Array.isArray(ra) ? ra[0] : ra };
    } catch (err) {
      throw requestFailure(err, info, opts.signal, timeout, opts.timeoutMs);
    }
  }
}

/** One request to an instance's gateway (its Files API): a body made afresh per attempt, the answer streamed or parsed. */
export interface GatewayRequest {
  method: "GET" | "PUT" | "DELETE" | "POST" | "PATCH";
  url: string;
  headers?: Record<string, string>;
  /** The request's body, made afresh for each attempt (a stream cannot be sent twice). */
  body?: () => Buffer | NodeJS.ReadableStream;
  timeoutMs: number;
  signal?: AbortSignal;
  /** A 2xx answer's bytes go here, chunk by chunk, instead of being parsed (memory stays flat). */
  sink?: (chunk: Buffer) => void;
}

