import { Agent37SchemaError, Agent37TimeoutError, Agent37TransportError, createApiError } from "../../provider/core/errors";
import { DEFAULT_RETRY_POLICY, decideRetry, parseRetryAfter } from "../../provider/core/retry";

const req = { method: "GET", url: "https://api.agent37.com/v1/instances/ab12cd34ef" };
const api = (status: number, code?: string, retryAfter?: number) =>
  createApiError(status, code ? { error: { code, message: "m" } } : null, req, retryAfter);
const decide = (error: unknown, over: Partial<Parameters<typeof decideRetry>[0]> = {}) =>
  decideRetry({ attempt: 1, error, idempotent: true, remainingMs: 60_000, random: 0.5, ...over });

describe("retry decisions", () => {
  it.each([
    ["no_capacity", 503],
    ["try_again", 409],
  ])("retries %s even on a non-idempotent call (nothing happened)", (code, status) => {
    expect(decide(api(status, code), { idempotent: false }).retry).toBe(true);
  });

  it.each([502, 503, 504])("retries a bare %i on an idempotent call", (status) => {
    expect(decide(api(status)).retry).toBe(true);
  });

  it("retries a failed container operation (502 provisioning_failed) on an idempotent call", () => {
    expect(decide(api(502, "provisioning_failed")).retry).toBe(true);
  });

  it("does not retry a bare 502 on a non-idempotent call (the server may have acted)", () => {
    expect(decide(api(502), { idempotent: false }).retry).toBe(false);
  });

  it.each([
    [400, "invalid_request"],
    [401, "invalid_api_key"],
    [402, "insufficient_balance"],
    [403, "tier_limit"],
    [404, "not_found"],
    [409, "instance_limit_reached"],
  ])("never retries %i %s", (status, code) => {
    expect(decide(api(status, code)).retry).toBe(false);
  });

  it("never retries a response of the wrong shape", () => {
    expect(decide(new Agent37SchemaError(req, [{ path: ["id"], message: "Required" }])).retry).toBe(false);
  });

  it("never retries an error it does not know", () => {
    expect(decide(new Error("boom")).retry).toBe(false);
  });

  it("honours Retry-After on 429, clamped to the policy maximum", () => {
    expect(decide(api(429, undefined, 2))).toEqual({ retry: true, delayMs: 2000 });
    expect(decide(api(429, undefined, 3600))).toEqual({ retry: true, delayMs: DEFAULT_RETRY_POLICY.maxRetryAfterMs });
  });

  it("retries a connection reset on idempotent calls only", () => {
    const reset = new Agent37TransportError(req, "ECONNRESET", true);
    expect(decide(reset).retry).toBe(true);
    expect(decide(reset, { idempotent: false }).retry).toBe(false);
  });

  it("retries a refused connection even on create (the request never left)", () => {
    expect(decide(new Agent37TransportError(req, "ECONNREFUSED", false), { idempotent: false }).retry).toBe(true);
  });

  it("treats an attempt timeout as ambiguous", () => {
    expect(decide(new Agent37TimeoutError(req, 1000), { idempotent: false }).retry).toBe(false);
    expect(decide(new Agent37TimeoutError(req, 1000)).retry).toBe(true);
  });

  it("backs off exponentially with jitter, capped", () => {
    const delays = [1, 2, 3, 4, 5].map((attempt) => {
      const d = decide(api(503), { attempt, random: 1 });
      return d.retry ? d.delayMs : -1;
    });
    expect(delays).toEqual([250, 500, 1000, 2000, 4000]);
    const low = decide(api(503), { attempt: 3, random: 0 });
    expect(low).toEqual({ retry: true, delayMs: 500 });
    const capped = decideRetry({ attempt: 5, error: api(503), idempotent: true, remainingMs: 1e9, random: 1, policy: { ...DEFAULT_RETRY_POLICY, maxAttempts: 99, maxDelayMs: 3000 } });
    expect(capped).toEqual({ retry: true, delayMs: 3000 });
  });

  it("stops after the last attempt", () => {
    expect(decide(api(503), { attempt: DEFAULT_RETRY_POLICY.maxAttempts }).retry).toBe(false);
  });

  it("stops when the next wait would pass the deadline", () => {
    expect(decide(api(503), { attempt: 4, remainingMs: 100 }).retry).toBe(false);
  });

  it("parses Retry-After as seconds or as an HTTP date", () => {
    expect(parseRetryAfter("3")).toBe(3);
    expect(parseRetryAfter(new Date(10_000).toUTCString(), 4_000)).toBe(6);
    expect(parseRetryAfter("soon")).toBeUndefined();
    expect(parseRetryAfter(undefined)).toBeUndefined();
  });
});
