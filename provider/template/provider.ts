// The operations of Agent37Template (check, diff, create, read, update, delete) as a
// `pulumi.dynamic.ResourceProvider`. Loaded in the provider host through `pulumi-agent37/dynamic`
// (`templateProvider()`); any other front door calls the same methods. A build is build.ts's
// job, what is recorded and sent outputs.ts's.
import type * as pulumi from "@pulumi/pulumi";
import { unwrapSecrets } from "../core/check";
import { Agent37ApiError, Agent37Error, NotFoundError, reasonOf } from "../core/errors";
import type { Agent37Client } from "../core/http";
import { Connection, type ConnectionOptions } from "../core/connection";
import { explain } from "../core/explain";
import { dynamicDiff } from "../core/kinds";
import { plain } from "../core/wire";
import { TemplatesApi, type PatchTemplateBody } from "./api";
import { buildTemplate, DEFAULT_TIMINGS, isAmbiguous, type Built, type TemplateTimings } from "./build";
import { checkTemplateInputs, parseTemplateInputs } from "./check";
import { diffTemplate, stableOutputs, templateChanges } from "./diff";
import { Agent37TemplateInitError, foreignTemplateError, systemTemplateError } from "./errors";
import { buildOf, CREATE_ATTEMPTS, markerOf, outputsOf, ownedBy, pendingOutputs, restPatch } from "./outputs";
import { RESERVED_NAME_PREFIX } from "./schema";
import type { TemplateInputs, TemplateObject, TemplateOutputs } from "./types";

export type { TemplateTimings } from "./build";
export { markerOf, outputsOf } from "./outputs";

type Loose = Record<string, unknown>;

export interface TemplateProviderOptions extends ConnectionOptions {
  timings?: Partial<TemplateTimings>;
}

export class Agent37TemplateProvider implements pulumi.dynamic.ResourceProvider {
  private readonly connection: Connection;
  private readonly timings: TemplateTimings;

  constructor(options: TemplateProviderOptions = {}) {
    this.connection = new Connection(options);
    this.timings = { ...DEFAULT_TIMINGS, ...options.timings };
  }

  async configure(req: pulumi.dynamic.ConfigureRequest): Promise<void> {
    this.connection.configure(req.config);
  }

  private api(): TemplatesApi {
    return new TemplatesApi(this.client());
  }

  private client(): Agent37Client {
    return this.connection.client().client;
  }

  /** Validates the inputs; a build's context is read and hashed (no network). */
  async check(_olds: Loose, news: Loose): Promise<pulumi.dynamic.CheckResult> {
    return checkTemplateInputs(news);
  }

  async diff(_id: string, olds: Loose, news: Loose): Promise<pulumi.dynamic.DiffResult> {
    const { detailed, deleteBeforeReplace } = diffTemplate(olds, news);
    const changes = new Map(Object.entries(detailed));
    const replacing = Object.values(detailed).includes("replace");
    return dynamicDiff(detailed, { deleteBeforeReplace, ...(replacing ? {} : { stables: stableOutputs(changes) }) });
  }

  async create(raw: Loose): Promise<pulumi.dynamic.CreateResult> {
    const inputs = parseTemplateInputs(raw);
    return this.explained(`creating Agent37 template "${inputs.name}"`, async () => ({ id: inputs.name, outs: await this.createOrResume(inputs) }));
  }

  async update(id: string, oldsRaw: Loose, news: Loose): Promise<pulumi.dynamic.UpdateResult> {
    const inputs = parseTemplateInputs(news);
    const olds = unwrapSecrets(oldsRaw ?? {}) as Partial<TemplateOutputs>;
    // An init failure recorded before the template was seen (revision 0): finish the create.
    if (olds.revision === 0) {
      return this.explained(`creating Agent37 template "${id}"`, async () => ({ outs: await this.createOrResume(inputs) }));
    }
    return this.explained(`updating Agent37 template "${id}"`, async () => ({ outs: await this.reconcile(id, olds, inputs) }));
  }

  /** Refresh: revisions pushed outside the stack show as drift; a template gone leaves the state. */
  async read(id: string, props: Loose): Promise<pulumi.dynamic.ReadResult> {
    // Agent37's own templates can be neither changed nor deleted (403): never managed, so never
    // imported. Workspace names cannot take the prefix, so only an import can ask for one.
    if (id.startsWith(RESERVED_NAME_PREFIX)) throw systemTemplateError(id);
    return this.explained(`refreshing Agent37 template "${id}"`, async () => {
      let live: TemplateObject;
      try {
        live = await this.api().get(id);
      } catch (err) {
        if (err instanceof NotFoundError) return { id: "" };
        throw err;
      }
      if (live.scope === "system") throw systemTemplateError(id);
      const previous = unwrapSecrets(props ?? {}) as Partial<TemplateOutputs>;
      const build = previous.build ?? null;
      // A revision this stack did not build (another build or a PATCH pushed it): its content is
      // unknown, so the hash is cleared and the next `up` builds the folder again.
      const ours = build !== null && live.revision === previous.revision && (live.image_digest ?? null) === (previous.imageDigest ?? null);
      const outs = outputsOf(live, build, ours ? { buildId: previous.buildId ?? "", contextHash: previous.contextHash ?? "" } : undefined);
      const inputs: Loose = {
        name: outs.name,
        ...(build !== null ? { build: { context: build.context, dockerfile: build.dockerfile } } : { imageRef: outs.imageRef }),
        ...(outs.contextHash !== null ? { contextHash: outs.contextHash } : {}),
        ...(outs.description !== null ? { description: outs.description } : {}),
        ...(outs.defaultPort !== null ? { defaultPort: outs.defaultPort } : {}),
      };
      return { id, props: plain(outs) as unknown as Loose, inputs: plain(inputs) };
    });
  }

  /**
   * Deletes the template; one already gone is success. Instances created from it keep running
   * on the image they have (Agent37 does not stop them).
   */
  async delete(id: string, props?: Loose): Promise<void> {
    const recorded = unwrapSecrets(props ?? {}) as Partial<TemplateOutputs>;
    await this.explained(`deleting Agent37 template "${id}"`, async () => {
      try {
        // An unfinished create (revision 0) may never have made the template: delete it only
        // if it holds this create's marker, else leave whatever has the name alone.
        if (recorded.revision === 0) {
          const live = await this.api().get(id);
          if (live.description !== recorded.description) return;
        }
        await this.api().delete(id);
      } catch (err) {
        if (!(err instanceof NotFoundError)) throw err;
      }
    });
  }

  // ---- internals -------------------------------------------------------------------------

  private async explained<T>(operation: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (err) {
      throw explain(err, operation, []);
    }
  }

  /**
   * A create, or the finishing of this resource's own create that an earlier run began (a killed
   * process, a lost answer). Until it finishes, the template's description holds this resource's
   * marker (see `markerOf`): a template of the name that holds it is ours and is taken over; one
   * that does not is another's and is refused unless `adoptExisting` says to take it.
   */
  private async createOrResume(inputs: TemplateInputs): Promise<TemplateOutputs> {
    const marker = markerOf(inputs);
    return inputs.build !== undefined ? this.createBuilt(inputs, marker) : this.createFromImage(inputs, marker);
  }

  /**
   * `POST /v1/templates`, with the marker as description. After a failure that may have reached
   * Agent37, or a `409 template_conflict`, the name is looked up: a template holding the marker
   * is this resource's (taken over), none means the POST is sent again (at most a few times: a
   * repeat that meets the first one's template sees the conflict and the marker), another's is
   * refused. When even the lookup fails, the outcome is reported as an init failure under the
   * name (revision 0), which Pulumi records: the next `up` finishes the create.
   */
  private async createFromImage(inputs: TemplateInputs, marker: string): Promise<TemplateOutputs> {
    const api = this.api();
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
        const found = await this.lookUp(inputs, err, conflict ? undefined : marker);
        if (found === undefined) {
          if (attempt >= CREATE_ATTEMPTS) throw err;
          continue;
        }
        if (!ownedBy(found, marker) && inputs.adoptExisting !== true) throw foreignTemplateError(inputs, conflict ? err : undefined);
        return this.finish(api, found, inputs);
      }
      return this.finish(api, created, inputs);
    }
  }

  /**
   * GET of the name after a create that failed. When the create may have made the template
   * (`marker` given), a failing GET becomes an init failure under the name, recording the marker
   * (see `pendingOutputs`); after a conflict, which made nothing, the GET's failure is the error.
   */
  private async lookUp(inputs: TemplateInputs, createError: unknown, marker: string | undefined): Promise<TemplateObject | undefined> {
    try {
      return await this.api().get(inputs.name);
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
  private async finish(api: TemplatesApi, live: TemplateObject, inputs: TemplateInputs, build: { context: string; dockerfile: string } | null = null, built?: Built): Promise<TemplateOutputs> {
    let current = live;
    try {
      if (build === null && current.image_ref !== inputs.imageRef) current = await api.patch(current.name, { image_ref: inputs.imageRef as string });
      current = await this.patchRest(api, current, inputs);
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
  private async createBuilt(inputs: TemplateInputs, marker: string): Promise<TemplateOutputs> {
    const build = buildOf(inputs);
    const api = this.api();
    let existing: TemplateObject | undefined;
    try {
      existing = await api.get(inputs.name);
    } catch (err) {
      if (!(err instanceof NotFoundError)) throw err;
    }
    if (existing !== undefined && !ownedBy(existing, marker) && inputs.adoptExisting !== true) throw foreignTemplateError(inputs);
    const built = await buildTemplate(this.api(), this.timings, inputs, marker);
    let live: TemplateObject;
    try {
      live = await api.get(inputs.name);
    } catch (err) {
      throw new Agent37TemplateInitError(inputs.name, pendingOutputs(inputs, marker, built), err);
    }
    return this.finish(api, live, inputs, build, built);
  }

  /**
   * Applies what changed, with the fewest calls: a new build (new revision) or a PATCH of the
   * image ref (new revision), then one PATCH of the description and port if they still differ.
   */
  private async reconcile(name: string, olds: Partial<TemplateOutputs>, inputs: TemplateInputs): Promise<TemplateOutputs> {
    const api = this.api();
    const changes = templateChanges(olds as Loose, inputs as Loose);
    if (inputs.build !== undefined) {
      const build = buildOf(inputs);
      let built: Built | undefined = olds.buildId && olds.contextHash ? { buildId: olds.buildId, contextHash: olds.contextHash } : undefined;
      if (changes.has("build")) built = await buildTemplate(this.api(), this.timings, inputs);
      let live = await api.get(name);
      try {
        live = await this.patchRest(api, live, inputs);
      } catch (err) {
        if (changes.has("build")) throw new Agent37TemplateInitError(name, outputsOf(live, build, built), err);
        throw err;
      }
      return outputsOf(live, build, built);
    }
    const body: PatchTemplateBody = { ...restPatch(inputs, olds.description ?? null, olds.defaultPort ?? null) };
    if (changes.has("imageRef") || olds.imageRef !== inputs.imageRef) body.image_ref = inputs.imageRef as string;
    const live = Object.keys(body).length > 0 ? await api.patch(name, body) : await api.get(name);
    return outputsOf(live, null);
  }

  /** One PATCH of description and port when the template does not have them yet. */
  private async patchRest(api: TemplatesApi, live: TemplateObject, inputs: TemplateInputs): Promise<TemplateObject> {
    const body = restPatch(inputs, live.description ?? null, live.default_port ?? null);
    return Object.keys(body).length > 0 ? api.patch(live.name, body) : live;
  }
}

/** A provider with explicit options (tests, embedding). The host uses `templateProvider()`. */
export function createTemplateProvider(options?: TemplateProviderOptions): Agent37TemplateProvider {
  return new Agent37TemplateProvider(options);
}
