import { now, sleep } from "./clock";
import { api } from "./errors";
import type { InstanceRecord, Status } from "./model";
import type { Runtime } from "./runtime";

/**
 * The instance state machine. Transitions show their transitional status
 * for `lifecycleMs` and then settle; `op` tokens make a superseded transition (e.g. a delete
 * during a stop) a no-op when its timer fires.
 */

export function appendLog(rec: InstanceRecord, line: string): void {
  rec.logs.push(`${new Date().toISOString()} ${line}`);
  if (rec.logs.length > 2000) rec.logs.splice(0, rec.logs.length - 2000);
}

/** The container (re)started: the gateway boots again from now. */
export function markRunning(rec: InstanceRecord, t = now()): void {
  rec.status = "running";
  rec.bootFrom = t;
  rec.unhealthyUntil = null;
  appendLog(rec, "container started; gateway starting on :3737");
}

/**
 * Runs one transition: `via` now, `to` after `lifecycleMs`. In blocking mode the returned promise
 * settles with the transition; in async mode it resolves at once and the transition finishes in
 * the background.
 */
export async function transition(rt: Runtime, rec: InstanceRecord, via: Status, to: Status, effect?: (rec: InstanceRecord) => void): Promise<void> {
  rec.status = via;
  // Stop, restart, update and resize replace the container (agent37-api.md: resize recreates it
  // "like restart", in-memory state lost): what exec commands left running goes with it. Start
  // begins from a stopped container, which has nothing left; sleep is a checkpoint, not a stop.
  if (via === "stopping" || via === "restarting" || via === "updating") rt.exec.kill(rec.id);
  const token = ++rec.op;
  appendLog(rec, `${via}`);
  rt.store.changed();
  const done = (async () => {
    await sleep(rt.opts.lifecycleMs, rt.signal);
    if (rec.op !== token) return;
    effect?.(rec);
    if (to === "running") {
      rec.restartCount += 1;
      markRunning(rec);
    } else {
      rec.status = to;
      appendLog(rec, to);
    }
    rt.store.changed();
  })().finally(() => {
    if (rt.inflight.get(rec.id)?.done === done) rt.inflight.delete(rec.id);
  });
  rt.inflight.set(rec.id, { via, done });
  if (rt.opts.lifecycleMode === "blocking") {
    await done;
  } else {
    // The emulator closing aborts the sleep; nobody waits for a background transition.
    done.catch(() => undefined);
  }
}

/**
 * A call arriving while the same transition is in flight joins it (blocking mode waits for the
 * result, async mode acks the transitional status). Any other transition in flight is a
 * transient conflict: `409 try_again`, the documented code for that case.
 */
export async function joinOrConflict(rt: Runtime, rec: InstanceRecord, same: Status, action: string): Promise<boolean> {
  if (rec.status === same) {
    const inflight = rt.inflight.get(rec.id);
    if (inflight && rt.opts.lifecycleMode === "blocking") await inflight.done;
    return true;
  }
  if (["provisioning", "stopping", "starting", "restarting", "updating", "waking"].includes(rec.status)) {
    throw api.tryAgain(`Instance ${rec.id} is ${rec.status}; ${action} can run once that finishes. Try again shortly.`);
  }
  return false;
}

export function wrongState(rec: InstanceRecord, action: string, allowed: string): never {
  throw api.invalidRequest(`Cannot ${action} instance ${rec.id} while it is ${rec.status} (${action} requires ${allowed}).`);
}

/** DELETE: `deleting` now, `deleted` after `deleteMs` whatever the lifecycle mode. */
export function beginDelete(rt: Runtime, rec: InstanceRecord, onDeleted: (rec: InstanceRecord) => void): void {
  rec.status = "deleting";
  const token = ++rec.op;
  rt.inflight.delete(rec.id);
  appendLog(rec, "deleting");
  rt.store.changed();
  sleep(rt.opts.deleteMs, rt.signal).then(
    () => {
      if (rec.op !== token) return;
      rec.status = "deleted";
      rec.bootFrom = null;
      onDeleted(rec);
      rt.store.changed();
    },
    () => undefined,
  );
}
