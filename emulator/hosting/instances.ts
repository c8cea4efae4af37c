import { dayRateMicros, instanceCap } from "../catalog";
import { epochSeconds, sleep } from "../clock";
import { api } from "../errors";
import { json, type Reply } from "../http";
import { lowerAlnum } from "../ids";
import { appendLog, beginDelete, markRunning } from "../machine";
import type { InstanceRecord, PublicPortRecord } from "../model";
import { renderInstance } from "../present";
import { templateOf, type Runtime } from "../runtime";
import type { Workspace } from "../state";
import { applyTemplate, resolveTemplate } from "../templates";
import type { ApiContext } from "./context";
import { checkEnv, checkMetadata, checkPublicPort, CreateBody, label, parseWith, PatchBody, resolveResources } from "./validate";

export function render(rt: Runtime, rec: InstanceRecord): Record<string, unknown> {
  return renderInstance(rt.view, rec, templateOf(rt, rec));
}

/** The caller's live instance, or the uniform 404 (unknown, deleted and foreign ids look alike). */
export function requireInstance(ctx: ApiContext): InstanceRecord {
  const id = ctx.params["id"] ?? "";
  const rec = ctx.rt.store.instanceOf(ctx.ws, id);
  if (!rec) throw api.notFound(`No instance ${JSON.stringify(id)} in this workspace.`);
  return rec;
}

function uniqueId(rt: Runtime): string {
  for (;;) {
    const id = lowerAlnum(10);
    if (!rt.store.instances.has(id)) return id;
  }
}

function freshHost(rt: Runtime, length: number): string {
  const taken = new Set<string>();
  for (const r of rt.store.instances.values()) {
    for (const p of r.publicPorts) taken.add(p.host);
    for (const h of r.handles) taken.add(h.handle);
  }
  for (;;) {
    const host = lowerAlnum(length);
    if (!taken.has(host)) return host;
  }
}

/** Makes a public-port record; the caller has validated the port and checked duplicates. */
export function makePublicPort(rt: Runtime, rec: InstanceRecord, p: { port: number; prefix?: string | undefined; label?: string | undefined }): PublicPortRecord {
  if (p.prefix !== undefined) {
    const clash = rec.publicPorts.find((q) => q.prefix === p.prefix);
    if (clash) throw api.invalidRequest(`Invalid request: prefix ${JSON.stringify(p.prefix)} is already used by public port ${clash.port} of this instance.`);
  }
  return {
    port: p.port,
    host: p.prefix !== undefined ? `${p.prefix}-${rec.id}` : freshHost(rt, 20),
    prefix: p.prefix ?? null,
    label: p.label ?? null,
    created: epochSeconds(),
  };
}

/** Live instances counting toward the cap (a deleting instance already released its slot). */
function countTowardCap(rt: Runtime, ws: Workspace): number {
  return rt.store.liveInstances(ws).filter((r) => r.status !== "deleting").length;
}

export async function createInstance(ctx: ApiContext): Promise<Reply> {
  const { rt, ws } = ctx;
  const body = parseWith(CreateBody, await ctx.body());
  const template = resolveTemplate(rt, ws, body.template ?? "agent37-hermes");
  const { shape, disk } = resolveResources(body.resources);
  const env = checkEnv(body.env);
  const metadata = checkMetadata(body.metadata);
  const ports = body.public_ports ?? [];
  ports.forEach((p, i) => checkPublicPort(p, `public_ports[${i}]`));
  const dup = ports.find((p, i) => ports.findIndex((q) => q.port === p.port) !== i);
  if (dup) throw api.invalidRequest(`Invalid request: \`public_ports\` lists port ${dup.port} twice.`);

  const type = body.type ?? "dedicated";
  if (type === "shared" && !ws.shared) throw api.sharedUnavailable("Shared instances are not enabled for this workspace; nothing was provisioned.");
  const free = ws.topUpsMicros === 0;
  if (free && shape.cpu !== 2) {
    throw api.tierLimit(`The ${shape.cpu} vCPU/${shape.memory} GB shape is not available on the free tier (2 vCPU/4 GB only). Top up your workspace to use larger shapes.`);
  }
  const cap = instanceCap(ws.topUpsMicros);
  if (countTowardCap(rt, ws) >= cap) {
    throw api.instanceLimit(`This workspace has reached its limit of ${cap} instance${cap === 1 ? "" : "s"}. Delete an instance or top up to raise the limit.`);
  }
  const resources = { cpu: shape.cpu, memory: shape.memory, disk };
  const needed = dayRateMicros(resources);
  if (ws.balanceMicros < needed) {
    throw api.insufficientBalance(
      `This instance costs $${(needed / 24 / 1e6).toFixed(4)} per hour, metered per minute; creating it requires at least one day of balance ($${(needed / 1e6).toFixed(4)}). Add balance to your workspace and try again.`,
    );
  }

  const id = uniqueId(rt);
  const created = epochSeconds();
  const rec: InstanceRecord = {
    id,
    workspace: ws.id,
    seq: rt.store.nextSeq(),
    status: "provisioning",
    statusReason: null,
    template: template.tpl.name,
    templateName: template.tpl.name,
    pin: null,
    templateRevision: null,
    imageRef: null,
    imageDigest: null,
    resources,
    type,
    user: label(body.user),
    name: label(body.name),
    metadata,
    env,
    autoSleep: body.auto_sleep ?? false,
    idleTimeoutSeconds: body.idle_timeout_seconds ?? 300,
    publicPorts: [],
    handles: [],
    budget: { monthlyCapMicros: body.budget?.monthly_cap_micros ?? 0, creditRemainingMicros: body.budget?.credit_micros ?? 0, updatedAt: created, topUpKeys: [] },
    created,
    bootFrom: null,
    unhealthyUntil: null,
    lastTrafficAt: null,
    sleptAt: null,
    wokeAt: null,
    restartCount: 0,
    op: 0,
    logs: [],
  };
  applyTemplate(rec, template);
  rec.handles = template.tpl.genBPorts.filter((p) => !p.default).map((p) => ({ port: p.port, handle: freshHost(rt, 24) }));
  for (const p of ports) rec.publicPorts.push(makePublicPort(rt, rec, p));
  appendLog(rec, `provisioning ${rec.template} on ${resources.cpu} vCPU/${resources.memory} GB/${resources.disk} GB`);
  rt.store.instances.set(id, rec);
  rt.store.changed();

  const token = rec.op;
  await sleep(rt.opts.provisionMs, rt.signal);
  // A delete that arrived during provisioning wins; the create still answers with what exists.
  if (rec.op === token && rec.status === "provisioning") {
    markRunning(rec);
    rt.store.changed();
  }
  return json(201, render(rt, rec));
}

export function listInstances(ctx: ApiContext): Promise<Reply> {
  return Promise.resolve(json(200, { data: ctx.rt.store.liveInstances(ctx.ws).map((r) => render(ctx.rt, r)) }));
}

export function getInstance(ctx: ApiContext): Promise<Reply> {
  return Promise.resolve(json(200, render(ctx.rt, requireInstance(ctx))));
}

export async function patchInstance(ctx: ApiContext): Promise<Reply> {
  const rec = requireInstance(ctx);
  const body = parseWith(PatchBody, await ctx.body());
  if (Object.keys(body).length === 0) {
    throw api.invalidRequest("Invalid request: send at least one of `name`, `user`, `metadata`, `auto_sleep`, `idle_timeout_seconds`.");
  }
  const metadata = body.metadata !== undefined ? checkMetadata(body.metadata) : undefined;
  if (body.name !== undefined) rec.name = label(body.name);
  if (body.user !== undefined) rec.user = label(body.user);
  if (metadata !== undefined) rec.metadata = metadata;
  if (body.auto_sleep !== undefined) rec.autoSleep = body.auto_sleep;
  if (body.idle_timeout_seconds !== undefined) rec.idleTimeoutSeconds = body.idle_timeout_seconds;
  ctx.rt.store.changed();
  return json(200, render(ctx.rt, rec));
}

/** Acts once: `deleting` at once, `deleted` after `deleteMs`; a repeat (even while deleting) is 404. */
export function deleteInstance(ctx: ApiContext): Promise<Reply> {
  const rec = requireInstance(ctx);
  if (rec.status === "deleting") throw api.notFound(`No instance ${JSON.stringify(rec.id)} in this workspace.`);
  // The container goes at once: so does everything its exec commands left running.
  ctx.rt.exec.kill(rec.id);
  beginDelete(ctx.rt, rec, (r) => {
    ctx.rt.exec.remove(r.id);
    ctx.rt.sessions.delete(r.id);
  });
  return Promise.resolve(json(200, { id: rec.id, deleted: true }));
}
