// Schemas of Agent37 hosting-API and gateway payloads. Parsed tolerantly: unknown fields pass
// (`.loose()`), and fields one API generation lacks are optional (docs/provider.md, "Two API generations").
import * as z from "zod";

const nullableString = z.string().nullable().optional();

export const PortEntry = z.looseObject({ port: z.number().int(), default: z.boolean(), url: z.string() });
export type PortEntry = z.infer<typeof PortEntry>;

export const PublicPortEntry = z.looseObject({
  port: z.number().int(),
  url: z.string(),
  domain_urls: z.array(z.string()).optional(),
  prefix: nullableString,
  label: nullableString,
  created: z.number().nullable().optional(),
});
export type PublicPortEntry = z.infer<typeof PublicPortEntry>;

export const StatusReason = z.looseObject({
  code: z.string().optional(),
  message: z.string().optional(),
  detail: nullableString,
  operation: nullableString,
  at: z.number().nullable().optional(),
});

export const Instance = z.looseObject({
  id: z.string().min(1),
  status: z.string(),
  status_reason: StatusReason.nullable().optional(),
  template: z.string().optional(),
  template_revision: z.number().nullable().optional(),
  image_ref: nullableString,
  image_digest: nullableString,
  resources: z.looseObject({ cpu: z.number(), memory: z.number(), disk: z.number() }).optional(),
  /** Gen C (2026-08) only: the default-port URL. */
  url: z.string().optional(),
  /** Gen B (2026-06) only: every exposed port with its URL (opaque handles allowed). */
  ports: z.array(PortEntry).optional(),
  domain_urls: z.array(z.string()).optional(),
  public_ports: z.array(PublicPortEntry).optional(),
  user: nullableString,
  name: nullableString,
  metadata: z.record(z.string(), z.unknown()).nullable().optional(),
  auto_sleep: z.boolean().optional(),
  idle_timeout_seconds: z.number().optional(),
  past_due: z.boolean().optional(),
  created: z.number().optional(),
});
export type Instance = z.infer<typeof Instance>;

export const InstanceList = z.looseObject({ data: z.array(Instance) });

/** Small acks of lifecycle calls: `{id, status, ...}`. */
export const LifecycleAck = z.looseObject({ id: z.string().optional(), status: z.string().optional() });

export const Template = z.looseObject({
  name: z.string(),
  scope: z.string().optional(),
  agents: z.array(z.string()).optional(),
  default_port: z.number().int().nullable().optional(),
  /** Gen B templates. */
  ports: z.array(z.looseObject({ port: z.number().int(), default: z.boolean().optional() })).optional(),
});
export type Template = z.infer<typeof Template>;

export const Budget = z.looseObject({
  monthly_cap_micros: z.number().optional(),
  credit_remaining_micros: z.number().optional(),
});

/** Gateway `GET /v1/health`; older gateways sent only `{ok, hermes}`. */
export const Health = z.looseObject({
  ok: z.boolean(),
  healthy: z.boolean().optional(),
  hermes: z.boolean().optional(),
  agent: z.string().optional(),
});
export type Health = z.infer<typeof Health>;

export const Version = z.looseObject({ name: z.string().optional(), version: z.string().optional() });

export const Anything = z.unknown();
