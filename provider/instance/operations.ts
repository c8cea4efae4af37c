// Agent37Instance's operations against Agent37: create (with take-over of an unfinished create,
// and adoption of an existing instance), read, update and delete, over decoded values (the
// adapters unwrapped the secrets). Errors leave unexplained; provider.ts says what was being done.
import type * as pulumi from "@pulumi/pulumi";
import { InputError } from "../core/check";
import type { Loose } from "../core/declare";
import { engineGone } from "../core/engine-call";
import { Agent37Error, Agent37StateError, NotFoundError } from "../core/errors";
import { step } from "../core/step";
import { plain } from "../core/wire";
import type { Instance } from "./api-schema";
import { outputsOf, type InstanceContext } from "./context";
import { clearMarker, findPending, markerOf, postCreate, type Marker } from "./create-token";
import { stateOfStatus } from "./diff";
import { Agent37InitError } from "./errors";
import { gate } from "./health";
import { PENDING_CREATE_KEY, type InstanceInputs } from "./inputs";
import { buildOutputs, healthOf, userMetadata, type HealthOutput, type InstanceOutputs, type TemplateInfo } from "./outputs";
import { addPublicPort, reconcile } from "./reconcile";
import { createBody } from "./requests";
import { deleteAndWait, lifecycle, settle } from "./waits";

export async function createInstance(ctx: InstanceContext, inputs: InstanceInputs): Promise<pulumi.dynamic.CreateResult> {
  if (inputs.adoptInstanceId !== undefined) return adopt(ctx, inputs);

  const marker = markerOf(ctx, inputs);
  return markedUntilHeard(ctx, marker, inputs, () => createMarked(ctx, inputs, marker));
}

/**
 * Runs a create and, when its caller went away meanwhile (the engine will never record the
 * answer, success or init failure), leaves the instance carrying its pending-create marker, put
 * back if the create had removed it: the instance is then an unfinished create like one whose
 * run was killed, listed as such, and the next `up` of the resource takes it over instead of
 * making a second one. Whether the caller is gone is known only as the door reports it
 * (engine-call.ts); an answer lost after it was handed to gRPC cannot be seen.
 */
async function markedUntilHeard(
  ctx: InstanceContext,
  marker: Marker,
  inputs: InstanceInputs,
  create: () => Promise<pulumi.dynamic.CreateResult>,
): Promise<pulumi.dynamic.CreateResult> {
  let id: string | undefined;
  try {
    const result = await create();
    id = result.id;
    return result;
  } catch (err) {
    if (err instanceof Agent37InitError) id = err.id;
    throw err;
  } finally {
    if (id !== undefined && engineGone()) await keepMarker(ctx, id, marker, inputs);
  }
}

async function keepMarker(ctx: InstanceContext, id: string, marker: Marker, inputs: InstanceInputs): Promise<void> {
  let kept = false;
  try {
    const live = await ctx.api.get(id);
    if (live.metadata?.[PENDING_CREATE_KEY] !== marker.value) {
      await ctx.api.patch(id, { metadata: { ...userMetadata(live.metadata ?? inputs.metadata), [PENDING_CREATE_KEY]: marker.value } });
    }
    kept = true;
  } catch {
    // Said below; nothing can be answered any more.
  } finally {
    // The host's log is the only place this can still be said: the engine is no longer listening.
    console.error(
      kept
        ? `agent37: the engine went away before the create of instance ${id} was answered; it keeps its pending-create marker, so the next \`pulumi up\` takes it over`
        : `agent37: the engine went away before the create of instance ${id} was answered, and its pending-create marker could not be kept: take it in with \`adoptInstanceId: "${id}"\`, or delete it`,
    );
  }
}

async function createMarked(ctx: InstanceContext, inputs: InstanceInputs, marker: Marker): Promise<pulumi.dynamic.CreateResult> {
  if (marker.key === undefined) return createNew(ctx, inputs, marker);
  const key = marker.key;
  // The lookup below takes over or deletes whatever carries this key: with two creates under
  // one key at once, each would take or delete the other's instance. A key is one resource's
  // (the resource class derives it from what makes the URN), so a second create under it means
  // inputs were copied from another resource; refuse it before any request.
  if (ctx.creating.has(key)) {
    throw new InputError([
      {
        property: "createKey",
        reason:
          "another create with this createKey is under way: each resource needs its own key. Agent37Instance derives it from project, stack, type, parent and name; inputs built by hand must not copy it from another resource (leave it out instead)",
      },
    ]);
  }
  ctx.creating.add(key);
  try {
    // An earlier run whose create never came back may have left this resource's instance: take
    // it over instead of creating a second one.
    const pending = await step("checking for an unfinished create", () => findPending(ctx, marker));
    if (pending !== undefined) return await takeOver(ctx, pending, inputs);
    return await createNew(ctx, inputs, marker);
  } finally {
    ctx.creating.delete(key);
  }
}

/** POSTs the create and sees it through: settled, ports and stop applied, healthy, marker removed. */
async function createNew(ctx: InstanceContext, inputs: InstanceInputs, marker: Marker): Promise<pulumi.dynamic.CreateResult> {
  const api = ctx.api;
  let instance = await postCreate(ctx, createBody(inputs, marker.value), marker);
  let health: HealthOutput | null = null;
  let template: TemplateInfo = { defaultPort: 3737, private: false };
  try {
    instance = await settle(ctx, instance);
    if (instance.status === "failed") {
      throw new Agent37StateError(
        `instance ${instance.id} is failed: ${instance.status_reason?.message ?? "no reason given"}`,
        instance.id,
        instance.status,
      );
    }
    let dirty = false;
    for (const p of (inputs.publicPorts ?? []).filter((p) => p.label !== undefined)) {
      await addPublicPort(ctx, instance.id, p);
      dirty = true;
    }
    if (inputs.state === "stopped") {
      await lifecycle(ctx, instance.id, "stop", "stopped");
      dirty = true;
    }
    if (dirty) instance = await api.get(instance.id);
    template = await ctx.templates.info(api, instance);
    health = await gate(ctx, instance, template, inputs);
    // Last step: the create is finished, so its marker goes (the PATCH answers the full object);
    // unless nobody waits for the answer any more (see markedUntilHeard).
    if (!engineGone()) instance = await clearMarker(ctx, instance.id, userMetadata(inputs.metadata));
    return { id: instance.id, outs: outputsOf(ctx, instance, template, inputs, health) };
  } catch (err) {
    // Pulumi keeps an init failure in state: the marker must not outlive the create either
    // (when the engine still listens for it).
    if (!engineGone()) await clearMarker(ctx, instance.id, userMetadata(inputs.metadata)).then(
      (cleared) => (instance = cleared),
      () => undefined,
    );
    throw new Agent37InitError(instance.id, outputsOf(ctx, instance, template, inputs, health), err);
  }
}

/** Finishes a create an earlier run started: the instance is brought to the inputs like an adopted one. */
async function takeOver(ctx: InstanceContext, found: Instance, inputs: InstanceInputs): Promise<pulumi.dynamic.CreateResult> {
  let live = found;
  let template: TemplateInfo = { defaultPort: 3737, private: false };
  try {
    live = await settle(ctx, found);
    template = await ctx.templates.info(ctx.api, live);
    // The create that made it was asked for this `type` (the API does not return it): recorded
    // as a create records it, so the take-over's outputs are the create's plan.
    const olds = buildOutputs(live, { template, inputs: { ...(inputs.type !== undefined ? { type: inputs.type } : {}) }, health: null, urlTemplate: ctx.connection.current().instanceUrlTemplate });
    return { id: live.id, outs: await reconcile(ctx, live.id, olds, inputs, true) };
  } catch (err) {
    await clearMarker(ctx, live.id, userMetadata(live.metadata)).then(
      (cleared) => (live = cleared),
      () => undefined,
    );
    throw new Agent37InitError(live.id, outputsOf(ctx, live, template, inputs, null), err);
  }
}

async function adopt(ctx: InstanceContext, inputs: InstanceInputs): Promise<pulumi.dynamic.CreateResult> {
  const id = inputs.adoptInstanceId as string;
  let live: Instance;
  try {
    live = await ctx.api.get(id);
  } catch (err) {
    if (err instanceof NotFoundError) {
      throw new Agent37Error(`adoptInstanceId ${id}: no such instance in this workspace`, { cause: err });
    }
    throw err;
  }
  const template = await ctx.templates.info(ctx.api, live);
  // The adopted instance's recorded outputs start from what it is now; env and the budget
  // credit cannot be applied to an existing instance and are recorded as given.
  const olds = buildOutputs(live, { template, inputs: { adoptInstanceId: id }, health: null, urlTemplate: ctx.connection.current().instanceUrlTemplate });
  try {
    const outs = await reconcile(ctx, id, olds, inputs, true);
    return { id, outs };
  } catch (err) {
    throw new Agent37InitError(id, outputsOf(ctx, live, template, inputs, null), err);
  }
}

export async function readInstance(ctx: InstanceContext, id: string, props: Loose): Promise<pulumi.dynamic.ReadResult> {
  let instance: Instance;
  try {
    instance = await ctx.api.get(id);
  } catch (err) {
    if (err instanceof NotFoundError) return { id: "" };
    throw err;
  }
  if (instance.status === "deleted" || instance.status === "deleting") return { id: "" };
  const previous = (props ?? {}) as Partial<InstanceOutputs>;
  const echoed = inputsFromOutputs(previous);
  const template = await ctx.templates.info(ctx.api, instance);
  const health = stateOfStatus(instance.status) === "stopped" ? null : healthOf(previous.health);
  const outs = outputsOf(ctx, instance, template, { ...echoed, publicPorts: echoed.publicPorts ?? [] }, health, previous);
  // State written by 0.1.0 holds no echo of the gate's settings: a refresh cannot know them.
  if (!("healthCheck" in previous)) delete outs.healthCheck;
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
    ...(echoed.health ? { health: echoed.health } : {}),
  };
  return { id: instance.id, props: outs, inputs: plain(inputs) };
}

export async function updateInstance(ctx: InstanceContext, id: string, olds: Loose, inputs: InstanceInputs): Promise<pulumi.dynamic.UpdateResult> {
  const previous = olds as Partial<InstanceOutputs>;
  try {
    return { outs: await reconcile(ctx, id, previous, inputs, false) };
  } catch (err) {
    throw await stoppedUpdate(ctx, id, previous, err);
  }
}

/**
 * An update that failed part way (a readiness gate that never passed after a template update,
 * a call refused after earlier ones went through) may have changed what runs. Left as a plain
 * error, the state would keep the old outputs: a later `up` back to the old inputs would then
 * plan no change and leave the instance on what failed. So the failure is reported as an init
 * failure carrying the live instance's outputs: Agent37's own values as they are now, the
 * write-only echoes (env, budget, requested ports) as recorded before, and no health answer (none
 * passed). The next diff compares the new inputs with what runs. When the instance cannot be
 * read, the original error goes as it was (the state keeps the old outputs, as before).
 */
async function stoppedUpdate(ctx: InstanceContext, id: string, previous: Partial<InstanceOutputs>, err: unknown): Promise<unknown> {
  if (err instanceof Agent37InitError) return err;
  try {
    const live = await ctx.api.get(id);
    if (live.status === "deleted" || live.status === "deleting") return err;
    const template = await ctx.templates.info(ctx.api, live);
    const echoed = inputsFromOutputs(previous);
    return new Agent37InitError(id, outputsOf(ctx, live, template, { ...echoed, publicPorts: echoed.publicPorts ?? [] }, null, previous), err, "update");
  } catch {
    return err;
  }
}

export function deleteInstance(ctx: InstanceContext, id: string): Promise<void> {
  return deleteAndWait(ctx, id);
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
  if (o.healthCheck && typeof o.healthCheck === "object") inputs.health = o.healthCheck;
  if (Array.isArray(o.publicPorts)) {
    inputs.publicPorts = o.publicPorts.map((p) => ({
      port: p.port,
      ...(p.prefix ? { prefix: p.prefix } : {}),
      ...(p.label ? { label: p.label } : {}),
    }));
  }
  return inputs;
}
