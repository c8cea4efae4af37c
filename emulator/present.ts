import { currentVersion, versionDigest, type TemplateDef } from "./catalog";
import { epochSeconds } from "./clock";
import type { InstanceRecord, PublicPortRecord } from "./model";
import type { ApiGeneration } from "./options";

/** What rendering needs to know about the running server. */
export interface View {
  api: ApiGeneration;
  /** The port the server actually listens on. */
  port: number;
  /** A workspace's active custom domains, oldest first (the suffixes of `domain_urls`). */
  domains?: (workspace: string) => string[];
  /** The hosting API's base URL, where upload URLs point too (set once the server listens). */
  base?: string;
}

export function hostUrl(view: View, label: string): string {
  return `http://${label}.localhost:${view.port}`;
}

export function instanceUrl(view: View, id: string): string {
  return hostUrl(view, id);
}

/**
 * Mirror URLs of a host label on the workspace's active domains: `https://{label}.{domain}` on
 * Agent37; here `{label}.{domain}` under `localhost`, which the instance plane serves.
 */
export function domainUrls(view: View, workspace: string, label: string): string[] {
  return (view.domains?.(workspace) ?? []).map((d) => hostUrl(view, `${label}.${d}`));
}

export function publicPortEntry(view: View, p: PublicPortRecord, withLabel: boolean, workspace: string): Record<string, unknown> {
  // The docs list `label` on the POST response but not on the instance object.
  const entry: Record<string, unknown> = { port: p.port, url: hostUrl(view, p.host), domain_urls: domainUrls(view, workspace, p.host), prefix: p.prefix };
  if (withLabel) entry["label"] = p.label;
  entry["created"] = p.created;
  return entry;
}

/** Gen-B `ports`: the default port on the bare instance URL, the others on opaque handle hosts. */
export function genBPorts(view: View, rec: InstanceRecord, tpl: TemplateDef | undefined): { port: number; default: boolean; url: string }[] {
  if (!tpl) return [];
  return tpl.genBPorts.map((p) => {
    const handle = rec.handles.find((h) => h.port === p.port)?.handle;
    return { port: p.port, default: p.default, url: p.default || !handle ? instanceUrl(view, rec.id) : hostUrl(view, handle) };
  });
}

/** The instance object of the served API generation. */
export function renderInstance(view: View, rec: InstanceRecord, tpl: TemplateDef | undefined): Record<string, unknown> {
  if (view.api === "2026-06") {
    return {
      id: rec.id,
      status: rec.status,
      template: rec.template,
      image_ref: rec.imageRef,
      resources: { ...rec.resources },
      ports: genBPorts(view, rec, tpl),
      user: rec.user,
      name: rec.name,
      metadata: rec.metadata,
      // Gen B prepaid a day of compute at create; the emulator never bills, so the day never moves.
      paid_through: rec.created + 86_400,
      past_due: false,
      created: rec.created,
    };
  }
  const out: Record<string, unknown> = {
    id: rec.id,
    status: rec.status,
    status_reason: rec.statusReason,
    template: rec.template,
    template_revision: rec.templateRevision,
    image_ref: rec.imageRef,
    image_digest: rec.imageDigest,
    resources: { ...rec.resources },
    url: instanceUrl(view, rec.id),
    domain_urls: domainUrls(view, rec.workspace, rec.id),
    public_ports: rec.publicPorts.map((p) => publicPortEntry(view, p, false, rec.workspace)),
    user: rec.user,
    name: rec.name,
    metadata: rec.metadata,
    auto_sleep: rec.autoSleep,
    idle_timeout_seconds: rec.idleTimeoutSeconds,
  };
  // Documented as present only while sleeping/waking; absent otherwise, not null.
  if ((rec.status === "sleeping" || rec.status === "waking") && rec.sleptAt !== null) out["slept_at"] = epochSeconds(rec.sleptAt);
  Object.assign(out, {
    past_due: false,
    created: rec.created,
  });
  return out;
}

export function renderTemplate(view: View, tpl: TemplateDef, opts: { version?: string; withRevisions: boolean }): Record<string, unknown> {
  const version = (opts.version !== undefined ? tpl.versions.find((v) => v.version === opts.version) : undefined) ?? currentVersion(tpl);
  const out: Record<string, unknown> = {
    name: tpl.name,
    scope: tpl.scope,
    agents: [...tpl.agents],
    revision: tpl.scope === "workspace" ? Number(version.version) : null,
  };
  // Build-born revisions have no public source, so no `image_ref` (documented as absent).
  if (version.imageRef !== null) out["image_ref"] = version.imageRef;
  if (tpl.scope === "workspace") out["image_digest"] = versionDigest(version);
  // An unset description reads as null; the catalog's always have one.
  out["description"] = tpl.description === "" ? null : tpl.description;
  if (view.api === "2026-06") out["ports"] = tpl.genBPorts.map((p) => ({ ...p }));
  else out["default_port"] = tpl.defaultPort;
  out["created"] = tpl.created;
  out["updated"] = tpl.updated;
  if (opts.withRevisions && tpl.scope === "workspace") {
    out["revisions"] = [...tpl.versions].reverse().map((v) => ({ revision: Number(v.version), image_digest: versionDigest(v), created: v.created ?? epochSeconds() }));
  }
  return out;
}
