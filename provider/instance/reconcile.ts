// Bringing an existing instance to its inputs: the update plan (requests.ts) carried out in the
// order Agent37 needs, with the waits between the calls.
import { Agent37StateError, InvalidRequestError, NotFoundError, PublicPortExistsError } from "../core/errors";
import type { Instance } from "./api-schema";
import { outputsOf, type InstanceContext } from "./context";
import { clearMarker, hasProviderKeys } from "./create-token";
import { gate } from "./health";
import type { InstanceInputs, PublicPortInput } from "./inputs";
import { healthOf, userMetadata, type InstanceOutputs } from "./outputs";
import { growOf, planUpdate, type Size } from "./requests";
import { lifecycle, settle, TERMINAL } from "./waits";

/**
 * Applies the changes between recorded outputs `olds` and `desired` with the fewest calls,
 * in this order: wake/start if a later step needs a running instance; PATCH labels and
 * auto-sleep; budget cap; template update; resize (grow); public ports (remove, then add);
 * stop or start last. The readiness gate runs again when the container was recreated
 * (start, template update, resize) and the instance is to be running.
 */
export async function reconcile(
  ctx: InstanceContext,
  id: string,
  olds: Partial<InstanceOutputs>,
  desired: InstanceInputs,
  adopting: boolean,
): Promise<InstanceOutputs> {
  const api = ctx.api;
  const plan = planUpdate(olds, desired);
  const { targetRunning, patch, cap, ports } = plan;
  let newTemplate = plan.template;
  let resize = plan.resize;
  let recreated = false;

  // Status and size matter for ordering only when a step depends on them; read them fresh then.
  let status = typeof olds.status === "string" ? olds.status : "running";
  if (status === "failed") {
    // The one call Agent37 accepts on a failed instance that brings it back is `update`: it
    // recreates the container from the template (the desired one, else the one it has, pin
    // included), keeping id, URLs and the home directories.
    const live = await api.get(id);
    if (live.status === "failed") {
      await repair(ctx, live, newTemplate ?? live.template);
      newTemplate = undefined;
      recreated = true;
    }
    status = (await settle(ctx, await api.get(id))).status;
  }
  if (newTemplate !== undefined || resize !== undefined) {
    const live = await settle(ctx, await api.get(id));
    status = live.status;
    if (resize !== undefined) resize = growOf(live.resources, desired.resources);
  }
  const needsAwake = resize !== undefined || (newTemplate !== undefined && status === "sleeping");
  if (needsAwake && status !== "running") {
    await lifecycle(ctx, id, "start", "running");
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
    if (!TERMINAL.has(ack.status ?? "")) await settle(ctx, await api.get(id));
    if (status !== "stopped") recreated = true;
    last = undefined;
  }
  if (resize !== undefined) {
    await resizeInstance(ctx, id, resize);
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
    await addPublicPort(ctx, id, p);
    last = undefined;
  }
  if (!targetRunning && status !== "stopped") {
    await lifecycle(ctx, id, "stop", "stopped");
    last = undefined;
    recreated = false;
  } else if (targetRunning && (status === "stopped" || status === "stopping")) {
    await lifecycle(ctx, id, "start", "running");
    recreated = true;
    last = undefined;
  }
  let instance = last ?? (await api.get(id));
  // A marker still on the instance (taken over, adopted, or an init failure whose create could
  // not remove it) goes now that the instance is in a stack.
  if (hasProviderKeys(instance.metadata)) instance = await clearMarker(ctx, id, userMetadata(instance.metadata));

  const template = await ctx.templates.info(api, instance);
  // A stopped instance has no live gateway: its last health answer no longer describes it.
  let health = targetRunning ? healthOf(olds.health) : null;
  if (targetRunning && (recreated || adopting || health === null)) {
    health = await gate(ctx, instance, template, desired);
  }
  return outputsOf(ctx, instance, template, desired, health, olds);
}

/** `POST /update` of a failed instance; fails with what to do when it stays failed. */
async function repair(ctx: InstanceContext, live: Instance, template: string | undefined): Promise<void> {
  const api = ctx.api;
  const ack = template === undefined ? await api.lifecycle(live.id, "update") : await api.updateTemplate(live.id, template);
  const settled = TERMINAL.has(ack.status ?? "") && ack.status !== "failed" ? ack : await settle(ctx, await api.get(live.id));
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
async function resizeInstance(ctx: InstanceContext, id: string, size: Size): Promise<void> {
  let ack;
  try {
    ack = await ctx.api.resize(id, size);
  } catch (err) {
    if (!(err instanceof InvalidRequestError)) throw err;
    const live = await settle(ctx, await ctx.api.get(id));
    const r = live.resources;
    const done = r !== undefined && (size.cpu ?? r.cpu) === r.cpu && (size.memory ?? r.memory) === r.memory && (size.disk ?? r.disk) === r.disk;
    if (!done) throw err;
    return;
  }
  if (!TERMINAL.has(ack.status ?? "")) await settle(ctx, await ctx.api.get(id));
}

export async function addPublicPort(ctx: Pick<InstanceContext, "api">, id: string, p: PublicPortInput): Promise<void> {
  try {
    await ctx.api.addPublicPort(id, {
      port: p.port,
      ...(p.prefix !== undefined ? { prefix: p.prefix } : {}),
      ...(p.label !== undefined ? { label: p.label } : {}),
    });
  } catch (err) {
    // A retried add whose first attempt went through answers "exists": the port is there.
    if (!(err instanceof PublicPortExistsError)) throw err;
  }
}
