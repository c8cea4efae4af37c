// The errors the provider hands Pulumi: each operation's error is explained once (operation and
// instance in front, Agent37's words unchanged, what to do at the end), keeps its class and
// `code`, and carries neither the API key nor the resource's env values.
import {
  Agent37ApiError,
  Agent37CreateOutcomeError,
  Agent37Error,
  Agent37TransportError,
  createApiError,
  ForbiddenError,
} from "../../provider/core/errors";
import { registerSecret } from "../../provider/core/redact";
import { explain } from "../../provider/core/explain";
import { Agent37InitError, type Agent37InstanceProvider } from "../../provider/front/dynamic/instance";
import { EmulatorFixture } from "../harness/emulator-fixture";

const req = { method: "POST", url: "https://api.agent37.com/v1/instances" };
const KEY = "sk_live_explainTestKey000000000001";
registerSecret(KEY);

function apiError(status: number, code: string, message: string): Agent37ApiError {
  return createApiError(status, { error: { code, message } }, req);
}

function occurrences(text: string, part: string): number {
  return text.split(part).length - 1;
}

describe("explain", () => {
  it("puts the operation in front and what to do at the end, keeping Agent37's message whole", () => {
    const original = apiError(402, "insufficient_balance", "This instance costs more than the balance.");
    const err = explain(original, 'creating Agent37 instance "web"', []) as Error;
    expect(err.message).toBe(
      'creating Agent37 instance "web": Agent37 answered 402: POST https://api.agent37.com/v1/instances: insufficient_balance: This instance costs more than the balance.\n' +
        "What to do: Top up the workspace balance in the Agent37 dashboard, then run the Pulumi command again.",
    );
  });

  it("keeps the error's class, name, status and code, and leaves the original untouched", () => {
    const original = apiError(403, "forbidden", "No.");
    const err = explain(original, "deleting Agent37 instance ab12", []) as ForbiddenError;
    expect(err).toBeInstanceOf(ForbiddenError);
    expect(err).toBeInstanceOf(Agent37Error);
    expect(err).not.toBe(original);
    expect([err.name, err.status, err.code, err.apiMessage]).toEqual(["ForbiddenError", 403, "forbidden", "No."]);
    expect(original.message).not.toContain("deleting");
  });

  it.each([
    ["try_again", 409],
    ["capacity_unavailable", 409],
    ["no_capacity", 503],
    ["rate_limited", 429],
  ])("advises waiting when retries of %s (%i) ran out, naming how many were made", (code, status) => {
    const original = apiError(status, code, "Busy.");
    original.attempts = 6;
    const err = explain(original, "updating Agent37 instance ab12", []) as Error;
    expect(err.message).toMatch(/\nWhat to do: Agent37 kept failing after 6 attempts: wait a moment/);
  });

  it("never claims retries for a 500 that was sent once", () => {
    const original = apiError(500, "internal_error", "Boom.");
    original.attempts = 1;
    const err = explain(original, "updating Agent37 instance ab12", []) as Error;
    expect(err.message).not.toMatch(/retries|attempts/);
    expect(err.message).toContain("\nWhat to do: Agent37 failed on its side; the request was sent once (a 500 internal_error is not repeated automatically)");
  });

  it("says a transport failure was not repeated when it was sent once", () => {
    const original = new Agent37TransportError(req, "ECONNRESET", true);
    original.attempts = 1;
    const err = explain(original, "updating Agent37 instance ab12", []) as Error;
    expect(err.message).not.toMatch(/after retries|attempts/);
    expect(err.message).toContain("What to do: The request got no answer and was not repeated");
  });

  it("tells a create whose outcome is unknown that running again is safe only with a stable marker", () => {
    const lost = new Agent37TransportError(req, "ECONNRESET", true);
    const lookup = apiError(503, "service_unavailable", "Down.");
    const stable = explain(new Agent37CreateOutcomeError(lost, lookup, true), 'creating Agent37 instance "web"', []) as Error;
    expect(stable.message).toMatch(/What to do: Run `pulumi up` again once Agent37 answers: before creating, it looks for this resource's unfinished create/);
    const oneTime = explain(new Agent37CreateOutcomeError(lost, lookup, false), 'creating Agent37 instance "web"', []) as Error;
    expect(oneTime.message).toMatch(/What to do: Do not simply run again: first list the unfinished creates/);
    expect(oneTime.message).not.toMatch(/wait a moment/);
  });

  it("scrubs env values of 4 characters and more, never the operation that names the resource", () => {
    const original = apiError(400, "invalid_request", "Value hunter2 and abcd are not allowed; web is fine.");
    const err = explain(original, 'creating Agent37 instance "abcd"', ["hunter2", "abcd"]) as Error;
    expect(err.message).toMatch(/^creating Agent37 instance "abcd": /);
    expect(err.message).toContain("Value [REDACTED] and [REDACTED] are not allowed");
    expect(err.stack).toMatch(/^InvalidRequestError: creating Agent37 instance "abcd": /);
    expect(err.stack).not.toContain("hunter2");
  });

  it("removes a registered key from an error that did not come from the client", () => {
    const err = explain(new TypeError(`unexpected value ${KEY}`), "refreshing Agent37 instance ab12", []) as Error;
    expect(err).toBeInstanceOf(TypeError);
    expect(err.message).not.toContain(KEY);
    expect(err.stack).not.toContain(KEY);
    expect(err.message).toContain("[REDACTED]");
  });

  describe("the stack Pulumi prints", () => {
    const ENV = "env-value-in-a-stack-0001";
    function thrownHere(message: string): TypeError {
      try {
        throw new TypeError(message);
      } catch (e) {
        return e as TypeError;
      }
    }

    function expectScrubbedStack(err: Error, header: string, frame: RegExp): void {
      expect(typeof err.stack).toBe("string");
      const stack = err.stack as string;
      expect(stack.startsWith(header)).toBe(true);
      expect(stack).toMatch(frame);
      expect(stack).not.toContain(KEY);
      expect(stack).not.toContain(ENV);
    }

    it(`is present on this Node (${process.version}), under the explained message, without the key or env values`, () => {
      const err = explain(thrownHere(`unexpected ${KEY} and ${ENV}`), "refreshing Agent37 instance ab12", [ENV]) as Error;
      expectScrubbedStack(err, "TypeError: refreshing Agent37 instance ab12: unexpected [REDACTED] and [REDACTED]\n", /\n\s+at thrownHere /);
    });

    it("is present when the original keeps its stack behind an accessor that only answers for itself", () => {
      // How V8 stores `stack` on newer Node: a copied property descriptor then reads undefined.
      const original = thrownHere(`unexpected ${KEY} and ${ENV}`);
      const text = original.stack as string;
      Object.defineProperty(original, "stack", {
        get(this: unknown) {
          return this === original ? text : undefined;
        },
        configurable: true,
        enumerable: false,
      });
      const err = explain(original, "refreshing Agent37 instance ab12", [ENV]) as Error;
      expectScrubbedStack(err, "TypeError: refreshing Agent37 instance ab12: unexpected [REDACTED]", /\n\s+at thrownHere /);
    });

    it("is present on the client's own errors, with their class name in the header", () => {
      const original = apiError(400, "invalid_request", `env FOO=${ENV} is not allowed`);
      const err = explain(original, 'creating Agent37 instance "web"', [ENV]) as Error;
      expectScrubbedStack(err, 'InvalidRequestError: creating Agent37 instance "web": Agent37 answered 400', /\n\s+at /);
      expect(err.stack).toContain("\nWhat to do: ");
    });
  });

  it("names the operation in an unexpected error too, without advice it cannot give", () => {
    const err = explain(new TypeError("x is undefined"), "refreshing Agent37 instance ab12", []) as Error;
    expect(err.message).toBe("refreshing Agent37 instance ab12: x is undefined");
  });

  it("removes env values from the message, the stack and an init failure's reasons", () => {
    const secret = "env-value-quoted-back";
    const init = new Agent37InitError("ab12", { instanceId: "ab12" } as never, new Error(`rejected ${secret}`));
    const err = explain(init, 'creating Agent37 instance "web"', [secret], { initFailure: true }) as Agent37InitError;
    expect(err).toBeInstanceOf(Agent37InitError);
    expect(err.id).toBe("ab12");
    for (const text of [err.message, err.stack ?? "", ...err.reasons]) expect(text).not.toContain(secret);
    // An init failure is reported by Pulumi as "created but failed to initialize": no prefix.
    expect(err.message).toMatch(/^Agent37 instance ab12 was created but failed to initialize/);
  });

  it("tells how to finish or remove the instance after an init failure", () => {
    const init = new Agent37InitError("ab12", { instanceId: "ab12" } as never, new Error("gateway never reported healthy"));
    const err = explain(init, 'creating Agent37 instance "web"', [], { initFailure: true }) as Error;
    expect(err.message).toMatch(/\nWhat to do: The instance ab12 exists and is kept in the stack's state: run `pulumi up` again to finish it/);
    expect(err.message).toContain("`pulumi destroy` to delete it");
  });

  it("puts Agent37's own advice first when an init failure has one of its errors as cause", () => {
    const cause = apiError(402, "insufficient_balance", "Add balance to your workspace and try again.");
    const init = new Agent37InitError("ab12", { instanceId: "ab12" } as never, cause);
    const err = explain(init, 'creating Agent37 instance "web"', [], { initFailure: true }) as Error;
    expect(err.message).toMatch(/\nWhat to do: Top up the workspace balance in the Agent37 dashboard, .* The instance ab12 exists/);
  });

  it("explains a transport failure with what to check", () => {
    const original = new Agent37TransportError(req, "ECONNRESET", true);
    const err = explain(original, 'creating Agent37 instance "web"', []) as Agent37TransportError;
    expect(err.transportCode).toBe("ECONNRESET");
    expect(err.message).toMatch(/^creating Agent37 instance "web": Agent37 request failed without a response \(ECONNRESET\)/);
    expect(err.message).toContain("\nWhat to do: The request got no answer and was not repeated");
  });

  it("passes a thrown non-error through unchanged", () => {
    expect(explain("plain string", "deleting Agent37 instance ab12", [])).toBe("plain string");
  });
});

describe("the provider's operations", () => {
  let fx: EmulatorFixture;
  let p: Agent37InstanceProvider;
  beforeAll(async () => {
    fx = await EmulatorFixture.start();
    p = fx.provider();
  });
  afterAll(async () => fx.close());
  afterEach(async () => fx.clearFaults());

  const FORBIDDEN = { kind: "status", status: 403, code: "forbidden", message: "This key may not do that." };

  async function rejection(run: Promise<unknown>): Promise<ForbiddenError> {
    const err = await run.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(ForbiddenError);
    return err as ForbiddenError;
  }

  function expectExplainedOnce(err: ForbiddenError, operation: string): void {
    expect(err.code).toBe("forbidden");
    expect(err.message.startsWith(`${operation}: Agent37 answered 403: `)).toBe(true);
    expect(occurrences(err.message, "Agent37 instance")).toBe(1);
    expect(occurrences(err.message, "What to do:")).toBe(1);
    expect(err.message).toContain("forbidden: This key may not do that.");
    expect(err.message).not.toContain(fx.key);
  }

  it("create: names the instance by its name", async () => {
    await fx.faults([{ method: "POST", path: "/v1/instances", ...FORBIDDEN }]);
    expectExplainedOnce(await rejection(p.create({ name: "refused" })), 'creating Agent37 instance "refused"');
  });

  it("read, update and delete: name the instance by its id", async () => {
    const c = await p.create({ name: "target" });
    await fx.faults([{ method: "GET", path: "/v1/instances/*", ...FORBIDDEN }]);
    expectExplainedOnce(await rejection(p.read(c.id, c.outs)), `refreshing Agent37 instance ${c.id}`);
    await fx.faults([{ method: "PATCH", path: "/v1/instances/*", ...FORBIDDEN }]);
    // An update refused after the instance can still be read is an init failure carrying what
    // runs (state then matches the instance); its message still leads with the operation.
    const updated = await p.update(c.id, c.outs, { name: "renamed" }).then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(updated).toBeInstanceOf(Error);
    expect(updated?.message.startsWith(`updating Agent37 instance ${c.id}: `)).toBe(true);
    expect(updated?.message).toContain("forbidden: This key may not do that.");
    expect(occurrences(updated?.message ?? "", "What to do:")).toBe(1);
    expect(updated?.message).not.toContain(fx.key);
    await fx.faults([{ method: "DELETE", path: "/v1/instances/*", ...FORBIDDEN }]);
    expectExplainedOnce(await rejection(p.delete(c.id, c.outs)), `deleting Agent37 instance ${c.id}`);
    await fx.clearFaults();
    await p.delete(c.id, c.outs);
  });

  it("a failure the provider meets twice (a cached lookup) is explained once in each operation", async () => {
    // A workspace template is looked up once per name and the lookup is shared: its failure
    // reaches every operation waiting on it, and each must say it once.
    const made = await fx.api("POST", "/v1/instances", { name: "boxed", template: "sandbox" });
    expect(made.status).toBe(201);
    const id = made.body.id as string;
    // Slow enough that the second read joins the first one's lookup.
    await fx.faults([
      { method: "GET", path: "/v1/templates/*", kind: "delay", delayMs: 200 },
      { method: "GET", path: "/v1/templates/*", ...FORBIDDEN },
    ]);
    await fx.clearRequests();
    const fresh = fx.provider();
    const errors = await Promise.all([rejection(fresh.read(id, { instanceId: id })), rejection(fresh.read(id, { instanceId: id }))]);
    expect((await fx.apiCalls())["GET /v1/templates/:name"]).toBe(1);
    for (const err of errors) expectExplainedOnce(err, `refreshing Agent37 instance ${id}`);
    await fx.clearFaults();
    await p.delete(id, {});
  });
});
