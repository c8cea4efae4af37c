// The public types of Agent37Template, plain TypeScript: the package's declarations name no type of
// its dependencies (core/schema-type.ts). The schemas in schema.ts are pinned to these.

/** The inputs as checked (`TemplateInputs` in schema.ts): exactly one of `imageRef` and `build`. */
// A type rather than an interface, as the schema's output is: it converts to `Record<string, unknown>`.
export type TemplateInputs = {
  name: string;
  imageRef?: string | undefined;
  build?: { context: string; dockerfile?: string | undefined } | undefined;
  description?: string | undefined;
  defaultPort?: number | undefined;
  /** Written by `check` from the context's content; never set by users. */
  contextHash?: string | undefined;
  /** Take over a template of this name that this resource did not create. Read at create only. */
  adoptExisting?: boolean | undefined;
  /** Set by the resource class (and the plugin), not by users: the resource's stable create key. */
  createKey?: string | undefined;
};

/** One revision of a workspace template, as the hosting API lists it (more fields kept). */
export interface TemplateRevisionObject {
  [field: string]: unknown;
  revision: number;
  image_digest?: string | null | undefined;
  image_ref?: string | null | undefined;
  created?: number | null | undefined;
}

/** A workspace template (`GET/POST/PATCH /v1/templates[/{name}]`), more fields kept. */
export interface TemplateObject {
  [field: string]: unknown;
  name: string;
  scope?: string | undefined;
  revision?: number | null | undefined;
  image_ref?: string | null | undefined;
  image_digest?: string | null | undefined;
  description?: string | null | undefined;
  default_port?: number | null | undefined;
  created?: number | null | undefined;
  updated?: number | null | undefined;
  revisions?: TemplateRevisionObject[] | undefined;
}

/**
 * What Agent37Template records. Never `undefined` (the provider host rejects it): absent values
 * are `null`. The inputs are echoed so `diff` (which receives the recorded outputs) and `delete`
 * have them.
 */
export interface TemplateOutputs {
  name: string;
  /** Current revision (starts at 1). */
  revision: number;
  /** `name@revision`: the value for `Agent37Instance.template` that follows this resource. */
  pinned: string;
  /** The image a registry-born template runs; null for a built template. */
  imageRef: string | null;
  imageDigest: string | null;
  defaultPort: number | null;
  description: string | null;
  /** The echoed `build` input; null for an image-ref template. */
  build: { context: string; dockerfile: string } | null;
  /** The build that produced the current revision (builds only). */
  buildId: string | null;
  /**
   * Content hash of the build context that produced the current revision (builds only). Null
   * after a refresh found a revision this stack did not build: the next `up` builds again.
   */
  contextHash: string | null;
}
