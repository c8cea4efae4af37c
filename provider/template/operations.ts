// Agent37Template on the seam (core/resource.ts): check reads and hashes a build's context (no
// network, check.ts), the diff is the template's own (diff.ts), a create builds or registers the
// image and resumes this resource's own unfinished create (create.ts), an update adds a revision
// only when the source changed, refresh shows revisions pushed outside the stack as drift. Values
// arrive decoded and validated; the front doors' adapters do the wire work.
import { UNKNOWN } from "../core/check";
import { NotFoundError } from "../core/errors";
import type { Loose } from "../core/declare";
import type { ChangeKind } from "../core/kinds";
import type { OperationContext, Resource } from "../core/resource";
import { withTimings } from "../core/timings";
import { TemplatesApi, type PatchTemplateBody } from "./api";
import { buildTemplate, DEFAULT_TIMINGS, type Built, type TemplateTimings } from "./build";
import { completeTemplate, refuseTemplate } from "./check";
import { createOrResume, patchRest } from "./create";
import { plannedOutputs, stableOutputs, templateChanges } from "./diff";
import { Agent37TemplateInitError, systemTemplateError } from "./errors";
import { TEMPLATE } from "./fields";
import { buildOf, outputsOf, restPatch } from "./outputs";
import { RESERVED_NAME_PREFIX } from "./schema";
import type { TemplateInputs, TemplateObject, TemplateOutputs } from "./types";

const api = (ctx: OperationContext): TemplatesApi => new TemplatesApi(ctx.client());

/** A plan with every output it leaves out unknown (the engine's sentinel). */
function orUnknown(planned: Loose): Loose {
  return Object.fromEntries(Object.keys(TEMPLATE.outputs).map((k) => [k, planned[k] === undefined ? UNKNOWN : planned[k]]));
}

/**
 * Applies what changed, with the fewest calls: a new build (new revision) or a PATCH of the
 * image ref (new revision), then one PATCH of the description and port if they still differ.
 */
async function reconcile(templates: TemplatesApi, timings: TemplateTimings, name: string, olds: Partial<TemplateOutputs>, inputs: TemplateInputs): Promise<TemplateOutputs> {
  const changes = templateChanges(olds as Loose, inputs as Loose);
  if (inputs.build !== undefined) {
    const build = buildOf(inputs);
    let built: Built | undefined = olds.buildId && olds.contextHash ? { buildId: olds.buildId, contextHash: olds.contextHash } : undefined;
    if (changes.has("build")) built = await buildTemplate(templates, timings, inputs);
    let live = await templates.get(name);
    try {
      live = await patchRest(templates, live, inputs);
    } catch (err) {
      if (changes.has("build")) throw new Agent37TemplateInitError(name, outputsOf(live, build, built), err);
      throw err;
    }
    return outputsOf(live, build, built);
  }
  const body: PatchTemplateBody = { ...restPatch(inputs, olds.description ?? null, olds.defaultPort ?? null) };
  if (changes.has("imageRef") || olds.imageRef !== inputs.imageRef) body.image_ref = inputs.imageRef as string;
  const live = Object.keys(body).length > 0 ? await templates.patch(name, body) : await templates.get(name);
  return outputsOf(live, null);
}

/** Agent37Template with the given build waits (tests shorten them). */
export const templateResourceWith = withTimings(DEFAULT_TIMINGS, (waits): Resource<TemplateInputs, TemplateOutputs> => {
  return {
    declaration: TEMPLATE,

    refuse: refuseTemplate,
    complete: completeTemplate,

    changes: (olds, news) => Object.fromEntries(templateChanges(olds, news)),
    // A replace keeps nothing; an update keeps what it cannot change (diff.ts).
    stables: (changes: Readonly<Record<string, ChangeKind>>) => (Object.values(changes).includes("replace") ? [] : stableOutputs(new Map(Object.entries(changes)))),
    // A replace that keeps the name must free it first (Agent37 refuses two templates of one name).
    deleteBeforeReplace: (changes) => Object.values(changes).includes("replace") && changes.name === undefined,
    planCreate: (_planned, news) => orUnknown(plannedOutputs({}, news)),
    planUpdate: (olds, _planned, news) => orUnknown(plannedOutputs(olds as Loose, news)),

    operation(kind, { id, inputs, olds }) {
      switch (kind) {
        case "create":
          return `creating Agent37 template "${inputs?.name ?? id}"`;
        // An init failure recorded before the template was seen (revision 0): the update finishes the create.
        case "update":
          return olds?.revision === 0 ? `creating Agent37 template "${id}"` : `updating Agent37 template "${id}"`;
        // A system template's refusal is the whole answer: it leaves as it is.
        case "read":
          return id?.startsWith(RESERVED_NAME_PREFIX) === true ? undefined : `refreshing Agent37 template "${id}"`;
        case "delete":
          return `deleting Agent37 template "${id}"`;
      }
    },

    async create(inputs, ctx) {
      return { id: inputs.name, outputs: await createOrResume(api(ctx), waits, inputs) };
    },

    async update(id, olds, inputs, ctx) {
      if (olds.revision === 0) return createOrResume(api(ctx), waits, inputs);
      return reconcile(api(ctx), waits, id, olds, inputs);
    },

    /** Refresh: revisions pushed outside the stack show as drift; a template gone leaves the state. */
    async read(id, previous, ctx) {
      // Agent37's own templates can be neither changed nor deleted (403): never managed, so never
      // imported. Workspace names cannot take the prefix, so only an import can ask for one.
      if (id.startsWith(RESERVED_NAME_PREFIX)) throw systemTemplateError(id);
      let live: TemplateObject;
      try {
        live = await api(ctx).get(id);
      } catch (err) {
        if (err instanceof NotFoundError) return undefined;
        throw err;
      }
      if (live.scope === "system") throw systemTemplateError(id);
      const build = previous.build ?? null;
      // A revision this stack did not build (another build or a PATCH pushed it): its content is
      // unknown, so the hash is cleared and the next `up` builds the folder again.
      const ours = build !== null && live.revision === previous.revision && (live.image_digest ?? null) === (previous.imageDigest ?? null);
      const outputs = outputsOf(live, build, ours ? { buildId: previous.buildId ?? "", contextHash: previous.contextHash ?? "" } : undefined);
      const inputs: Loose = {
        name: outputs.name,
        ...(build !== null ? { build: { context: build.context, dockerfile: build.dockerfile } } : { imageRef: outputs.imageRef }),
        ...(outputs.contextHash !== null ? { contextHash: outputs.contextHash } : {}),
        ...(outputs.description !== null ? { description: outputs.description } : {}),
        ...(outputs.defaultPort !== null ? { defaultPort: outputs.defaultPort } : {}),
      };
      return { id, outputs, inputs };
    },

    /**
     * Deletes the template; one already gone is success. Instances created from it keep running
     * on the image they have (Agent37 does not stop them).
     */
    async delete(id, recorded, ctx) {
      try {
        // An unfinished create (revision 0) may never have made the template: delete it only
        // if it holds this create's marker, else leave whatever has the name alone.
        if (recorded.revision === 0) {
          const live = await api(ctx).get(id);
          if (live.description !== recorded.description) return;
        }
        await api(ctx).delete(id);
      } catch (err) {
        if (!(err instanceof NotFoundError)) throw err;
      }
    },
  };
});

export const templateResource: Resource<TemplateInputs, TemplateOutputs> = templateResourceWith();
