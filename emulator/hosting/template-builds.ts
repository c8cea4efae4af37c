import { randomBytes } from "node:crypto";
import { z } from "zod";
import { buildLog, buildStatus, finishAt, runningBuild, settleBuilds } from "../builds";
import { epochSeconds, now } from "../clock";
import { api } from "../errors";
import { json, type Reply } from "../http";
import type { BuildRecord } from "../model";
import { renderTemplate } from "../present";
import type { Runtime } from "../runtime";
import { checkNewName } from "../templates";
import { MAX_CONTEXT_BYTES, UPLOAD_TTL_SECONDS, uploadUrl } from "../uploads";
import type { ApiContext } from "./context";
import { PortFields, portSettings } from "./templates";
import { parseWith } from "./validate";

/**
 * Template builds: create (answers a presigned upload URL), PUT the
 * gzipped tar there (`uploads.ts`), start, then poll the build and its log.
 */

const sizeRule = `must be an integer 1..${MAX_CONTEXT_BYTES}`;
const CreateBody = z
  .object({
    name: z.string({ error: "is required and must be a string" }),
    size_bytes: z.number({ error: `is required and ${sizeRule}` }).int({ error: sizeRule }).min(1, { error: sizeRule }).max(MAX_CONTEXT_BYTES, { error: sizeRule }),
    description: z.string({ error: "must be a string" }).max(1000, { error: "must be at most 1000 characters" }).optional(),
    ...PortFields,
  })
  .strict();

function requireBuild(ctx: ApiContext): BuildRecord {
  const id = ctx.params["id"] ?? "";
  const build = ctx.rt.store.builds.get(id);
  // Other workspaces' builds look unknown, like every other lookup.
  if (!build || build.workspace !== ctx.ws.id) throw api.notFound(`No template build ${JSON.stringify(id)} in this workspace.`);
  return build;
}

/** `{ id, name, status, template?, error?, created, started, finished }`. */
export function renderBuild(rt: Runtime, build: BuildRecord, t: number): Record<string, unknown> {
  const status = buildStatus(rt, build, t);
  const out: Record<string, unknown> = { id: build.id, name: build.name, status };
  const outcome = build.outcome;
  if (outcome?.status === "succeeded") {
    // The template as this build left it (at its revision), while the template still exists.
    const ws = rt.store.workspaceById(build.workspace);
    const tpl = ws ? rt.store.workspaceTemplates(ws).get(build.name) : undefined;
    const version = String(outcome.revision);
    if (tpl?.versions.some((v) => v.version === version)) out["template"] = renderTemplate(rt.view, tpl, { withRevisions: false, version });
  }
  if (outcome?.status === "failed") out["error"] = { code: outcome.code, message: outcome.message };
  const end = finishAt(rt, build);
  Object.assign(out, {
    created: build.created,
    started: build.startedAt === null ? null : epochSeconds(build.startedAt),
    finished: outcome && end !== null ? epochSeconds(end) : null,
  });
  return out;
}

export async function buildCreate(ctx: ApiContext): Promise<Reply> {
  const { rt, ws } = ctx;
  const body = parseWith(CreateBody, await ctx.body());
  checkNewName(body.name);
  const ports = portSettings(ctx, body);
  const created = epochSeconds();
  const build: BuildRecord = {
    id: `tb_${randomBytes(10).toString("hex")}`,
    workspace: ws.id,
    name: body.name,
    sizeBytes: body.size_bytes,
    created,
    expiresAt: created + UPLOAD_TTL_SECONDS,
    uploadToken: randomBytes(24).toString("hex"),
    upload: null,
    startedAt: null,
    outcome: null,
  };
  if (body.description !== undefined) build.description = body.description;
  if (ports && rt.opts.api === "2026-06") build.genBPorts = ports.genBPorts;
  else if (ports) build.defaultPort = ports.defaultPort;
  rt.store.builds.set(build.id, build);
  rt.store.changed();
  return json(201, { id: build.id, name: build.name, status: "created", upload_url: uploadUrl(rt, build), expires_at: build.expiresAt, max_bytes: MAX_CONTEXT_BYTES });
}

/** `409 build_conflict` when already started or another build of the workspace is running. */
export async function buildStart(ctx: ApiContext): Promise<Reply> {
  const { rt, ws } = ctx;
  const build = requireBuild(ctx);
  const body = await ctx.body();
  if (Object.keys(body).length > 0) throw api.invalidRequest(`Invalid request: start takes no body (got ${Object.keys(body).map((k) => `\`${k}\``).join(", ")}).`);
  if (build.startedAt !== null) throw api.conflict("build_conflict", `Build ${build.id} has already been started (it is ${buildStatus(rt, build, now())}).`);
  if (!build.upload) throw api.invalidRequest(`Invalid request: build ${build.id} has no context: PUT the gzipped tar to its upload_url first.`);
  if (build.upload.bytes > MAX_CONTEXT_BYTES) throw api.invalidRequest(`Invalid request: the context of build ${build.id} is over ${MAX_CONTEXT_BYTES} bytes.`);
  const t = settledNow(rt);
  const other = runningBuild(rt, ws, t);
  if (other) throw api.conflict("build_conflict", `Another build (${other.id}, ${other.name}) is running in this workspace; one build runs at a time. Start this one when it has finished.`);
  build.startedAt = t;
  rt.store.changed();
  return json(200, { id: build.id, status: buildStatus(rt, build, t) });
}

/** The instant a reply describes, with every build finished by then applied (status and effect agree). */
function settledNow(rt: Runtime): number {
  const t = now();
  settleBuilds(rt, t);
  return t;
}

export function buildGet(ctx: ApiContext): Promise<Reply> {
  const build = requireBuild(ctx);
  return Promise.resolve(json(200, renderBuild(ctx.rt, build, settledNow(ctx.rt))));
}

/** `?offset=N` (bytes of the log already read): the build plus the log from N and the next offset. */
export function buildLogs(ctx: ApiContext): Promise<Reply> {
  const build = requireBuild(ctx);
  const raw = ctx.query.get("offset");
  if (raw !== null && !/^\d+$/.test(raw)) throw api.invalidRequest(`Invalid request: \`offset\` must be a non-negative integer (got ${JSON.stringify(raw)}).`);
  const offset = raw === null ? 0 : Number(raw);
  const t = settledNow(ctx.rt);
  const log = Buffer.from(buildLog(ctx.rt, build, t));
  const data = offset < log.length ? log.subarray(offset).toString("utf8") : "";
  return Promise.resolve(json(200, { ...renderBuild(ctx.rt, build, t), offset: Math.max(offset, log.length), data }));
}
