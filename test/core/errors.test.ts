import {
  Agent37ApiError,
  Agent37Error,
  Agent37TransportError,
  createApiError,
  InsufficientBalanceError,
  InvalidApiKeyError,
  NoCapacityError,
  NotFoundError,
  ProvisioningFailedError,
  TryAgainError,
} from "../../provider/core/errors";
import { registerSecret } from "../../provider/core/redact";

const req = { method: "POST", url: "https://api.agent37.com/v1/instances" };

describe("error family", () => {
  it.each([
    ["invalid_api_key", 401, InvalidApiKeyError],
    ["not_found", 404, NotFoundError],
    ["insufficient_balance", 402, InsufficientBalanceError],
    ["no_capacity", 503, NoCapacityError],
    ["try_again", 409, TryAgainError],
    ["provisioning_failed", 502, ProvisioningFailedError],
  ] as const)("maps code %s to its own class under the root", (code, status, Class) => {
    const err = createApiError(status, { error: { code, message: "m" } }, req);
    expect(err).toBeInstanceOf(Class);
    expect(err).toBeInstanceOf(Agent37ApiError);
    expect(err).toBeInstanceOf(Agent37Error);
    expect(err.code).toBe(code);
    expect(err.status).toBe(status);
  });

  it("says what happened, then METHOD URL, then code and message", () => {
    const err = createApiError(402, { error: { code: "insufficient_balance", message: "Add balance." } }, req);
    expect(err.message).toBe("Agent37 answered 402: POST https://api.agent37.com/v1/instances: insufficient_balance: Add balance.");
  });

  it("reads the instance plane's flat error form", () => {
    const err = createApiError(401, { error: "invalid_api_key", message: "X-Agent37-Key is invalid" }, { method: "GET", url: "http://x.localhost/v1/health" });
    expect(err).toBeInstanceOf(InvalidApiKeyError);
    expect(err.apiMessage).toBe("X-Agent37-Key is invalid");
  });

  it("keeps an unknown code as a plain API error", () => {
    const err = createApiError(409, { error: { code: "build_conflict", message: "m" } }, req);
    expect(err.constructor).toBe(Agent37ApiError);
    expect(err.code).toBe("build_conflict");
  });

  it("carries the console tail of a failed create", () => {
    const err = createApiError(502, { error: { code: "provisioning_failed", message: "boot failed", detail: "exit 1" } }, req);
    expect(err.detail).toBe("exit 1");
    expect(err.message).toContain("exit 1");
  });

  it("gives a transport failure no status", () => {
    const err = new Agent37TransportError(req, "ECONNRESET", true);
    expect("status" in err).toBe(false);
    expect(err.message).toBe("Agent37 request failed without a response (ECONNRESET): POST https://api.agent37.com/v1/instances");
  });

  it("redacts the API key from messages and properties", () => {
    const key = "sk_live_redaction_probe_0123456789";
    registerSecret(key);
    const err = createApiError(400, { error: { code: "invalid_request", message: `bad key ${key}`, detail: key } }, { method: "GET", url: `https://x/${key}` });
    expect(JSON.stringify({ ...err, message: err.message })).not.toContain(key);
    expect(err.message).toContain("[REDACTED]");
  });
});
