import type { IncomingMessage, ServerResponse } from "node:http";
import { z } from "zod";
import type { Assert, Same } from "../provider/core/schema-type";
import type { TemplateDef } from "./catalog";
import { edge } from "./errors";
import type { Reply } from "./http";
import type { InstanceRecord } from "./model";
import type * as Plain from "./types";
import type { AppTimes } from "./types";

export type { AppTimes } from "./types";

/**
 * The stand-in for the user's own image inside an instance of a workspace template: a small web
 * app on the template's `default_port`. It serves a page at `/`, a readiness endpoint, and 404
 * for anything else (no gateway endpoints: a workspace template carries no agents). Its boot is
 * computed from the container's (re)start time, like the gateway's (no timers):
 * - until `listenAfterMs`: nothing listens, so the edge answers `502 container_unreachable`;
 * - until `readyAfterMs`: `/` answers the page, the readiness path `503` from the app itself;
 * - from then on: the readiness path answers `readyStatus`.
 * `neverReady` keeps it in the first phase forever; `status` makes it answer every request with
 * that status once it listens.
 */

const RESERVED_NAME = /^agent37-/;
const TEMPLATE_NAME = /^[a-z][a-z0-9-]{1,62}$/;

const ms = (what: string) => z.number({ error: `${what} must be a number of milliseconds` }).min(0, `${what} must be >= 0`);
const httpStatus = (what: string) => z.number({ error: `${what} must be an HTTP status` }).int(`${what} must be an HTTP status`).min(200, `${what} must be 200..599`).max(599, `${what} must be 200..599`);

export const AppBehaviour = z
  .object({
    template: z
      .string({ error: "template must be a template name" })
      .regex(TEMPLATE_NAME, "template must be a template name (lowercase letters, digits and hyphens)")
      .refine((n) => !RESERVED_NAME.test(n), "template must be a workspace template: system templates run the gateway (hold its health down with an `unhealthy` fault)"),
    revision: z.number({ error: "revision must be a positive integer" }).int("revision must be a positive integer").min(1, "revision must be a positive integer").optional(),
    port: z.number({ error: "port must be 1..65535" }).int("port must be 1..65535").min(1, "port must be 1..65535").max(65535, "port must be 1..65535").optional(),
    listenAfterMs: ms("listenAfterMs").optional(),
    readyAfterMs: ms("readyAfterMs").optional(),
    readyPath: z.string({ error: "readyPath must be a path" }).startsWith("/", "readyPath must start with /").optional(),
    readyStatus: httpStatus("readyStatus").optional(),
    neverReady: z.boolean({ error: "neverReady must be a boolean" }).optional(),
    status: httpStatus("status").optional(),
  })
  .strict();

export type AppBehaviour = Plain.AppBehaviour;
type _PlainAppBehaviour = Assert<Same<z.output<typeof AppBehaviour>, Plain.AppBehaviour>>;

/** Where an instance's stand-in app is in its boot. */
export type AppPhase = "down" | "starting" | "listening" | "ready";

const DEFAULT_READY_PATH = "/ready";
const DEFAULT_READY_STATUS = 204;

function sameEntry(a: AppBehaviour, b: AppBehaviour): boolean {
  return a.template === b.template && a.revision === b.revision;
}

/** The app behaviours in effect: the options' entries, changed by the admin surface. */
export class AppRegistry {
  private entries: AppBehaviour[];

  constructor(private readonly initial: readonly AppBehaviour[]) {
    this.entries = [...initial];
  }

  /** Adds or replaces the entry for its template (and revision). */
  set(entry: AppBehaviour): void {
    this.entries = [...this.entries.filter((e) => !sameEntry(e, entry)), entry];
  }

  /** Removes the entry for `template` (and `revision`, when given); whether one was there. */
  remove(template: string, revision: number | undefined): boolean {
    const before = this.entries.length;
    this.entries = this.entries.filter((e) => !(e.template === template && e.revision === revision));
    return this.entries.length !== before;
  }

  clear(): void {
    this.entries = [];
  }

  list(): AppBehaviour[] {
    return this.entries.map((e) => ({ ...e }));
  }

  /** Back to the entries given at start. */
  reset(): void {
    this.entries = [...this.initial];
  }

  /** The entry for an instance: its revision's first, then its template's. A missing revision reads as 1. */
  forInstance(rec: InstanceRecord): AppBehaviour | undefined {
    const revision = rec.templateRevision ?? 1;
    const mine = this.entries.filter((e) => e.template === rec.templateName);
    return mine.find((e) => e.revision === revision) ?? mine.find((e) => e.revision === undefined);
  }
}

/** The stand-in app of one instance, or undefined when none listens (agent templates, port-less ones). */
export class StandInApp {
  readonly port: number;
  private readonly listenAfterMs: number;
  private readonly readyAfterMs: number;

  private constructor(
    private readonly rec: InstanceRecord,
    private readonly tpl: TemplateDef,
    private readonly behaviour: AppBehaviour,
    port: number,
    bootMs: number,
  ) {
    this.port = port;
    this.listenAfterMs = behaviour.listenAfterMs ?? bootMs / 2;
    // Readiness is answered by the app, so it cannot come before the app listens.
    this.readyAfterMs = Math.max(this.listenAfterMs, behaviour.readyAfterMs ?? bootMs);
  }

  static of(rec: InstanceRecord, tpl: TemplateDef | undefined, apps: AppRegistry, bootMs: number): StandInApp | undefined {
    if (!tpl || tpl.agents.length > 0) return undefined;
    const behaviour = apps.forInstance(rec) ?? { template: tpl.name };
    const port = behaviour.port ?? tpl.defaultPort;
    if (port === null) return undefined;
    return new StandInApp(rec, tpl, behaviour, port, bootMs);
  }

  phase(t: number): AppPhase {
    const from = this.rec.status === "running" ? this.rec.bootFrom : null;
    if (from === null) return "down";
    if (this.behaviour.neverReady === true || t - from < this.listenAfterMs) return "starting";
    return t - from < this.readyAfterMs ? "listening" : "ready";
  }

  times(t: number): AppTimes {
    const from = this.rec.status === "running" ? this.rec.bootFrom : null;
    const reached = (after: number): number | null => (from === null || this.behaviour.neverReady === true || t < from + after ? null : from + after);
    const readyAt = this.behaviour.status === undefined ? reached(this.readyAfterMs) : null;
    return { port: this.port, bootedAt: from, listeningAt: reached(this.listenAfterMs), readyAt };
  }

  /** Answers a request the edge forwarded to the app's port. */
  serve(req: IncomingMessage, path: string, t: number): Reply {
    const phase = this.phase(t);
    if (phase === "down" || phase === "starting") throw edge.containerUnreachable();
    if (this.behaviour.status !== undefined) return text(this.behaviour.status, `stand-in app: answering ${this.behaviour.status} as configured\n`);
    const method = (req.method ?? "GET").toUpperCase();
    const readyPath = this.behaviour.readyPath ?? DEFAULT_READY_PATH;
    if (path === readyPath && (method === "GET" || method === "HEAD")) {
      if (phase === "ready") return text(this.behaviour.readyStatus ?? DEFAULT_READY_STATUS, "ready\n");
      return text(503, "starting\n");
    }
    if (path === "/") {
      const revision = this.rec.templateRevision === null ? "" : ` revision ${this.rec.templateRevision}`;
      const page = `<!doctype html>\n<title>${this.tpl.name}</title>\n<h1>${this.tpl.name}${revision}</h1>\n<p>Stand-in app of instance ${this.rec.id} on port ${this.port}.</p>\n`;
      return text(200, page, "text/html; charset=utf-8");
    }
    return text(404, `Cannot ${method} ${path}\n`);
  }
}

/** A plain-text (or HTML) answer: apps do not speak the edge's JSON error form. */
function text(status: number, body: string, contentType = "text/plain; charset=utf-8"): Reply {
  // Statuses without a body (204, 304) are sent bare.
  const payload = status === 204 || status === 304 ? "" : body;
  const headers: Record<string, string> = { "content-type": contentType };
  if (payload !== "") headers["content-length"] = String(Buffer.byteLength(payload));
  return {
    status,
    headers,
    stream: (res: ServerResponse) => {
      res.end(payload);
      return Promise.resolve();
    },
  };
}
