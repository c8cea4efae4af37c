import type { IncomingMessage, ServerResponse } from "node:http";
import { StandInApp } from "./app";
import { GATEWAY_PORT, type TemplateDef } from "./catalog";
import { now } from "./clock";
import { edge, EmulatorError, gateway } from "./errors";
import type { RequestFacts } from "./faults";
import { filesRequest, filesRoute } from "./files";
import { gatewayPhase } from "./health";
import { json, parseJsonObject, readBody, type Reply } from "./http";
import { hex32 } from "./ids";
import type { InstanceRecord } from "./model";
import { templateOf, type Runtime, type SessionRecord } from "./runtime";
import { beginTraffic, holdWhileWaking, wake } from "./sleep";
import type { Workspace } from "./state";

/**
 * The instance plane: requests whose Host is `{label}.localhost`. The edge authenticates and routes
 * by host label; port 3737 of an agent template is the gateway (Agent API); the default port of a
 * workspace template is its stand-in app (emulator/app.ts); other listening ports answer a small
 * stub; ports where nothing listens answer the edge's transport error.
 */

export type PlaneTarget =
  | { kind: "instance"; id: string; rec: InstanceRecord | undefined; port: number | null }
  | { kind: "public"; id: string; rec: InstanceRecord; port: number }
  | { kind: "unknown"; id: undefined; rec: undefined; port: null };

/**
 * `abc.localhost:4737` -> `abc`; a custom-domain mirror `abc.acme.com.localhost` -> `abc.acme.com`;
 * undefined for any other host (the hosting API).
 */
export function instanceLabel(host: string | undefined): string | undefined {
  if (!host) return undefined;
  const hostname = host.replace(/:\d+$/, "").toLowerCase();
  const m = /^([a-z0-9-]+(?:\.[a-z0-9-]+)*)\.localhost\.?$/.exec(hostname);
  return m?.[1];
}

const UNKNOWN_TARGET: PlaneTarget = { kind: "unknown", id: undefined, rec: undefined, port: null };

/**
 * A mirror host `{label}.{domain}` serves what `{label}` serves, but only for the workspace that
 * holds the domain, and only once the domain is active; other labels answer like unknown hosts.
 */
function resolveMirror(rt: Runtime, host: string): PlaneTarget {
  const dot = host.indexOf(".");
  const domain = rt.store.domains.get(host.slice(dot + 1));
  if (!domain || domain.status !== "active") return UNKNOWN_TARGET;
  const target = resolveTarget(rt, host.slice(0, dot));
  return target.rec && target.rec.workspace === domain.workspace ? target : UNKNOWN_TARGET;
}

export function resolveTarget(rt: Runtime, label: string): PlaneTarget {
  if (label.includes(".")) return resolveMirror(rt, label);
  const direct = rt.store.instances.get(label);
  if (direct) return { kind: "instance", id: direct.id, rec: direct, port: null };
  for (const rec of rt.store.instances.values()) {
    if (rec.status === "deleted") continue;
    const pub = rec.publicPorts.find((p) => p.host === label);
    if (pub) return { kind: "public", id: rec.id, rec, port: pub.port };
    if (rt.opts.api === "2026-06") {
      const handle = rec.handles.find((h) => h.handle === label);
      if (handle) return { kind: "instance", id: rec.id, rec, port: handle.port };
    }
  }
  // Preview URLs `{id}-{port}` exist from the 2026-08 generation on; 2026-06 used opaque handles.
  const preview = /^([a-z0-9]{10})-(\d{1,5})$/.exec(label);
  if (preview && rt.opts.api === "2026-08") {
    const id = preview[1] ?? "";
    const port = Number(preview[2]);
    if (port >= 1 && port <= 65535) return { kind: "instance", id, rec: rt.store.instances.get(id), port };
  }
  return UNKNOWN_TARGET;
}

const DOCS_URL = "https://www.agent37.com/docs/agents-api/urls";

/**
 * Edge authentication. 2026-08: `X-Agent37-Key` wins when present (an
 * invalid one is a 401 with no fallback); otherwise `Authorization: Bearer sk_live_...` (deprecated
 * but accepted). 2026-06: only `Authorization: Bearer`.
 */
export function authenticateEdge(rt: Runtime, req: IncomingMessage): Workspace {
  let key: string | undefined;
  let header = "";
  const xKey = req.headers["x-agent37-key"];
  const authorization = req.headers.authorization;
  if (rt.opts.api === "2026-08" && typeof xKey === "string" && xKey !== "") {
    key = xKey.trim();
    header = "X-Agent37-Key";
  } else if (typeof authorization === "string") {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
    // The 2026-08 edge only treats `Bearer sk_live_...` as its credential; anything else passes through.
    if (m && (rt.opts.api === "2026-06" || m[1]?.startsWith("sk_live_"))) {
      key = m[1];
      header = "Authorization";
    }
  }
  if (key === undefined) {
    const how = rt.opts.api === "2026-08" ? "X-Agent37-Key: sk_live_..." : "Authorization: Bearer sk_live_...";
    throw edge.invalidApiKey(`No credential: send ${how}.`, DOCS_URL);
  }
  const ws = rt.store.workspaceForKey(key);
  if (!ws) throw edge.invalidApiKey(`The key in ${header} is not a valid API key.`);
  return ws;
}

/** The instance behind an authenticated request, or the edge's 404 (unknown, deleted, failed, foreign). */
function ownInstance(target: PlaneTarget, ws: Workspace): InstanceRecord {
  const rec = target.rec;
  if (!rec || rec.workspace !== ws.id || rec.status === "deleted" || rec.status === "failed") throw edge.notFound();
  return rec;
}

const STUB_SERVICES: Record<number, string> = {
  9119: "hermes-dashboard",
  6969: "mission-control",
  7681: "browser-shell",
  8080: "file-browser",
  8644: "hermes-webhooks",
  18789: "openclaw-control-ui",
};

function stub(rec: InstanceRecord, port: number, path: string): Reply {
  return json(200, { ok: true, service: STUB_SERVICES[port] ?? "service", instance: rec.id, port, path });
}

export async function handlePlane(rt: Runtime, req: IncomingMessage, target: PlaneTarget, path: string, query: URLSearchParams, facts: RequestFacts): Promise<Reply> {
  // The edge answers /health itself, without auth, on every instance-plane host.
  if (path === "/health") return json(200, { ok: true });

  if (target.kind === "public") {
    const rec = target.rec;
    await forward(rt, req, rec, "a public-port request");
    if (rec.status !== "running") throw edge.unavailable();
    return serve(rt, req, rec, target.port, path, query, facts);
  }
  const ws = authenticateEdge(rt, req);
  const rec = ownInstance(target, ws);
  await forward(rt, req, rec, "an instance-URL request");
  if (rec.status !== "running") throw edge.containerUnavailable();
  const tpl = templateOf(rt, rec);
  const port = target.port ?? tpl?.defaultPort ?? GATEWAY_PORT;
  return serve(rt, req, rec, port, path, query, facts);
}

/** The stand-in app inside an instance of a workspace template, if one listens. */
export function appOf(rt: Runtime, rec: InstanceRecord, tpl: TemplateDef | undefined = templateOf(rt, rec)): StandInApp | undefined {
  return StandInApp.of(rec, tpl, rt.apps, rt.opts.bootMs);
}

/** `start` is documented as the only wake path of a port-less sandbox: its URLs lead nowhere. */
function wakeByUrl(rt: Runtime, rec: InstanceRecord, t: number, why: string): void {
  const tpl = templateOf(rt, rec);
  if ((tpl?.listening.length ?? 0) > 0 || appOf(rt, rec, tpl) !== undefined) wake(rt, rec, t, why);
}

/**
 * A request the edge accepted for an instance: it counts as traffic (idle clock), wakes a
 * sleeping instance, and is held while a wake boots the container. Requests the edge refuses
 * (401, 404) and the edge's own `/health` never reach the instance, so they neither count nor wake.
 */
async function forward(rt: Runtime, req: IncomingMessage, rec: InstanceRecord, why: string): Promise<void> {
  const t = now();
  wakeByUrl(rt, rec, t, why);
  if (rec.status !== "running") return;
  beginTraffic(rt, req, rec, t);
  await holdWhileWaking(rt, rec, t);
}

async function serve(rt: Runtime, req: IncomingMessage, rec: InstanceRecord, port: number, path: string, query: URLSearchParams, facts: RequestFacts): Promise<Reply> {
  const tpl = templateOf(rt, rec);
  const app = appOf(rt, rec, tpl);
  if (app?.port === port) return app.serve(req, path, now());
  if (!tpl || !tpl.listening.includes(port)) throw edge.containerUnreachable();
  if (port === GATEWAY_PORT && tpl.agents.length > 0) return gatewayRequest(rt, req, rec, tpl, path, query, facts);
  return stub(rec, port, path);
}

const AGENTS = new Set(["hermes", "openclaw"]);

function agentParam(tpl: TemplateDef, value: string | null | undefined): string {
  if (value === null || value === undefined || value === "") return tpl.agents[0] ?? "hermes";
  if (!AGENTS.has(value)) throw gateway.validation(`agent must be one of: hermes, openclaw.`, "agent");
  return value;
}

/** The gateway inside the instance. */
async function gatewayRequest(rt: Runtime, req: IncomingMessage, rec: InstanceRecord, tpl: TemplateDef, path: string, query: URLSearchParams, facts: RequestFacts): Promise<Reply> {
  const t = now();
  const phase = gatewayPhase(rt, rec, tpl, t);
  // First half of the boot: the container runs but nothing listens on 3737 yet.
  if (phase === "starting" || phase === "down" || phase === "none") throw edge.containerUnreachable();
  const method = (req.method ?? "GET").toUpperCase();

  if (method === "GET" && path === "/v1/health") {
    const agent = agentParam(tpl, query.get("agent"));
    let healthy = phase === "ready" && tpl.agents.includes(agent);
    if (rt.faults.holdsUnhealthy(facts)) {
      healthy = false;
      rec.unhealthyUntil = t;
    }
    return json(200, { ok: true, agent, healthy, ...(agent === "hermes" ? { hermes: healthy } : {}) });
  }
  if (method === "GET" && path === "/v1/version") return json(200, { name: "agent37-gateway", version: "0.5.5" });
  if (method === "GET" && path === "/v1/models") {
    const agent = agentParam(tpl, query.get("agent"));
    return json(200, {
      object: "list",
      agent,
      default_model: "echo-1",
      default_provider: "emulator",
      data: [{ id: "echo-1", object: "model", created: 0, owned_by: "emulator", label: "Echo (emulator)", source: "current", is_default: true }],
    });
  }
  if (method === "POST" && path === "/v1/responses") return responses(rt, req, rec, tpl, phase);
  const files = filesRoute(method, path);
  if (files) return filesRequest(rt, req, rec, files, query);
  if (method === "GET" && path === "/v1/sessions") {
    const sessions = [...(rt.sessions.get(rec.id)?.values() ?? [])].sort((a, b) => b.activity - a.activity);
    return json(200, {
      agent: tpl.agents[0],
      data: sessions.map((s) => ({ id: s.id, title: null, model: "echo-1", message_count: s.history.length, started_at: s.startedAt, last_active: s.lastActive, preview: s.history[0]?.content ?? "" })),
    });
  }
  const session = /^\/v1\/sessions\/([^/]+)$/.exec(path);
  if (method === "GET" && session) {
    const id = session[1] ?? "";
    const s = rt.sessions.get(rec.id)?.get(id);
    return json(200, { id, agent: tpl.agents[0], active_response_id: null, history: s?.history ?? [] });
  }
  throw gateway.notFound(`No route for ${method} ${path}.`);
}

let activityCounter = 0;

function tokens(text: string): number {
  return text.split(/\s+/).filter(Boolean).length;
}

/**
 * `POST /v1/responses` with a deterministic echo agent: the answer is `Echo: <input>`. An input
 * starting with `/fail` makes the turn fail (status `failed` / a `response.failed` event), so
 * clients can exercise both endings.
 */
async function responses(rt: Runtime, req: IncomingMessage, rec: InstanceRecord, tpl: TemplateDef, phase: string): Promise<Reply> {
  const body = parseJsonObject(await readBody(req), (m) => gateway.validation(m));
  const input = body["input"];
  if (typeof input !== "string" || input === "") throw gateway.validation("input is required and must be a non-empty string.", "input");
  if (body["mode"] !== undefined && body["mode"] !== "chat") throw gateway.validation('mode must be "chat".', "mode");
  if (body["session_id"] !== undefined && typeof body["session_id"] !== "string") throw gateway.validation("session_id must be a string.", "session_id");
  if (body["stream"] !== undefined && typeof body["stream"] !== "boolean") throw gateway.validation("stream must be a boolean.", "stream");
  const agent = agentParam(tpl, typeof body["agent"] === "string" ? body["agent"] : undefined);
  if (!tpl.agents.includes(agent)) throw gateway.agentUnavailable(`Agent ${agent} is not provisioned on this instance.`);
  if (phase !== "ready") throw gateway.agentUnavailable(`Agent ${agent} is still starting.`);

  const sessionId = (body["session_id"] as string | undefined) ?? hex32();
  const id = hex32();
  const created = Date.now();
  const failed = input.startsWith("/fail");
  const outputText = failed ? "" : `Echo: ${input}`;
  const usage = { input_tokens: tokens(input), output_tokens: tokens(outputText), cost_usd: 0 };
  const error = failed ? { code: "agent_error", message: "The echo agent was asked to fail." } : null;

  let sessions = rt.sessions.get(rec.id);
  if (!sessions) rt.sessions.set(rec.id, (sessions = new Map()));
  let session: SessionRecord | undefined = sessions.get(sessionId);
  if (!session) sessions.set(sessionId, (session = { id: sessionId, startedAt: created, lastActive: created, activity: 0, history: [] }));
  session.lastActive = created;
  session.activity = ++activityCounter;
  session.history.push({ id: hex32(), session_id: sessionId, role: "user", content: input, created_at: created });
  if (!failed) session.history.push({ id: hex32(), session_id: sessionId, role: "assistant", content: outputText, created_at: Date.now() });

  const object = {
    id,
    session_id: sessionId,
    status: failed ? "failed" : "completed",
    agent,
    model: null,
    provider: null,
    output_text: outputText,
    usage: failed ? null : usage,
    error,
    metadata: (body["metadata"] as unknown) ?? null,
    created,
  };
  if (body["stream"] !== true) return json(200, object);

  return {
    status: 200,
    headers: { "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-cache" },
    stream: async (res: ServerResponse) => {
      const send = (event: string, data: unknown): void => {
        res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
      };
      send("response.created", { id, session_id: sessionId });
      if (failed) {
        send("response.failed", { error });
      } else {
        for (const piece of outputText.match(/\S+\s*/g) ?? []) send("response.output_text.delta", { text: piece });
        send("response.completed", { output_text: outputText, usage });
      }
      res.end();
      await Promise.resolve();
    },
  };
}

/** WebSocket upgrades: authenticated like any request, then refused (nothing in the emulator accepts them). */
export function refuseUpgrade(rt: Runtime, req: IncomingMessage, target: PlaneTarget): EmulatorError {
  try {
    if (target.kind !== "public") {
      const ws = authenticateEdge(rt, req);
      const rec = ownInstance(target, ws);
      wakeByUrl(rt, rec, now(), "a WebSocket upgrade");
      if (rec.status !== "running") return edge.containerUnavailable();
    } else {
      wakeByUrl(rt, target.rec, now(), "a WebSocket upgrade");
    }
    return new EmulatorError(502, "container_unreachable", "WebSocket upgrades are not emulated: nothing behind the emulator's edge accepts them.", { form: "flat" });
  } catch (err) {
    if (err instanceof EmulatorError) return err;
    throw err;
  }
}
