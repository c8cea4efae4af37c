// One error family for everything the client and provider throw. The root is Agent37Error;
// a response from Agent37 becomes an Agent37ApiError subclass chosen by its `code` (one
// factory, below); a failure without a response is a transport error with no status.
import { redact, redactDeep } from "./redact";
import { currentSteps } from "./step";
import { plain } from "./json";

/** Root of every error thrown by pulumi-agent37. */
export class Agent37Error extends Error {
  override name = "Agent37Error";
  /** Requests made before this error was thrown (set by the client; 1 means it was not retried). */
  attempts: number | undefined;
  /**
   * The steps of the operation this error was made in, outermost first (core/step.ts); explain()
   * puts them between the operation and the message. Not enumerable: not part of what the error
   * carries to Pulumi as properties.
   */
  declare readonly steps: readonly string[];
  constructor(message: string, options?: { cause?: unknown }) {
    super(redact(message), options?.cause === undefined ? undefined : { cause: options.cause });
    Object.defineProperty(this, "steps", { value: currentSteps(), enumerable: false, writable: true, configurable: true });
  }
}

/**
 * A resource that exists on Agent37 but whose create or update did not finish. Carrying `id`,
 * `properties` (redacted outputs) and `reasons` makes either front door report it as "created
 * but failed to initialize", so Pulumi keeps the resource in state and the next `up` resumes it.
 */
export abstract class Agent37ResourceInitError extends Agent37Error {
  readonly id: string;
  readonly properties: Record<string, unknown>;
  readonly reasons: string[];
  constructor(message: string, id: string, properties: object, cause: unknown) {
    super(message, { cause });
    this.id = id;
    this.properties = redactDeep(plain(properties)) as Record<string, unknown>;
    this.reasons = [redact(reasonOf(cause))];
  }
}

/** The message of whatever made an operation fail. */
export function reasonOf(cause: unknown): string {
  return cause instanceof Error ? cause.message : String(cause);
}

/** Where a request went, for messages. */
export interface RequestInfo {
  method: string;
  url: string;
}

/** Agent37 answered with an error status. `code` is Agent37's error code (branch on it). */
export class Agent37ApiError extends Agent37Error {
  override name = "Agent37ApiError";
  readonly status: number;
  readonly code: string;
  readonly apiMessage: string;
  readonly detail: string | undefined;
  readonly method: string;
  readonly url: string;
  /** Seconds from a `Retry-After` header, when the server sent one. */
  readonly retryAfterSeconds: number | undefined;
  constructor(init: {
    status: number;
    code: string;
    apiMessage: string;
    detail?: string | undefined;
    request: RequestInfo;
    retryAfterSeconds?: number | undefined;
  }) {
    const { status, code, apiMessage, request } = init;
    super(
      `Agent37 answered ${status}: ${request.method} ${request.url}: ${code}${apiMessage ? `: ${apiMessage}` : ""}` +
        (init.detail ? `\n${init.detail}` : ""),
    );
    this.status = status;
    this.code = code;
    this.apiMessage = redact(apiMessage);
    this.detail = init.detail === undefined ? undefined : redact(init.detail);
    this.method = request.method;
    this.url = redact(request.url);
    this.retryAfterSeconds = init.retryAfterSeconds;
  }
}

export class InvalidApiKeyError extends Agent37ApiError {
  override name = "InvalidApiKeyError";
}
export class IpNotAllowedError extends Agent37ApiError {
  override name = "IpNotAllowedError";
}
export class InvalidRequestError extends Agent37ApiError {
  override name = "InvalidRequestError";
}
export class ForbiddenError extends Agent37ApiError {
  override name = "ForbiddenError";
}
export class NotFoundError extends Agent37ApiError {
  override name = "NotFoundError";
}
export class InsufficientBalanceError extends Agent37ApiError {
  override name = "InsufficientBalanceError";
}
export class InstanceLimitReachedError extends Agent37ApiError {
  override name = "InstanceLimitReachedError";
}
export class TierLimitError extends Agent37ApiError {
  override name = "TierLimitError";
}
export class SharedUnavailableError extends Agent37ApiError {
  override name = "SharedUnavailableError";
}
export class CapacityUnavailableError extends Agent37ApiError {
  override name = "CapacityUnavailableError";
}
export class TryAgainError extends Agent37ApiError {
  override name = "TryAgainError";
}
export class NoCapacityError extends Agent37ApiError {
  override name = "NoCapacityError";
}
export class ProvisioningFailedError extends Agent37ApiError {
  override name = "ProvisioningFailedError";
}
export class PublicPortExistsError extends Agent37ApiError {
  override name = "PublicPortExistsError";
}
export class RateLimitedError extends Agent37ApiError {
  override name = "RateLimitedError";
}

type ApiErrorClass = new (init: ConstructorParameters<typeof Agent37ApiError>[0]) => Agent37ApiError;

const BY_CODE: Record<string, ApiErrorClass> = {
  invalid_api_key: InvalidApiKeyError,
  ip_not_allowed: IpNotAllowedError,
  invalid_request: InvalidRequestError,
  forbidden: ForbiddenError,
  not_found: NotFoundError,
  insufficient_balance: InsufficientBalanceError,
  instance_limit_reached: InstanceLimitReachedError,
  tier_limit: TierLimitError,
  shared_unavailable: SharedUnavailableError,
  capacity_unavailable: CapacityUnavailableError,
  try_again: TryAgainError,
  no_capacity: NoCapacityError,
  provisioning_failed: ProvisioningFailedError,
  public_port_exists: PublicPortExistsError,
  rate_limited: RateLimitedError,
};

/** A status with no parsable Agent37 code still maps to the class a client branches on. */
const BY_STATUS: Record<number, string> = {
  400: "invalid_request",
  401: "invalid_api_key",
  403: "forbidden",
  404: "not_found",
  429: "rate_limited",
};

/**
 * Builds the error for an Agent37 error response. Accepts both envelope forms: the hosting
 * API's `{error: {code, message, detail?}}` and the instance plane's flat `{error: "code",
 * message?}`.
 */
export function createApiError(
  status: number,
  body: unknown,
  request: RequestInfo,
  retryAfterSeconds?: number,
): Agent37ApiError {
  let code: string | undefined;
  let message = "";
  let detail: string | undefined;
  if (body !== null && typeof body === "object" && "error" in body) {
    const error = (body as { error: unknown; message?: unknown }).error;
    if (typeof error === "string") {
      code = error;
      const m = (body as { message?: unknown }).message;
      if (typeof m === "string") message = m;
    } else if (error !== null && typeof error === "object") {
      const e = error as { code?: unknown; message?: unknown; detail?: unknown };
      if (typeof e.code === "string") code = e.code;
      if (typeof e.message === "string") message = e.message;
      if (typeof e.detail === "string") detail = e.detail;
    }
  } else if (typeof body === "string" && body.trim() !== "") {
    message = body.trim().slice(0, 500);
  }
  const resolved = code ?? BY_STATUS[status] ?? `http_${status}`;
  const Class = BY_CODE[resolved] ?? Agent37ApiError;
  return new Class({ status, code: resolved, apiMessage: message, detail, request, retryAfterSeconds });
}

/** No response arrived (connection refused/reset, DNS, socket closed). There is no status. */
export class Agent37TransportError extends Agent37Error {
  override name = "Agent37TransportError";
  readonly method: string;
  readonly url: string;
  /** The system or undici error code, e.g. `ECONNRESET`. */
  readonly transportCode: string;
  /**
   * False when the request provably never reached the server (connection refused, DNS):
   * then even a non-idempotent call is safe to repeat.
   */
  readonly mayHaveReachedServer: boolean;
  constructor(request: RequestInfo, transportCode: string, mayHaveReachedServer: boolean, cause?: unknown) {
    super(`Agent37 request failed without a response (${transportCode}): ${request.method} ${request.url}`, {
      cause,
    });
    this.method = request.method;
    this.url = redact(request.url);
    this.transportCode = transportCode;
    this.mayHaveReachedServer = mayHaveReachedServer;
  }
}

/** One attempt took longer than its timeout; the server may have acted. */
export class Agent37TimeoutError extends Agent37TransportError {
  override name = "Agent37TimeoutError";
  constructor(request: RequestInfo, timeoutMs: number) {
    super(request, "ATTEMPT_TIMEOUT", true);
    this.message = redact(`Agent37 request timed out after ${timeoutMs} ms: ${request.method} ${request.url}`);
  }
}

/** An operation's overall deadline passed (possibly while retrying); `cause` is the last failure. */
export class Agent37DeadlineError extends Agent37Error {
  override name = "Agent37DeadlineError";
  constructor(what: string, deadlineMs: number, cause?: unknown) {
    const tail = cause instanceof Error ? `; last error: ${cause.message}` : "";
    super(`${what} did not complete within ${Math.round(deadlineMs / 1000)} s${tail}`, { cause });
  }
}

/** A response parsed as JSON but did not have the documented shape. */
export class Agent37SchemaError extends Agent37Error {
  override name = "Agent37SchemaError";
  readonly method: string;
  readonly url: string;
  readonly issues: unknown;
  constructor(request: RequestInfo, issues: { path: PropertyKey[]; message: string }[]) {
    const summary = issues
      .slice(0, 5)
      .map((i) => `${i.path.map(String).join(".") || "(root)"}: ${i.message}`)
      .join("; ");
    super(`Agent37 response did not match the expected shape: ${request.method} ${request.url}: ${summary}`);
    this.method = request.method;
    this.url = redact(request.url);
    this.issues = redactDeep(issues.map((i) => ({ path: i.path.map(String), message: i.message })));
  }
}

/**
 * A create whose outcome is unknown (its answer was lost, or did not parse) and whose instance
 * could not be looked for, because listing the instances failed too. `stable` says whether the
 * create's marker is derived from the resource (the next run looks for it before creating, so
 * running again cannot make a second instance) or was a one-time token.
 */
export class Agent37CreateOutcomeError extends Agent37Error {
  override name = "Agent37CreateOutcomeError";
  readonly stable: boolean;
  constructor(createError: unknown, lookupError: unknown, stable: boolean) {
    const what = (e: unknown) => (e instanceof Error ? e.message : String(e));
    super(
      `the create may have made the instance (${what(createError)}), and the instance list that would tell could not be read ` +
        `(${what(lookupError)})`,
      { cause: lookupError },
    );
    this.stable = stable;
  }
}

/** Provider configuration is missing or invalid. */
export class Agent37ConfigError extends Agent37Error {
  override name = "Agent37ConfigError";
}

/** An instance did not reach the state the provider waits for. */
export class Agent37StateError extends Agent37Error {
  override name = "Agent37StateError";
  readonly instanceId: string;
  readonly status: string;
  constructor(message: string, instanceId: string, status: string) {
    super(message);
    this.instanceId = instanceId;
    this.status = status;
  }
}

/** The readiness gate gave up: the gateway did not report healthy, or the app did not answer as expected, in time. */
export class Agent37HealthTimeoutError extends Agent37Error {
  override name = "Agent37HealthTimeoutError";
  readonly lastObservation: string;
  /** `waitingFor`: what the gate waited for, when not the gateway's health ("the app to answer 204"). */
  constructor(url: string, timeoutMs: number, lastObservation: string, waitingFor?: string) {
    const what = waitingFor === undefined ? "become healthy" : `become ready (waiting for ${waitingFor})`;
    super(`Instance did not ${what} within ${Math.round(timeoutMs / 1000)} s: GET ${url}; last answer: ${lastObservation}`);
    this.lastObservation = redact(lastObservation);
  }
}
