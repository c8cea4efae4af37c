import { findShape, SHAPE_LIST } from "../catalog";
import { api } from "../errors";
import { json, type Reply } from "../http";
import { now } from "../clock";
import { joinOrConflict, transition, wrongState } from "../machine";
import { wake } from "../sleep";
import type { ApiContext } from "./context";
import { applyTemplate, resolveTemplate } from "../templates";
import { requireInstance } from "./instances";
import { parseWith, ResizeBody, UpdateBody } from "./validate";

/**
 * Lifecycle subresources. Each answers a small ack; in blocking mode
 * the ack carries the terminal status, in async mode the transitional one. Every handler looks the
 * instance up before reading the body: an unknown id is a 404 whatever was sent.
 */

async function noBody(ctx: ApiContext, action: string): Promise<void> {
  const body = await ctx.body();
  if (Object.keys(body).length > 0) throw api.invalidRequest(`Invalid request: ${action} takes no body (got ${Object.keys(body).map((k) => `\`${k}\``).join(", ")}).`);
}

export async function stopInstance(ctx: ApiContext): Promise<Reply> {
  const rec = requireInstance(ctx);
  await noBody(ctx, "stop");
  if (rec.status === "stopped" || (await joinOrConflict(ctx.rt, rec, "stopping", "stop"))) return json(200, { id: rec.id, status: rec.status });
  if (rec.status !== "running" && rec.status !== "sleeping") wrongState(rec, "stop", "running, stopped or sleeping");
  // From sleeping the checkpoint is discarded (documented): the URLs no longer wake it.
  rec.sleptAt = null;
  await transition(ctx.rt, rec, "stopping", "stopped", (r) => {
    r.bootFrom = null;
  });
  return json(200, { id: rec.id, status: rec.status });
}

export async function startInstance(ctx: ApiContext): Promise<Reply> {
  const rec = requireInstance(ctx);
  await noBody(ctx, "start");
  if (rec.status === "running" || (await joinOrConflict(ctx.rt, rec, "starting", "start"))) return json(200, { id: rec.id, status: rec.status });
  if (rec.status !== "stopped" && rec.status !== "sleeping") wrongState(rec, "start", "stopped or sleeping");
  if (rec.status === "sleeping") {
    // Same effect as a request to its URL (documented): the fast-path wake, straight to running.
    wake(ctx.rt, rec, now(), "start");
    return json(200, { id: rec.id, status: rec.status });
  }
  await transition(ctx.rt, rec, "starting", "running");
  return json(200, { id: rec.id, status: rec.status });
}

export async function restartInstance(ctx: ApiContext): Promise<Reply> {
  const rec = requireInstance(ctx);
  await noBody(ctx, "restart");
  // Concurrent restarts don't stack: the second one is told to try again (documented).
  if (rec.status === "restarting") throw api.tryAgain(`Instance ${rec.id} is already restarting. Try again shortly.`);
  await joinOrConflict(ctx.rt, rec, "restarting", "restart");
  if (rec.status !== "running") wrongState(rec, "restart", "running; use start for a stopped instance");
  await transition(ctx.rt, rec, "restarting", "running");
  return json(200, { id: rec.id, status: rec.status });
}

export async function updateInstance(ctx: ApiContext): Promise<Reply> {
  const rec = requireInstance(ctx);
  const body = parseWith(UpdateBody, await ctx.body());
  if (rec.status === "updating") throw api.tryAgain(`Instance ${rec.id} is already updating. Try again shortly.`);
  await joinOrConflict(ctx.rt, rec, "updating", "update");
  if (rec.status !== "running" && rec.status !== "failed" && rec.status !== "stopped") wrongState(rec, "update", "running, stopped or failed (wake a sleeping instance first)");
  const ws = ctx.ws;
  // No body re-resolves the stored template: a pinned instance stays on its pin.
  const resolved = resolveTemplate(ctx.rt, ws, body.template ?? rec.template);
  const ack = (): Reply => {
    const out: Record<string, unknown> = { id: rec.id, status: rec.status };
    if (body.template !== undefined) out["template"] = rec.template;
    out["image_ref"] = rec.imageRef;
    out["image_digest"] = rec.imageDigest;
    out["template_revision"] = rec.templateRevision;
    return json(200, out);
  };
  if (rec.status === "stopped") {
    // A stopped instance only takes the new image pointer; it boots it at the next start.
    applyTemplate(rec, resolved);
    rec.statusReason = null;
    ctx.rt.store.changed();
    return ack();
  }
  await transition(ctx.rt, rec, "updating", "running", (r) => {
    applyTemplate(r, resolved);
    r.statusReason = null;
  });
  return ack();
}

export async function resizeInstance(ctx: ApiContext): Promise<Reply> {
  const rec = requireInstance(ctx);
  const body = parseWith(ResizeBody, await ctx.body());
  if (body.cpu === undefined && body.memory === undefined && body.disk === undefined) {
    throw api.invalidRequest("Invalid request: send at least one of `cpu`, `memory`, `disk`.");
  }
  if (rec.status === "updating") throw api.tryAgain(`Instance ${rec.id} is already updating. Try again shortly.`);
  await joinOrConflict(ctx.rt, rec, "updating", "resize");
  if (rec.status !== "running") wrongState(rec, "resize", "running");
  const cur = rec.resources;
  const cpu = body.cpu ?? cur.cpu;
  const memory = body.memory ?? cur.memory;
  const disk = body.disk ?? cur.disk;
  const shape = findShape(cpu, memory);
  if (!shape) throw api.invalidRequest(`Invalid request: ${cpu} vCPU/${memory} GB is not an available shape. Valid shapes: ${SHAPE_LIST}.`);
  if (cpu < cur.cpu || memory < cur.memory || disk < cur.disk) {
    throw api.invalidRequest(`Invalid request: resize only grows (current ${cur.cpu} vCPU/${cur.memory} GB/${cur.disk} GB, requested ${cpu}/${memory}/${disk}); recreate the instance to shrink.`);
  }
  if (disk < shape.diskMin || disk > shape.diskMax) {
    throw api.invalidRequest(`Invalid request: \`disk\` must be ${shape.diskMin}-${shape.diskMax} GB for the ${cpu} vCPU/${memory} GB shape.`);
  }
  if (ctx.ws.topUpsMicros === 0 && cpu !== 2) throw api.tierLimit(`The ${cpu} vCPU/${memory} GB shape is not available on the free tier (2 vCPU/4 GB only).`);
  const next = { cpu, memory, disk };
  if (cpu === cur.cpu && memory === cur.memory && disk === cur.disk) return json(200, { id: rec.id, status: rec.status, resources: { ...rec.resources } });
  await transition(ctx.rt, rec, "updating", "running", (r) => {
    r.resources = next;
  });
  // In async mode the ack already names the size being applied.
  return json(200, { id: rec.id, status: rec.status, resources: { ...next } });
}
