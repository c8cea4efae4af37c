import type { AppRegistry } from "./app";
import type { TemplateDef } from "./catalog";
import { seededTemplate, SYSTEM_TEMPLATES } from "./catalog";
import { epochSeconds } from "./clock";
import type { Faults } from "./faults";
import type { ExecRunner } from "./hosting/exec";
import type { InstanceRecord, Status } from "./model";
import type { NormalizedOptions } from "./options";
import type { View } from "./present";
import type { RequestLog } from "./requests";
import type { Store, Workspace } from "./state";

/** A conversation held by an instance's echo agent (in memory; lost when the gateway reboots). */
export interface SessionRecord {
  id: string;
  startedAt: number;
  lastActive: number;
  /** Activity order: timestamps tie within a millisecond. */
  activity: number;
  history: { id: string; session_id: string; role: "user" | "assistant"; content: string; created_at: number }[];
}

/** Everything a handler needs: one per running emulator. */
export interface Runtime {
  opts: NormalizedOptions;
  store: Store;
  view: View;
  faults: Faults;
  requests: RequestLog;
  /** Aborted when the emulator closes: pending sleeps reject and background work stops. */
  signal: AbortSignal;
  /** Whether the server listens on loopback only (exec is offered only then). */
  loopback: boolean;
  exec: ExecRunner;
  /** The transition in progress per instance, so a same-direction call can wait for it. */
  inflight: Map<string, { via: Status; done: Promise<void> }>;
  sessions: Map<string, Map<string, SessionRecord>>;
  /** Instance-plane requests being answered per instance id: an instance never sleeps under one. */
  traffic: Map<string, number>;
  /** How the stand-in apps of workspace templates behave. */
  apps: AppRegistry;
}

/** Resolves a template by name for a workspace: system catalog first, then workspace templates. */
export function findTemplate(rt: Runtime, workspace: Workspace | undefined, name: string): TemplateDef | undefined {
  const system = SYSTEM_TEMPLATES.find((t) => t.name === name);
  if (system) return system;
  return workspace ? rt.store.workspaceTemplates(workspace).get(name) : undefined;
}

/** The template an instance was made from (a deleted one still serves the instances made from it). */
export function templateOf(rt: Runtime, rec: InstanceRecord): TemplateDef | undefined {
  const system = SYSTEM_TEMPLATES.find((t) => t.name === rec.templateName);
  if (system) return system;
  const ws = rt.store.workspaceById(rec.workspace);
  return (ws ? rt.store.workspaceTemplates(ws).get(rec.templateName) : undefined) ?? rt.store.retiredTemplates(rec.workspace).get(rec.templateName);
}

/** Adds the `workspaceTemplates` option's templates to every workspace that lacks them. */
export function seedWorkspaceTemplates(rt: Runtime): void {
  const created = epochSeconds();
  for (const key of rt.store.keys()) {
    const ws = rt.store.workspaceForKey(key);
    if (!ws) continue;
    const own = rt.store.workspaceTemplates(ws);
    for (const seed of rt.opts.workspaceTemplates) if (!own.has(seed.name)) own.set(seed.name, seededTemplate(seed, created));
  }
}
