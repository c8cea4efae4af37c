/**
 * One error type for everything the emulator answers with a non-2xx status. Handlers throw it;
 * the plane that served the request renders it: the hosting API and the gateway's Agent API use
 * the envelope `{error: {code, message}}`, the instance edge uses the flat `{error: "code"}`.
 */
export class EmulatorError extends Error {
  override readonly name = "EmulatorError";
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly extra: { form?: "envelope" | "flat"; headers?: Record<string, string>; detail?: string; param?: string; hint?: string; docs?: string } = {},
  ) {
    super(message);
  }
}

export function envelopeBody(err: EmulatorError): { error: Record<string, string> } {
  const error: Record<string, string> = { code: err.code, message: err.message };
  if (err.extra.detail !== undefined) error["detail"] = err.extra.detail;
  if (err.extra.param !== undefined) error["param"] = err.extra.param;
  if (err.extra.hint !== undefined) error["hint"] = err.extra.hint;
  return { error };
}

export function flatBody(err: EmulatorError): Record<string, string> {
  const body: Record<string, string> = { error: err.code };
  if (err.message) body["message"] = err.message;
  if (err.extra.docs !== undefined) body["docs"] = err.extra.docs;
  return body;
}

/** Hosting-API errors, named after the documented catalog. */
export const api = {
  invalidRequest: (message: string) => new EmulatorError(400, "invalid_request", message),
  invalidApiKey: (message: string) => new EmulatorError(401, "invalid_api_key", message),
  insufficientBalance: (message: string) => new EmulatorError(402, "insufficient_balance", message),
  forbidden: (message: string) => new EmulatorError(403, "forbidden", message),
  tierLimit: (message: string) => new EmulatorError(403, "tier_limit", message),
  sharedUnavailable: (message: string) => new EmulatorError(403, "shared_unavailable", message),
  notFound: (message: string) => new EmulatorError(404, "not_found", message),
  instanceLimit: (message: string) => new EmulatorError(409, "instance_limit_reached", message),
  tryAgain: (message: string) => new EmulatorError(409, "try_again", message),
  conflict: (code: string, message: string) => new EmulatorError(409, code, message),
  provisioningFailed: (message: string) => new EmulatorError(502, "provisioning_failed", message),
};

/** Instance-edge errors (flat form). */
export const edge = {
  invalidApiKey: (message: string, docs?: string) => new EmulatorError(401, "invalid_api_key", message, { form: "flat", ...(docs !== undefined ? { docs } : {}) }),
  notFound: () => new EmulatorError(404, "not_found", "", { form: "flat" }),
  containerUnavailable: () => new EmulatorError(502, "container_unavailable", "", { form: "flat" }),
  containerUnreachable: () => new EmulatorError(502, "container_unreachable", "", { form: "flat" }),
  unavailable: () => new EmulatorError(503, "unavailable", "", { form: "flat" }),
};

/** Agent API (gateway) errors: envelope form with optional `param`. */
export const gateway = {
  validation: (message: string, param?: string) =>
    new EmulatorError(400, "validation_error", message, { form: "envelope", ...(param !== undefined ? { param } : {}) }),
  notFound: (message: string) => new EmulatorError(404, "not_found", message, { form: "envelope" }),
  agentUnavailable: (message: string) => new EmulatorError(503, "agent_unavailable", message, { form: "envelope" }),
  // The Files API's codes (the gateway's error codes and its Files page); messages name the resolved virtual path only.
  fileNotFound: (path: string) => new EmulatorError(404, "file_not_found", `No file at '${path}'.`, { form: "envelope" }),
  notADirectory: (path: string) => new EmulatorError(400, "not_a_directory", `'${path}' is not a directory.`, { form: "envelope", param: "path" }),
  fileExists: (path: string) => new EmulatorError(409, "file_exists", `A file already exists at '${path}'.`, { form: "envelope", hint: "Pass overwrite=true to replace it." }),
  modified: (path: string) =>
    new EmulatorError(412, "modified", `'${path}' was modified since it was last read.`, { form: "envelope", hint: "Re-read the file to get its current X-Expected-Mtime, then retry." }),
  payloadTooLarge: (message: string) => new EmulatorError(413, "payload_too_large", message, { form: "envelope" }),
  internal: (message: string) => new EmulatorError(500, "internal_error", message, { form: "envelope" }),
};
