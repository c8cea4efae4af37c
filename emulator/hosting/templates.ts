import { z } from "zod";
import { currentVersion, SYSTEM_TEMPLATES, type TemplateDef } from "../catalog";
import { epochSeconds, sleep } from "../clock";
import { api } from "../errors";
import { json, type Reply } from "../http";
import { renderTemplate } from "../present";
import { findTemplate } from "../runtime";
import { addRevision, checkImageRef, checkNewName, newWorkspaceTemplate, portsFromDefault, portsFromGenB, renameTemplate, retireTemplate, type PortSettings } from "../templates";
import type { ApiContext } from "./context";
import { parseWith } from "./validate";

/** Templates: the system catalog first, then workspace templates by name. */

const portRule = "must be an integer 1..65535 or null";
const DefaultPort = z.number({ error: portRule }).int({ error: portRule }).min(1, { error: portRule }).max(65535, { error: portRule }).nullable();
const GenBPorts = z
  .array(
    z
      .object({
        port: z.number({ error: "must be an integer 1..65535" }).int({ error: "must be an integer 1..65535" }).min(1, { error: "must be an integer 1..65535" }).max(65535, { error: "must be an integer 1..65535" }),
        default: z.boolean({ error: "must be a boolean" }).optional(),
      })
      .strict(),
    { error: "must be an array of {port, default?}" },
  )
  .max(20, { error: "may list at most 20 ports" });
const Description = z.string({ error: "must be a string" }).max(1000, { error: "must be at most 1000 characters" });

/** The port fields every template-shaped body may carry; which one applies depends on the generation. */
export const PortFields = { default_port: DefaultPort.optional(), ports: GenBPorts.optional() };

const CreateBody = z
  .object({
    name: z.string({ error: "is required and must be a string" }),
    image_ref: z.string({ error: "is required and must be a string" }),
    description: Description.nullable().optional(),
    ...PortFields,
  })
  .strict();

const PatchBody = z
  .object({
    name: z.string({ error: "must be a string" }).optional(),
    image_ref: z.string({ error: "must be a string" }).optional(),
    description: Description.nullable().optional(),
    ...PortFields,
  })
  .strict();

/**
 * The port settings a body asks for, in the served generation's vocabulary: 2026-08 takes
 * `default_port` and refuses the legacy `ports` array (documented); 2026-06 takes `ports`.
 * Undefined when the body sets neither.
 */
export function portSettings(ctx: ApiContext, body: { default_port?: number | null | undefined; ports?: { port: number; default?: boolean | undefined }[] | undefined }): PortSettings | undefined {
  if (ctx.rt.opts.api === "2026-08") {
    if (body.ports !== undefined) throw api.invalidRequest("Invalid request: the legacy `ports` array is not accepted; declare the port the instance URL routes to with `default_port`.");
    return body.default_port === undefined ? undefined : portsFromDefault(body.default_port);
  }
  if (body.default_port !== undefined) throw api.invalidRequest("Invalid request: unknown field `default_port` (this API generation declares ports with the `ports` array).");
  return body.ports === undefined ? undefined : portsFromGenB(body.ports);
}

function render(ctx: ApiContext, tpl: TemplateDef, withRevisions: boolean, version?: string): Record<string, unknown> {
  return renderTemplate(ctx.rt.view, tpl, { withRevisions, ...(version !== undefined ? { version } : {}) });
}

export function templateList(ctx: ApiContext): Promise<Reply> {
  const own = [...ctx.rt.store.workspaceTemplates(ctx.ws).values()].sort((a, b) => a.name.localeCompare(b.name));
  const data = [...SYSTEM_TEMPLATES, ...own].map((t) => render(ctx, t, false));
  return Promise.resolve(json(200, { data }));
}

export function templateGet(ctx: ApiContext): Promise<Reply> {
  const spec = ctx.params["name"] ?? "";
  const [name = "", version, extra] = spec.split("@");
  const tpl = extra === undefined ? findTemplate(ctx.rt, ctx.ws, name) : undefined;
  if (!tpl || (version !== undefined && !tpl.versions.some((v) => v.version === version))) {
    throw api.notFound(`No template ${JSON.stringify(spec)} in this workspace or the system catalog.`);
  }
  return Promise.resolve(json(200, render(ctx, tpl, version === undefined, version)));
}

/** The workspace template a write names; system templates are read-only (`403 forbidden`). */
function writable(ctx: ApiContext, action: string): TemplateDef {
  const name = ctx.params["name"] ?? "";
  const tpl = name.includes("@") ? undefined : findTemplate(ctx.rt, ctx.ws, name);
  if (!tpl) throw api.notFound(`No template ${JSON.stringify(name)} in this workspace.`);
  if (tpl.scope === "system") throw api.forbidden(`${tpl.name} is a system template; it cannot be ${action}.`);
  return tpl;
}

function conflict(name: string): never {
  throw api.conflict("template_conflict", `A template named ${JSON.stringify(name)} already exists in this workspace.`);
}

/** Synchronous like the real call (it copies the image): answers after `ingestMs`. */
export async function templateCreate(ctx: ApiContext): Promise<Reply> {
  const { rt, ws } = ctx;
  const body = parseWith(CreateBody, await ctx.body());
  checkNewName(body.name);
  checkImageRef(body.image_ref);
  const ports = portSettings(ctx, body) ?? portsFromDefault(null);
  if (findTemplate(rt, ws, body.name)) conflict(body.name);
  await sleep(rt.opts.ingestMs, rt.signal);
  // Another create of the same name may have finished during the copy.
  if (findTemplate(rt, ws, body.name)) conflict(body.name);
  const tpl = newWorkspaceTemplate(body.name, body.description ?? "", ports, { imageRef: body.image_ref }, epochSeconds());
  rt.store.workspaceTemplates(ws).set(tpl.name, tpl);
  rt.store.changed();
  return json(201, render(ctx, tpl, true));
}

/**
 * A changed `image_ref` re-ingests (after `ingestMs`) and bumps the revision; the same string,
 * a rename, a description or a port change do not (documented).
 */
export async function templatePatch(ctx: ApiContext): Promise<Reply> {
  const { rt, ws } = ctx;
  const tpl = writable(ctx, "edited");
  const body = parseWith(PatchBody, await ctx.body());
  if (Object.keys(body).length === 0) throw api.invalidRequest("Invalid request: send at least one of `name`, `image_ref`, `description`, `default_port`.");
  if (body.name !== undefined && body.name !== tpl.name) {
    checkNewName(body.name);
    if (findTemplate(rt, ws, body.name)) conflict(body.name);
  }
  if (body.image_ref !== undefined) checkImageRef(body.image_ref);
  const ports = portSettings(ctx, body);
  const reingest = body.image_ref !== undefined && body.image_ref !== currentVersion(tpl).imageRef;
  if (reingest) {
    await sleep(rt.opts.ingestMs, rt.signal);
    // A rename onto this name, or a delete, may have happened during the copy.
    if (body.name !== undefined && body.name !== tpl.name && findTemplate(rt, ws, body.name)) conflict(body.name);
    if (rt.store.workspaceTemplates(ws).get(tpl.name) !== tpl) throw api.notFound(`No template ${JSON.stringify(tpl.name)} in this workspace.`);
  }
  const t = epochSeconds();
  if (body.image_ref !== undefined) addRevision(tpl, { imageRef: body.image_ref }, t);
  if (body.description !== undefined) tpl.description = body.description ?? "";
  if (ports) Object.assign(tpl, ports);
  if (body.name !== undefined && body.name !== tpl.name) renameTemplate(rt, ws, tpl, body.name);
  tpl.updated = t;
  rt.store.changed();
  return json(200, render(ctx, tpl, true));
}

/** Acts once: a repeat is `404`. Instances made from it keep running (documented). */
export function templateDelete(ctx: ApiContext): Promise<Reply> {
  const tpl = writable(ctx, "deleted");
  retireTemplate(ctx.rt, ctx.ws, tpl);
  ctx.rt.store.changed();
  return Promise.resolve(json(200, { name: tpl.name, deleted: true }));
}
