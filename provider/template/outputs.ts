// What Agent37Template records and sends, from a template and the inputs: its outputs (also those
// of a create not yet confirmed), the marker that tells this resource's template from another's
// of the same name, and the PATCH of description and port. Pure.
import { randomUUID } from "node:crypto";
import type { PatchTemplateBody } from "./api";
import type { Built } from "./build";
import { DEFAULT_DOCKERFILE } from "./schema";
import type { TemplateInputs, TemplateObject, TemplateOutputs } from "./types";

/** Creates of an image template tried in one run when the lookup after each says it is not there. */
export const CREATE_ATTEMPTS = 3;

/**
 * The description a template holds while this resource creates it, until the create finishes:
 * what tells this resource's template from another's of the same name (Agent37 templates have no
 * metadata). With the resource's create key it is the same on every run of the stack; without
 * one (inputs built by hand) a one-time token only this run knows.
 */
export function markerOf(inputs: Pick<TemplateInputs, "createKey">): string {
  return `${MARKER_PREFIX}${inputs.createKey ?? randomUUID().replace(/-/g, "")}`;
}
const MARKER_PREFIX = "pulumi-agent37: being created by Pulumi, create key ";

export function ownedBy(t: TemplateObject, marker: string): boolean {
  return t.description === marker;
}

/**
 * What an init failure records before the template was seen: revision 0 ("not finished") and,
 * as the description, the marker the template holds if this create made it. `delete` of such a
 * state removes the template only when it holds that marker: a template of the name that
 * another made is never deleted for a create that may not have happened.
 */
export function pendingOutputs(inputs: TemplateInputs, marker: string, built?: Built): TemplateOutputs {
  const build = buildOf(inputs);
  return {
    name: inputs.name,
    revision: 0,
    pinned: inputs.name,
    imageRef: build === null ? (inputs.imageRef ?? null) : null,
    imageDigest: null,
    defaultPort: inputs.defaultPort ?? null,
    description: marker,
    build,
    buildId: built?.buildId ?? null,
    contextHash: built?.contextHash ?? null,
  };
}

export function buildOf(inputs: TemplateInputs): { context: string; dockerfile: string } | null {
  return inputs.build === undefined ? null : { context: inputs.build.context, dockerfile: inputs.build.dockerfile ?? DEFAULT_DOCKERFILE };
}

/** The PATCH fields for description and port that differ from what the template has. */
export function restPatch(inputs: TemplateInputs, description: string | null, defaultPort: number | null): PatchTemplateBody {
  const body: PatchTemplateBody = {};
  const wantDescription = inputs.description ?? "";
  if (wantDescription !== (description ?? "")) body.description = wantDescription;
  const wantPort = inputs.defaultPort ?? null;
  if (wantPort !== defaultPort) body.default_port = wantPort;
  return body;
}

/** Maps Agent37's template to the outputs; `built` says which build made the current revision. */
export function outputsOf(t: TemplateObject, build: { context: string; dockerfile: string } | null, built?: Built): TemplateOutputs {
  const revision = typeof t.revision === "number" ? t.revision : 1;
  return {
    name: t.name,
    revision,
    pinned: `${t.name}@${revision}`,
    imageRef: build === null ? (t.image_ref ?? null) : null,
    imageDigest: t.image_digest ?? null,
    defaultPort: t.default_port ?? null,
    description: t.description === undefined || t.description === "" ? null : t.description,
    build,
    buildId: build !== null && built !== undefined && built.buildId !== "" ? built.buildId : null,
    contextHash: build !== null && built !== undefined && built.contextHash !== "" ? built.contextHash : null,
  };
}
