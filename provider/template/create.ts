// A template's create, or the finishing of this resource's own create that an earlier run began
// (a killed process, a lost answer), and the PATCH of what a create or an update leaves to set.
// Until a create finishes, the template's description holds this resource's marker (see
// `markerOf`): a template of the name that holds it is ours and is taken over; one that does not
// is another's and is refused unless `adoptExisting` says to take it.
import { Agent37ApiError, Agent37Error, NotFoundError, reasonOf } from "../core/errors";
import type { TemplatesApi } from "./api";
import { buildTemplate, isAmbiguous, type Built, type TemplateTimings } from "./build";
import { Agent37TemplateInitError, foreignTemplateError } from "./errors";
import { buildOf, CREATE_ATTEMPTS, markerOf, outputsOf, ownedBy, pendingOutputs, restPatch } from "./outputs";
import type { TemplateInputs, TemplateObject, TemplateOutputs } from "./types";

export function createOrResume(api: TemplatesApi, timings: TemplateTimings, inputs: TemplateInputs): Promise<TemplateOutputs> {
  const marker = markerOf(inputs);
  return inputs.build !== undefined ? createBuilt(api, timings, inputs, marker) : createFromImage(api, inputs, marker);
}

/**
 * `POST /v1/templates`, with the marker as description. After a failure that may have reached
 * Agent37, or a `409 template_conflict`, the name is looked up: a template holding the marker
 * is this resource's (taken over), none means the POST is sent again (at most a few times: a
 * repeat that meets the first one's template sees the conflict and the marker), another's is
 * refused. When even the lookup fails, the outcome is reported as an init failure under the
 * name (revision 0), which Pulumi records: the next `up` finishes the create.
 */
async function createFromImage(api: TemplatesApi, inputs: TemplateInputs, marker: string): Promise<TemplateOutputs> {
  const imageRef = inputs.imageRef as string;
  for (let attempt = 1; ; attempt++) {
    let created: TemplateObject;
    try {
      created = await api.create({
        name: inputs.name,
        image_ref: imageRef,
        description: marker,
        ...(inputs.defaultPort !== undefined ? { default_port: inputs.defaultPort } : {}),
      });
    } catch (err) {
      const conflict = err instanceof Agent37ApiError && err.code === "template_conflict";
      if (!conflict && !isAmbiguous(err)) throw err;
      // A conflict made nothing in this call: only an ambiguous failure may be recorded as ours.
      const found = await lookUp(api, inputs, err, conflict ? undefined : marker);
      if (found === undefined) {
        if (attempt >= CREATE_ATTEMPTS) throw err;
        continue;
      }
      if (!ownedBy(found, marker) && inputs.adoptExisting !== true) throw foreignTemplateError(inputs, conflict ? err : undefined);
      return finish(api, found, inputs);
    }
    return finish(api, created, inputs);
  }
}

/**
 * GET of the name after a create that failed. When the create may have made the template
 * (`marker` given), a failing GET becomes an init failure under the name, recording the marker
 * (see `pendingOutputs`); after a conflict, which made nothing, the GET's failure is the error.
 */
async function lookUp(api: TemplatesApi, inputs: TemplateInputs, createError: unknown, marker: string | undefined): Promise<TemplateObject | undefined> {
  try {
    return await api.get(inputs.name);
  } catch (lookupError) {
    if (lookupError instanceof NotFoundError) return undefined;
    if (marker === undefined) throw lookupError;
    throw new Agent37TemplateInitError(
      inputs.name,
      pendingOutputs(inputs, marker),
      new Agent37Error(
        `the create may have made the template (${reasonOf(createError)}), and the lookup that would tell could not be done (${reasonOf(lookupError)})`,
        { cause: lookupError },
      ),
    );
  }
}

/**
 * Brings a template this resource now holds (created, or taken over) to the inputs: the image
 * ref if it differs, then description (which drops the marker) and port. It exists: a failure
 * here keeps it in state.
 */
async function finish(api: TemplatesApi, live: TemplateObject, inputs: TemplateInputs, build: { context: string; dockerfile: string } | null = null, built?: Built): Promise<TemplateOutputs> {
  let current = live;
  try {
    if (build === null && current.image_ref !== inputs.imageRef) current = await api.patch(current.name, { image_ref: inputs.imageRef as string });
    current = await patchRest(api, current, inputs);
  } catch (err) {
    throw new Agent37TemplateInitError(inputs.name, outputsOf(current, build, built), err);
  }
  return outputsOf(current, build, built);
}

/**
 * A template from a build: the build registers the template (revision 1) with the marker as
 * description. A template of the name that this resource did not start is refused before
 * anything is uploaded (a build would add a revision to it), unless `adoptExisting`. Once the
 * build succeeded, a failure of what follows keeps the template in state (init failure).
 */
async function createBuilt(api: TemplatesApi, timings: TemplateTimings, inputs: TemplateInputs, marker: string): Promise<TemplateOutputs> {
  const build = buildOf(inputs);
  let existing: TemplateObject | undefined;
  try {
    existing = await api.get(inputs.name);
  } catch (err) {
    if (!(err instanceof NotFoundError)) throw err;
  }
  if (existing !== undefined && !ownedBy(existing, marker) && inputs.adoptExisting !== true) throw foreignTemplateError(inputs);
  const built = await buildTemplate(api, timings, inputs, marker);
  let live: TemplateObject;
  try {
    live = await api.get(inputs.name);
  } catch (err) {
    throw new Agent37TemplateInitError(inputs.name, pendingOutputs(inputs, marker, built), err);
  }
  return finish(api, live, inputs, build, built);
}

/** One PATCH of description and port when the template does not have them yet. */
export async function patchRest(api: TemplatesApi, live: TemplateObject, inputs: TemplateInputs): Promise<TemplateObject> {
  const body = restPatch(inputs, live.description ?? null, live.default_port ?? null);
  return Object.keys(body).length > 0 ? api.patch(live.name, body) : live;
}
