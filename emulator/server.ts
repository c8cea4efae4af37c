import * as http from "node:http";
import type { Duplex } from "node:stream";
import { handleAdmin } from "./admin";
import { now, sleep } from "./clock";
import { envelopeBody, EmulatorError, flatBody, api } from "./errors";
import type { FaultRule, RequestFacts } from "./faults";
import { refuseHost } from "./guard";
import { json, parseJsonObject, readBody, writeReply, type Reply } from "./http";
import type { ApiContext } from "./hosting/context";
import { matchRoute } from "./hosting/routes";
import { handlePlane, instanceLabel, refuseUpgrade, resolveTarget } from "./plane";
import type { Runtime } from "./runtime";
import { endTraffic, settleAll } from "./sleep";
import { settleBuilds } from "./builds";
import { handleUpload, isUploadPath } from "./uploads";

type Plane = "api" | "instance";

function errorReply(err: EmulatorError, plane: Plane): Reply {
  const form = err.extra.form ?? (plane === "api" ? "envelope" : "flat");
  const body = form === "flat" ? flatBody(err) : envelopeBody(err);
  return json(err.status, body, err.extra.headers);
}

const API_FAULT_CODES: Record<number, string> = {
  400: "invalid_request",
  401: "invalid_api_key",
  402: "insufficient_balance",
  403: "forbidden",
  404: "not_found",
  409: "try_again",
  429: "rate_limited",
  500: "internal_error",
  502: "provisioning_failed",
  503: "no_capacity",
  504: "upstream_timeout",
};
const EDGE_FAULT_CODES: Record<number, string> = { ...API_FAULT_CODES, 402: "instance_suspended", 502: "container_unreachable", 503: "instance_saturated" };

function faultReply(rule: FaultRule, plane: Plane): Reply {
  // A fault that comes after the server acted defaults to an edge timeout: the default 503 of
  // `status` would say `no_capacity` ("nothing was provisioned"), which would be a lie here.
  const status = rule.status ?? (rule.kind === "status-after" ? 504 : 503);
  const code = rule.code ?? (plane === "api" ? API_FAULT_CODES : EDGE_FAULT_CODES)[status] ?? "internal_error";
  const headers: Record<string, string> = {};
  if (rule.retryAfterSeconds !== undefined) headers["retry-after"] = String(rule.retryAfterSeconds);
  const err = new EmulatorError(status, code, rule.message ?? `Injected fault: ${status} ${code}.`, { form: plane === "api" ? "envelope" : "flat", headers });
  return errorReply(err, plane);
}

function garbled(reply: Reply, how: "truncate" | "html" | "iso-created"): Reply {
  const text = JSON.stringify(reply.body ?? {});
  if (how === "html") return { ...reply, raw: "<html><body><h1>Bad Gateway</h1></body></html>", headers: { ...reply.headers, "content-type": "text/html" } };
  if (how === "iso-created") {
    const body = { ...(reply.body as Record<string, unknown>) };
    body["created"] = new Date(now()).toISOString();
    return { ...reply, body };
  }
  return { ...reply, raw: text.slice(0, Math.max(1, Math.floor(text.length / 2))) };
}

/**
 * `reset-mid-body`: the handler gets at most `after` bytes of the request's body (all of it when
 * it is shorter, but never its end), then the connection drops: a body cut off on the way.
 */
function cutBodyAfter(req: http.IncomingMessage, after: number): void {
  const whole = req[Symbol.asyncIterator].bind(req);
  async function* cut(): AsyncGenerator<Buffer> {
    const it = whole();
    let seen = 0;
    try {
      for (;;) {
        const next = await it.next();
        if (next.done === true) break;
        const chunk = next.value as Buffer;
        const room = after - seen;
        if (chunk.length >= room) {
          if (room > 0) yield chunk.subarray(0, room);
          break;
        }
        seen += chunk.length;
        yield chunk;
      }
    } finally {
      await it.return?.();
    }
    req.socket.destroy();
    throw new Error("the connection dropped in the middle of the request's body");
  }
  Object.defineProperty(req, Symbol.asyncIterator, { value: cut, configurable: true });
}

function bearerKey(req: http.IncomingMessage): string | undefined {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? "");
  return m?.[1];
}

/** The hosting API: 401 before anything else on `/v1` (even an unknown path), then the route. */
async function handleApi(rt: Runtime, req: http.IncomingMessage, url: URL, match: ReturnType<typeof matchRoute>): Promise<Reply> {
  if (url.pathname !== "/v1" && !url.pathname.startsWith("/v1/")) throw api.notFound(`No route ${req.method ?? "GET"} ${url.pathname}.`);
  const key = bearerKey(req);
  if (key === undefined) throw api.invalidApiKey("Missing API key: send Authorization: Bearer sk_live_...");
  const ws = rt.store.workspaceForKey(key);
  if (!ws) throw api.invalidApiKey("The API key is malformed, revoked or unknown.");
  if (!match.handler) throw api.notFound(`No route ${req.method ?? "GET"} ${url.pathname}.`);
  let body: Promise<Record<string, unknown>> | undefined;
  const ctx: ApiContext = {
    rt,
    ws,
    req,
    params: match.params,
    query: url.searchParams,
    body: () => (body ??= readBody(req).then((raw) => parseJsonObject(raw, (m) => api.invalidRequest(`Invalid request: ${m}`)))),
  };
  return match.handler(ctx);
}

async function guarded(rt: Runtime, plane: Plane, run: () => Promise<Reply>): Promise<Reply> {
  try {
    return await run();
  } catch (err) {
    if (err instanceof EmulatorError) return errorReply(err, plane);
    if (rt.signal.aborted) throw err;
    if (!rt.opts.quiet) console.error("agent37-emulator: internal error:", err);
    return errorReply(new EmulatorError(500, "internal_error", "The emulator failed to handle this request."), plane);
  }
}

async function onRequest(rt: Runtime, req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
  const at = now();
  const method = (req.method ?? "GET").toUpperCase();
  const url = new URL(req.url ?? "/", "http://emulator.invalid");
  const path = url.pathname;
  const label = instanceLabel(req.headers.host);
  // Auto-sleep is derived from timestamps: settle it before anyone (API, edge, admin) looks.
  settleAll(rt, at);
  settleBuilds(rt, at);

  const admin = label === undefined && path.startsWith("/_emulator/");
  const refused = refuseHost(rt.loopback, req, admin);
  if (refused) {
    await writeReply(res, errorReply(refused, "api"));
    rt.requests.report({ at, method, path, plane: "api", status: refused.status });
    return;
  }
  if (admin) {
    const reply = await guarded(rt, "api", () => handleAdmin(rt, req, path));
    await writeReply(res, reply);
    rt.requests.report({ at, method, path, plane: "api", status: reply.status });
    return;
  }

  const plane: Plane = label === undefined ? "api" : "instance";
  const target = label === undefined ? undefined : resolveTarget(rt, label);
  // A build's presigned upload URL: outside `/v1`, authorized by its signature.
  const upload = label === undefined && isUploadPath(path);
  const match = label === undefined && !upload ? matchRoute(method, path) : undefined;
  // Only instance routes name an instance: a build's or an SSH key's `:id` is not one.
  const instanceId = target ? target.id : match?.route.includes(" /v1/instances/:id") ? match.params["id"] : undefined;
  const route = match ? match.route : upload ? `${method} /_uploads/:id` : `${method} instance:${path}`;
  const facts: RequestFacts = { method, path, plane, instanceId };
  const entry = rt.requests.begin({ at, method, path, route, plane, ...(instanceId !== undefined ? { instanceId } : {}) });
  const decision = rt.faults.decide(facts);
  const rule = decision.rule;
  try {
    if (decision.delayMs > 0) {
      entry.delayedMs = decision.delayMs;
      await sleep(decision.delayMs, rt.signal);
    }
    if (rule?.kind === "reset-before") {
      req.socket.destroy();
      rt.requests.finish(entry, 0, rule.kind);
      return;
    }
    if (rule?.kind === "reset-mid-body") cutBodyAfter(req, rule.afterBytes ?? 1);
    let reply: Reply;
    if (rule?.kind === "status") reply = faultReply(rule, plane);
    else if (target) reply = await guarded(rt, plane, () => handlePlane(rt, req, target, path, url.searchParams, facts));
    else if (upload) reply = await guarded(rt, plane, () => handleUpload(rt, req, url));
    else reply = await guarded(rt, plane, () => handleApi(rt, req, url, match ?? matchRoute(method, path)));
    // A create's log entry names the instance it made, so tests can tie a lost answer to its instance.
    const made = (reply.body as { id?: unknown } | undefined)?.id;
    if (match?.route === "POST /v1/instances" && reply.status === 201 && typeof made === "string") entry.instanceId = made;
    if (plane === "api" && rt.opts.latencyMs > 0) await sleep(rt.opts.latencyMs, rt.signal);
    // A handler that answered before reading the body (a refusal) loses its answer too: the
    // connection drops either way.
    if (rule?.kind === "reset-after" || rule?.kind === "reset-mid-body") {
      // The server acted (or saw a body cut off); the client never learns the outcome (the ambiguous case).
      reply.discard?.();
      req.socket.destroy();
      rt.requests.finish(entry, 0, rule.kind);
      return;
    }
    // The server acted, then an edge in front of it timed out or failed: the client gets an
    // error status for a request that took effect (the other ambiguous case).
    if (rule?.kind === "status-after") {
      reply.discard?.();
      reply = faultReply(rule, plane);
    }
    // The server acted and answered its status, but the body arrived spoiled (a truncated
    // answer, an HTML page from a proxy, a field in another format).
    if (rule?.kind === "garble-after") reply = garbled(reply, rule.garble ?? "truncate");
    await writeReply(res, reply);
    rt.requests.finish(entry, reply.status, rule?.kind ?? (decision.delayMs > 0 ? "delay" : undefined));
  } catch {
    // Only reached when the emulator is closing under a pending request.
    req.socket.destroy();
    rt.requests.finish(entry, 0);
  } finally {
    endTraffic(rt, req, now());
  }
}

function onUpgrade(rt: Runtime, req: http.IncomingMessage, socket: Duplex): void {
  const at = now();
  const method = (req.method ?? "GET").toUpperCase();
  const path = new URL(req.url ?? "/", "http://emulator.invalid").pathname;
  const label = instanceLabel(req.headers.host);
  settleAll(rt, at);
  const target = label === undefined ? undefined : resolveTarget(rt, label);
  const plane: Plane = target ? "instance" : "api";
  const route = target ? `${method} instance:${path}` : `${method} ${path}`;
  const entry = rt.requests.begin({ at, method, path, route, plane, ...(target?.id !== undefined ? { instanceId: target.id } : {}) });
  const err = target ? refuseUpgrade(rt, req, target) : api.invalidRequest("Invalid request: the hosting API does not accept WebSocket upgrades.");
  const reply = errorReply(err, plane);
  const payload = JSON.stringify(reply.body);
  const headers = { "content-type": "application/json; charset=utf-8", "content-length": String(Buffer.byteLength(payload)), connection: "close", ...reply.headers };
  const head = [`HTTP/1.1 ${reply.status} ${http.STATUS_CODES[reply.status] ?? ""}`, ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`)].join("\r\n");
  socket.end(`${head}\r\n\r\n${payload}`);
  rt.requests.finish(entry, reply.status);
}

export function createEmulatorServer(rt: Runtime): http.Server {
  // Node bounds the time until a request has fully arrived (headers and body: 408, then the
  // connection is closed); the answer itself (a long exec, an SSE stream) is not bounded by it.
  // Its sweep runs every `connectionsCheckingInterval` (30 s by default): short enough here that
  // a slow client is cut close to the limit.
  const requestTimeout = rt.opts.requestTimeoutMs;
  const server = http.createServer(
    {
      keepAlive: true,
      requestTimeout,
      headersTimeout: Math.min(60_000, requestTimeout),
      connectionsCheckingInterval: Math.max(10, Math.min(1_000, Math.floor(requestTimeout / 4))),
    },
    (req, res) => {
      onRequest(rt, req, res).catch(() => req.socket.destroy());
    },
  );
  server.on("upgrade", (req: http.IncomingMessage, socket: Duplex) => onUpgrade(rt, req, socket));
  server.keepAliveTimeout = 5_000;
  return server;
}
