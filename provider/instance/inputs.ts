// Schemas of the resource inputs (camelCase). Parsed strictly: an unknown field is an error.
// Each rule's message names the rule, so a check failure reads "resources.disk: ...".
import * as z from "zod";
import type { Assert, Same } from "../core/schema-type";
import { systemTemplateProblem } from "./system-templates";
import type { HealthCheckOutput, HealthStatus } from "./types";

/** Valid cpu/memory pairs and each shape's disk range and default. */
export const SHAPES: readonly { cpu: number; memory: number; diskMin: number; diskMax: number; diskDefault: number }[] = [
  { cpu: 2, memory: 4, diskMin: 2, diskMax: 12, diskDefault: 4 },
  { cpu: 4, memory: 8, diskMin: 2, diskMax: 20, diskDefault: 6 },
  { cpu: 8, memory: 16, diskMin: 2, diskMax: 40, diskDefault: 12 },
];
const SHAPE_LIST = "2/4, 4/8, 8/16 (cpu/memory GB)";

export const RESERVED_ENV_NAMES: readonly string[] = [
  "AGENT37_INSTANCE_ID",
  "AGENT37_RUNTIME_IMAGE_REF",
  "AGENT37_AGENT_TYPE",
  "AGENT37_GATEWAY_PORT",
  "OPENCLAW_GATEWAY_PORT",
  "OPENCLAW_CONTROL_UI_INSTANCE_ORIGIN",
];
export const ENV_KEY_PATTERN = /^[A-Z][A-Z0-9_]*$/;
export const MAX_ENV_ENTRIES = 32;
export const MAX_ENV_VALUE_CHARS = 4096;

/** Public ports may not use these: the ports Agent37's own services listen on in every instance. */
export const RESERVED_PUBLIC_PORTS: readonly number[] = [3737, 9119, 7681, 8080, 6080, 7890, 22022];
export const MAX_PUBLIC_PORTS = 20;
export const PREFIX_PATTERN = /^[a-z0-9](?:[a-z0-9-]{0,28}[a-z0-9])?$/;

export const MAX_NAME_CHARS = 60;
export const MAX_USER_CHARS = 200;
export const MAX_METADATA_BYTES = 4096;

/** Metadata keys with this prefix belong to the provider (create marker); users may not set them. */
export const PROVIDER_METADATA_PREFIX = "pulumi-agent37:";
/**
 * Marker of an unfinished create: set by the create request, removed once the create finished
 * (success or init failure). Only instances whose create never came back carry it.
 */
export const PENDING_CREATE_KEY = `${PROVIDER_METADATA_PREFIX}pending-create`;
/** The marker that earlier builds of 0.1.0 wrote on every instance they made (never removed; ignored now). */
export const LEGACY_CREATE_TOKEN_KEY = `${PROVIDER_METADATA_PREFIX}create-token`;
/** A resource's create key: 32 lowercase hex digits, derived by the resource class (see createKeyOf). */
export const CREATE_KEY_PATTERN = /^[0-9a-f]{32}$/;
/** Longest marker value: `<create key>.<16 hex fingerprint>`; a random one-time token is shorter. */
const LONGEST_MARKER = `${"0".repeat(32)}.${"0".repeat(16)}`;
/** Size of the marker entry once serialized, reserved inside the metadata limit. */
export const CREATE_TOKEN_RESERVE_BYTES = JSON.stringify({ [PENDING_CREATE_KEY]: LONGEST_MARKER }).length - 1;

/**
 * `name` or `name@version`: lowercase name (system `agent37-*` or workspace), optional pin that
 * is a dated tag or a revision number. `@latest` and image references are refused.
 */
const TEMPLATE_PATTERN = /^[a-z][a-z0-9-]{1,62}(@[A-Za-z0-9][A-Za-z0-9._-]{0,63})?$/;

/** The first rule a template reference breaks, or undefined: one problem gets one message. */
function templateProblem(t: string): string | undefined {
  if (t.length === 0) return "must not be empty";
  if (t.includes("/") || t.includes(":")) return "must be a template name, not an image reference";
  if (t.endsWith("@latest")) return "`@latest` is not a version: omit the pin to follow the current image";
  if (!TEMPLATE_PATTERN.test(t)) return "must be `name` or `name@version` (lowercase letters, digits, hyphens; 2-63 chars)";
  return systemTemplateProblem(t.split("@")[0] as string);
}

export const TemplateInput = z.string().superRefine((t, ctx) => {
  const problem = templateProblem(t);
  if (problem !== undefined) ctx.addIssue({ code: "custom", message: problem });
});

const int = (what: string) => z.number({ error: `${what} must be a number` }).int(`${what} must be a whole number`);

export const ResourcesInput = z
  .strictObject({
    cpu: int("cpu").optional(),
    memory: int("memory").optional(),
    disk: int("disk (GB)").optional(),
  })
  .superRefine((r, ctx) => {
    const dependsOn = { dependsOn: [["resources", "cpu"], ["resources", "memory"], ["resources", "disk"]] };
    if ((r.cpu === undefined) !== (r.memory === undefined)) {
      ctx.addIssue({
        code: "custom",
        path: [r.cpu === undefined ? "cpu" : "memory"],
        message: `cpu and memory are set together as one shape: ${SHAPE_LIST}`,
        params: dependsOn,
      });
      return;
    }
    let shape = SHAPES[0];
    if (r.cpu !== undefined && r.memory !== undefined) {
      shape = SHAPES.find((s) => s.cpu === r.cpu && s.memory === r.memory);
      if (shape === undefined) {
        const validCpu = SHAPES.some((s) => s.cpu === r.cpu);
        ctx.addIssue({
          code: "custom",
          path: [validCpu ? "memory" : "cpu"],
          message: `${r.cpu}/${r.memory} is not a valid shape; valid shapes are ${SHAPE_LIST}`,
          params: dependsOn,
        });
        return;
      }
    }
    if (r.disk !== undefined && shape !== undefined && (r.disk < shape.diskMin || r.disk > shape.diskMax)) {
      ctx.addIssue({
        code: "custom",
        path: ["disk"],
        message: `disk must be ${shape.diskMin}-${shape.diskMax} GB for the ${shape.cpu}/${shape.memory} shape (got ${r.disk})`,
        params: dependsOn,
      });
    }
  });
export type ResourcesInput = z.infer<typeof ResourcesInput>;

export const EnvInput = z
  .record(
    z.string().regex(ENV_KEY_PATTERN, "env names are uppercase letters, digits and underscores, starting with a letter"),
    z
      .string({ error: "env values must be strings" })
      .max(MAX_ENV_VALUE_CHARS, `env values are at most ${MAX_ENV_VALUE_CHARS} characters`),
  )
  // Runs even when a name or value already failed (zod skips refinements after any issue by
  // default), so a lowercase name and a reserved one in the same map are both reported.
  .superRefine(
    (env, ctx) => {
      const keys = Object.keys(env);
      if (keys.length > MAX_ENV_ENTRIES) {
        ctx.addIssue({ code: "custom", message: `at most ${MAX_ENV_ENTRIES} env entries (got ${keys.length})` });
      }
      for (const k of keys) {
        if (RESERVED_ENV_NAMES.includes(k)) {
          ctx.addIssue({ code: "custom", path: [k], message: `${k} is reserved by Agent37 and cannot be set` });
        }
      }
    },
    { when: (payload) => payload.value !== null && typeof payload.value === "object" && !Array.isArray(payload.value) },
  );

const JsonValue: z.ZodType<unknown> = z.json();

export const MetadataInput = z.record(z.string(), JsonValue).superRefine((m, ctx) => {
  for (const k of Object.keys(m)) {
    if (k.startsWith(PROVIDER_METADATA_PREFIX)) {
      ctx.addIssue({ code: "custom", path: [k], message: `keys starting with "${PROVIDER_METADATA_PREFIX}" are reserved for the provider` });
    }
  }
  const bytes = Buffer.byteLength(JSON.stringify(m), "utf8");
  const limit = MAX_METADATA_BYTES - CREATE_TOKEN_RESERVE_BYTES;
  if (bytes > limit) {
    ctx.addIssue({
      code: "custom",
      message: `metadata is ${bytes} bytes serialized; the limit is 4 KB (${limit} bytes after the provider's create marker)`,
    });
  }
});

const portNumber = (what: string) => int(what).min(1, `${what} must be 1-65535`).max(65535, `${what} must be 1-65535`);

export const PublicPortInput = z.strictObject({
  port: portNumber("port").refine((p) => !RESERVED_PUBLIC_PORTS.includes(p), {
    message: `port is reserved and cannot be public (reserved: ${RESERVED_PUBLIC_PORTS.join(", ")})`,
  }),
  prefix: z
    .string()
    .regex(PREFIX_PATTERN, "prefix is 1-30 lowercase letters, digits or hyphens, with no leading or trailing hyphen")
    .optional(),
  label: z.string().max(64, "label is at most 64 characters").optional(),
});
export type PublicPortInput = z.infer<typeof PublicPortInput>;

export const PublicPortsInput = z
  .array(PublicPortInput)
  .max(MAX_PUBLIC_PORTS, `at most ${MAX_PUBLIC_PORTS} public ports per instance`)
  .superRefine((list, ctx) => {
    // Agent37 refuses a second entry for a port (409) and a prefix already used by another of
    // the instance's public ports (400: the prefix names the public host `{prefix}-{id}`).
    const ports = new Map<number, number>();
    const prefixes = new Map<string, number>();
    list.forEach((p, i) => {
      const first = ports.get(p.port);
      if (first !== undefined) {
        ctx.addIssue({ code: "custom", path: [i, "port"], message: `duplicate public port ${p.port} (also publicPorts[${first}]): one entry per port` });
      } else ports.set(p.port, i);
      if (p.prefix === undefined) return;
      const same = prefixes.get(p.prefix);
      if (same !== undefined) {
        ctx.addIssue({
          code: "custom",
          path: [i, "prefix"],
          message: `prefix "${p.prefix}" is already used by publicPorts[${same}]: each public port of an instance needs its own prefix (it names the host {prefix}-{id})`,
        });
      } else prefixes.set(p.prefix, i);
    });
  });

export const BudgetInput = z.strictObject({
  monthlyCapMicros: int("monthlyCapMicros").min(0, "monthlyCapMicros must be >= 0").optional(),
  creditMicros: int("creditMicros").min(0, "creditMicros must be >= 0").optional(),
});

export type { HealthStatus } from "./types";

const STATUS_CLASS = /^[1-5]xx$/i;
const STATUS_RULE = 'an HTTP status (100-599) or a class such as "2xx"';

function statusProblem(v: unknown): string | undefined {
  if (typeof v === "number") return Number.isInteger(v) && v >= 100 && v <= 599 ? undefined : `must be ${STATUS_RULE} (got ${v})`;
  if (typeof v === "string") return STATUS_CLASS.test(v) ? undefined : `must be ${STATUS_RULE} (got ${JSON.stringify(v)})`;
  return `must be ${STATUS_RULE}, or a list of them`;
}

export const HealthStatusInput = z.custom<HealthStatus>().superRefine((v, ctx) => {
  if (!Array.isArray(v)) {
    const problem = statusProblem(v);
    if (problem !== undefined) ctx.addIssue({ code: "custom", message: `health.status ${problem}` });
    return;
  }
  if (v.length === 0) ctx.addIssue({ code: "custom", message: "health.status must not be an empty list" });
  v.forEach((item: unknown, i) => {
    const problem = statusProblem(item);
    if (problem !== undefined) ctx.addIssue({ code: "custom", path: [i], message: `health.status[${i}] ${problem}` });
  });
});

export const HealthInput = z.strictObject({
  path: z.string().startsWith("/", "health.path must start with /").optional(),
  status: HealthStatusInput.optional(),
  timeoutSeconds: z
    .number({ error: "timeoutSeconds must be a number" })
    .positive("timeoutSeconds must be > 0")
    .max(86400, "timeoutSeconds is at most 86400")
    .optional(),
  disabled: z.boolean({ error: "disabled must be a boolean" }).optional(),
});

export type HealthInputs = HealthCheckOutput;
type _HealthCheckIsHealthInput = Assert<Same<z.output<typeof HealthInput>, HealthCheckOutput>>;

export const PortsInput = z.array(portNumber("port")).superRefine((list, ctx) => {
  const seen = new Set<number>();
  list.forEach((p, i) => {
    if (seen.has(p)) ctx.addIssue({ code: "custom", path: [i], message: `duplicate port ${p}` });
    seen.add(p);
  });
});

/** Every input of Agent37Instance (README, "Inputs reference"). All optional. */
export const InstanceInputs = z.strictObject({
  template: TemplateInput.optional(),
  resources: ResourcesInput.optional(),
  type: z.enum(["dedicated", "shared"], { error: 'type must be "dedicated" or "shared"' }).optional(),
  name: z.string().max(MAX_NAME_CHARS, `name is at most ${MAX_NAME_CHARS} characters`).optional(),
  user: z.string().max(MAX_USER_CHARS, `user is at most ${MAX_USER_CHARS} characters`).optional(),
  metadata: MetadataInput.optional(),
  env: EnvInput.optional(),
  autoSleep: z.boolean({ error: "autoSleep must be a boolean" }).optional(),
  idleTimeoutSeconds: int("idleTimeoutSeconds")
    .min(60, "idleTimeoutSeconds must be 60..86400")
    .max(86400, "idleTimeoutSeconds must be 60..86400")
    .optional(),
  publicPorts: PublicPortsInput.optional(),
  budget: BudgetInput.optional(),
  state: z.enum(["running", "stopped"], { error: 'state must be "running" or "stopped"' }).optional(),
  ports: PortsInput.optional(),
  health: HealthInput.optional(),
  adoptInstanceId: z
    .string()
    .regex(/^[a-z0-9]{10}$/, "adoptInstanceId must be a 10-character lowercase alphanumeric instance id")
    .optional(),
  /** Set by the resource class, not by users: the resource's stable create key (see createKeyOf). */
  createKey: z.string().regex(CREATE_KEY_PATTERN, "createKey is set by Agent37Instance: 32 lowercase hex digits").optional(),
  /**
   * Set by the resource class (the organization) or the plugin (its provider's scope), not by
   * users: what tells this stack from one of the same project and stack name elsewhere. Only a
   * new create uses it (see scopedCreateKey); never a change.
   */
  createScope: z.string().min(1, "createScope must not be empty").max(200, "createScope is at most 200 characters").optional(),
});
export type InstanceInputs = z.infer<typeof InstanceInputs>;
