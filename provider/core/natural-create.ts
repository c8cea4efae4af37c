// Creating an object that has a natural key (a domain's name, an SSH key's fingerprint) exactly
// once, without ever taking over one this resource did not make. The hosting API gives these
// objects no place for a marker (as an instance's metadata is), so what tells ours from a
// stranger's is the order of events in one run:
//
// 1. Before the create, the object is looked up by its natural key. Found: it is not this
//    create's (another stack's, made by hand, or left by an earlier run that was killed before
//    Pulumi recorded it); the caller fails, or takes it over when the program says so.
// 2. The create is sent. When its outcome is unknown (no answer, a 5xx, a body that does not
//    parse), the object is looked up again. Found now, and absent at step 1: it is this create's.
//    Absent: nothing was made, and the create is sent again.
// 3. When that lookup fails too, the outcome stays unknown: the caller reports an init failure
//    carrying the natural key as the id, so Pulumi records the resource and the next `up`
//    finishes it (the object is then looked up by the recorded key, which the stack owns).
//
// Assumption (written down because the API cannot prove it): nobody else adds the same domain or
// key to this workspace between the lookup of step 1 and the answer of step 2, a window of one
// or two round trips. The object's `created` time is not compared with the time the request was
// sent: it is Agent37's clock, not this machine's, and a skew of seconds would misjudge either
// way. Callers may add checks that only their own create can pass (an SSH key's declared name).
import { Agent37ApiError, Agent37DeadlineError, Agent37Error, Agent37SchemaError, Agent37TransportError, NoCapacityError, reasonOf } from "./errors";
import { backoffDelay, type Backoff } from "./poll";
import { sleep } from "./sleep";

/** How often an unknown create outcome whose lookup found nothing is sent again. */
export const NATURAL_CREATE_ATTEMPTS = 5;

export interface NaturalCreate<T> {
  /** Looks the object up by its natural key: undefined when the workspace does not hold it. */
  lookup(): Promise<T | undefined>;
  /** The create call (sent once per attempt; the client repeats only what provably did nothing). */
  post(): Promise<T>;
  /** Agent37's "it exists already" answer (`409 domain_exists`, `409 ssh_key_exists`). */
  isExists(err: unknown): boolean;
  /** Whether an object found after an unknown outcome can be this create's (default: yes). */
  couldBeOurs?(found: T): boolean;
  /** Backoff between attempts, in ms (tests shorten it). */
  backoffMs?(attempt: number): number;
}

export type NaturalCreateOutcome<T> =
  /** This create made it (answered, or found after an unknown outcome). */
  | { made: true; object: T }
  /** The workspace held it before this create: not this resource's to take without `adopt`. */
  | { made: false; object: T };

/**
 * The create's outcome is unknown and the lookup that would tell failed: the object may exist.
 * The caller reports an init failure with the natural key, so nothing real is lost track of.
 */
export class Agent37UnconfirmedCreateError extends Agent37Error {
  override name = "Agent37UnconfirmedCreateError";
  constructor(
    readonly createError: unknown,
    readonly lookupError: unknown,
  ) {
    super(`the create may have succeeded (${reasonOf(createError)}), and the lookup that would tell could not be made (${reasonOf(lookupError)})`, { cause: lookupError });
  }
}

/** A create failure after which the object may exist. */
export function mayHaveCreated(err: unknown): boolean {
  if (err instanceof Agent37TransportError) return err.mayHaveReachedServer;
  // A success status whose body does not parse: Agent37 said it created the object.
  if (err instanceof Agent37SchemaError) return true;
  if (err instanceof Agent37DeadlineError) return true;
  if (err instanceof Agent37ApiError) return err.status >= 500 && !(err instanceof NoCapacityError);
  return false;
}

/**
 * The wait before a create whose outcome was unknown (and whose lookup found nothing) is sent
 * again: 250 ms, doubling, at most 4 s. An instance's create (instance/create-token.ts) waits
 * the same.
 */
export const UNKNOWN_OUTCOME_BACKOFF: Backoff = { intervalMs: 250, factor: 2, maxIntervalMs: 4_000 };

/** Runs the three steps above. Errors of step 1 and definite refusals propagate: nothing was made. */
export async function createByNaturalKey<T>(c: NaturalCreate<T>): Promise<NaturalCreateOutcome<T>> {
  const before = await c.lookup();
  if (before !== undefined) return { made: false, object: before };
  const ours = (found: T): boolean => c.couldBeOurs?.(found) ?? true;
  let unknown: unknown;
  for (let attempt = 1; attempt <= NATURAL_CREATE_ATTEMPTS; attempt++) {
    try {
      return { made: true, object: await c.post() };
    } catch (err) {
      if (c.isExists(err)) {
        // Someone's object appeared since step 1: ours only if an earlier attempt of this run
        // may have made it; otherwise another stack's (or another workspace's, then not found).
        let found: T | undefined;
        try {
          found = await c.lookup();
        } catch (lookupError) {
          if (unknown !== undefined) throw new Agent37UnconfirmedCreateError(unknown, lookupError);
          throw lookupError;
        }
        if (found === undefined) throw err;
        return { made: unknown !== undefined && ours(found), object: found };
      }
      if (!mayHaveCreated(err)) throw err;
      unknown = err;
    }
    let found: T | undefined;
    try {
      found = await c.lookup();
    } catch (lookupError) {
      throw new Agent37UnconfirmedCreateError(unknown, lookupError);
    }
    if (found !== undefined) return { made: ours(found), object: found };
    await sleep(c.backoffMs ? c.backoffMs(attempt) : backoffDelay(UNKNOWN_OUTCOME_BACKOFF, attempt));
  }
  if (unknown instanceof Agent37Error) unknown.attempts = NATURAL_CREATE_ATTEMPTS;
  throw unknown;
}
