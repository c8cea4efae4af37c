// The operations of Agent37Template (check, diff, create, read, update, delete) as a
// `pulumi.dynamic.ResourceProvider`. Loaded in the provider host through `pulumi-agent37/dynamic`
// (`templateProvider()`); any other front door calls the same methods.
import { randomUUID } from "node:crypto";
import type * as pulumi from "@pulumi/pulumi";
import { unwrapSecrets } from "../core/check";
import {
  Agent37ApiError,
  Agent37DeadlineError,
  Agent37Error,
  Agent37TransportError,
  NotFoundError,
  reasonOf,
} from "../core/errors";
import type { Agent37Client } from "../core/http";
import { waitingFor, type Observe } from "../core/progress";
import { sleep } from "../core/sleep";
import { Connection, type ConnectionOptions } from "../core/connection";
import { explain } from "../core/explain";
import { plain } from "../core/wire";
import { TemplatesApi, uploadArchive, type PatchTemplateBody } from "./api";
import { checkTemplateInputs, parseTemplateInputs } from "./check";
import { ContextError, archiveBytes, scanContext, type ContextScan } from "./context";
import { dynamicDiff } from "../core/kinds";
import { diffTemplate, stableOutputs, templateChanges } from "./diff";
import { Agent37TemplateBuildError, Agent37TemplateInitError } from "./errors";
import { DEFAULT_DOCKERFILE, MAX_CONTEXT_BYTES, RESERVED_NAME_PREFIX, type BuildObject } from "./schema";
import type { TemplateInputs, TemplateObject, TemplateOutputs } from "./types";

type Loose = Record<string, unknown>;

export interface TemplateTimings {
  /** First wait between reads of a running build (and between tries while another build runs). @default 500 (ms) */
  buildPollIntervalMs: number;
  /** Cap of that wait; it grows by half each time. @default 5000 (ms) */
  maxBuildPollIntervalMs: number;
  /**
   * How long one build may take, waiting for another build in the workspace included. Agent37
   * stops a build after 45 minutes.
   * @default 3000000 (ms, 50 minutes)
   */
  buildTimeoutMs: number;
}

const DEFAULT_TIMINGS: TemplateTimings = { buildPollIntervalMs: 500, maxBuildPollIntervalMs: 5_000, buildTimeoutMs: 50 * 60_000 };

export interface TemplateProviderOptions extends ConnectionOptions {
  timings?: Partial<TemplateTimings>;
}

/** Bytes of build log quoted in a failure. */
const LOG_TAIL_BYTES = 4096;
/** Log reads per failed build, at most (a log is read in chunks from an offset). */
const MAX_LOG_READS = 1000;

/** The state of a build waiting for the workspace's other build (`409 build_conflict`). */
const ANOTHER_BUILD = "another build in the workspace is running";

/** A backoff that grows by half up to a cap. */
class Backoff {
  private wait: number;
  constructor(
    private readonly first: number,
    private readonly cap: number,
  ) {
    this.wait = first;
  }
  async pause(deadlineAt: number, what: string, timeoutMs: number): Promise<void> {
    if (Date.now() >= deadlineAt) throw new Agent37DeadlineError(what, timeoutMs);
    await sleep(Math.min(this.wait, Math.max(0, deadlineAt - Date.now())));
    this.wait = Math.min(this.cap, Math.round(this.wait * 1.5));
  }
}

/** Keeps the last `max` bytes of a growing text. */
function keepTail(text: string, max: number): string {
  const buf = Buffer.from(text, "utf8");
  if (buf.length <= max) return text;
  let start = buf.length - max;
  while (start < buf.length && ((buf[start] ?? 0) & 0xc0) === 0x80) start++;
  return buf.subarray(start).toString("utf8");
}

function failureOf(build: BuildObject): { code: string; message: string } {
  const e = build.error;
  if (typeof e === "string") return { code: e, message: "" };
  return { code: e?.code ?? "build_failed", message: e?.message ?? "" };
}

function isAmbiguous(err: unknown): boolean {
  if (err instanceof Agent37TransportError) return err.mayHaveReachedServer;
  if (err instanceof Agent37DeadlineError) return true;
  return err instanceof Agent37ApiError && err.status >= 500;
}

/** What a build produced, for the outputs. */
interface Built {
  buildId: string;
  contextHash: string;
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
    const built = await this.build(inputs, marker);
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
      if (changes.has("build")) built = await this.build(inputs);
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

  /**
   * One build of the context: create the build with the archive's exact size (known from the
   * file sizes), stream the archive to its upload URL, start it, poll it to the end. Another build running in the workspace (`409 build_conflict`) is waited for
   * within `buildTimeoutMs`. The build is started once: a conflict on start is told apart from
   * "already started" by reading the build.
   */
  private async build(inputs: TemplateInputs, description: string | undefined = inputs.description): Promise<Built> {
    const spec = inputs.build as NonNullable<TemplateInputs["build"]>;
    const scan = await scanContext(spec.context, spec.dockerfile);
    const bytes = archiveBytes(scan.tarBytes);
    if (bytes > MAX_CONTEXT_BYTES) {
      throw new ContextError("build.context", `the build context ${scan.root} makes a ${bytes}-byte archive, over Agent37's limit of ${MAX_CONTEXT_BYTES} bytes`);
    }
    // One wait from the first request to the build's end, its state the step it is at.
    return waitingFor(`the template build of "${inputs.name}"`, (observe) => this.buildScanned(inputs, description, scan, bytes, observe));
  }

  private async buildScanned(inputs: TemplateInputs, description: string | undefined, scan: ContextScan, bytes: number, observe: Observe): Promise<Built> {
    const api = this.api();
    const deadlineAt = Date.now() + this.timings.buildTimeoutMs;
    const what = `template build of "${inputs.name}"`;
    const created = await this.whileConflicting(deadlineAt, what, observe, () =>
      api.createBuild({
        name: inputs.name,
        size_bytes: bytes,
        ...(description ? { description } : {}),
        ...(inputs.defaultPort !== undefined ? { default_port: inputs.defaultPort } : {}),
      }),
    );
    observe(`uploading the context (${bytes} bytes)`);
    const contextHash = await uploadArchive(created.upload_url, scan, bytes);
    observe("starting the build");
    await this.start(api, created.id, deadlineAt, what, observe);
    const done = await this.poll(api, created.id, deadlineAt, what, observe);
    if (done.status !== "succeeded") {
      const { code, message } = failureOf(done);
      throw new Agent37TemplateBuildError({ buildId: done.id, template: inputs.name, code, apiMessage: message, logTail: await this.logTail(api, done.id) });
    }
    return { buildId: created.id, contextHash };
  }

  /** Runs `call`, waiting and trying again while another build holds the workspace. */
  private async whileConflicting<T>(deadlineAt: number, what: string, observe: Observe, call: () => Promise<T>): Promise<T> {
    const backoff = new Backoff(this.timings.buildPollIntervalMs, this.timings.maxBuildPollIntervalMs);
    for (;;) {
      try {
        return await call();
      } catch (err) {
        if (!(err instanceof Agent37ApiError && err.code === "build_conflict")) throw err;
        observe(ANOTHER_BUILD);
        await backoff.pause(deadlineAt, `${what} (waiting for another build in the workspace to finish)`, this.timings.buildTimeoutMs);
      }
    }
  }

  private async start(api: TemplatesApi, id: string, deadlineAt: number, what: string, observe: Observe): Promise<void> {
    const backoff = new Backoff(this.timings.buildPollIntervalMs, this.timings.maxBuildPollIntervalMs);
    for (;;) {
      try {
        await api.startBuild(id);
        return;
      } catch (err) {
        const conflict = err instanceof Agent37ApiError && err.code === "build_conflict";
        if (!conflict && !isAmbiguous(err) && !(err instanceof Agent37TransportError)) throw err;
        // Did our start go through (a lost answer, or a retried start)? Then it is running.
        const build = await api.getBuild(id);
        if (build.status !== "created") return;
        if (conflict) observe(ANOTHER_BUILD);
        await backoff.pause(deadlineAt, `${what} (waiting for another build in the workspace to finish)`, this.timings.buildTimeoutMs);
      }
    }
  }

  private async poll(api: TemplatesApi, id: string, deadlineAt: number, what: string, observe: Observe): Promise<BuildObject> {
    const backoff = new Backoff(this.timings.buildPollIntervalMs, this.timings.maxBuildPollIntervalMs);
    for (;;) {
      const build = await api.getBuild(id);
      if (build.status === "succeeded" || build.status === "failed") return build;
      observe(`build ${id} ${build.status}`);
      await backoff.pause(deadlineAt, `${what} (build ${id} is ${build.status})`, this.timings.buildTimeoutMs);
    }
  }

  /** The last bytes of a build's log, read in chunks from offset 0 (memory stays bounded). */
  private async logTail(api: TemplatesApi, id: string): Promise<string> {
    let tail = "";
    let offset = 0;
    try {
      for (let i = 0; i < MAX_LOG_READS; i++) {
        const chunk = await api.buildLogs(id, offset);
        const data = chunk.data ?? "";
        if (data === "") break;
        tail = keepTail(tail + data, LOG_TAIL_BYTES);
        const next = typeof chunk.offset === "number" && chunk.offset > offset ? chunk.offset : offset + Buffer.byteLength(data);
        offset = next;
      }
    } catch (err) {
      // The failure itself is what matters; a log that cannot be read is said, not thrown.
      return `${tail}\n(the rest of the log could not be read: ${(err as Error).message})`;
    }
    return tail;
  }
}

/** Creates of an image template tried in one run when the lookup after each says it is not there. */
const CREATE_ATTEMPTS = 3;

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

function ownedBy(t: TemplateObject, marker: string): boolean {
  return t.description === marker;
}

function foreignTemplateError(inputs: TemplateInputs, cause?: unknown): Agent37Error {
  return new Agent37Error(
    `name: a template named "${inputs.name}" already exists in this workspace and this resource did not create it ` +
      "(another stack manages it, or it was made by hand); it was left as it is. " +
      "Choose another name, or set `adoptExisting: true` on this Agent37Template to take it over " +
      "(its next revision then comes from this resource, and `pulumi destroy` deletes it).",
    cause === undefined ? undefined : { cause },
  );
}

function systemTemplateError(id: string): Agent37Error {
  return new Agent37Error(
    `"${id}" is one of Agent37's system templates: Agent37 allows no change and no delete of it (403), so it cannot be imported or managed as an Agent37Template. ` +
      `Use it by name instead (Agent37Instance \`template: "${id}"\`).`,
  );
}

/**
 * What an init failure records before the template was seen: revision 0 ("not finished") and,
 * as the description, the marker the template holds if this create made it. `delete` of such a
 * state removes the template only when it holds that marker: a template of the name that
 * another made is never deleted for a create that may not have happened.
 */
function pendingOutputs(inputs: TemplateInputs, marker: string, built?: Built): TemplateOutputs {
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

function buildOf(inputs: TemplateInputs): { context: string; dockerfile: string } | null {
  return inputs.build === undefined ? null : { context: inputs.build.context, dockerfile: inputs.build.dockerfile ?? DEFAULT_DOCKERFILE };
}

/** The PATCH fields for description and port that differ from what the template has. */
function restPatch(inputs: TemplateInputs, description: string | null, defaultPort: number | null): PatchTemplateBody {
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

/** A provider with explicit options (tests, embedding). The host uses `templateProvider()`. */
export function createTemplateProvider(options?: TemplateProviderOptions): Agent37TemplateProvider {
  return new Agent37TemplateProvider(options);
}
