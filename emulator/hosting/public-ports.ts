import { api } from "../errors";
import { json, type Reply } from "../http";
import { publicPortEntry } from "../present";
import type { ApiContext } from "./context";
import { makePublicPort, requireInstance } from "./instances";
import { checkPublicPort, parseWith, PublicPortBody } from "./validate";

/** Public ports. POST answers 201 (the docs give no status; docs/emulator.md, "Assumptions"). */

export async function publicPortCreate(ctx: ApiContext): Promise<Reply> {
  const rec = requireInstance(ctx);
  const body = parseWith(PublicPortBody, await ctx.body());
  checkPublicPort(body, "port");
  if (rec.publicPorts.some((p) => p.port === body.port)) throw api.conflict("public_port_exists", `Port ${body.port} of instance ${rec.id} is already public.`);
  if (rec.publicPorts.length >= 20) throw api.invalidRequest(`Invalid request: instance ${rec.id} already has the maximum of 20 public ports.`);
  const entry = makePublicPort(ctx.rt, rec, body);
  rec.publicPorts.push(entry);
  ctx.rt.store.changed();
  return json(201, publicPortEntry(ctx.rt.view, entry, true, rec.workspace));
}

export function publicPortList(ctx: ApiContext): Promise<Reply> {
  const rec = requireInstance(ctx);
  return Promise.resolve(json(200, { data: rec.publicPorts.map((p) => publicPortEntry(ctx.rt.view, p, true, rec.workspace)) }));
}

export function publicPortDelete(ctx: ApiContext): Promise<Reply> {
  const rec = requireInstance(ctx);
  const port = Number(ctx.params["port"]);
  const index = rec.publicPorts.findIndex((p) => p.port === port);
  if (index < 0) throw api.notFound(`Port ${ctx.params["port"] ?? ""} of instance ${rec.id} is not public.`);
  rec.publicPorts.splice(index, 1);
  ctx.rt.store.changed();
  return Promise.resolve(json(200, { port, deleted: true }));
}
