// Schemas of Agent37Template: the resource inputs (parsed strictly), the template and build
// payloads of the hosting API (parsed tolerantly), and the outputs the provider records.
import * as z from "zod";
import type { Assert, Same } from "../core/schema-type";
import type * as Plain from "./types";

export type { TemplateOutputs } from "./types";

/** Names Agent37 accepts for a workspace template; `agent37-` is the system catalog's prefix. */
export const TEMPLATE_NAME_PATTERN = /^[a-z][a-z0-9-]{1,62}$/;
export const RESERVED_NAME_PREFIX = "agent37-";
/** Ports a template's `default_port` may not take (the platform's own services). */
export const RESERVED_TEMPLATE_PORTS: readonly number[] = [7681, 8080, 6080, 7890, 9119, 22022];
/** The API's limit on an uploaded build context (`size_bytes`, `max_bytes`). */
export const MAX_CONTEXT_BYTES = 100_000_000;
export const DEFAULT_DOCKERFILE = "Dockerfile";
export const MAX_IMAGE_REF_CHARS = 255;

/**
 * A fully qualified image: a registry host (with a dot or a port, or `localhost`), a path, and a
 * tag or a digest. Agent37 pulls it as a public `linux/amd64` image; an implicit Docker Hub or
 * `:latest` is refused here so that the revision a stack records names one image.
 */
const IMAGE_REF_PATTERN =
  /^(?:[a-zA-Z0-9-]+(?:\.[a-zA-Z0-9-]+)+(?::[0-9]+)?|localhost(?::[0-9]+)?|[a-zA-Z0-9-]+:[0-9]+)(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)+(?::[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?(?:@sha256:[a-f0-9]{64})?$/;

export function isFullyQualifiedImage(ref: string): boolean {
  if (!IMAGE_REF_PATTERN.test(ref)) return false;
  const lastSlash = ref.lastIndexOf("/");
  const tail = ref.slice(lastSlash);
  return tail.includes(":") || ref.includes("@sha256:");
}

export const TemplateNameInput = z
  .string({ error: "name must be a string" })
  .refine((n) => TEMPLATE_NAME_PATTERN.test(n), "name must match ^[a-z][a-z0-9-]{1,62}$ (lowercase letter first, then 1-62 lowercase letters, digits or hyphens)")
  .refine((n) => !n.startsWith(RESERVED_NAME_PREFIX), `name must not start with "${RESERVED_NAME_PREFIX}" (reserved for Agent37's system templates)`);

export const ImageRefInput = z
  .string({ error: "imageRef must be a string" })
  .max(MAX_IMAGE_REF_CHARS, `imageRef must be at most ${MAX_IMAGE_REF_CHARS} characters`)
  .refine(
    isFullyQualifiedImage,
    "imageRef must be a fully qualified public image: registry/path:tag or registry/path@sha256:<digest> (e.g. ghcr.io/acme/agent:1.4.0)",
  );

/** A path inside the context: relative, no `..` step out of it. */
function insideContext(p: string): boolean {
  if (p === "" || p.startsWith("/") || /^[A-Za-z]:[\\/]/.test(p) || p.includes("\0")) return false;
  return !p.split(/[\\/]+/).includes("..");
}

export const BuildInput = z.strictObject({
  context: z.string({ error: "build.context must be a string (a folder)" }).min(1, "build.context must not be empty"),
  dockerfile: z
    .string({ error: "build.dockerfile must be a string" })
    .refine(insideContext, "build.dockerfile must be a relative path inside build.context (no leading / and no ..)")
    .optional(),
});
export type BuildInput = z.infer<typeof BuildInput>;

export const DefaultPortInput = z
  .number({ error: "defaultPort must be a number" })
  .int("defaultPort must be a whole number")
  .min(1, "defaultPort must be 1-65535")
  .max(65535, "defaultPort must be 1-65535")
  .refine((p) => !RESERVED_TEMPLATE_PORTS.includes(p), `defaultPort must not be one of the reserved ports ${RESERVED_TEMPLATE_PORTS.join(", ")}`);

/** Exactly one of `imageRef` and `build` is a rule of `check` (it must see unknowns). */
export const TemplateInputs = z.strictObject({
    name: TemplateNameInput,
    imageRef: ImageRefInput.optional(),
    build: BuildInput.optional(),
    description: z.string({ error: "description must be a string" }).max(1000, "description must be at most 1000 characters").optional(),
    defaultPort: DefaultPortInput.optional(),
    /** Written by `check` from the context's content; never set by users. */
    contextHash: z.string().optional(),
    /**
     * Take over a template of this name that this resource did not create (another stack's, or
     * one made by hand). Read at create only: a change later is no change.
     */
    adoptExisting: z.boolean({ error: "adoptExisting must be true or false" }).optional(),
    /** Set by the resource class (and the plugin), not by users: the resource's stable create key. */
    createKey: z.string().regex(/^[0-9a-f]{32}$/, "createKey is set by Agent37Template: 32 lowercase hex digits").optional(),
  });
export type TemplateInputs = Plain.TemplateInputs;
type _PlainTemplateInputs = Assert<Same<z.output<typeof TemplateInputs>, Plain.TemplateInputs>>;

// ---- hosting API payloads ------------------------------------------------------------------

export const TemplateRevision = z
  .object({ revision: z.number().int(), image_digest: z.string().nullable().optional(), image_ref: z.string().nullable().optional(), created: z.number().nullable().optional() })
  .loose();

/** A workspace template (`GET/POST/PATCH /v1/templates[/{name}]`). */
export const TemplateObject = z
  .object({
    name: z.string(),
    scope: z.string().optional(),
    revision: z.number().int().nullable().optional(),
    image_ref: z.string().nullable().optional(),
    image_digest: z.string().nullable().optional(),
    description: z.string().nullable().optional(),
    default_port: z.number().int().nullable().optional(),
    created: z.number().nullable().optional(),
    updated: z.number().nullable().optional(),
    revisions: z.array(TemplateRevision).optional(),
  })
  .loose();
export type TemplateObject = Plain.TemplateObject;
type _PlainTemplateObject = Assert<Same<z.output<typeof TemplateObject>, Plain.TemplateObject>>;

export const BUILD_TERMINAL = ["succeeded", "failed"] as const;

const BuildError = z.union([
  z.object({ code: z.string().optional(), message: z.string().optional() }).loose(),
  z.string(),
]);

/** A template build (`GET /v1/template-builds/{id}`, and its `logs`). */
export const BuildObject = z
  .object({
    id: z.string(),
    name: z.string().optional(),
    status: z.string(),
    template: z.unknown().optional(),
    error: BuildError.nullable().optional(),
    created: z.number().nullable().optional(),
    started: z.number().nullable().optional(),
    finished: z.number().nullable().optional(),
  })
  .loose();
export type BuildObject = z.infer<typeof BuildObject>;

/** `POST /v1/template-builds` → 201. */
export const CreatedBuild = BuildObject.extend({
  upload_url: z.string(),
  expires_at: z.number().optional(),
  max_bytes: z.number().optional(),
});
export type CreatedBuild = z.infer<typeof CreatedBuild>;

export const BuildLogs = BuildObject.extend({
  offset: z.number().int().optional(),
  data: z.string().nullable().optional(),
});

export const StartAck = z.object({ id: z.string().optional(), status: z.string().optional() }).loose();
export const TemplateDeleteAck = z.object({ deleted: z.boolean().optional() }).loose();

// ---- outputs ---------------------------------------------------------------------------------

