// Waiting for an instance: its status sets, settling out of transitional states, lifecycle
// actions, and deletion. Each wait is the shared backoff loop (core/poll.ts) over `GET`.
import { Agent37StateError, NotFoundError } from "../core/errors";
import { poll } from "../core/poll";
import type { Instance } from "./api-schema";
import type { InstanceContext } from "./context";

/** Statuses an instance stays in until something acts on it. */
export const TERMINAL = new Set(["running", "stopped", "sleeping", "failed", "deleted"]);

type WaitContext = Pick<InstanceContext, "api" | "timings">;

/**
 * Polls GET until the instance leaves transitional states. `awaited` is what the user is told it
 * waits for (progress.ts); by default the instance to settle.
 */
export function settle(ctx: WaitContext, instance: Instance, awaited = `instance ${instance.id} to settle`): Promise<Instance> {
  return poll(
    () => ctx.api.get(instance.id),
    (current) => TERMINAL.has(current.status),
    {
      intervalMs: ctx.timings.pollIntervalMs,
      maxIntervalMs: ctx.timings.maxPollIntervalMs,
      timeoutMs: ctx.timings.settleTimeoutMs,
      what: (current) => `instance ${current.id} leaving status ${current.status}`,
      initial: { value: instance },
      progress: { what: awaited, state: (current) => current.status },
    },
  );
}

/** Runs a lifecycle action and waits for `target`, whether the call blocks or not. */
export async function lifecycle(ctx: WaitContext, id: string, action: "stop" | "start", target: string): Promise<void> {
  const ack = await ctx.api.lifecycle(id, action);
  if (ack.status === target) return;
  const settled = await settle(ctx, await ctx.api.get(id), `instance ${id} to ${action}`);
  if (settled.status !== target && !(target === "running" && settled.status === "sleeping")) {
    throw new Agent37StateError(
      `${action} of instance ${id} ended in status ${settled.status}, not ${target}` +
        (settled.status_reason?.message ? `: ${settled.status_reason.message}` : ""),
      id,
      settled.status,
    );
  }
}

export async function deleteAndWait(ctx: WaitContext, id: string): Promise<void> {
  try {
    await ctx.api.delete(id);
  } catch (err) {
    // Gone already, or a repeat of a delete whose answer was lost (it "acts once"): either
    // way, wait below until the id reads as 404.
    if (!(err instanceof NotFoundError)) throw err;
  }
  await poll(
    async () => {
      try {
        return (await ctx.api.get(id)).status;
      } catch (err) {
        if (err instanceof NotFoundError) return "deleted";
        throw err;
      }
    },
    (status) => status === "deleted",
    {
      intervalMs: ctx.timings.pollIntervalMs,
      maxIntervalMs: ctx.timings.maxPollIntervalMs,
      timeoutMs: ctx.timings.deleteTimeoutMs,
      what: () => `deletion of instance ${id}`,
      progress: { what: `instance ${id} to be deleted`, state: (status) => status },
    },
  );
}
