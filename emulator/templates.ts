import { currentVersion, RESERVED_DEFAULT_PORTS, versionDigest, type TemplateDef, type TemplateVersion } from "./catalog";
import { api } from "./errors";
import { TEMPLATE_NAME_PATTERN } from "./ids";
import type { InstanceRecord } from "./model";
import { findTemplate, type Runtime } from "./runtime";
import type { Workspace } from "./state";

/**
 * Workspace templates: names, image references, ports and revisions. The hosting handlers
 * (`hosting/templates.ts`) and builds (`builds.ts`) both register revisions through here, so a
 * template made by a build and one registered from an image follow the same rules.
 */

/** Ports a 2026-06 template's `ports` array may not list. */
export const RESERVED_GEN_B_PORTS: ReadonlySet<number> = new Set([3737, 7681, 8080, 6080, 7890, 6969, 9119]);

/** The longest `image_ref` accepted. */
const IMAGE_REF_MAX = 255;

/**
 * A fully qualified reference: a registry host with a dot (optionally a port), a repository path,
 * and a tag or a sha256 digest (or both).
 */
const IMAGE_REF = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)+(?::\d{1,5})?(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)+(?::[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?(?:@sha256:[a-f0-9]{64})?$/;

/** Refuses a name a new (or renamed) workspace template may not have. */
export function checkNewName(name: string, field = "name"): void {
  if (!TEMPLATE_NAME_PATTERN.test(name)) {
    throw api.invalidRequest(`Invalid request: \`${field}\` ${JSON.stringify(name)} must match ^[a-z][a-z0-9-]{1,62}$ (a lowercase letter, then 1-62 lowercase letters, digits or hyphens).`);
  }
  if (name.startsWith("agent37-")) throw api.invalidRequest(`Invalid request: \`${field}\` ${JSON.stringify(name)}: the agent37- prefix is reserved for system templates.`);
}

export function checkImageRef(ref: string, field = "image_ref"): void {
  if (ref.length > IMAGE_REF_MAX) throw api.invalidRequest(`Invalid request: \`${field}\` must be at most ${IMAGE_REF_MAX} characters (got ${ref.length}).`);
  const tagged = /:[A-Za-z0-9_][A-Za-z0-9_.-]*$/.test(ref.replace(/@sha256:[a-f0-9]{64}$/, "")) || /@sha256:[a-f0-9]{64}$/.test(ref);
  if (!IMAGE_REF.test(ref) || !tagged) {
    throw api.invalidRequest(
      `Invalid request: \`${field}\` ${JSON.stringify(ref)} must be a fully qualified public image reference: registry host, repository and a tag or digest (e.g. ghcr.io/acme/my-agent:v2).`,
    );
  }
}

/**
 * The port side of a template, in both API generations' vocabularies. `listening` stays empty:
 * what listens in an instance of a workspace template is its stand-in app, on `defaultPort`.
 */
export interface PortSettings {
  defaultPort: number | null;
  genBPorts: { port: number; default: boolean }[];
  listening: number[];
}

/** From a 2026-08 `default_port` (null: no declared port). */
export function portsFromDefault(port: number | null, field = "default_port"): PortSettings {
  if (port !== null && RESERVED_DEFAULT_PORTS.has(port)) {
    throw api.invalidRequest(`Invalid request: \`${field}\` ${port} is reserved (reserved: ${[...RESERVED_DEFAULT_PORTS].join(", ")}).`);
  }
  // What a 2026-06 client sees of the same template: its one declared port, as the default.
  return { defaultPort: port, genBPorts: port === null ? [] : [{ port, default: true }], listening: [] };
}

/** From a 2026-06 `ports` array (`[]`: a private sandbox). */
export function portsFromGenB(ports: { port: number; default?: boolean | undefined }[], field = "ports"): PortSettings {
  ports.forEach((p, i) => {
    if (RESERVED_GEN_B_PORTS.has(p.port)) throw api.invalidRequest(`Invalid request: \`${field}[${i}].port\` ${p.port} is reserved (reserved: ${[...RESERVED_GEN_B_PORTS].join(", ")}).`);
    if (ports.findIndex((q) => q.port === p.port) !== i) throw api.invalidRequest(`Invalid request: \`${field}\` lists port ${p.port} twice.`);
  });
  const defaults = ports.filter((p) => p.default === true);
  if (defaults.length > 1) throw api.invalidRequest(`Invalid request: \`${field}\` may mark at most one port as default (got ${defaults.length}).`);
  const genBPorts = ports.map((p) => ({ port: p.port, default: p.default === true }));
  return { defaultPort: defaults[0]?.port ?? null, genBPorts, listening: [] };
}

/** A workspace template with its first revision. */
export function newWorkspaceTemplate(name: string, description: string, ports: PortSettings, source: { imageRef: string | null; imageDigest?: string }, created: number): TemplateDef {
  const first: TemplateVersion = { version: "1", imageRef: source.imageRef, created };
  if (source.imageDigest !== undefined) first.imageDigest = source.imageDigest;
  return { name, scope: "workspace", agents: [], description, ...ports, versions: [first], created, updated: created };
}

/**
 * Adds a revision when the image changed: a different `image_ref` string, or a build whose digest
 * differs from the current one. Returns whether the revision moved.
 */
export function addRevision(tpl: TemplateDef, source: { imageRef: string | null; imageDigest?: string }, created: number): boolean {
  const cur = currentVersion(tpl);
  const same = source.imageDigest !== undefined ? cur.imageRef === null && versionDigest(cur) === source.imageDigest : cur.imageRef === source.imageRef && cur.imageDigest === undefined;
  if (same) return false;
  const next: TemplateVersion = { version: String(Number(cur.version) + 1), imageRef: source.imageRef, created };
  if (source.imageDigest !== undefined) next.imageDigest = source.imageDigest;
  tpl.versions.push(next);
  tpl.updated = created;
  return true;
}

export interface ResolvedTemplate {
  tpl: TemplateDef;
  /** The requested version when pinned. */
  pin: string | null;
  /** The pinned version, or the current one. */
  version: TemplateVersion;
}

/** Resolves `name` or `name@version` (instance create and update); every failure is `400 invalid_request`. */
export function resolveTemplate(rt: Runtime, ws: Workspace, spec: string): ResolvedTemplate {
  if (spec.includes("/") || spec.includes(":")) {
    throw api.invalidRequest(`Invalid request: \`template\` must be a template name, not an image reference (${JSON.stringify(spec)}). Register the image as a workspace template first.`);
  }
  const parts = spec.split("@");
  const name = parts[0] ?? "";
  const version = parts[1];
  if (parts.length > 2 || !TEMPLATE_NAME_PATTERN.test(name) || version === "") {
    throw api.invalidRequest(`Invalid request: \`template\` ${JSON.stringify(spec)} must be a name, optionally followed by @version.`);
  }
  const tpl = findTemplate(rt, ws, name);
  if (!tpl) throw api.invalidRequest(`Invalid request: \`template\` ${JSON.stringify(name)} is not a system template or a template of this workspace.`);
  if (version === undefined) return { tpl, pin: null, version: currentVersion(tpl) };
  const found = tpl.versions.find((v) => v.version === version);
  if (!found) {
    throw api.invalidRequest(
      `Invalid request: \`template\` version ${JSON.stringify(version)} of ${name} is not published (published: ${tpl.versions.map((v) => v.version).join(", ")}).`,
    );
  }
  return { tpl, pin: version, version: found };
}

/** Applies a resolved template to the record (create and update). */
export function applyTemplate(rec: InstanceRecord, r: ResolvedTemplate): void {
  rec.templateName = r.tpl.name;
  rec.pin = r.pin;
  rec.template = r.pin === null ? r.tpl.name : `${r.tpl.name}@${r.pin}`;
  rec.imageRef = r.version.imageRef;
  rec.imageDigest = versionDigest(r.version);
  rec.templateRevision = r.tpl.scope === "workspace" ? Number(r.version.version) : null;
}

/** Renames a workspace template; its instances follow it (their pins stay). */
export function renameTemplate(rt: Runtime, ws: Workspace, tpl: TemplateDef, to: string): void {
  const map = rt.store.workspaceTemplates(ws);
  const from = tpl.name;
  map.delete(from);
  tpl.name = to;
  map.set(to, tpl);
  for (const rec of rt.store.instances.values()) {
    if (rec.workspace !== ws.id || rec.templateName !== from) continue;
    rec.templateName = to;
    rec.template = rec.pin === null ? to : `${to}@${rec.pin}`;
  }
}

/**
 * Deletes a workspace template. Its instances keep running (documented): the template is kept
 * aside for them, so their URLs still route to its port, but no new instance or update can use it.
 */
export function retireTemplate(rt: Runtime, ws: Workspace, tpl: TemplateDef): void {
  rt.store.workspaceTemplates(ws).delete(tpl.name);
  rt.store.retiredTemplates(ws.id).set(tpl.name, tpl);
}
