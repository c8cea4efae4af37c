// The emulator's public types (options, the admin surface's payloads), plain TypeScript: the
// package's declarations name no type of its dependencies (provider/core/schema-type.ts). The
// schemas in app.ts and faults.ts are pinned to these.
import type { Status } from "./model";

/**
 * How the stand-in app of a workspace template behaves. Without an entry, every workspace
 * template with a `default_port` runs the default app (listening after half of `bootMs`, ready
 * after `bootMs`). An entry with `revision` applies to instances at that `template_revision`
 * only, and wins over an entry without one.
 */
export type AppBehaviour = {
  template: string;
  revision?: number | undefined;
  port?: number | undefined;
  listenAfterMs?: number | undefined;
  readyAfterMs?: number | undefined;
  readyPath?: string | undefined;
  readyStatus?: number | undefined;
  neverReady?: boolean | undefined;
  status?: number | undefined;
};

export interface AppTimes {
  /** The port the app listens on. */
  port: number;
  /** When the container last (re)started, the moment the app's boot counts from (epoch ms), or null while not running. */
  bootedAt: number | null;
  /** When it began listening in the current boot (epoch ms), or null (not yet, or never). */
  listeningAt: number | null;
  /** When its readiness path began answering `readyStatus` (epoch ms), or null. */
  readyAt: number | null;
}

/** One rule of a fault plan (docs/emulator.md, "Admin and fault API"). */
export type FaultRule = {
  method?: string | undefined;
  path: string;
  plane?: "api" | "instance" | undefined;
  instanceId?: string | undefined;
  kind: "status" | "status-after" | "garble-after" | "delay" | "reset-after" | "reset-before" | "reset-mid-body" | "unhealthy";
  /** `garble-after`: how the answer's body is spoiled (its status is kept). */
  garble?: "truncate" | "html" | "iso-created" | undefined;
  status?: number | undefined;
  code?: string | undefined;
  message?: string | undefined;
  retryAfterSeconds?: number | undefined;
  delayMs?: number | undefined;
  /** `reset-mid-body`: how many bytes of the request's body arrive before the connection drops. */
  afterBytes?: number | undefined;
  count?: number | undefined;
  /** Let this many matching requests through untouched before the rule applies. */
  skip?: number | undefined;
  probability?: number | undefined;
};

/** A fault plan: its rules, in order, and the seed of its `probability` draws. */
export type FaultPlan = {
  seed?: number | undefined;
  faults: FaultRule[];
};

/**
 * One row of `GET /_emulator/instances`: the instance object of the served API generation plus
 * what only the admin surface shows.
 */
export interface AdminInstance {
  id: string;
  /** Every status, `deleted` included. */
  status: Status;
  /** `ws_` + a hash of the workspace's key (never the key). */
  workspace: string;
  /** When the gateway's health first turned true in the current boot (epoch ms), or null. */
  healthyAt: number | null;
  /** As stored: null when the instance has none. */
  metadata: Record<string, unknown> | null;
  /** The stand-in app of a workspace template's instance (port, when it listened and turned ready), or null. */
  app: AppTimes | null;
  /** The rest of the instance object, which differs between API generations. */
  [field: string]: unknown;
}

/** The answer of `GET /_emulator/apps` and of changes to it. */
export interface AdminAppList {
  apps: AppBehaviour[];
}

/** The answer of `GET /_emulator/instances`. */
export interface AdminInstanceList {
  data: AdminInstance[];
}
