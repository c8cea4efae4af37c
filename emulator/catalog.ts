import { digestOf } from "./ids";

/** The three documented shapes with their disk ranges and default disk. */
export interface Shape {
  cpu: number;
  memory: number;
  diskMin: number;
  diskMax: number;
  /**
   * Default disk per the shape table (4, 6, 12 GB). The docs' examples show 6 GB on the 2/4 shape
   * (the docs' example and their table disagree); the emulator follows the table.
   */
  diskDefault: number;
}

export const SHAPES: readonly Shape[] = [
  { cpu: 2, memory: 4, diskMin: 2, diskMax: 12, diskDefault: 4 },
  { cpu: 4, memory: 8, diskMin: 2, diskMax: 20, diskDefault: 6 },
  { cpu: 8, memory: 16, diskMin: 2, diskMax: 40, diskDefault: 12 },
];

export const SHAPE_LIST = "2 vCPU/4 GB (disk 2-12 GB), 4 vCPU/8 GB (disk 2-20 GB), 8 vCPU/16 GB (disk 2-40 GB)";

export function findShape(cpu: number, memory: number): Shape | undefined {
  return SHAPES.find((s) => s.cpu === cpu && s.memory === memory);
}

/** Monthly running rate in micros: $0.80/vCPU, $0.70/GB RAM, $0.09/GB disk. */
export function monthlyRateMicros(r: { cpu: number; memory: number; disk: number }): number {
  return r.cpu * 800_000 + r.memory * 700_000 + r.disk * 90_000;
}

/** One day of the running rate (month = 730 h): the balance a create needs. */
export function dayRateMicros(r: { cpu: number; memory: number; disk: number }): number {
  return Math.ceil((monthlyRateMicros(r) * 24) / 730);
}

export function instanceCap(topUpsMicros: number): number {
  if (topUpsMicros >= 250_000_000) return 200;
  if (topUpsMicros >= 100_000_000) return 50;
  if (topUpsMicros > 0) return 10;
  return 1;
}

export const RESERVED_ENV = new Set([
  "AGENT37_INSTANCE_ID",
  "AGENT37_RUNTIME_IMAGE_REF",
  "AGENT37_AGENT_TYPE",
  "AGENT37_GATEWAY_PORT",
  "OPENCLAW_GATEWAY_PORT",
  "OPENCLAW_CONTROL_UI_INSTANCE_ORIGIN",
]);

export const RESERVED_PUBLIC_PORTS = new Set([3737, 9119, 7681, 8080, 6080, 7890, 22022]);

export const GATEWAY_PORT = 3737;

export interface TemplateVersion {
  /** Dated tag (system) or revision number as a string (workspace). */
  version: string;
  /** The public image it was registered from; null for a revision made by a cloud build. */
  imageRef: string | null;
  /** Set for revisions made by a build (derived from the uploaded context); else derived from `imageRef`. */
  imageDigest?: string | undefined;
  created: number | null;
}

export interface TemplateDef {
  name: string;
  scope: "system" | "workspace";
  agents: string[];
  description: string;
  /** `null`: no declared port (a workspace template without one is a private sandbox). */
  defaultPort: number | null;
  /** Ports something listens on inside the instance (the emulator answers a stub on them). */
  listening: number[];
  /** Gen-B (2026-06) `ports` array: non-default entries get opaque handle hosts. */
  genBPorts: { port: number; default: boolean }[];
  /** Oldest first; the last one is current. */
  versions: TemplateVersion[];
  created: number | null;
  updated: number | null;
}

function systemTemplate(name: string, image: string, agents: string[], description: string, listening: number[], genBPorts: { port: number; default: boolean }[]): TemplateDef {
  return {
    name,
    scope: "system",
    agents,
    description,
    defaultPort: GATEWAY_PORT,
    listening,
    genBPorts,
    versions: ["2026.06.18", "2026.07.02b"].map((tag) => ({ version: tag, imageRef: `ghcr.io/agent37-platform/${image}:${tag}`, created: null })),
    created: null,
    updated: null,
  };
}

/**
 * The system catalog. Listening ports follow the documented port table; the Gen-B port lists
 * follow the documented Hermes ports (3737 default, 9119 dashboard, 6969 Mission Control). For the other
 * two templates the Gen-B lists are an assumption: their gateway plus their documented UI port.
 */
export const SYSTEM_TEMPLATES: readonly TemplateDef[] = [
  systemTemplate("agent37-hermes", "hermes", ["hermes"], "Hermes general agent: browser, code, files.", [3737, 9119, 6969, 7681, 8080, 8644], [
    { port: 3737, default: true },
    { port: 9119, default: false },
    { port: 6969, default: false },
  ]),
  systemTemplate("agent37-hermes-small", "hermes-small", ["hermes"], "Hermes lean: no browser or desktop.", [3737, 8644], [{ port: 3737, default: true }]),
  systemTemplate("agent37-openclaw", "openclaw", ["openclaw"], "OpenClaw with headless browser.", [3737, 18789, 7681, 8080], [
    { port: 3737, default: true },
    { port: 18789, default: false },
  ]),
];

/** The port-less workspace template seeded in every workspace: a private sandbox driven by exec. */
export function sandboxTemplate(created: number): TemplateDef {
  return {
    name: "sandbox",
    scope: "workspace",
    agents: [],
    description: "Private sandbox: no ports, driven by exec.",
    defaultPort: null,
    listening: [],
    genBPorts: [],
    versions: [{ version: "1", imageRef: "docker.io/library/debian:bookworm-slim", created }],
    created,
    updated: created,
  };
}

/** A workspace template given to the emulator at start (the `workspaceTemplates` option). */
export interface WorkspaceTemplateSeed {
  /** `^[a-z][a-z0-9-]{1,62}$`, not starting with `agent37-`, not `sandbox`. */
  name: string;
  /**
   * Port the instance URL routes to, where the stand-in app listens; `null`: none declared.
   * @default null
   */
  defaultPort?: number | null;
  /** @default "ghcr.io/example/{name}:1" */
  imageRef?: string;
  /** @default "" */
  description?: string;
}

/** Ports a template's `default_port` may not take. */
export const RESERVED_DEFAULT_PORTS = new Set([7681, 8080, 6080, 7890, 9119, 22022]);

/**
 * A seeded workspace template at revision 1, with no agents. What listens in its instances is
 * the stand-in app (emulator/app.ts) on `default_port`, so `listening` stays empty.
 */
export function seededTemplate(seed: WorkspaceTemplateSeed, created: number): TemplateDef {
  return {
    name: seed.name,
    scope: "workspace",
    agents: [],
    description: seed.description ?? "",
    defaultPort: seed.defaultPort ?? null,
    listening: [],
    genBPorts: seed.defaultPort === undefined || seed.defaultPort === null ? [] : [{ port: seed.defaultPort, default: true }],
    versions: [{ version: "1", imageRef: seed.imageRef ?? `ghcr.io/example/${seed.name}:1`, created }],
    created,
    updated: created,
  };
}

export function currentVersion(t: TemplateDef): TemplateVersion {
  const v = t.versions[t.versions.length - 1];
  if (!v) throw new Error(`template ${t.name} has no version`);
  return v;
}

export function imageDigest(imageRef: string): string {
  return digestOf(imageRef);
}

/** The digest of one version: a build's own, or one derived from the image reference. */
export function versionDigest(v: TemplateVersion): string {
  return v.imageDigest ?? digestOf(v.imageRef ?? v.version);
}
