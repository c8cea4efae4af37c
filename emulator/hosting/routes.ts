import type { ApiHandler } from "./context";
import { budgetGet, budgetPatch, budgetTopUp, usageGet } from "./budget";
import { domainCreate, domainDelete, domainGet, domainList, domainVerify } from "./domains";
import { execInstance } from "./exec-route";
import { createInstance, deleteInstance, getInstance, listInstances, patchInstance } from "./instances";
import { restartInstance, resizeInstance, startInstance, stopInstance, updateInstance } from "./lifecycle";
import { logsGet, metricsGet } from "./logs";
import { publicPortCreate, publicPortDelete, publicPortList } from "./public-ports";
import { sshKeyCreate, sshKeyDelete, sshKeyList } from "./ssh-keys";
import { buildCreate, buildGet, buildLogs, buildStart } from "./template-builds";
import { templateCreate, templateDelete, templateGet, templateList, templatePatch } from "./templates";

interface Route {
  method: string;
  pattern: string;
  segments: string[];
  handler: ApiHandler;
}

function route(method: string, pattern: string, handler: ApiHandler): Route {
  return { method, pattern, segments: pattern.split("/").filter(Boolean), handler };
}

/** The hosting API, by method and path pattern. */
const ROUTES: Route[] = [
  route("POST", "/v1/instances", createInstance),
  route("GET", "/v1/instances", listInstances),
  route("GET", "/v1/instances/:id", getInstance),
  route("PATCH", "/v1/instances/:id", patchInstance),
  route("DELETE", "/v1/instances/:id", deleteInstance),
  route("POST", "/v1/instances/:id/stop", stopInstance),
  route("POST", "/v1/instances/:id/start", startInstance),
  route("POST", "/v1/instances/:id/restart", restartInstance),
  route("POST", "/v1/instances/:id/update", updateInstance),
  route("POST", "/v1/instances/:id/resize", resizeInstance),
  route("POST", "/v1/instances/:id/exec", execInstance),
  route("GET", "/v1/instances/:id/logs", logsGet),
  route("GET", "/v1/instances/:id/metrics", metricsGet),
  route("POST", "/v1/instances/:id/public-ports", publicPortCreate),
  route("GET", "/v1/instances/:id/public-ports", publicPortList),
  route("DELETE", "/v1/instances/:id/public-ports/:port", publicPortDelete),
  route("GET", "/v1/instances/:id/budget", budgetGet),
  route("PATCH", "/v1/instances/:id/budget", budgetPatch),
  route("POST", "/v1/instances/:id/budget/top-up", budgetTopUp),
  route("GET", "/v1/instances/:id/usage", usageGet),
  route("GET", "/v1/templates", templateList),
  route("GET", "/v1/templates/:name", templateGet),
  route("POST", "/v1/domains", domainCreate),
  route("GET", "/v1/domains", domainList),
  route("GET", "/v1/domains/:domain", domainGet),
  route("POST", "/v1/domains/:domain/verify", domainVerify),
  route("DELETE", "/v1/domains/:domain", domainDelete),
  route("POST", "/v1/ssh-keys", sshKeyCreate),
  route("GET", "/v1/ssh-keys", sshKeyList),
  route("DELETE", "/v1/ssh-keys/:id", sshKeyDelete),
  route("POST", "/v1/templates", templateCreate),
  route("PATCH", "/v1/templates/:name", templatePatch),
  route("DELETE", "/v1/templates/:name", templateDelete),
  route("POST", "/v1/template-builds", buildCreate),
  route("POST", "/v1/template-builds/:id/start", buildStart),
  route("GET", "/v1/template-builds/:id", buildGet),
  route("GET", "/v1/template-builds/:id/logs", buildLogs),
];

export interface RouteMatch {
  /** Counter name, e.g. `POST /v1/instances/:id/stop`. */
  route: string;
  handler: ApiHandler | undefined;
  params: Record<string, string>;
}

export function matchRoute(method: string, path: string): RouteMatch {
  const segs = path.split("/").filter(Boolean);
  for (const r of ROUTES) {
    if (r.method !== method || r.segments.length !== segs.length) continue;
    const params: Record<string, string> = {};
    let ok = true;
    for (let i = 0; i < segs.length && ok; i++) {
      const want = r.segments[i] ?? "";
      const got = segs[i] ?? "";
      if (want.startsWith(":")) {
        try {
          params[want.slice(1)] = decodeURIComponent(got);
        } catch {
          params[want.slice(1)] = got;
        }
      } else ok = want === got;
    }
    if (ok) return { route: `${r.method} ${r.pattern}`, handler: r.handler, params };
  }
  return { route: `${method} ${path}`, handler: undefined, params: {} };
}
