/**
 * Errors a retry cannot fix, through the provider host: each is sent once (counted on the
 * emulator) and surfaces as one message naming the operation, the instance, Agent37's code and
 * message, and what to do. The conditions are real emulator workspaces (free tier, no balance,
 * an unknown key) rather than injected answers, so the messages are the emulator's own.
 */
import { Engine, HostError, type ProviderHost } from "../harness";
import { alive, hostWithKey, inputsOf, startRig, TYPE, type Rig } from "./helpers";

const FUNDED = "sk_live_reliabilityFunded0000001";
const FREE = "sk_live_reliabilityFreeTier000001";
const BROKE = "sk_live_reliabilityNoBalance00001";
const UNKNOWN_KEY = "sk_live_reliabilityUnknownKey0001";

let rig: Rig;
let free: ProviderHost;
let broke: ProviderHost;
let unknownKey: ProviderHost;

beforeAll(async () => {
  rig = await startRig({ keys: [FUNDED], workspaces: [{ key: FREE, topUpsMicros: 0 }, { key: BROKE, balanceMicros: 0 }] }, FUNDED);
  [free, broke, unknownKey] = await Promise.all([hostWithKey(rig.emulator, FREE), hostWithKey(rig.emulator, BROKE), hostWithKey(rig.emulator, UNKNOWN_KEY)]);
});
afterAll(async () => {
  await Promise.all([free?.close(), broke?.close(), unknownKey?.close()]);
  await rig?.close();
});
beforeEach(async () => {
  await rig.admin.clearFaults();
  await rig.admin.clearRequests();
});

/** What Agent37 (the emulator) answers to this request when made directly: the message to expect. */
async function agent37Says(key: string, method: string, path: string, body: unknown): Promise<{ status: number; code: string; message: string }> {
  const res = await fetch(`${rig.emulator.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  const payload = (await res.json()) as { error: { code: string; message: string } };
  // The probe is not the provider's request: count only what follows.
  await rig.admin.clearRequests();
  return { status: res.status, code: payload.error.code, message: payload.error.message };
}

async function failure(run: Promise<unknown>): Promise<HostError> {
  const error = await run.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(HostError);
  return error as HostError;
}

/**
 * The checks every such error passes: sent once, one message with the operation, the instance,
 * the code and Agent37's message, and beyond Agent37's own words a hint matching `todo`.
 */
async function expectExplained(
  error: HostError,
  expected: { route: string; operation: RegExp; instance: string; answer: { code: string; message: string }; todo: RegExp },
): Promise<void> {
  const { counters } = await rig.admin.requests();
  expect(counters[expected.route]).toBe(1);
  const message = error.message;
  expect(message).toMatch(expected.operation);
  expect(message).toContain(expected.instance);
  expect(message).toContain(expected.answer.code);
  expect(message).toContain(expected.answer.message);
  expect(message.replace(expected.answer.message, "")).toMatch(expected.todo);
}

describe("errors a retry cannot fix are sent once and explained", () => {
  it("401 invalid_api_key (a key Agent37 does not know) on create", async () => {
    const answer = await agent37Says(UNKNOWN_KEY, "POST", "/v1/instances", { name: "keyless" });
    expect(answer).toMatchObject({ status: 401, code: "invalid_api_key" });
    const error = await failure(new Engine(unknownKey).register(TYPE, "keyless", await inputsOf({ name: "keyless" })));
    await expectExplained(error, { route: "POST /v1/instances", operation: /creat/i, instance: "keyless", answer, todo: /agent37:apiKey/ });
    expect(error.initFailure).toBeUndefined();
    expect(error.message).not.toContain(UNKNOWN_KEY);
  });

  it("402 insufficient_balance on create", async () => {
    const answer = await agent37Says(BROKE, "POST", "/v1/instances", { name: "penniless" });
    expect(answer).toMatchObject({ status: 402, code: "insufficient_balance" });
    const error = await failure(new Engine(broke).register(TYPE, "penniless", await inputsOf({ name: "penniless" })));
    await expectExplained(error, { route: "POST /v1/instances", operation: /creat/i, instance: "penniless", answer, todo: /top up|balance/i });
    expect(error.initFailure).toBeUndefined();
  });

  it("403 tier_limit (a larger shape on the free tier) on create", async () => {
    const body = { name: "too-big", resources: { cpu: 4, memory: 8 } };
    const answer = await agent37Says(FREE, "POST", "/v1/instances", body);
    expect(answer).toMatchObject({ status: 403, code: "tier_limit" });
    const error = await failure(new Engine(free).register(TYPE, "too-big", await inputsOf(body)));
    await expectExplained(error, { route: "POST /v1/instances", operation: /creat/i, instance: "too-big", answer, todo: /top up|cpu: 2/i });
  });

  it("403 tier_limit on a resize names the instance being updated", async () => {
    const engine = new Engine(free);
    const inputs = await inputsOf({ name: "grower", resources: { cpu: 2, memory: 4 } });
    const up = await engine.register(TYPE, "grower", inputs);
    try {
      const answer = await agent37Says(FREE, "POST", `/v1/instances/${up.id}/resize`, { cpu: 4, memory: 8 });
      expect(answer).toMatchObject({ status: 403, code: "tier_limit" });
      const error = await failure(engine.register(TYPE, "grower", { ...inputs, resources: { cpu: 4, memory: 8 } }));
      await expectExplained(error, { route: "POST /v1/instances/:id/resize", operation: /updat/i, instance: up.id, answer, todo: /top up|cpu: 2/i });
    } finally {
      await engine.destroy();
    }
  });

  it("409 instance_limit_reached (the free tier's one instance is taken) on create", async () => {
    const first = new Engine(free);
    await first.register(TYPE, "the-one", await inputsOf({ name: "the-one" }));
    try {
      const answer = await agent37Says(FREE, "POST", "/v1/instances", { name: "one-too-many" });
      expect(answer).toMatchObject({ status: 409, code: "instance_limit_reached" });
      const error = await failure(new Engine(free).register(TYPE, "one-too-many", await inputsOf({ name: "one-too-many" })));
      await expectExplained(error, { route: "POST /v1/instances", operation: /creat/i, instance: "one-too-many", answer, todo: /delete|top up|limit/i });
      // 409 here is a limit, not "try again": no lookup for an ambiguous create either.
      expect((await rig.admin.requests()).counters["GET /v1/instances"]).toBeUndefined();
    } finally {
      await first.destroy();
    }
  });

  it("400 invalid_request (a template the workspace does not have) on create", async () => {
    const body = { name: "mistyped", template: "mistyped-agent" };
    const answer = await agent37Says(FUNDED, "POST", "/v1/instances", body);
    expect(answer).toMatchObject({ status: 400, code: "invalid_request" });
    const error = await failure(new Engine(rig.host).register(TYPE, "mistyped", await inputsOf(body)));
    await expectExplained(error, { route: "POST /v1/instances", operation: /creat/i, instance: "mistyped", answer, todo: /correct|fix|change/i });
  });

  it("403 forbidden on delete names the instance being deleted and leaves it in state", async () => {
    const engine = new Engine(rig.host);
    const up = await engine.register(TYPE, "guarded", await inputsOf({ name: "guarded" }));
    const answer = { code: "forbidden", message: "This key may not delete instances." };
    await rig.admin.setFaults([{ method: "DELETE", path: "/v1/instances/*", kind: "status", status: 403, ...answer }]);
    const error = await failure(engine.destroy());
    await expectExplained(error, { route: "DELETE /v1/instances/:id", operation: /delet/i, instance: up.id, answer, todo: /key|permission|workspace/i });
    expect(engine.state.size).toBe(1);
    await rig.admin.clearFaults();
    await engine.destroy();
    expect((await rig.admin.instance(up.id))?.status).toBe("deleted");
  });

  it("names each instance in its own error when one failed lookup serves two refreshes", async () => {
    // Two sandboxes made outside this host, so its provider has not looked their template up yet.
    const made = await Promise.all(
      ["shared-a", "shared-b"].map(async (name) => {
        const res = await fetch(`${rig.emulator.url}/v1/instances`, {
          method: "POST",
          headers: { authorization: `Bearer ${FUNDED}`, "content-type": "application/json" },
          body: JSON.stringify({ name, template: "sandbox" }),
        });
        return ((await res.json()) as { id: string }).id;
      }),
    );
    const inputs = await inputsOf({ template: "sandbox" });
    const engines = made.map((id, n) => {
      const engine = new Engine(rig.host, { stack: `shared${n}` });
      const urn = engine.urn(TYPE, "box");
      engine.state.set(urn, { urn, type: TYPE, id, inputs, outputs: { ...inputs, instanceId: id } });
      return engine;
    });
    // The template lookup is slow, so both refreshes wait on the same one, and then refused.
    await rig.admin.setFaults([
      { method: "GET", path: "/v1/templates/*", kind: "delay", delayMs: 300 },
      { method: "GET", path: "/v1/templates/*", kind: "status", status: 403, code: "forbidden", message: "Templates are hidden from this key." },
    ]);
    const errors = await Promise.all(engines.map((e) => failure(e.refresh())));
    expect((await rig.admin.requests()).counters["GET /v1/templates/:name"]).toBe(1);
    errors.forEach((error, n) => {
      expect(error.message).toMatch(new RegExp(`^refreshing Agent37 instance ${made[n] as string}: `));
      expect(error.message).not.toContain(made[1 - n] as string);
    });
    await rig.admin.clearFaults();
    for (const engine of engines) await engine.destroy();
  });

  it("leaves every host running after all of these", () => {
    for (const host of [rig.host, free, broke, unknownKey]) expect(alive(host.pid)).toBe(true);
  });
});
