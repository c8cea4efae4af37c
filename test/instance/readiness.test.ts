// The choice of readiness gate per kind of template, and the app gate against the emulator's
// stand-in app: what counts as the app's answer, and what is the edge's.
import { UNKNOWN } from "../../provider/core/check";
import { checkInputs } from "../../provider/instance/check";
import { Agent37Client } from "../../provider/core/http";
import { Agent37HealthTimeoutError, InvalidApiKeyError } from "../../provider/core/errors";
import { edgeCode, planGate, statusMatches, waitAppReady } from "../../provider/instance/health";
import { EmulatorFixture, type Json } from "../harness/emulator-fixture";

describe("check of health.status", () => {
  it.each([
    [204, []],
    ["2xx", []],
    ["5XX", []],
    [[200, "3xx"], []],
    ["abc", [{ property: "health.status", reason: 'health.status must be an HTTP status (100-599) or a class such as "2xx" (got "abc")' }]],
    [600, [{ property: "health.status", reason: 'health.status must be an HTTP status (100-599) or a class such as "2xx" (got 600)' }]],
    [200.5, [{ property: "health.status", reason: 'health.status must be an HTTP status (100-599) or a class such as "2xx" (got 200.5)' }]],
    [true, [{ property: "health.status", reason: 'health.status must be an HTTP status (100-599) or a class such as "2xx", or a list of them' }]],
    [[], [{ property: "health.status", reason: "health.status must not be an empty list" }]],
    [[UNKNOWN, "6xx"], [{ property: "health.status[1]", reason: 'health.status[1] must be an HTTP status (100-599) or a class such as "2xx" (got "6xx")' }]],
  ])("%j", (status, failures) => {
    expect(checkInputs({ health: { status } })).toEqual(failures);
  });

  it("leaves a status unknown at preview alone", () => {
    expect(checkInputs({ health: { status: UNKNOWN } })).toEqual([]);
  });
});

describe("planGate", () => {
  const gateway = { runs: "gateway", defaultPort: 3737 } as const;
  const app = { runs: "app", defaultPort: 8000 } as const;
  const portless = { runs: "app", defaultPort: null } as const;

  it.each([
    ["gateway, no inputs", gateway, undefined, { kind: "gateway", path: "/v1/health" }],
    ["gateway, own path", gateway, { path: "/v1/health?agent=openclaw" }, { kind: "gateway", path: "/v1/health?agent=openclaw" }],
    ["gateway, status", gateway, { status: 200 }, { kind: "app", path: "/v1/health", status: 200 }],
    ["gateway, disabled", gateway, { disabled: true }, null],
    ["app, no inputs: any answer of the app at /", app, undefined, { kind: "app", path: "/", status: undefined }],
    ["app, path: a 2xx there", app, { path: "/ready" }, { kind: "app", path: "/ready", status: "2xx" }],
    ["app, path and status", app, { path: "/ready", status: 204 }, { kind: "app", path: "/ready", status: 204 }],
    ["app, status only", app, { status: [200, "3xx"] }, { kind: "app", path: "/", status: [200, "3xx"] }],
    ["app, disabled", app, { disabled: true, path: "/ready" }, null],
    ["app, timeout only", app, { timeoutSeconds: 30 }, { kind: "app", path: "/", status: undefined }],
    ["port-less app: no gate", portless, undefined, null],
    ["port-less app: a timeout alone does not ask for one", portless, { timeoutSeconds: 30 }, null],
    ["port-less app asked by path", portless, { path: "/" }, { kind: "app", path: "/", status: "2xx" }],
    ["port-less app asked by status", portless, { status: 200 }, { kind: "app", path: "/", status: 200 }],
  ] as const)("%s", (_name, template, health, expected) => {
    expect(planGate(template, health as Parameters<typeof planGate>[1])).toEqual(expected);
  });
});

describe("edgeCode", () => {
  it.each([
    [502, { error: "container_unreachable" }, "container_unreachable"],
    [502, { error: "container_unavailable", message: "not running" }, "container_unavailable"],
    [503, { error: "host_mesh_not_ready" }, "host_mesh_not_ready"],
    [504, { error: "upstream_timeout" }, "upstream_timeout"],
    [503, { error: "unavailable" }, "unavailable"],
    [401, { error: "invalid_api_key", docs: "https://..." }, "invalid_api_key"],
    // The transport-error family is open-ended: any flat-form 502/503/504 is the edge's.
    [503, { error: "some_new_edge_code" }, "some_new_edge_code"],
  ])("%d %j is the edge's", (status, body, code) => {
    expect(edgeCode({ status, body })).toBe(code);
  });

  it.each([
    [503, "starting\n"],
    [503, { status: "starting" }],
    [503, { error: { code: "agent_unavailable", message: "still starting" } }],
    [500, { error: "boom" }],
    [401, { error: "login required" }],
    [200, { error: "container_unreachable" }],
    [204, undefined],
  ])("%d %j is the app's", (status, body) => {
    expect(edgeCode({ status, body })).toBeUndefined();
  });
});

describe("statusMatches", () => {
  it("takes a code, a class (any case) or a list of them", () => {
    expect(statusMatches(204, 204)).toBe(true);
    expect(statusMatches(204, 200)).toBe(false);
    expect(statusMatches("2xx", 299)).toBe(true);
    expect(statusMatches("2XX", 204)).toBe(true);
    expect(statusMatches("2xx", 301)).toBe(false);
    expect(statusMatches([200, "3xx"], 302)).toBe(true);
    expect(statusMatches([200, "3xx"], 204)).toBe(false);
  });
});

describe("the app gate against the stand-in app", () => {
  let fx: EmulatorFixture;
  beforeAll(async () => {
    fx = await EmulatorFixture.start({ bootMs: 200, workspaceTemplates: [{ name: "web", defaultPort: 8000 }] });
  });
  afterAll(async () => fx.close());
  afterEach(async () => {
    await fx.admin("DELETE", "apps");
    await fx.admin("DELETE", "faults");
  });

  const gateClient = (key = fx.key) => new Agent37Client({ apiUrl: fx.emu.url, apiKey: key });
  const create = async (): Promise<{ id: string; url: string }> => (await fx.api("POST", "/v1/instances", { template: "web" })).body;
  const polls = async (id: string): Promise<number[]> =>
    (await fx.requestLog()).filter((e: Json) => e.plane === "instance" && e.instanceId === id).map((e: Json) => e.status as number);

  it("keeps waiting through the edge's errors and ends at the app's first answer", async () => {
    const { id, url } = await create();
    await fx.admin("POST", "apps", { template: "web", listenAfterMs: 0 });
    await fx.admin("POST", "faults", { faults: [{ plane: "instance", path: "/", kind: "status", status: 503, code: "host_mesh_not_ready", count: 2 }] });
    await fx.clearRequests();
    const r = await waitAppReady(gateClient(), { baseUrl: url, intervalMs: 20 });
    expect(r.status).toBe(200);
    expect(await polls(id)).toEqual([503, 503, 200]);
  });

  it("takes an app's own 401 as its answer, but ends at once on the edge's 401 for a wrong key", async () => {
    const { url } = await create();
    await fx.admin("POST", "apps", { template: "web", listenAfterMs: 0, status: 401 });
    expect((await waitAppReady(gateClient(), { baseUrl: url, intervalMs: 20 })).status).toBe(401);

    const started = Date.now();
    const err = await waitAppReady(gateClient("sk_live_notTheKeyOfThisWorkspace0"), { baseUrl: url, intervalMs: 20, timeoutMs: 5_000 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InvalidApiKeyError);
    expect((err as Error).message).toContain("while waiting for the app to answer");
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it("with an expected status, waits past the app's other answers and names the last one when it times out", async () => {
    const { url } = await create();
    await fx.admin("POST", "apps", { template: "web", listenAfterMs: 0, readyAfterMs: 0, readyStatus: 200 });
    const err = await waitAppReady(gateClient(), { baseUrl: url, path: "/ready", status: 204, intervalMs: 20, timeoutMs: 1_000 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Agent37HealthTimeoutError);
    expect((err as Error).message).toBe(`Instance did not become ready (waiting for the app to answer 204) within 1 s: GET ${url}/ready; last answer: 200 ready (from the app)`);
  });
});
