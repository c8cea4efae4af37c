// The `pulumi.dynamic.ResourceProvider` for Agent37Instance (design §5). Loaded in the provider
// host through `pulumi-agent37/dynamic`; holds the settings from `configure` and one client.
import { createHmac, randomUUID } from "node:crypto";
import type * as pulumi from "@pulumi/pulumi";
import { dropNulls, unwrapSecrets } from "../core/check";
import { plain } from "../core/wire";
import { checkInputs, parseInputs } from "./check";
import {
  Agent37ApiError,
  Agent37CreateOutcomeError,
  Agent37DeadlineError,
  Agent37Error,
  Agent37SchemaError,
  Agent37StateError,
  Agent37TransportError,
  InvalidRequestError,
  NoCapacityError,
  NotFoundError,
  PublicPortExistsError,
} from "../core/errors";
import { InstancesApi, type CreateBody, type PatchBody } from "./api";
import { redact, redactDeep } from "../core/redact";
import { sleep } from "../core/sleep";
import { changedInputs, diffInstance, publicPortsDelta, stateOfStatus } from "./diff";
import { envValues, explain } from "../core/explain";
import { DEFAULT_HEALTH_INTERVAL_MS, planGate, runGate } from "./health";
import {
  buildOutputs,
  templateInfoFromPorts,
  userMetadata,
  type HealthOutput,
  type InstanceOutputs,
  type TemplateInfo,
} from "./outputs";
import type { Instance } from "./api-schema";
import { PENDING_CREATE_KEY, PROVIDER_METADATA_PREFIX, type InstanceInputs, type PublicPortInput } from "./inputs";
import { Connection, type ConnectionOptions } from "../core/connection";

const TERMINAL = new Set(["running", "stopped", "sleeping", "failed", "deleted"]);

export interface ProviderTimings {
  /** First wait between GETs while an instance is in a transitional state. @default 200 (ms) */
  pollIntervalMs: number;
  /** Cap of that wait. @default 2000 (ms) */
  maxPollIntervalMs: number;
  /** How long to wait for a transitional state to settle. @default 900000 (ms) */
  settleTimeoutMs: number;
  /** How long delete waits for the id to read as 404. @default 600000 (ms) */
  deleteTimeoutMs: number;
  /** Health poll interval (from one answer to the next request). @default 500 (ms) */
  healthIntervalMs: number;
  /** Create attempts after ambiguous failures (each preceded by a lookup of the create token). @default 4 */
  createAttempts: number;
}

const DEFAULT_TIMINGS: ProviderTimings = {
  pollIntervalMs: 200,
  maxPollIntervalMs: 2_000,
  settleTimeoutMs: 900_000,
  deleteTimeoutMs: 600_000,
  healthIntervalMs: DEFAULT_HEALTH_INTERVAL_MS,
  createAttempts: 4,
};

export interface ProviderOptions extends ConnectionOptions {
  timings?: Partial<ProviderTimings>;
}

/**
 * Error for "the instance exists but did not finish initializing". The provider host reports
 * it as an initialization failure and keeps the instance in state (pulumi dynamic contract).
 */
export class Agent37InitError extends Agent37Error {
  override name = "Agent37InitError";
  readonly id: string;
  readonly properties: Record<string, unknown>;
  readonly reasons: string[];
  constructor(id: string, properties: InstanceOutputs, cause: unknown) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    super(`Agent37 instance ${id} was created but failed to initialize: ${reason}`, { cause });
    this.id = id;
    this.properties = redactDeep(plain(properties)) as unknown as Record<string, unknown>;
    this.reasons = [redact(reason)];
  }
}

type Loose = Record<string, unknown>;

function healthOf(v: unknown): HealthOutput | null {
  return v !== null && typeof v === "object" && "ok" in v ? (v as HealthOutput) : null;
}

/** Inputs as recorded in earlier outputs (echoes and API-reflected values), for read/adopt. */
function inputsFromOutputs(o: Partial<InstanceOutputs>): InstanceInputs {
  const inputs: InstanceInputs = {};
  if (typeof o.type === "string") inputs.type = o.type as "dedicated" | "shared";
  if (o.env && typeof o.env === "object") inputs.env = o.env;
  if (o.budget) {
    inputs.budget = {};
    if (typeof o.budget.monthlyCapMicros === "number") inputs.budget.monthlyCapMicros = o.budget.monthlyCapMicros;
    if (typeof o.budget.creditMicros === "number") inputs.budget.creditMicros = o.budget.creditMicros;
  }
  if (Array.isArray(o.requestedPorts)) inputs.ports = o.requestedPorts;
  else if (Array.isArray(o.ports)) {
    // State from before `requestedPorts` was recorded: keep every non-default port it had a URL for.
    inputs.ports = o.ports.filter((p) => p && !p.default && typeof p.port === "number").map((p) => p.port);
  }
  if (typeof o.adoptInstanceId === "string") inputs.adoptInstanceId = o.adoptInstanceId;
  if (Array.isArray(o.publicPorts)) {
    inputs.publicPorts = o.publicPorts.map((p) => ({
      port: p.port,
      ...(p.prefix ? { prefix: p.prefix } : {}),
      ...(p.label ? { label: p.label } : {}),
    }));
  }
  return inputs;
}

export class Agent37InstanceProvider implements pulumi.dynamic.ResourceProvider {
  private readonly connection: Connection;
  private readonly timings: ProviderTimings;
  private readonly templates = new Map<string, Promise<TemplateInfo>>();
  /** Create key → ids of instances being replaced under it in this run: never taken over. */
  private readonly replacing = new Map<string, Set<string>>();

  constructor(options: ProviderOptions = {}) {
    this.connection = new Connection(options);
    this.timings = { ...DEFAULT_TIMINGS, ...options.timings };
  }

  async configure(req: pulumi.dynamic.ConfigureRequest): Promise<void> {
    this.connection.configure(req.config);
  }

  private api(): InstancesApi {
    const { client, fresh } = this.connection.client();
    // Template lookups belong to the workspace of the key they were made with.
    if (fresh) this.templates.clear();
    return new InstancesApi(client);
  }

  async check(_olds: Loose, news: Loose): Promise<pulumi.dynamic.CheckResult> {
    // A null means what omitting the key means, everywhere: the checked inputs (which the engine
    // stores and hands to diff, create and update) no longer hold any.
    return { inputs: dropNulls(news ?? {}), failures: checkInputs(news) };
  }

  async diff(id: string, olds: Loose, news: Loose): Promise<pulumi.dynamic.DiffResult> {
    const result = diffInstance(unwrapSecrets(olds), dropNulls(unwrapSecrets(news)));
    // The replacement's create runs in this same process and must never take over the instance
    // it replaces (which may still carry this resource's marker, e.g. after an init failure).
    const key = news?.createKey;
    if (result.replaces.length > 0 && typeof key === "string" && id !== "") {
      const ids = this.replacing.get(key) ?? new Set<string>();
      ids.add(id);
      this.replacing.set(key, ids);
    }
    return result;
  }

  // The four operations the engine runs against Agent37: their errors say what was being done
  // to which instance and what to do about it (see explain.ts).
  async create(raw: Loose): Promise<pulumi.dynamic.CreateResult> {
    const name = typeof raw?.name === "string" && raw.name !== "" ? ` "${raw.name}"` : "";
    const adopting = typeof raw?.adoptInstanceId === "string" ? ` (adopting ${raw.adoptInstanceId})` : "";
    return this.explained(() => this.createInstance(raw), `creating Agent37 instance${name}${adopting}`, raw);
  }

  async read(id: string, props: Loose): Promise<pulumi.dynamic.ReadResult> {
    return this.explained(() => this.readInstance(id, props), `refreshing Agent37 instance ${id}`, props);
  }

  async update(id: string, olds: Loose, news: Loose): Promise<pulumi.dynamic.UpdateResult> {
    return this.explained(() => this.updateInstance(id, olds, news), `updating Agent37 instance ${id}`, olds, news);
  }

  async delete(id: string, props: Loose): Promise<void> {
    return this.explained(() => this.deleteAndWait(this.api(), id), `deleting Agent37 instance ${id}`, props);
  }

  private async explained<T>(run: () => Promise<T>, operation: string, ...envFrom: (Loose | undefined)[]): Promise<T> {
    try {
      return await run();
    } catch (err) {
      const secrets = envValues(...envFrom.map((m) => unwrapSecrets(m ?? {}).env));
      throw explain(err, operation, secrets, { initFailure: err instanceof Agent37InitError });
    }
  }

  private async createInstance(raw: Loose): Promise<pulumi.dynamic.CreateResult> {
    const inputs = parseInputs(raw);
    const api = this.api();
    if (inputs.adoptInstanceId !== undefined) return this.adopt(api, inputs);

    const marker = this.markerOf(inputs);
    // An earlier run whose create never came back may have left this resource's instance: take
    // it over instead of creating a second one.
    const pending = marker.stable ? await this.findPending(api, marker) : undefined;
    if (pending !== undefined) return this.takeOver(api, pending, inputs);

    let instance = await this.postCreate(api, createBody(inputs, marker.value), marker);
    let health: HealthOutput | null = null;
    let template: TemplateInfo = { defaultPort: 3737, private: false };
    try {
      instance = await this.settle(api, instance);
      if (instance.status === "failed") {
        throw new Agent37StateError(
          `instance ${instance.id} is failed: ${instance.status_reason?.message ?? "no reason given"}`,
          instance.id,
          instance.status,
        );
      }
      let dirty = false;
      for (const p of (inputs.publicPorts ?? []).filter((p) => p.label !== undefined)) {
        await this.addPublicPort(api, instance.id, p);
        dirty = true;
      }
      if (inputs.state === "stopped") {
        await this.lifecycle(api, instance.id, "stop", "stopped");
        dirty = true;
      }
      if (dirty) instance = await api.get(instance.id);
      template = await this.templateInfo(api, instance);
      health = await this.gate(api, instance, template, inputs);
      // Last step: the create is finished, so its marker goes (the PATCH answers the full object).
      instance = await this.clearMarker(api, instance.id, userMetadata(inputs.metadata));
      return { id: instance.id, outs: this.outputs(instance, template, inputs, health) };
    } catch (err) {
      // Pulumi keeps an init failure in state: the marker must not outlive the create either.
      await this.clearMarker(api, instance.id, userMetadata(inputs.metadata)).then(
        (cleared) => (instance = cleared),
        () => undefined,
      );
      throw new Agent37InitError(instance.id, this.outputs(instance, template, inputs, health), err);
    }
  }

  /**
   * The create marker. With the resource's create key (set by Agent37Instance) it is stable
   * across runs: `<key>.<fingerprint>`, the fingerprint a keyed hash of the create-only inputs
   * (env, type, budget credit, resources), so a taken-over instance is known to have been made
   * with the inputs asked for now. Keyed with the API key, so metadata never holds a bare hash of
   * env values. Without a key (a caller other than the resource class) it is a one-time token,
   * which only this run can look for.
   */
  private markerOf(inputs: InstanceInputs): Marker {
    if (inputs.createKey === undefined) return { value: randomUUID(), stable: false };
    const createOnly = JSON.stringify([inputs.type ?? "dedicated", sortedEntries(inputs.env), inputs.budget?.creditMicros ?? 0, inputs.resources ?? {}]);
    const fingerprint = createHmac("sha256", this.connection.current().apiKey ?? "").update(createOnly).digest("hex").slice(0, 16);
    return { value: `${inputs.createKey}.${fingerprint}`, stable: true, key: inputs.createKey };
  }

  /**
   * Looks for this resource's unfinished create. One carrying the same marker is taken over
   * (the newest, if several); one made with other create-only inputs, or one that ended `failed`,
   * is deleted (it is this resource's, and nothing else would remove it). Instances this run is
   * replacing are never candidates.
   */
  private async findPending(api: InstancesApi, marker: Marker): Promise<Instance | undefined> {
    const excluded = marker.key === undefined ? undefined : this.replacing.get(marker.key);
    const mine = (await api.list()).filter((i) => {
      const v = i.metadata?.[PENDING_CREATE_KEY];
      if (typeof v !== "string" || i.status === "deleted" || i.status === "deleting" || excluded?.has(i.id)) return false;
      return marker.stable ? v.split(".")[0] === marker.key : v === marker.value;
    });
    let found: Instance | undefined;
    for (const i of [...mine].sort((a, b) => (b.created ?? 0) - (a.created ?? 0))) {
      if (found === undefined && i.status !== "failed" && i.metadata?.[PENDING_CREATE_KEY] === marker.value) found = i;
      else await this.deleteAndWait(api, i.id);
    }
    return found;
  }

  /** Finishes a create an earlier run started: the instance is brought to the inputs like an adopted one. */
  private async takeOver(api: InstancesApi, found: Instance, inputs: InstanceInputs): Promise<pulumi.dynamic.CreateResult> {
    let live = found;
    let template: TemplateInfo = { defaultPort: 3737, private: false };
    try {
      live = await this.settle(api, found);
      template = await this.templateInfo(api, live);
      const olds = buildOutputs(live, { template, inputs: {}, health: null, urlTemplate: this.connection.current().instanceUrlTemplate });
      return { id: live.id, outs: await this.reconcile(api, live.id, olds, inputs, true) };
    } catch (err) {
      await this.clearMarker(api, live.id, userMetadata(live.metadata)).then(
        (cleared) => (live = cleared),
        () => undefined,
      );
      throw new Agent37InitError(live.id, this.outputs(live, template, inputs, null), err);
    }
  }

  /** Sets the instance's metadata to `user` (the user's own keys), which drops the provider's marker. */
  private clearMarker(api: InstancesApi, id: string, user: Record<string, unknown>): Promise<Instance> {
    return api.patch(id, { metadata: Object.keys(user).length === 0 ? null : user });
  }

  /**
   * POST create without ever creating twice. The create carries the marker in `metadata`; when
   * the outcome is unknown (no response, a gateway error after the server may have acted, or a
   * success status whose body does not parse) the instance list is searched for the marker:
   * found means take it, not found means it is safe to POST again. Answers that say nothing was
   * created are retried by the client.
   */
  private async postCreate(api: InstancesApi, body: CreateBody, marker: Marker): Promise<Instance> {
    let lastError: unknown;
    for (let attempt = 1; attempt <= this.timings.createAttempts; attempt++) {
      try {
        return await api.create(body);
      } catch (err) {
        if (!isAmbiguousCreateFailure(err)) throw err;
        lastError = err;
      }
      let found: Instance | undefined;
      try {
        found = await this.findPending(api, marker);
      } catch (lookupError) {
        throw new Agent37CreateOutcomeError(lastError, lookupError, marker.stable);
      }
      if (found !== undefined) return found;
      await sleep(Math.min(4_000, 250 * 2 ** (attempt - 1)));
    }
    if (lastError instanceof Agent37Error) lastError.attempts = this.timings.createAttempts;
    throw lastError;
  }

  private async adopt(api: InstancesApi, inputs: InstanceInputs): Promise<pulumi.dynamic.CreateResult> {
    const id = inputs.adoptInstanceId as string;
    let live: Instance;
    try {
      live = await api.get(id);
    } catch (err) {
      if (err instanceof NotFoundError) {
        throw new Agent37Error(`adoptInstanceId ${id}: no such instance in this workspace`, { cause: err });
      }
      throw err;
    }
    const template = await this.templateInfo(api, live);
    // The adopted instance's recorded outputs start from what it is now; env and the budget
    // credit cannot be applied to an existing instance and are recorded as given.
    const olds = buildOutputs(live, { template, inputs: { adoptInstanceId: id }, health: null, urlTemplate: this.connection.current().instanceUrlTemplate });
    try {
      const outs = await this.reconcile(api, id, olds, inputs, true);
      return { id, outs };
    } catch (err) {
      throw new Agent37InitError(id, this.outputs(live, template, inputs, null), err);
    }
  }

  private async readInstance(id: string, props: Loose): Promise<pulumi.dynamic.ReadResult> {
    const api = this.api();
    let instance: Instance;
    try {
      instance = await api.get(id);
    } catch (err) {
      if (err instanceof NotFoundError) return { id: "" };
      throw err;
    }
    if (instance.status === "deleted" || instance.status === "deleting") return { id: "" };
    const previous = unwrapSecrets(props ?? {}) as Partial<InstanceOutputs>;
    const echoed = inputsFromOutputs(previous);
    const template = await this.templateInfo(api, instance);
    const health = stateOfStatus(instance.status) === "stopped" ? null : healthOf(previous.health);
    const outs = this.outputs(instance, template, { ...echoed, publicPorts: echoed.publicPorts ?? [] }, health, previous);
    const inputs: Loose = {
      template: outs.template,
      name: outs.name ?? "",
      user: outs.user ?? "",
      metadata: outs.metadata,
      autoSleep: outs.autoSleep,
      idleTimeoutSeconds: outs.idleTimeoutSeconds,
      publicPorts: outs.publicPorts.map((p) => ({
        port: p.port,
        ...(p.prefix ? { prefix: p.prefix } : {}),
        ...(p.label ? { label: p.label } : {}),
      })),
      state: stateOfStatus(outs.status) ?? "running",
      ...(outs.resources ? { resources: outs.resources } : {}),
      ...(echoed.type ? { type: echoed.type } : {}),
      env: echoed.env ?? {},
      ...(echoed.budget ? { budget: echoed.budget } : {}),
      ...(echoed.ports && echoed.ports.length > 0 ? { ports: echoed.ports } : {}),
      ...(echoed.adoptInstanceId ? { adoptInstanceId: echoed.adoptInstanceId } : {}),
    };
    return { id: instance.id, props: outs, inputs: plain(inputs) };
  }

  private async updateInstance(id: string, olds: Loose, news: Loose): Promise<pulumi.dynamic.UpdateResult> {
    const inputs = parseInputs(news);
    const outs = await this.reconcile(this.api(), id, unwrapSecrets(olds) as Partial<InstanceOutputs>, inputs, false);
    return { outs };
  }

  // ---- internals -------------------------------------------------------------------------

  private outputs(
    instance: Instance,
    template: TemplateInfo,
    inputs: InstanceInputs,
    health: HealthOutput | null,
    previous?: Partial<InstanceOutputs>,
  ): InstanceOutputs {
    return plain(buildOutputs(instance, { template, inputs, health, urlTemplate: this.connection.current().instanceUrlTemplate, previous }));
  }

  /**
   * Applies the changes between recorded outputs `olds` and `desired` with the fewest calls,
   * in this order: wake/start if a later step needs a running instance; PATCH labels and
   * auto-sleep; budget cap; template update; resize (grow); public ports (remove, then add);
   * stop or start last. The readiness gate runs again when the container was recreated
   * (start, template update, resize) and the instance is to be running.
   */
  private async reconcile(
    api: InstancesApi,
    id: string,
    olds: Partial<InstanceOutputs>,
    desired: InstanceInputs,
    adopting: boolean,
  ): Promise<InstanceOutputs> {
    const changes = changedInputs(olds, desired as Loose);
    const targetRunning = (desired.state ?? "running") === "running";
    let recreated = false;

    const patch: PatchBody = {};
    if (changes.has("name")) patch.name = desired.name === "" ? null : (desired.name ?? null);
    if (changes.has("user")) patch.user = desired.user === "" ? null : (desired.user ?? null);
    if (changes.has("metadata")) patch.metadata = desired.metadata ?? {};
    if (changes.has("autoSleep") && desired.autoSleep !== undefined) patch.auto_sleep = desired.autoSleep;
    if (changes.has("idleTimeoutSeconds") && desired.idleTimeoutSeconds !== undefined) {
      patch.idle_timeout_seconds = desired.idleTimeoutSeconds;
    }
    const desiredCap = desired.budget?.monthlyCapMicros;
    const cap = desiredCap !== undefined && desiredCap !== (olds.budget?.monthlyCapMicros ?? 0) ? desiredCap : undefined;
    let newTemplate = changes.has("template") ? desired.template : undefined;
    let resize = changes.get("resources") === "update" ? growOf(olds.resources, desired.resources) : undefined;
    const ports = changes.has("publicPorts")
      ? publicPortsDelta(olds.publicPorts ?? [], desired.publicPorts ?? [])
      : { remove: [], add: [] };

    // Status and size matter for ordering only when a step depends on them; read them fresh then.
    let status = typeof olds.status === "string" ? olds.status : "running";
    if (status === "failed") {
      // The one call Agent37 accepts on a failed instance that brings it back is `update`: it
      // recreates the container from the template (the desired one, else the one it has, pin
      // included), keeping id, URLs and the home directories.
      const live = await api.get(id);
      if (live.status === "failed") {
        await this.repair(api, live, newTemplate ?? live.template);
        newTemplate = undefined;
        recreated = true;
      }
      status = (await this.settle(api, await api.get(id))).status;
    }
    if (newTemplate !== undefined || resize !== undefined) {
      const live = await this.settle(api, await api.get(id));
      status = live.status;
      if (resize !== undefined) resize = growOf(live.resources, desired.resources);
    }
    const needsAwake = resize !== undefined || (newTemplate !== undefined && status === "sleeping");
    if (needsAwake && status !== "running") {
      await this.lifecycle(api, id, "start", "running");
      status = "running";
      recreated = true;
    }
    let last: Instance | undefined;
    if (Object.keys(patch).length > 0) last = await api.patch(id, patch);
    if (cap !== undefined) {
      await api.patchBudget(id, cap);
      last = undefined;
    }
    if (newTemplate !== undefined) {
      const ack = await api.updateTemplate(id, newTemplate);
      if (!TERMINAL.has(ack.status ?? "")) await this.settle(api, await api.get(id));
      if (status !== "stopped") recreated = true;
      last = undefined;
    }
    if (resize !== undefined) {
      await this.resize(api, id, resize);
      recreated = true;
      last = undefined;
    }
    for (const port of ports.remove) {
      try {
        await api.removePublicPort(id, port);
      } catch (err) {
        if (!(err instanceof NotFoundError)) throw err;
      }
      last = undefined;
    }
    for (const p of ports.add) {
      await this.addPublicPort(api, id, p as PublicPortInput);
      last = undefined;
    }
    if (!targetRunning && status !== "stopped") {
      await this.lifecycle(api, id, "stop", "stopped");
      last = undefined;
      recreated = false;
    } else if (targetRunning && (status === "stopped" || status === "stopping")) {
      await this.lifecycle(api, id, "start", "running");
      recreated = true;
      last = undefined;
    }
    let instance = last ?? (await api.get(id));
    // A marker still on the instance (taken over, adopted, or an init failure whose create could
    // not remove it) goes now that the instance is in a stack.
    if (hasProviderKeys(instance.metadata)) instance = await this.clearMarker(api, id, userMetadata(instance.metadata));

    const template = await this.templateInfo(api, instance);
    // A stopped instance has no live gateway: its last health answer no longer describes it.
    let health = targetRunning ? healthOf(olds.health) : null;
    if (targetRunning && (recreated || adopting || health === null)) {
      health = await this.gate(api, instance, template, desired);
    }
    return this.outputs(instance, template, desired, health, olds);
  }

  /** `POST /update` of a failed instance; fails with what to do when it stays failed. */
  private async repair(api: InstancesApi, live: Instance, template: string | undefined): Promise<void> {
    const ack = template === undefined ? await api.lifecycle(live.id, "update") : await api.updateTemplate(live.id, template);
    const settled = TERMINAL.has(ack.status ?? "") && ack.status !== "failed" ? ack : await this.settle(api, await api.get(live.id));
    if (settled.status === "failed") {
      const after = await api.get(live.id);
      throw new Agent37StateError(
        `instance ${live.id} is failed (${live.status_reason?.message ?? "no reason given"}) and an update did not bring it back` +
          (after.status_reason?.message ? `: ${after.status_reason.message}` : "") +
          ". Replace it with a new instance (its disk is lost): `pulumi up --replace <URN>`, or delete it and run `pulumi refresh` then `pulumi up`.",
        live.id,
        "failed",
      );
    }
  }

  /**
   * Resize, tolerating a retry of a resize that already went through: the repeat is refused
   * as "not a grow" (400), and the instance already has the size asked for.
   */
  private async resize(api: InstancesApi, id: string, size: { cpu?: number; memory?: number; disk?: number }): Promise<void> {
    let ack;
    try {
      ack = await api.resize(id, size);
    } catch (err) {
      if (!(err instanceof InvalidRequestError)) throw err;
      const live = await this.settle(api, await api.get(id));
      const r = live.resources;
      const done = r !== undefined && (size.cpu ?? r.cpu) === r.cpu && (size.memory ?? r.memory) === r.memory && (size.disk ?? r.disk) === r.disk;
      if (!done) throw err;
      return;
    }
    if (!TERMINAL.has(ack.status ?? "")) await this.settle(api, await api.get(id));
  }

  private async addPublicPort(api: InstancesApi, id: string, p: PublicPortInput): Promise<void> {
    try {
      await api.addPublicPort(id, {
        port: p.port,
        ...(p.prefix !== undefined ? { prefix: p.prefix } : {}),
        ...(p.label !== undefined ? { label: p.label } : {}),
      });
    } catch (err) {
      // A retried add whose first attempt went through answers "exists": the port is there.
      if (!(err instanceof PublicPortExistsError)) throw err;
    }
  }

  /** Runs a lifecycle action and waits for `target`, whether the call blocks or not. */
  private async lifecycle(api: InstancesApi, id: string, action: "stop" | "start", target: string): Promise<void> {
    const ack = await api.lifecycle(id, action);
    if (ack.status === target) return;
    const settled = await this.settle(api, await api.get(id));
    if (settled.status !== target && !(target === "running" && settled.status === "sleeping")) {
      throw new Agent37StateError(
        `${action} of instance ${id} ended in status ${settled.status}, not ${target}` +
          (settled.status_reason?.message ? `: ${settled.status_reason.message}` : ""),
        id,
        settled.status,
      );
    }
  }

  /** Polls GET until the instance leaves transitional states. */
  private async settle(api: InstancesApi, instance: Instance): Promise<Instance> {
    let current = instance;
    let wait = this.timings.pollIntervalMs;
    const deadline = Date.now() + this.timings.settleTimeoutMs;
    while (!TERMINAL.has(current.status)) {
      if (Date.now() >= deadline) {
        throw new Agent37DeadlineError(`instance ${current.id} leaving status ${current.status}`, this.timings.settleTimeoutMs);
      }
      await sleep(wait);
      wait = Math.min(this.timings.maxPollIntervalMs, Math.round(wait * 1.5));
      current = await api.get(current.id);
    }
    return current;
  }

  private async deleteAndWait(api: InstancesApi, id: string): Promise<void> {
    try {
      await api.delete(id);
    } catch (err) {
      // Gone already, or a repeat of a delete whose answer was lost (it "acts once"): either
      // way, wait below until the id reads as 404.
      if (!(err instanceof NotFoundError)) throw err;
    }
    let wait = this.timings.pollIntervalMs;
    const deadline = Date.now() + this.timings.deleteTimeoutMs;
    for (;;) {
      try {
        const i = await api.get(id);
        if (i.status === "deleted") return;
      } catch (err) {
        if (err instanceof NotFoundError) return;
        throw err;
      }
      if (Date.now() >= deadline) throw new Agent37DeadlineError(`deletion of instance ${id}`, this.timings.deleteTimeoutMs);
      await sleep(wait);
      wait = Math.min(this.timings.maxPollIntervalMs, Math.round(wait * 1.5));
    }
  }

  /**
   * Default port, privacy and what serves the URL, for an instance's template. 2026-06
   * instances say the port with `ports` (an empty list is private). System templates
   * (`agent37-*`) serve the gateway on 3737; workspace templates are read once per name per
   * process and run the user's app. A template that is gone (deleted; its instances keep
   * running) is taken to run an app on a port. The URL is never blanked on 2026-08: whether a
   * port-less image listens on anything cannot be known in advance.
   */
  private templateInfo(api: InstancesApi, instance: Instance): Promise<TemplateInfo> {
    const name = instance.template ?? "agent37-hermes";
    const runs = name.startsWith("agent37-") ? "gateway" : "app";
    const fromPorts = templateInfoFromPorts(instance);
    if (fromPorts !== undefined) return Promise.resolve({ ...fromPorts, runs });
    if (runs === "gateway") return Promise.resolve({ defaultPort: 3737, private: false, runs });
    let cached = this.templates.get(name);
    if (cached === undefined) {
      cached = api.template(name).then(
        (t): TemplateInfo => ({ defaultPort: t.default_port ?? null, private: false, runs: (t.agents ?? []).length > 0 ? "gateway" : "app" }),
        (err: unknown) => {
          this.templates.delete(name);
          if (err instanceof NotFoundError) return { defaultPort: 3737, private: false, runs };
          throw err;
        },
      );
      this.templates.set(name, cached);
    }
    return cached;
  }

  /** The readiness gate for the template's kind (health.ts), when it applies; the health output or null. */
  private async gate(api: InstancesApi, instance: Instance, template: TemplateInfo, inputs: InstanceInputs): Promise<HealthOutput | null> {
    if (template.private || instance.status !== "running") return null;
    const plan = planGate({ runs: template.runs ?? "gateway", defaultPort: template.defaultPort }, inputs.health);
    if (plan === null) return null;
    const { url } = buildOutputs(instance, { template, inputs, health: null, urlTemplate: this.connection.current().instanceUrlTemplate });
    if (url === "") return null;
    return runGate(api.client, plan, { baseUrl: url, timeoutMs: (inputs.health?.timeoutSeconds ?? 600) * 1000, intervalMs: this.timings.healthIntervalMs });
  }
}

interface Marker {
  /** The value written under PENDING_CREATE_KEY. */
  value: string;
  /** Derived from the resource's create key: a later run can find it again. */
  stable: boolean;
  key?: string;
}

function sortedEntries(m: Record<string, string> | undefined): [string, string][] {
  return Object.entries(m ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

function hasProviderKeys(m: Record<string, unknown> | null | undefined): boolean {
  return Object.keys(m ?? {}).some((k) => k.startsWith(PROVIDER_METADATA_PREFIX));
}

/** A create failure after which the instance may exist. */
function isAmbiguousCreateFailure(err: unknown): boolean {
  if (err instanceof Agent37TransportError) return err.mayHaveReachedServer;
  // A success status whose body does not parse: Agent37 said it created the instance.
  if (err instanceof Agent37SchemaError) return true;
  if (err instanceof Agent37DeadlineError) return true;
  if (err instanceof Agent37ApiError) return err.status >= 500 && !(err instanceof NoCapacityError);
  return false;
}

function createBody(inputs: InstanceInputs, marker: string): CreateBody {
  const body: CreateBody = { metadata: { ...userMetadata(inputs.metadata), [PENDING_CREATE_KEY]: marker } };
  if (inputs.template !== undefined) body.template = inputs.template;
  if (inputs.resources !== undefined) body.resources = plain({ ...inputs.resources }) as NonNullable<CreateBody["resources"]>;
  if (inputs.type !== undefined) body.type = inputs.type;
  if (inputs.user !== undefined && inputs.user !== "") body.user = inputs.user;
  if (inputs.name !== undefined && inputs.name !== "") body.name = inputs.name;
  if (inputs.env !== undefined && Object.keys(inputs.env).length > 0) body.env = inputs.env;
  if (inputs.budget !== undefined) {
    body.budget = {};
    if (inputs.budget.monthlyCapMicros !== undefined) body.budget.monthly_cap_micros = inputs.budget.monthlyCapMicros;
    if (inputs.budget.creditMicros !== undefined) body.budget.credit_micros = inputs.budget.creditMicros;
  }
  if (inputs.autoSleep !== undefined) body.auto_sleep = inputs.autoSleep;
  if (inputs.idleTimeoutSeconds !== undefined) body.idle_timeout_seconds = inputs.idleTimeoutSeconds;
  // The create body takes `{port, prefix}`; a label can only be given when adding a port, so
  // labelled ports are added right after create.
  const unlabelled = (inputs.publicPorts ?? []).filter((p) => p.label === undefined);
  if (unlabelled.length > 0) body.public_ports = unlabelled.map((p) => ({ port: p.port, ...(p.prefix !== undefined ? { prefix: p.prefix } : {}) }));
  return body;
}

/** The resize body: the fields that grow (cpu and memory move together as a shape). */
function growOf(
  current: InstanceOutputs["resources"] | undefined,
  desired: InstanceInputs["resources"],
): { cpu?: number; memory?: number; disk?: number } | undefined {
  if (desired === undefined) return undefined;
  const out: { cpu?: number; memory?: number; disk?: number } = {};
  if (desired.cpu !== undefined && desired.memory !== undefined && (desired.cpu !== current?.cpu || desired.memory !== current?.memory)) {
    out.cpu = desired.cpu;
    out.memory = desired.memory;
  }
  if (desired.disk !== undefined && desired.disk !== current?.disk) out.disk = desired.disk;
  return Object.keys(out).length > 0 ? out : undefined;
}

/** A provider with explicit options (tests, embedding). The host uses `instanceProvider()`. */
export function createInstanceProvider(options?: ProviderOptions): Agent37InstanceProvider {
  return new Agent37InstanceProvider(options);
}
