import { z } from "zod";
import type { TemplateDef } from "./catalog";
import { API_KEY_PATTERN, INSTANCE_ID_PATTERN, TEMPLATE_NAME_PATTERN, WORKSPACE_ID_PATTERN } from "./ids";
import type { ArchiveFacts, BuildRecord, DomainRecord, InstanceRecord, SshKeyRecord, Status } from "./model";
import { SSH_KEY_TYPES } from "./ssh";

/**
 * Schemas of the state file. A state file is input like any request body: a crafted or damaged
 * one must fail to load, naming the file and the field, before any of it is used (an instance id
 * becomes a folder name for exec, and a record missing a field would make every listing fail).
 *
 * Every object is strict: a field the emulator does not know is refused rather than silently
 * dropped, so a record kind added to the model without its schema fails its own tests.
 *
 * Adding a record kind (templates builds, domains, SSH keys, ...): give it a schema here (typed
 * with `satisfies z.ZodType<YourRecord>` so the model and the schema cannot drift apart), add it
 * to `SnapshotSchema` with `.default([])` / `.default({})`, so files written before the kind
 * existed load with an empty map, and keep `version: 1` for such additive changes.
 */

const int = z.number().int();
const nonNegInt = int.min(0);
/** Epoch milliseconds, fractional (the emulator's clock). */
const epochMs = z.number().nonnegative();
const port = int.min(1).max(65535);
/** A DNS label of an instance-plane host: lowercase letters, digits, inner hyphens. */
const hostLabel = z.string().regex(/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/, { error: "must be a lowercase DNS label" });
const ENV_KEY = /^[A-Z][A-Z0-9_]*$/;

const STATUSES = [
  "provisioning",
  "running",
  "stopping",
  "stopped",
  "starting",
  "restarting",
  "updating",
  "sleeping",
  "waking",
  "failed",
  "deleting",
  "deleted",
] as const satisfies readonly Status[];

export const InstanceId = z.string().regex(INSTANCE_ID_PATTERN, { error: `must match ${String(INSTANCE_ID_PATTERN)}` });
export const WorkspaceId = z.string().regex(WORKSPACE_ID_PATTERN, { error: `must match ${String(WORKSPACE_ID_PATTERN)}` });
export const TemplateName = z.string().regex(TEMPLATE_NAME_PATTERN, { error: `must match ${String(TEMPLATE_NAME_PATTERN)}` });

const StatusReasonSchema = z.strictObject({
  code: z.string(),
  message: z.string(),
  operation: z.string(),
  at: nonNegInt,
  detail: z.string().exactOptional(),
});

const PublicPortSchema = z.strictObject({
  port,
  host: hostLabel,
  prefix: hostLabel.nullable(),
  label: z.string().max(64).nullable(),
  created: nonNegInt,
});

export const InstanceRecordSchema = z.strictObject({
  id: InstanceId,
  workspace: WorkspaceId,
  seq: nonNegInt,
  status: z.enum(STATUSES),
  statusReason: StatusReasonSchema.nullable(),
  template: z.string().min(1),
  templateName: TemplateName,
  pin: z.string().min(1).nullable(),
  templateRevision: nonNegInt.nullable(),
  imageRef: z.string().min(1).nullable(),
  imageDigest: z.string().min(1).nullable(),
  resources: z.strictObject({ cpu: int.min(1), memory: int.min(1), disk: int.min(1) }),
  type: z.enum(["dedicated", "shared"]),
  user: z.string().max(200).nullable(),
  name: z.string().max(60).nullable(),
  metadata: z.record(z.string(), z.unknown()).nullable(),
  env: z.record(z.string().regex(ENV_KEY, { error: "keys must be uppercase letters, digits and underscores" }), z.string()),
  autoSleep: z.boolean(),
  idleTimeoutSeconds: int.min(60).max(86400),
  publicPorts: z.array(PublicPortSchema),
  handles: z.array(z.strictObject({ port, handle: z.string().regex(/^[a-z0-9]{24}$/, { error: "must be 24 lowercase letters or digits" }) })),
  budget: z.strictObject({
    monthlyCapMicros: nonNegInt,
    creditRemainingMicros: nonNegInt,
    updatedAt: nonNegInt,
    topUpKeys: z.array(z.string()),
  }),
  created: nonNegInt,
  bootFrom: epochMs.nullable(),
  unhealthyUntil: epochMs.nullable(),
  // Files written before auto-sleep existed lack these three.
  lastTrafficAt: epochMs.nullable().default(null),
  sleptAt: epochMs.nullable().default(null),
  wokeAt: epochMs.nullable().default(null),
  restartCount: nonNegInt,
  op: nonNegInt,
  logs: z.array(z.string()),
}) satisfies z.ZodType<InstanceRecord>;

const digest = z.string().regex(/^sha256:[0-9a-f]{64}$/, { error: "must be sha256: and 64 hex digits" });

const TemplateVersionSchema = z.strictObject({
  version: z.string().min(1),
  // Null for a revision made by a build, which has its own digest instead.
  imageRef: z.string().min(1).nullable(),
  imageDigest: digest.optional(),
  created: nonNegInt.nullable(),
});

export const TemplateDefSchema = z.strictObject({
  name: TemplateName,
  scope: z.enum(["system", "workspace"]),
  agents: z.array(z.string()),
  description: z.string(),
  defaultPort: port.nullable(),
  listening: z.array(port),
  genBPorts: z.array(z.strictObject({ port, default: z.boolean() })),
  // A template without a version has no current image: every create from it would fail.
  versions: z.array(TemplateVersionSchema).min(1),
  created: nonNegInt.nullable(),
  updated: nonNegInt.nullable(),
}) satisfies z.ZodType<TemplateDef>;

export const DomainRecordSchema = z.strictObject({
  domain: z.string().regex(/^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+$/, { error: "must be a lowercase domain name" }),
  workspace: WorkspaceId,
  seq: nonNegInt,
  status: z.enum(["pending", "active"]),
  nameservers: z.array(z.string().min(1)),
  created: nonNegInt,
  addedAt: epochMs,
  held: z.boolean(),
}) satisfies z.ZodType<DomainRecord>;

export const SshKeyRecordSchema = z.strictObject({
  id: z.string().regex(/^key_[a-z0-9]{16}$/, { error: "must be key_ and 16 lowercase letters or digits" }),
  workspace: WorkspaceId,
  seq: nonNegInt,
  name: z.string().max(100).nullable(),
  type: z.enum(SSH_KEY_TYPES),
  fingerprint: z.string().regex(/^SHA256:[A-Za-z0-9+/]{43}$/, { error: "must be an OpenSSH SHA256 fingerprint" }),
  publicKey: z.string().min(1),
  created: nonNegInt,
}) satisfies z.ZodType<SshKeyRecord>;

const ArchiveFactsSchema = z.strictObject({
  bytes: nonNegInt,
  sha256: digest,
  problem: z.string().nullable(),
  entries: nonNegInt,
  dockerfile: z.boolean(),
  instructions: z.array(z.string()),
  // Files written by 0.1.0 lack it (their builds kept every instruction).
  droppedInstructions: nonNegInt.optional(),
}) satisfies z.ZodType<ArchiveFacts>;

export const BuildRecordSchema = z.strictObject({
  id: z.string().regex(/^tb_[0-9a-f]{20}$/, { error: "must be tb_ and 20 lowercase hex digits" }),
  workspace: WorkspaceId,
  name: TemplateName,
  sizeBytes: int.min(1).max(100_000_000),
  description: z.string().optional(),
  defaultPort: port.nullable().optional(),
  genBPorts: z.array(z.strictObject({ port, default: z.boolean() })).optional(),
  created: nonNegInt,
  expiresAt: nonNegInt,
  uploadToken: z.string().regex(/^[0-9a-f]{48}$/, { error: "must be 48 lowercase hex digits" }),
  upload: ArchiveFactsSchema.nullable(),
  startedAt: epochMs.nullable(),
  outcome: z
    .discriminatedUnion("status", [
      z.strictObject({ status: z.literal("succeeded"), revision: int.min(1) }),
      z.strictObject({ status: z.literal("failed"), code: z.string().min(1), message: z.string() }),
    ])
    .nullable(),
}) satisfies z.ZodType<BuildRecord>;

/** The whole file. */
export const SnapshotSchema = z
  .strictObject({
    version: z.literal(1, { error: "must be 1 (the only state file version this emulator reads)" }),
    generatedKey: z.string().regex(API_KEY_PATTERN, { error: "must be an sk_live_ key" }).optional(),
    seq: nonNegInt,
    instances: z.array(InstanceRecordSchema),
    templates: z.record(WorkspaceId, z.array(TemplateDefSchema)),
    domains: z.array(DomainRecordSchema).default([]),
    sshKeys: z.array(SshKeyRecordSchema).default([]),
    // Deleted workspace templates, kept for the instances made from them.
    retiredTemplates: z.record(WorkspaceId, z.array(TemplateDefSchema)).default({}),
    builds: z.array(BuildRecordSchema).default([]),
  })
  .superRefine((snap, ctx) => {
    const seen = new Set<string>();
    snap.instances.forEach((rec, i) => {
      if (seen.has(rec.id)) ctx.addIssue({ code: "custom", path: ["instances", i, "id"], message: `repeats instance id ${rec.id}` });
      seen.add(rec.id);
    });
    const domains = new Set<string>();
    snap.domains.forEach((d, i) => {
      if (domains.has(d.domain)) ctx.addIssue({ code: "custom", path: ["domains", i, "domain"], message: `repeats domain ${d.domain}` });
      domains.add(d.domain);
    });
    const keyIds = new Set<string>();
    snap.sshKeys.forEach((k, i) => {
      if (keyIds.has(k.id)) ctx.addIssue({ code: "custom", path: ["sshKeys", i, "id"], message: `repeats SSH key id ${k.id}` });
      keyIds.add(k.id);
    });
    const builds = new Set<string>();
    snap.builds.forEach((b, i) => {
      if (builds.has(b.id)) ctx.addIssue({ code: "custom", path: ["builds", i, "id"], message: `repeats build id ${b.id}` });
      builds.add(b.id);
    });
    for (const [ws, list] of Object.entries(snap.templates)) {
      const names = new Set<string>();
      list.forEach((tpl, i) => {
        if (names.has(tpl.name)) ctx.addIssue({ code: "custom", path: ["templates", ws, i, "name"], message: `repeats template name ${tpl.name}` });
        names.add(tpl.name);
      });
    }
  });

export type Snapshot = z.infer<typeof SnapshotSchema>;
