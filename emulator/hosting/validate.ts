import { z } from "zod";
import { findShape, RESERVED_ENV, RESERVED_PUBLIC_PORTS, SHAPE_LIST, type Shape } from "../catalog";
import { api } from "../errors";

/**
 * Request-body schemas of the hosting API. Structure is checked by zod; rules whose message must
 * list valid values (shapes, reserved names) are checked by hand after parsing. Unknown fields are
 * rejected on every body: the docs are silent, and a typo silently ignored is worse.
 */

const int = (rule = "must be an integer") => z.number({ error: rule }).int({ error: rule });
const nonNegInt = () => int("must be a non-negative integer").min(0, { error: "must be a non-negative integer" });

/** Renders zod issues as one message naming each field and its rule. */
export function issuesMessage(issues: readonly z.core.$ZodIssue[]): string {
  return issues
    .map((issue) => {
      const where = issue.path.map(String).join(".");
      if (issue.code === "unrecognized_keys") {
        const fields = issue.keys.map((k) => `\`${where ? `${where}.` : ""}${k}\``).join(", ");
        return `unknown field ${fields}`;
      }
      return where ? `\`${where}\` ${issue.message}` : issue.message;
    })
    .join("; ");
}

export function parseWith<T extends z.ZodType>(schema: T, body: unknown): z.infer<T> {
  const result = schema.safeParse(body);
  if (!result.success) throw api.invalidRequest(`Invalid request: ${issuesMessage(result.error.issues)}.`);
  return result.data;
}

const nullableString = (max: number) => z.string({ error: "must be a string or null" }).max(max, { error: `must be at most ${max} characters` }).nullable();
const metadata = z.record(z.string(), z.unknown(), { error: "must be an object or null" }).nullable();

const ResourcesIn = z
  .object({ cpu: int().optional(), memory: int().optional(), disk: int("must be a whole number of GB").optional() }, { error: "must be an object {cpu, memory, disk}" })
  .strict();

const PublicPortIn = z
  .object({
    port: int("must be an integer 1..65535").min(1, { error: "must be an integer 1..65535" }).max(65535, { error: "must be an integer 1..65535" }),
    prefix: z.string({ error: "must be a string" }).optional(),
    label: z.string({ error: "must be a string" }).max(64, { error: "must be at most 64 characters" }).optional(),
  })
  .strict();

export const CreateBody = z
  .object({
    template: z.string({ error: "must be a template name" }).optional(),
    resources: ResourcesIn.optional(),
    type: z.enum(["dedicated", "shared"], { error: 'must be "dedicated" or "shared"' }).optional(),
    user: nullableString(200).optional(),
    name: nullableString(60).optional(),
    metadata: metadata.optional(),
    env: z.record(z.string(), z.string({ error: "values must be strings" }).max(4096, { error: "values must be at most 4096 characters" }), { error: "must be an object of strings" }).optional(),
    budget: z.object({ monthly_cap_micros: nonNegInt().optional(), credit_micros: nonNegInt().optional() }, { error: "must be an object" }).strict().optional(),
    auto_sleep: z.boolean({ error: "must be a boolean" }).optional(),
    idle_timeout_seconds: int("must be an integer 60..86400").min(60, { error: "must be an integer 60..86400" }).max(86400, { error: "must be an integer 60..86400" }).optional(),
    public_ports: z.array(PublicPortIn, { error: "must be an array of {port, prefix?}" }).max(20, { error: "may list at most 20 ports" }).optional(),
  })
  .strict();
export type CreateBody = z.infer<typeof CreateBody>;

export const PatchBody = z
  .object({
    name: nullableString(60).optional(),
    user: nullableString(200).optional(),
    metadata: metadata.optional(),
    auto_sleep: z.boolean({ error: "must be a boolean" }).optional(),
    idle_timeout_seconds: int("must be an integer 60..86400").min(60, { error: "must be an integer 60..86400" }).max(86400, { error: "must be an integer 60..86400" }).optional(),
  })
  .strict();
export type PatchBody = z.infer<typeof PatchBody>;

export const ResizeBody = z.object({ cpu: int().optional(), memory: int().optional(), disk: int("must be a whole number of GB").optional() }).strict();
export const UpdateBody = z.object({ template: z.string({ error: "must be a template name" }).optional() }).strict();
export const ExecBody = z.object({ command: z.string({ error: "is required and must be a string" }) }).strict();
export const PublicPortBody = PublicPortIn;
export const BudgetPatchBody = z.object({ monthly_cap_micros: nonNegInt() }).strict();
export const TopUpBody = z
  .object({
    amount_micros: int("must be a positive integer").min(1, { error: "must be a positive integer" }),
    idempotency_key: z.string({ error: "must be a string" }).regex(/^[A-Za-z0-9_-]{1,64}$/, { error: "must match ^[A-Za-z0-9_-]{1,64}$" }).optional(),
  })
  .strict();

const METADATA_MAX = 4096;

/** `null`, `""` clear a label; over-long ones were rejected by the schema. */
export function label(value: string | null | undefined): string | null {
  return value === undefined || value === null || value === "" ? null : value;
}

export function checkMetadata(value: Record<string, unknown> | null | undefined): Record<string, unknown> | null {
  if (value === undefined || value === null) return null;
  if (Buffer.byteLength(JSON.stringify(value)) > METADATA_MAX) throw api.invalidRequest("Invalid request: `metadata` must be at most 4 KB when serialized.");
  return Object.keys(value).length === 0 ? null : value;
}

const ENV_KEY = /^[A-Z][A-Z0-9_]*$/;

export function checkEnv(env: Record<string, string> | undefined): Record<string, string> {
  if (!env) return {};
  const keys = Object.keys(env);
  if (keys.length > 32) throw api.invalidRequest(`Invalid request: \`env\` may have at most 32 entries (got ${keys.length}).`);
  for (const key of keys) {
    if (!ENV_KEY.test(key)) throw api.invalidRequest(`Invalid request: \`env\` key "${key}" must be uppercase letters, digits and underscores, starting with a letter.`);
    if (RESERVED_ENV.has(key)) throw api.invalidRequest(`Invalid request: \`env\` key "${key}" is reserved by the platform.`);
  }
  return { ...env };
}

const PREFIX = /^[a-z0-9](?:[a-z0-9-]{0,28}[a-z0-9])?$/;

export function checkPublicPort(p: { port: number; prefix?: string | undefined }, field: string): void {
  if (RESERVED_PUBLIC_PORTS.has(p.port)) {
    throw api.invalidRequest(`Invalid request: \`${field}.port\` ${p.port} is reserved (reserved: ${[...RESERVED_PUBLIC_PORTS].join(", ")}).`);
  }
  if (p.prefix !== undefined && !PREFIX.test(p.prefix)) {
    throw api.invalidRequest(`Invalid request: \`${field}.prefix\` must be 1-30 lowercase letters, digits or hyphens, without a leading or trailing hyphen.`);
  }
}

/** Resolves `{cpu, memory, disk}` with the documented defaults; throws listing the valid shapes. */
export function resolveResources(r: { cpu?: number | undefined; memory?: number | undefined; disk?: number | undefined } | undefined): { shape: Shape; disk: number } {
  const cpu = r?.cpu ?? 2;
  const memory = r?.memory ?? 4;
  const shape = findShape(cpu, memory);
  if (!shape) throw api.invalidRequest(`Invalid request: \`resources\` ${cpu} vCPU/${memory} GB is not an available shape. Valid shapes: ${SHAPE_LIST}.`);
  const disk = r?.disk ?? shape.diskDefault;
  if (disk < shape.diskMin || disk > shape.diskMax) {
    throw api.invalidRequest(`Invalid request: \`resources.disk\` must be ${shape.diskMin}-${shape.diskMax} GB for the ${cpu} vCPU/${memory} GB shape. Valid shapes: ${SHAPE_LIST}.`);
  }
  return { shape, disk };
}
