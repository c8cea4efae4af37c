// Creating an instance exactly once. The create carries a marker in `metadata`; when the outcome
// of a create is unknown, or an earlier run's create never came back, the instance list is
// searched for it: found means take that instance, not found means it is safe to POST again.
import { createHmac, randomUUID } from "node:crypto";
import { Agent37CreateOutcomeError, Agent37Error } from "../core/errors";
import { mayHaveCreated, UNKNOWN_OUTCOME_BACKOFF } from "../core/natural-create";
import { backoffDelay } from "../core/poll";
import { sleep } from "../core/sleep";
import type { CreateBody } from "./api";
import type { Instance } from "./api-schema";
import type { InstanceContext } from "./context";
import { scopedCreateKey } from "../core/create-key";
import { PENDING_CREATE_KEY, PROVIDER_METADATA_PREFIX, type InstanceInputs } from "./inputs";
import { deleteAndWait } from "./waits";

export interface Marker {
  /** The value written under PENDING_CREATE_KEY. */
  value: string;
  /** Derived from the resource's create key: a later run can find it again. */
  stable: boolean;
  /** The resource's create key (the input): one create under it at a time, and replacements are kept per key. */
  key?: string;
  /**
   * The marker an unfinished create of this resource may carry from a version that did not
   * scope its key (0.1.0): `<create key>.<fingerprint>`. Absent when the key is not scoped.
   */
  legacyValue?: string;
}

/** The key part of a marker value (before the fingerprint). */
const keyPart = (value: string): string => value.split(".")[0] as string;

/**
 * The create marker. With the resource's create key (set by Agent37Instance) it is stable
 * across runs: `<key>.<fingerprint>`, the fingerprint a keyed hash of the create-only inputs
 * (env, type, budget credit, resources), so a taken-over instance is known to have been made
 * with the inputs asked for now. Keyed with the API key, so metadata never holds a bare hash of
 * env values. Without a key (a caller other than the resource class) it is a one-time token,
 * which only this run can look for.
 */
export function markerOf(ctx: InstanceContext, inputs: InstanceInputs): Marker {
  if (inputs.createKey === undefined) return { value: randomUUID(), stable: false };
  const createOnly = JSON.stringify([inputs.type ?? "dedicated", sortedEntries(inputs.env), inputs.budget?.creditMicros ?? 0, inputs.resources ?? {}]);
  const fingerprint = createHmac("sha256", ctx.connection.current().apiKey ?? "").update(createOnly).digest("hex").slice(0, 16);
  const scoped = scopedCreateKey(inputs.createKey, inputs.createScope);
  const legacyValue = scoped === inputs.createKey ? undefined : `${inputs.createKey}.${fingerprint}`;
  return { value: `${scoped}.${fingerprint}`, stable: true, key: inputs.createKey, ...(legacyValue === undefined ? {} : { legacyValue }) };
}

/**
 * Looks for this resource's unfinished create. One carrying the same marker is taken over
 * (the newest, if several); one made with other create-only inputs, or one that ended `failed`,
 * is deleted (it is this resource's, and nothing else would remove it). Instances this run is
 * replacing are never candidates. With a scoped key, an instance carrying the unscoped key
 * (left by 0.1.0) is this resource's too; one carrying the key under another scope is another
 * stack's and is left alone.
 */
export async function findPending(ctx: InstanceContext, marker: Marker): Promise<Instance | undefined> {
  const excluded = marker.key === undefined ? undefined : ctx.replacing.get(marker.key);
  const mine = (await ctx.api.list()).filter((i) => {
    const v = i.metadata?.[PENDING_CREATE_KEY];
    if (typeof v !== "string" || i.status === "deleted" || i.status === "deleting" || excluded?.has(i.id)) return false;
    if (!marker.stable) return v === marker.value;
    return keyPart(v) === keyPart(marker.value) || (marker.legacyValue !== undefined && keyPart(v) === keyPart(marker.legacyValue));
  });
  const same = (v: unknown): boolean => v === marker.value || (marker.legacyValue !== undefined && v === marker.legacyValue);
  let found: Instance | undefined;
  for (const i of [...mine].sort((a, b) => (b.created ?? 0) - (a.created ?? 0))) {
    if (found === undefined && i.status !== "failed" && same(i.metadata?.[PENDING_CREATE_KEY])) found = i;
    else await deleteAndWait(ctx, i.id);
  }
  return found;
}

/**
 * POST create without ever creating twice. The create carries the marker in `metadata`; when
 * the outcome is unknown (no response, a gateway error after the server may have acted, or a
 * success status whose body does not parse) the instance list is searched for the marker:
 * found means take it, not found means it is safe to POST again. Answers that say nothing was
 * created are retried by the client.
 */
export async function postCreate(ctx: InstanceContext, body: CreateBody, marker: Marker): Promise<Instance> {
  let lastError: unknown;
  for (let attempt = 1; attempt <= ctx.timings.createAttempts; attempt++) {
    try {
      return await ctx.api.create(body);
    } catch (err) {
      if (!mayHaveCreated(err)) throw err;
      lastError = err;
    }
    let found: Instance | undefined;
    try {
      found = await findPending(ctx, marker);
    } catch (lookupError) {
      throw new Agent37CreateOutcomeError(lastError, lookupError, marker.stable);
    }
    if (found !== undefined) return found;
    await sleep(backoffDelay(UNKNOWN_OUTCOME_BACKOFF, attempt));
  }
  if (lastError instanceof Agent37Error) lastError.attempts = ctx.timings.createAttempts;
  throw lastError;
}

/** Sets the instance's metadata to `user` (the user's own keys), which drops the provider's marker. */
export function clearMarker(ctx: Pick<InstanceContext, "api">, id: string, user: Record<string, unknown>): Promise<Instance> {
  return ctx.api.patch(id, { metadata: Object.keys(user).length === 0 ? null : user });
}

/** Whether metadata still holds keys of this provider (a marker). */
export function hasProviderKeys(m: Record<string, unknown> | null | undefined): boolean {
  return Object.keys(m ?? {}).some((k) => k.startsWith(PROVIDER_METADATA_PREFIX));
}

function sortedEntries(m: Record<string, string> | undefined): [string, string][] {
  return Object.entries(m ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}
