// Errors that leave the provider (for Pulumi to show) say what the provider was doing and to
// which instance, keep Agent37's code and message, and end with what to do about it. They also
// lose the resource's `env` values: Agent37 may quote a value back in a message, and Pulumi
// cannot mask a secret inside an error string.
import { Agent37ApiError, Agent37CreateOutcomeError, Agent37DeadlineError, Agent37Error, Agent37TransportError } from "./errors";
import { redact, redactValues } from "./redact";
import { DEFAULT_RETRY_POLICY } from "./retry";

const RETRY = "then run the Pulumi command again";

/** What a user does about each Agent37 error code that a retry cannot fix. */
const WHAT_TO_DO: Record<string, string> = {
  invalid_api_key: `Check the API key: \`pulumi config set --secret agent37:apiKey sk_live_...\` (or AGENT37_API_KEY), ${RETRY}.`,
  ip_not_allowed: `The key only works from other IP addresses: allow this machine's address for the key in the Agent37 dashboard or use another key, ${RETRY}.`,
  forbidden: `The key may not do this: use a key of the workspace that owns the instance, with the needed permission, ${RETRY}.`,
  insufficient_balance: `Top up the workspace balance in the Agent37 dashboard, ${RETRY}.`,
  tier_limit: `Top up the workspace to leave the free tier, or use resources { cpu: 2, memory: 4 }, ${RETRY}.`,
  instance_limit_reached: `Delete instances you no longer need, or top up to raise the workspace's instance limit, ${RETRY}.`,
  shared_unavailable: `Use type "dedicated", or have shared instances enabled for the workspace, ${RETRY}.`,
  invalid_request: `Agent37 refused the request as sent: correct the input its message names, ${RETRY}.`,
  not_found: "The instance no longer exists in this workspace: `pulumi refresh` drops it from the stack's state.",
  public_port_exists: `Remove the duplicate public port from the inputs, ${RETRY}.`,
};

function whatToDo(err: Agent37Error, advice: Readonly<Record<string, string>> = {}): string | undefined {
  if (err instanceof Agent37CreateOutcomeError) {
    return err.stable
      ? "Run `pulumi up` again once Agent37 answers: before creating, it looks for this resource's unfinished create and takes that instance over, so no second instance is made."
      : "Do not simply run again: first list the unfinished creates (\"After an interrupted run\" in the README) and delete or adopt the instance you find; running again without that may create a second instance.";
  }
  const tries = err.attempts ?? 1;
  if (err instanceof Agent37ApiError) {
    if (advice[err.code] !== undefined) return advice[err.code];
    // Codes that mean "try later" are retried whatever their status (`try_again` and
    // `capacity_unavailable` are 409s).
    const transient = err.status >= 500 || err.status === 429 || DEFAULT_RETRY_POLICY.retriableCodes.includes(err.code);
    const known = WHAT_TO_DO[err.code];
    if (known !== undefined || !transient) return known;
    if (tries > 1) return `Agent37 kept failing after ${tries} attempts: wait a moment, ${RETRY}.`;
    return err.status >= 500
      ? `Agent37 failed on its side; the request was sent once (a ${err.status} ${err.code} is not repeated automatically): wait a moment, ${RETRY}.`
      : `Agent37 asked to try again later: wait a moment, ${RETRY}.`;
  }
  if (err instanceof Agent37TransportError || err instanceof Agent37DeadlineError) {
    const reached =
      tries > 1
        ? `Agent37 could not be reached after ${tries} attempts`
        : "The request got no answer and was not repeated (it may have reached Agent37)";
    return `${reached}: check the network and agent37:apiUrl, ${RETRY}. If a create was cut off, see "After an interrupted run" in the README.`;
  }
  return undefined;
}

/**
 * An init failure keeps the instance in state, so the way forward is always the same two
 * commands; when the cause is one of Agent37's errors, its own advice comes first.
 */
function initFailureTodo(err: Error): string {
  const cause = err.cause;
  const first = cause instanceof Agent37Error ? whatToDo(cause) : undefined;
  const id = (err as { id?: unknown }).id;
  const kept =
    (err as { phase?: unknown }).phase === "update"
      ? `The stack's state now records instance${typeof id === "string" ? ` ${id}` : ""} as it runs after this update: ` +
        "run `pulumi up` again to retry, or go back to the inputs that ran before (e.g. the previous template revision) " +
        "and run `pulumi up` to move the instance back."
      : `The instance${typeof id === "string" ? ` ${id}` : ""} exists and is kept in the stack's state: ` +
        "run `pulumi up` again to finish it (the same inputs resume it with an update; no second instance is created), " +
        "or `pulumi destroy` to delete it.";
  return first === undefined ? kept : `${first} ${kept}`;
}

/**
 * Env values shorter than this are not scrubbed from error text: one to three characters (`1`,
 * `on`, `dev`) would blank ordinary words and numbers in Agent37's messages.
 */
export const MIN_SCRUBBED_ENV_CHARS = 4;

/** String values of `env` maps long enough to be scrubbed (longest first, so a value holding another goes whole). */
export function envValues(...maps: unknown[]): string[] {
  const out: string[] = [];
  for (const m of maps) {
    if (m === null || typeof m !== "object") continue;
    for (const v of Object.values(m)) if (typeof v === "string" && v.length >= MIN_SCRUBBED_ENV_CHARS) out.push(v);
  }
  return out.sort((a, b) => b.length - a.length);
}

/** Removes the API key (registered with the client's redactor) and the given env values. */
function scrub(text: string, secrets: readonly string[]): string {
  // Errors from the client are redacted when built; anything else thrown on the way (a bug, a
  // library's error) is not, and this is the last place text passes before Pulumi shows it.
  return redactValues(redact(text), secrets);
}

/**
 * The copy's stack: the original's frames under the copy's own header (so the stack Pulumi
 * prints says what the message says). Read from the original, because V8 may keep `stack`
 * behind an accessor that only works on the error object it was captured for (Node 24, and
 * Node 22 under some hooks): a copied descriptor then reads `undefined`.
 */
function restack(original: Error, name: string, message: string): string {
  const header = `${name}: ${message}`;
  const stack = typeof original.stack === "string" ? original.stack : "";
  const oldHeader = original.message === "" ? original.name : `${original.name}: ${original.message}`;
  if (stack.startsWith(oldHeader)) return header + stack.slice(oldHeader.length);
  const frames = stack.split("\n").filter((line) => /^\s+at /.test(line));
  return [header, ...frames].join("\n");
}

/**
 * The error to hand Pulumi: a copy of `err` (same class and properties, so callers can still
 * branch on it) with `operation` (e.g. `creating Agent37 instance "web"`) in front, followed by
 * the steps the error was made in (core/step.ts, e.g. `checking for an unfinished create`), what to do
 * at the end (for Agent37's errors), and the API key and `env` values removed from the message,
 * the stack (the host prints it) and, for init failures, the reasons. Init failures get no
 * prefix (Pulumi reports them as "created but failed to initialize", with the id), end with
 * how to finish or remove the instance, and keep
 * their `properties` (the resource's outputs, whose `env` is a secret output) untouched. A copy,
 * because one failure can reach several operations at once (a shared lookup), and each must
 * name its own. `advice` replaces the instance-centred advice for the codes it lists (other
 * resources mean something else by `not_found` or `tier_limit`).
 */
export function explain(
  original: unknown,
  operation: string,
  secrets: readonly string[],
  opts: { initFailure?: boolean; advice?: Readonly<Record<string, string>> } = {},
): unknown {
  if (!(original instanceof Error)) return original;
  const err = Object.create(Object.getPrototypeOf(original) as object, Object.getOwnPropertyDescriptors(original)) as Error;
  // What went wrong is scrubbed; the operation (which names the resource) and the advice are the
  // provider's own words and hold no secret, so an env value equal to the name cannot blank them.
  const body = scrub(original.message, secrets);
  if (opts.initFailure !== true) {
    // Any error, not only Agent37's: an unexpected one must still say what was being done.
    const todo = err instanceof Agent37Error ? whatToDo(err, opts.advice) : undefined;
    // The user's operation first, then the step it was at (why the failed request was sent),
    // then what failed.
    const steps = err instanceof Agent37Error && Array.isArray(err.steps) ? err.steps.map((s) => `${s}: `).join("") : "";
    err.message = `${operation}: ${steps}${body}${todo === undefined ? "" : `\nWhat to do: ${todo}`}`;
  } else if ((err as { phase?: unknown }).phase === "update") {
    // An update's init failure: the operation names the instance, as for any failed update.
    err.message = `${operation}: ${body}\nWhat to do: ${initFailureTodo(err)}`;
  } else {
    err.message = `${body}\nWhat to do: ${initFailureTodo(err)}`;
  }
  // The host prints the stack: the new header (already scrubbed where it quotes Agent37), then
  // the original's frames, scrubbed.
  const header = `${err.name}: ${err.message}`;
  Object.defineProperty(err, "stack", {
    value: header + scrub(restack(original, err.name, err.message).slice(header.length), secrets),
    writable: true,
    enumerable: false,
    configurable: true,
  });
  const reasons = (err as { reasons?: unknown }).reasons;
  if (Array.isArray(reasons)) (err as unknown as { reasons: string[] }).reasons = reasons.map((r) => (typeof r === "string" ? scrub(r, secrets) : r));
  return err;
}
