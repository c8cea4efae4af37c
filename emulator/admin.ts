import type { IncomingMessage } from "node:http";
import { AppBehaviour } from "./app";
import { EmulatorError } from "./errors";
import { FaultPlan } from "./faults";
import { healthyAt } from "./health";
import { json, parseJsonObject, readBody, type Reply } from "./http";
import { now } from "./clock";
import { isLoopbackHost } from "./options";
import { renderInstance } from "./present";
import { appOf } from "./plane";
import { seedWorkspaceTemplates, templateOf, type Runtime } from "./runtime";
import { issuesMessage } from "./hosting/validate";
import type { AdminAppList, AdminInstance, AdminInstanceList } from "./types";

export type { AdminAppList, AdminInstance, AdminInstanceList } from "./types";

/**
 * The admin surface under `/_emulator/` (docs/contracts.md): faults, request counters, every
 * instance of every workspace, reset. Unauthenticated, so it answers loopback clients only.
 */
export async function handleAdmin(rt: Runtime, req: IncomingMessage, path: string): Promise<Reply> {
  const remote = req.socket.remoteAddress ?? "";
  if (!isLoopbackHost(remote)) throw new EmulatorError(403, "forbidden", "The emulator's admin surface answers loopback clients only.");
  const method = (req.method ?? "GET").toUpperCase();
  refuseBrowserRequest(req);
  const invalid = (m: string): EmulatorError => new EmulatorError(400, "invalid_request", m);

  const hold = /^\/_emulator\/domains\/([^/]+)\/hold$/.exec(path);
  if (hold && (method === "POST" || method === "DELETE")) return holdDomain(rt, decodeURIComponent(hold[1] ?? ""), method === "POST");
  const app = /^\/_emulator\/apps\/([^/@]+)(?:@(\d+))?$/.exec(path);
  if (app && method === "DELETE") return removeApp(rt, decodeURIComponent(app[1] ?? ""), app[2] === undefined ? undefined : Number(app[2]));
  const fail = /^\/_emulator\/instances\/([^/]+)\/fail$/.exec(path);
  if (method === "POST" && fail !== null) return failInstance(rt, decodeURIComponent(fail[1] ?? ""), parseJsonObject(await readBody(req), invalid));

  switch (`${method} ${path}`) {
    case "POST /_emulator/faults": {
      const parsed = FaultPlan.safeParse(parseJsonObject(await readBody(req), invalid));
      if (!parsed.success) throw invalid(`Invalid fault plan: ${issuesMessage(parsed.error.issues)}.`);
      rt.faults.set(parsed.data);
      return json(200, { faults: rt.faults.plan() });
    }
    case "GET /_emulator/faults":
      return json(200, { faults: rt.faults.plan() });
    case "DELETE /_emulator/faults":
      rt.faults.clear();
      return json(200, { faults: [] });
    case "GET /_emulator/requests":
      return json(200, rt.requests.snapshot());
    case "DELETE /_emulator/requests":
      rt.requests.clear();
      return json(200, { cleared: true });
    case "GET /_emulator/instances": {
      const t = now();
      const data = rt.store.allInstances().map((rec): AdminInstance => {
        const tpl = templateOf(rt, rec);
        const app = appOf(rt, rec, tpl)?.times(t) ?? null;
        return { ...renderInstance(rt.view, rec, tpl), id: rec.id, workspace: rec.workspace, status: rec.status, healthyAt: healthyAt(rt, rec, tpl, t), metadata: rec.metadata, app };
      });
      const list: AdminInstanceList = { data };
      return json(200, list);
    }
    case "GET /_emulator/apps":
      return appList(rt);
    case "POST /_emulator/apps": {
      const parsed = AppBehaviour.safeParse(parseJsonObject(await readBody(req), invalid));
      if (!parsed.success) throw invalid(`Invalid app: ${issuesMessage(parsed.error.issues)}.`);
      rt.apps.set(parsed.data);
      return appList(rt);
    }
    case "DELETE /_emulator/apps":
      rt.apps.clear();
      return appList(rt);
    case "POST /_emulator/reset":
      reset(rt);
      return json(200, { reset: true });
    default:
      throw new EmulatorError(404, "not_found", `No admin route ${method} ${path}.`);
  }
}

/**
 * Holds a custom domain pending (its NS records never show up) or releases it: tests of clients
 * that wait for verification need a domain that stays pending. Releasing does not activate it;
 * the next verify does.
 */
function holdDomain(rt: Runtime, name: string, held: boolean): Reply {
  const rec = rt.store.domains.get(name.toLowerCase());
  if (!rec) throw new EmulatorError(404, "not_found", `No domain ${name} in any workspace.`);
  rec.held = held;
  rt.store.changed();
  return json(200, { domain: rec.domain, status: rec.status, held });
}

function removeApp(rt: Runtime, template: string, revision: number | undefined): Reply {
  if (!rt.apps.remove(template, revision)) throw new EmulatorError(404, "not_found", `No app entry for ${template}${revision === undefined ? "" : `@${revision}`}.`);
  return appList(rt);
}

function appList(rt: Runtime): Reply {
  const list: AdminAppList = { apps: rt.apps.list() };
  return json(200, list);
}

/**
 * Turns an instance `failed` as the platform would after a failed operation (the drift a test
 * needs: nothing in the API makes an instance fail on purpose). Any transition in flight is
 * superseded; the container is gone, so its gateway no longer answers.
 */
function failInstance(rt: Runtime, id: string, body: Record<string, unknown>): Reply {
  const rec = rt.store.instances.get(id);
  if (!rec || rec.status === "deleted" || rec.status === "deleting") throw new EmulatorError(404, "not_found", `No live instance ${id}.`);
  rec.op += 1;
  rt.inflight.delete(rec.id);
  rec.status = "failed";
  rec.bootFrom = null;
  rec.statusReason = {
    code: typeof body["code"] === "string" ? body["code"] : "provisioning_failed",
    message: typeof body["message"] === "string" ? body["message"] : "The container exited and could not be restarted.",
    operation: typeof body["operation"] === "string" ? body["operation"] : "restart",
    at: Math.floor(now() / 1000),
  };
  rt.store.changed();
  return json(200, { id: rec.id, status: rec.status });
}

/**
 * The admin surface has no key, so a web page must not be able to drive it. Browsers send
 * `Origin` on cross-origin requests (and on every POST); the only origin allowed is the
 * emulator's own (`http://` + the request's Host). Requiring JSON bodies forces a browser's
 * CORS preflight, which the emulator never grants: a form or a text/plain `fetch` cannot pass.
 * A request without a body and without Content-Type (`curl -X POST .../reset`) passes.
 */
function refuseBrowserRequest(req: IncomingMessage): void {
  const origin = req.headers.origin;
  if (origin !== undefined && origin.toLowerCase() !== `http://${(req.headers.host ?? "").toLowerCase()}`) {
    throw new EmulatorError(403, "forbidden", "The emulator's admin surface refuses requests from another origin (a web page); only its own origin or no Origin header is accepted.");
  }
  const type = req.headers["content-type"];
  const hasBody = (req.headers["content-length"] !== undefined && req.headers["content-length"] !== "0") || req.headers["transfer-encoding"] !== undefined;
  if (type === undefined ? hasBody : !/^application\/json\s*(;|$)/i.test(type)) {
    throw new EmulatorError(415, "unsupported_media_type", "The emulator's admin surface takes JSON bodies only: send Content-Type: application/json.");
  }
}

export function reset(rt: Runtime): void {
  // Superseding every pending transition keeps a late timer from touching a cleared store.
  for (const rec of rt.store.instances.values()) rec.op += 1;
  rt.inflight.clear();
  rt.store.reset();
  seedWorkspaceTemplates(rt);
  rt.apps.reset();
  rt.faults.clear();
  rt.requests.clear();
  rt.sessions.clear();
  rt.exec.reset();
}
