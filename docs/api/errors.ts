/**
 * The errors every resource can raise. All of them extend {@link Agent37Error}; messages never
 * carry the API key or a secret input. Each resource's page lists its own errors besides these.
 *
 * - {@link Agent37ApiError}: Agent37 answered with an error status. Its subclass is chosen by
 *   Agent37's error `code` (`invalid_api_key` is {@link InvalidApiKeyError}, `tier_limit` is
 *   {@link TierLimitError}, ...); `status`, `code`, `method` and `url` say which request.
 * - {@link Agent37TransportError}: no answer (connection refused or reset, DNS);
 *   {@link Agent37TimeoutError}: one attempt ran out of time; {@link Agent37DeadlineError}: the
 *   operation's overall deadline passed while retrying.
 * - {@link Agent37SchemaError}: an answer that is not of the documented shape.
 * - {@link Agent37ConfigError}: provider configuration missing or invalid (no API key).
 * - {@link InputError}: inputs refused at create or update; a preview reports the same rules as
 *   {@link CheckFailure}s.
 * - {@link Agent37ResourceInitError}: the root of each resource's "created but failed to
 *   initialize" error, which Pulumi records in state so that the next `up` resumes it.
 *
 * Import them from `pulumi-agent37`.
 *
 * ## Example
 *
 * Code that runs a provider itself (see {@link providers}) can branch on the class:
 *
 * ```ts
 * import { Agent37ApiError, InsufficientBalanceError } from "pulumi-agent37";
 *
 * function describe(err: unknown): string {
 *   if (err instanceof InsufficientBalanceError) return "top up the workspace";
 *   if (err instanceof Agent37ApiError) return `Agent37 refused ${err.method} ${err.url}: ${err.code}`;
 *   return String(err);
 * }
 * ```
 *
 * @module errors
 */
export {
  Agent37Error,
  Agent37ResourceInitError,
  Agent37ApiError,
  Agent37TransportError,
  Agent37TimeoutError,
  Agent37DeadlineError,
  Agent37SchemaError,
  Agent37ConfigError,
  InvalidApiKeyError,
  IpNotAllowedError,
  InvalidRequestError,
  ForbiddenError,
  NotFoundError,
  InsufficientBalanceError,
  InstanceLimitReachedError,
  TierLimitError,
  SharedUnavailableError,
  CapacityUnavailableError,
  TryAgainError,
  NoCapacityError,
  ProvisioningFailedError,
  PublicPortExistsError,
  RateLimitedError,
  InputError,
  type CheckFailure,
} from "../../provider";
