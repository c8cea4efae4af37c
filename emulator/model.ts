/** Persisted records. Field names are the emulator's own; `present.ts` renders the wire shapes. */
import type { SshKeyType } from "./ssh";

export type Status =
  | "provisioning"
  | "running"
  | "stopping"
  | "stopped"
  | "starting"
  | "restarting"
  | "updating"
  | "sleeping"
  | "waking"
  | "failed"
  | "deleting"
  | "deleted";

export const TRANSITIONAL: ReadonlySet<Status> = new Set(["provisioning", "stopping", "starting", "restarting", "updating", "waking", "deleting"]);

export interface Resources {
  cpu: number;
  memory: number;
  disk: number;
}

export interface StatusReason {
  code: string;
  message: string;
  operation: string;
  at: number;
  detail?: string;
}

export interface PublicPortRecord {
  port: number;
  /** Host label: a 20-char slug, or `{prefix}-{id}`. */
  host: string;
  prefix: string | null;
  label: string | null;
  created: number;
}

export interface BudgetRecord {
  monthlyCapMicros: number;
  creditRemainingMicros: number;
  updatedAt: number;
  topUpKeys: string[];
}

export interface InstanceRecord {
  id: string;
  /** Workspace id (a hash of its key; never the key). */
  workspace: string;
  /** Creation order, for "newest first" among instances created in the same millisecond. */
  seq: number;
  status: Status;
  statusReason: StatusReason | null;
  /** As requested, including a pin (`agent37-hermes@2026.07.02b`). */
  template: string;
  templateName: string;
  /** Pinned version, or null when the instance follows the template's current version. */
  pin: string | null;
  templateRevision: number | null;
  imageRef: string | null;
  imageDigest: string | null;
  resources: Resources;
  type: "dedicated" | "shared";
  user: string | null;
  name: string | null;
  metadata: Record<string, unknown> | null;
  /** Write-only: applied to exec, never rendered. */
  env: Record<string, string>;
  autoSleep: boolean;
  idleTimeoutSeconds: number;
  publicPorts: PublicPortRecord[];
  /** 2026-06 opaque handle hosts of the non-default ports. */
  handles: { port: number; handle: string }[];
  budget: BudgetRecord;
  /** Epoch seconds. */
  created: number;
  /** Epoch ms (fractional) of the last time the container (re)started: the gateway boots from here. */
  bootFrom: number | null;
  /** Last time an `unhealthy` fault held health down (health turns true only after it lifts). */
  unhealthyUntil: number | null;
  /** Epoch ms of the last instance-plane request forwarded to the instance (its idle clock). */
  lastTrafficAt: number | null;
  /** Epoch ms when the instance fell asleep; null unless `sleeping`. */
  sleptAt: number | null;
  /** Epoch ms of the last wake (requests are held while that boot lasts). */
  wokeAt: number | null;
  restartCount: number;
  /** Bumped by every transition so a stale background completion can tell it was superseded. */
  op: number;
  logs: string[];
}

/** A custom domain (agent37-api: custom domains). Held globally: one workspace per name. */
export interface DomainRecord {
  /** Lowercased apex name; also the key. */
  domain: string;
  workspace: string;
  /** Creation order: `domain_urls` list active domains oldest first. */
  seq: number;
  status: "pending" | "active";
  nameservers: string[];
  /** Epoch seconds. */
  created: number;
  /** Epoch ms (fractional) it was added: `verifyMs` counts from here. */
  addedAt: number;
  /** Set by the admin surface: verify keeps answering `pending` (DNS never delegated). */
  held: boolean;
}

/** A workspace SSH key. The public key is kept (never echoed), as the platform must keep it. */
export interface SshKeyRecord {
  id: string;
  workspace: string;
  seq: number;
  name: string | null;
  type: SshKeyType;
  fingerprint: string;
  publicKey: string;
  /** Epoch seconds. */
  created: number;
}

/** What the scan of an uploaded build context found (see `archive.ts`). */
export interface ArchiveFacts {
  /** Bytes received. */
  bytes: number;
  /** `sha256:` + hex of the uploaded bytes. */
  sha256: string;
  /** Why the context cannot be built as a gzipped tar, or null. */
  problem: string | null;
  /** Entries in the tar (directories included). */
  entries: number;
  /** Whether a regular file `Dockerfile` sits at the root. */
  dockerfile: boolean;
  /** The Dockerfile's instructions (continuations joined, comments dropped), at most 200. */
  instructions: string[];
  /** Set once a finished build's instructions were dropped (retention): how many there were. */
  droppedInstructions?: number | undefined;
}

/** A template build (`tb_...`). Its status is derived from `startedAt` and the configured timings. */
export interface BuildRecord {
  id: string;
  workspace: string;
  name: string;
  sizeBytes: number;
  /** Settings given at create; absent ones keep the template's (or the defaults for a new one). */
  description?: string | undefined;
  defaultPort?: number | null | undefined;
  genBPorts?: { port: number; default: boolean }[] | undefined;
  /** Epoch seconds. */
  created: number;
  expiresAt: number;
  /** The secret of the presigned upload URL. */
  uploadToken: string;
  upload: ArchiveFacts | null;
  /** Epoch ms of `start`, or null while `created`. */
  startedAt: number | null;
  /** Set once the build's end has been applied (the template revision it made, or its error). */
  outcome: { status: "succeeded"; revision: number } | { status: "failed"; code: string; message: string } | null;
}
