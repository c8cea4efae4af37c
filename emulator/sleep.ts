import type { IncomingMessage } from "node:http";
import { now, sleep } from "./clock";
import { appendLog, markRunning } from "./machine";
import type { InstanceRecord } from "./model";
import type { Runtime } from "./runtime";

/**
 * Auto-sleep, computed from timestamps like the gateway's boot: a `running`
 * instance with `auto_sleep` is asleep once no request has been in flight through any of its URLs
 * for `idle_timeout_seconds` (times `idleScale`). `settleSleep` applies that at the moment someone
 * looks (every request, the admin listing, the state file), so no timer has to outlive `close()`.
 */

/** The scaled idle timeout in ms. The API keeps validating the unscaled seconds (60..86400). */
export function idleMs(rt: Runtime, rec: InstanceRecord): number {
  return rec.idleTimeoutSeconds * 1000 * rt.opts.idleScale;
}

/**
 * Idle counts from the later of the last instance-plane traffic and the last (re)start of the
 * container: a start, restart, update, resize, wake or emulator reload restarts the idle clock.
 */
function idleSince(rec: InstanceRecord): number | null {
  if (rec.bootFrom === null) return null;
  return Math.max(rec.bootFrom, rec.lastTrafficAt ?? 0);
}

/** Puts the instance to sleep if it has been idle long enough by `t`; true when it did. */
export function settleSleep(rt: Runtime, rec: InstanceRecord, t: number): boolean {
  if (rec.status !== "running" || !rec.autoSleep) return false;
  // A request still being answered (a held wake, a long SSE stream) keeps the instance awake.
  if ((rt.traffic.get(rec.id) ?? 0) > 0) return false;
  const since = idleSince(rec);
  if (since === null) return false;
  const at = since + idleMs(rt, rec);
  if (t < at) return false;
  rec.status = "sleeping";
  rec.sleptAt = at;
  rec.bootFrom = null;
  rec.op += 1;
  appendLog(rec, "idle; checkpointed and sleeping");
  return true;
}

export function settleAll(rt: Runtime, t: number): void {
  let changed = false;
  for (const rec of rt.store.instances.values()) if (settleSleep(rt, rec, t)) changed = true;
  if (changed) rt.store.changed();
}

/**
 * Wakes a sleeping instance on the fast path: straight back to `running` (the documented slow
 * path's `waking` is not shown), and the container's gateway boots again from `t`.
 */
export function wake(rt: Runtime, rec: InstanceRecord, t: number, why: string): void {
  if (rec.status !== "sleeping") return;
  rec.sleptAt = null;
  rec.op += 1;
  appendLog(rec, `woken by ${why}`);
  markRunning(rec, t);
  rec.wokeAt = t;
  rec.lastTrafficAt = t;
  rt.store.changed();
}

/**
 * A request that arrives while a wake is still booting the container is held until the gateway
 * is ready, then forwarded: the docs' "request held, then forwarded" (the other starts, which
 * the docs do not describe as transparent, keep answering 502 while the gateway boots).
 */
export async function holdWhileWaking(rt: Runtime, rec: InstanceRecord, t: number): Promise<void> {
  if (rec.wokeAt === null || rec.wokeAt !== rec.bootFrom) return;
  const ready = rec.wokeAt + rt.opts.bootMs;
  // Timers may fire a fraction of a millisecond early by this clock: wait until it says ready.
  for (let left = ready - t; left > 0; left = ready - now()) await sleep(Math.ceil(left), rt.signal);
}

const inFlight = new WeakMap<IncomingMessage, InstanceRecord>();

/** A request the edge forwards to the instance: traffic that keeps it awake until it is answered. */
export function beginTraffic(rt: Runtime, req: IncomingMessage, rec: InstanceRecord, t: number): void {
  if (inFlight.has(req)) return;
  inFlight.set(req, rec);
  rec.lastTrafficAt = t;
  rt.traffic.set(rec.id, (rt.traffic.get(rec.id) ?? 0) + 1);
}

/** The answer went out (or the connection died): the idle clock starts from now. */
export function endTraffic(rt: Runtime, req: IncomingMessage, t: number): void {
  const rec = inFlight.get(req);
  if (!rec) return;
  inFlight.delete(req);
  rec.lastTrafficAt = Math.max(rec.lastTrafficAt ?? 0, t);
  const n = (rt.traffic.get(rec.id) ?? 1) - 1;
  if (n > 0) rt.traffic.set(rec.id, n);
  else rt.traffic.delete(rec.id);
}
