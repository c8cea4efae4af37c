import * as fs from "node:fs";
import * as path from "node:path";
import { epochSeconds, now } from "./clock";
import { sandboxTemplate, type TemplateDef } from "./catalog";
import { workspaceId } from "./ids";
import type { BuildRecord, DomainRecord, InstanceRecord, SshKeyRecord, Status } from "./model";
import type { NormalizedWorkspace } from "./options";
import { SnapshotSchema, type Snapshot } from "./state-schema";
import { issuesMessage } from "./hosting/validate";

export interface Workspace extends NormalizedWorkspace {
  id: string;
}

/** Where an instance caught mid-transition by a restart of the emulator ends up. */
const SETTLE: Partial<Record<Status, Status>> = {
  provisioning: "running",
  starting: "running",
  restarting: "running",
  updating: "running",
  waking: "running",
  stopping: "stopped",
  deleting: "deleted",
};

/**
 * The emulator's whole state: workspaces (from options), instances of every workspace (deleted
 * ones are kept for the admin listing), and workspace templates. Mutations call `changed()`,
 * which persists to the state file (debounced; `flush()` writes at once).
 */
export class Store {
  private readonly byKey = new Map<string, Workspace>();
  readonly instances = new Map<string, InstanceRecord>();
  /** Custom domains of every workspace, by name (a name is held by one workspace at most). */
  readonly domains = new Map<string, DomainRecord>();
  readonly sshKeys = new Map<string, SshKeyRecord>();
  private readonly templates = new Map<string, Map<string, TemplateDef>>();
  private readonly retired = new Map<string, Map<string, TemplateDef>>();
  /** Template builds of every workspace, by id. */
  readonly builds = new Map<string, BuildRecord>();
  private seq = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    workspaces: NormalizedWorkspace[],
    private readonly statePath: string | undefined,
  ) {
    for (const ws of workspaces) this.addWorkspace(ws);
  }

  private addWorkspace(ws: NormalizedWorkspace): void {
    const record: Workspace = { ...ws, id: workspaceId(ws.key) };
    this.byKey.set(ws.key, record);
    if (!this.templates.has(record.id)) this.templates.set(record.id, new Map([["sandbox", sandboxTemplate(epochSeconds())]]));
  }

  workspaceForKey(key: string): Workspace | undefined {
    return this.byKey.get(key);
  }

  workspaceById(id: string): Workspace | undefined {
    for (const ws of this.byKey.values()) if (ws.id === id) return ws;
    return undefined;
  }

  keys(): string[] {
    return [...this.byKey.keys()];
  }

  nextSeq(): number {
    return ++this.seq;
  }

  workspaceTemplates(ws: Workspace): Map<string, TemplateDef> {
    let map = this.templates.get(ws.id);
    if (!map) {
      map = new Map([["sandbox", sandboxTemplate(epochSeconds())]]);
      this.templates.set(ws.id, map);
    }
    return map;
  }

  /** Deleted workspace templates of a workspace (by workspace id), for the instances made from them. */
  retiredTemplates(wsId: string): Map<string, TemplateDef> {
    let map = this.retired.get(wsId);
    if (!map) {
      map = new Map();
      this.retired.set(wsId, map);
    }
    return map;
  }

  /** A live (not deleted) instance of this workspace, or undefined: other workspaces' ids look unknown. */
  instanceOf(ws: Workspace, id: string): InstanceRecord | undefined {
    const rec = this.instances.get(id);
    if (!rec || rec.workspace !== ws.id || rec.status === "deleted") return undefined;
    return rec;
  }

  /** Newest first. */
  liveInstances(ws: Workspace): InstanceRecord[] {
    return [...this.instances.values()].filter((r) => r.workspace === ws.id && r.status !== "deleted").sort((a, b) => b.seq - a.seq);
  }

  allInstances(): InstanceRecord[] {
    return [...this.instances.values()].sort((a, b) => b.seq - a.seq);
  }

  /** A workspace's custom domains, oldest first. */
  domainsOf(workspace: string): DomainRecord[] {
    return [...this.domains.values()].filter((d) => d.workspace === workspace).sort((a, b) => a.seq - b.seq);
  }

  /** A workspace's SSH keys, newest first. */
  sshKeysOf(workspace: string): SshKeyRecord[] {
    return [...this.sshKeys.values()].filter((k) => k.workspace === workspace).sort((a, b) => b.seq - a.seq);
  }

  /** Clears instances, workspace templates, builds, domains and SSH keys (the admin reset). */
  reset(): void {
    this.instances.clear();
    this.domains.clear();
    this.sshKeys.clear();
    this.templates.clear();
    this.retired.clear();
    this.builds.clear();
    for (const ws of this.byKey.values()) this.workspaceTemplates(ws);
    this.changed();
  }

  changed(): void {
    if (!this.statePath || this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.flush();
    }, 20);
  }

  /** Writes the state file atomically (temp file + rename). */
  flush(): void {
    // Before the timer is cleared: whatever the hook changes is written by this flush.
    this.beforeFlush?.();
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    if (!this.statePath) return;
    const snapshot: Snapshot = {
      version: 1,
      ...(this.generatedKey !== undefined ? { generatedKey: this.generatedKey } : {}),
      seq: this.seq,
      instances: [...this.instances.values()],
      templates: Object.fromEntries([...this.templates].map(([ws, map]) => [ws, [...map.values()]])),
      domains: [...this.domains.values()],
      sshKeys: [...this.sshKeys.values()],
      retiredTemplates: Object.fromEntries([...this.retired].map(([ws, map]) => [ws, [...map.values()]])),
      builds: [...this.builds.values()],
    };
    const tmp = `${this.statePath}.${process.pid}.tmp`;
    // The file holds instances' env values (secrets) and possibly the generated key: owner only.
    fs.mkdirSync(path.dirname(this.statePath), { recursive: true, mode: 0o700 });
    fs.writeFileSync(tmp, JSON.stringify(snapshot), { mode: 0o600 });
    // `mode` applies only when the file is created; a leftover temporary file keeps its own.
    fs.chmodSync(tmp, 0o600);
    fs.renameSync(tmp, this.statePath);
  }

  /** Runs before each write, so derived state (auto-sleep) is settled into the file. */
  beforeFlush: (() => void) | undefined;

  /** The generated default key, kept in the state file so a restarted emulator accepts it again. */
  generatedKey: string | undefined;

  /**
   * Loads the state file if it exists. Instances caught mid-transition settle to their terminal
   * state, and running ones reboot their gateway (the emulator restarted under them).
   * Returns the generated key recorded in the file, if any.
   */
  load(): string | undefined {
    if (!this.statePath || !fs.existsSync(this.statePath)) return undefined;
    const snapshot = readSnapshot(this.statePath);
    this.seq = Math.max(snapshot.seq, ...[...snapshot.instances, ...snapshot.domains, ...snapshot.sshKeys].map((r) => r.seq));
    const t = now();
    for (const rec of snapshot.instances) {
      const settled = SETTLE[rec.status];
      if (settled) rec.status = settled;
      rec.op += 1;
      rec.wokeAt = null;
      // A sleeping instance stays asleep (its checkpoint survives); only a request or start wakes it.
      if (rec.status !== "sleeping") rec.sleptAt = null;
      if (rec.status === "running") {
        rec.bootFrom = t;
        rec.unhealthyUntil = null;
      }
      this.instances.set(rec.id, rec);
    }
    for (const [ws, list] of Object.entries(snapshot.templates)) this.templates.set(ws, new Map(list.map((tpl) => [tpl.name, tpl])));
    for (const d of snapshot.domains) this.domains.set(d.domain, d);
    for (const k of snapshot.sshKeys) this.sshKeys.set(k.id, k);
    for (const [ws, list] of Object.entries(snapshot.retiredTemplates)) this.retired.set(ws, new Map(list.map((tpl) => [tpl.name, tpl])));
    // A build caught running goes on from its timestamps: its end is applied by the next settle.
    for (const build of snapshot.builds) this.builds.set(build.id, build);
    return snapshot.generatedKey;
  }

  /** Swaps the generated default workspace for the one recorded in the state file. */
  adoptGeneratedKey(oldKey: string, savedKey: string): void {
    const ws = this.byKey.get(oldKey);
    if (!ws) return;
    this.byKey.delete(oldKey);
    this.templates.delete(ws.id);
    this.addWorkspace({ key: savedKey, topUpsMicros: ws.topUpsMicros, balanceMicros: ws.balanceMicros, shared: ws.shared });
  }
}

/** Error of a state file that cannot be used: it names the file and, when it can, the field. */
export class StateFileError extends Error {
  constructor(file: string, detail: string) {
    super(`Emulator state file ${file} is invalid: ${detail}. Fix or remove the file.`);
    this.name = "StateFileError";
  }
}

/** Reads and validates the whole file before any of it is used. */
function readSnapshot(file: string): Snapshot {
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (err) {
    throw new StateFileError(file, `not readable JSON (${err instanceof Error ? err.message : String(err)})`);
  }
  const parsed = SnapshotSchema.safeParse(raw);
  if (!parsed.success) throw new StateFileError(file, issuesMessage(parsed.error.issues));
  return parsed.data;
}
