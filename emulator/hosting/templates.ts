import { SYSTEM_TEMPLATES } from "../catalog";
import { api } from "../errors";
import { json, type Reply } from "../http";
import { renderTemplate } from "../present";
import { findTemplate } from "../runtime";
import type { ApiContext } from "./context";

/** Templates (agent37-api.md §2.14, §4): the system catalog first, then workspace templates by name. */

export function templateList(ctx: ApiContext): Promise<Reply> {
  const own = [...ctx.rt.store.workspaceTemplates(ctx.ws).values()].sort((a, b) => a.name.localeCompare(b.name));
  const data = [...SYSTEM_TEMPLATES, ...own].map((t) => renderTemplate(ctx.rt.view, t, { withRevisions: false }));
  return Promise.resolve(json(200, { data }));
}

export function templateGet(ctx: ApiContext): Promise<Reply> {
  const spec = ctx.params["name"] ?? "";
  const [name = "", version, extra] = spec.split("@");
  const tpl = extra === undefined ? findTemplate(ctx.rt, ctx.ws, name) : undefined;
  if (!tpl || (version !== undefined && !tpl.versions.some((v) => v.version === version))) {
    throw api.notFound(`No template ${JSON.stringify(spec)} in this workspace or the system catalog.`);
  }
  return Promise.resolve(json(200, renderTemplate(ctx.rt.view, tpl, { withRevisions: true, ...(version !== undefined ? { version } : {}) })));
}
