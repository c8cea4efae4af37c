/**
 * The readiness gate per kind of template, through Pulumi's own provider host against the
 * emulator: instances of workspace templates wait for their app (not the gateway's /v1/health),
 * a readiness path and status wait for exactly that, an app that never turns ready ends in
 * "created but failed to initialize", and a template without a default port has its URL and no gate.
 */
import { Agent37Instance, type Agent37InstanceArgs } from "pulumi-agent37";
import type { AdminInstance } from "pulumi-agent37/emulator";
import { captureInputs, Engine, HostError, runProgram, startRig, toEngineInputs, type EmulatorAdmin, type Properties, type Rig } from "../harness";

const TYPE = "pulumi-nodejs:dynamic/agent37:Instance";
/** The provider's health poll interval in the host (its default). */
const INTERVAL_MS = 500;
/** "Within a few poll intervals": three, plus a round trip's slack. */
const FEW_INTERVALS_MS = 3 * INTERVAL_MS + 250;

let rig: Rig;
let admin: EmulatorAdmin;

beforeAll(async () => {
  rig = await startRig({ provisionMs: 100, bootMs: 1500, lifecycleMs: 100, deleteMs: 50, workspaceTemplates: [{ name: "web", defaultPort: 8000 }] });
  ({ admin } = rig);
});
afterAll(async () => rig?.close());
afterEach(async () => {
  await admin.clearApps();
  await admin.clearFaults();
});

const program = (name: string, args: Agent37InstanceArgs) => () => {
  const inst = new Agent37Instance(name, args);
  return { id: inst.instanceId, url: inst.url, health: inst.health };
};

interface Outs {
  id: string;
  url: string;
  health: { ok: boolean; healthy: boolean; agent: string; version: string; checkedAt: string; status?: number } | null;
}

async function up(engine: Engine, name: string, args: Agent37InstanceArgs): Promise<Outs> {
  return (await runProgram(engine, program(name, args))).outputs as unknown as Outs;
}

async function row(id: string): Promise<AdminInstance> {
  const r = await admin.instance(id);
  if (r === undefined) throw new Error(`no instance ${id}`);
  return r;
}

/** The instance-plane requests the gate made to `id`: `status path` in order. */
async function gateRequests(id: string): Promise<string[]> {
  return (await admin.requests()).log.filter((e) => e.plane === "instance" && e.instanceId === id).map((e) => `${e.status} ${e.path}`);
}

/** The app's answers with the same status in a row collapse to one: `["502 /", "200 /"]`. */
const runs = (entries: string[]): string[] => entries.filter((e, i) => e !== entries[i - 1]);

describe("a workspace template whose app serves / (and no /v1/health)", () => {
  it("is created, and its outputs resolve within a few poll intervals of the app answering, from its URL, never asking /v1/health", async () => {
    const engine = new Engine(rig.host);
    await admin.clearRequests();
    const started = Date.now();
    const outs = await up(engine, "site", { template: "web" });
    const live = await row(outs.id);
    expect(outs.url).toBe(live.url);
    expect(outs.health).toEqual({ ok: true, healthy: true, agent: "", version: "", status: 200, checkedAt: expect.any(String) });

    const listeningAt = live.app?.listeningAt;
    expect(listeningAt).toEqual(expect.any(Number));
    const lag = Date.parse(outs.health?.checkedAt ?? "") - (listeningAt as number);
    expect(lag).toBeGreaterThanOrEqual(-1);
    expect(lag).toBeLessThan(FEW_INTERVALS_MS);
    // Nowhere near the 600 s default timeout: the whole up took a few seconds.
    expect(Date.now() - started).toBeLessThan(20_000);

    const polls = await gateRequests(outs.id);
    expect(runs(polls)).toEqual(["502 /", "200 /"]);
    await engine.destroy();
  });
});

describe("health: { path, status }", () => {
  it("waits for exactly that status at that path: the app's own 503s keep the gate waiting, its 204 ends it", async () => {
    const engine = new Engine(rig.host);
    // Listening at once, but its readiness endpoint says 503 for 2.5 s.
    await admin.setApp({ template: "web", listenAfterMs: 0, readyAfterMs: 2500 });
    await admin.clearRequests();
    const outs = await up(engine, "ready", { template: "web", health: { path: "/ready", status: 204 } });
    expect(outs.health).toMatchObject({ ok: true, status: 204 });
    const polls = await gateRequests(outs.id);
    expect(runs(polls)).toEqual(["503 /ready", "204 /ready"]);
    expect(polls.filter((p) => p === "503 /ready").length).toBeGreaterThanOrEqual(3);

    const readyAt = (await row(outs.id)).app?.readyAt as number;
    const lag = Date.parse(outs.health?.checkedAt ?? "") - readyAt;
    expect(lag).toBeGreaterThanOrEqual(-1);
    expect(lag).toBeLessThan(FEW_INTERVALS_MS);
    await engine.destroy();
  });

  it("does not take an app's 503 for readiness: with the app answering 503 from itself, the gate times out naming that answer; once the app recovers, the next up completes", async () => {
    const engine = new Engine(rig.host);
    await admin.setApp({ template: "web", listenAfterMs: 0, status: 503 });
    const args: Agent37InstanceArgs = { template: "web", health: { path: "/ready", status: 204, timeoutSeconds: 2 } };
    const error = await up(engine, "failing", args).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HostError);
    const failure = (error as HostError).initFailure;
    expect(failure?.id).toEqual(expect.any(String));
    const reason = failure?.reasons.join(" ") ?? "";
    const { url } = await row(failure?.id ?? "");
    expect(reason).toContain(`GET ${url}/ready`);
    expect(reason).toContain("waiting for the app to answer 204");
    expect(reason).toContain("last answer: 503 stand-in app: answering 503 as configured");
    expect(reason).toContain("(from the app)");

    await admin.clearApps();
    const retry = await up(engine, "failing", args);
    expect(retry.id).toBe(failure?.id);
    expect(retry.health).toMatchObject({ status: 204 });
    await engine.destroy();
  });

  it("with a status class waits for any status of that class", async () => {
    const engine = new Engine(rig.host);
    await admin.setApp({ template: "web", listenAfterMs: 0, readyAfterMs: 0, readyPath: "/healthz", readyStatus: 202 });
    const outs = await up(engine, "classy", { template: "web", health: { path: "/healthz", status: "2xx" } });
    expect(outs.health).toMatchObject({ status: 202 });
    await engine.destroy();
  });
});

describe("an app that never turns ready", () => {
  it("ends in created-but-failed-to-initialize naming the URL and the edge's last answer; the instance stays in state and the next up completes once the app is ready", async () => {
    const engine = new Engine(rig.host);
    await admin.setApp({ template: "web", neverReady: true });
    const args: Agent37InstanceArgs = { template: "web", name: "stuck", health: { timeoutSeconds: 2 } };
    const error = await up(engine, "stuck", args).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HostError);
    expect((error as HostError).message).toMatch(/created but failed to initialize/);
    const failure = (error as HostError).initFailure;
    const live = await row(failure?.id ?? "");
    expect(live.status).toBe("running");
    expect(live.app).toMatchObject({ listeningAt: null, readyAt: null });
    expect(failure?.properties).toMatchObject({ instanceId: live.id, url: live.url, name: "stuck", health: null });
    const reason = failure?.reasons.join(" ") ?? "";
    expect(reason).toContain(`did not become ready (waiting for the app to answer) within 2 s: GET ${live.url}/;`);
    expect(reason).toContain('last answer: 502 {"error":"container_unreachable"} (from the edge, not the app)');
    expect(engine.state.get(engine.urn(TYPE, "stuck"))).toMatchObject({ id: live.id, initErrors: failure?.reasons });

    await admin.clearApps();
    const retry = await up(engine, "stuck", args);
    expect(retry).toMatchObject({ id: live.id, url: live.url, health: { ok: true, status: 200 } });
    await engine.destroy();
  });
});

describe("a move to a template revision whose app never turns ready", () => {
  /** The hosting API, as the user (or an Agent37Template) registers and revises a template. */
  async function hosting(method: string, path: string, body: unknown): Promise<void> {
    const res = await fetch(`${rig.emulator.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${rig.key}`, "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
  }

  it("fails the update's gate naming the URL, with the instance on the new revision and still in state; the same up completes once the app turns ready", async () => {
    const engine = new Engine(rig.host);
    await hosting("POST", "/v1/templates", { name: "svc", image_ref: "ghcr.io/acme/svc:v1", default_port: 8000 });
    const args = (template: string): Agent37InstanceArgs => ({ template, health: { timeoutSeconds: 2 } });
    const first = await up(engine, "svc", args("svc@1"));
    expect(first.health).toMatchObject({ status: 200 });

    await hosting("PATCH", "/v1/templates/svc", { image_ref: "ghcr.io/acme/svc:v2" });
    await admin.setApp({ template: "svc", revision: 2, neverReady: true });
    const error = await up(engine, "svc", args("svc@2")).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HostError);
    expect((error as HostError).message).toContain(`did not become ready (waiting for the app to answer) within 2 s: GET ${first.url}/;`);
    const live = await row(first.id);
    expect(live).toMatchObject({ status: "running", template_revision: 2, app: { listeningAt: null } });
    expect(engine.state.get(engine.urn(TYPE, "svc"))?.id).toBe(first.id);

    // Once that revision's app does turn ready, the same up completes on it in place.
    await admin.clearApps();
    const fixed = await up(engine, "svc", args("svc@2"));
    expect(fixed).toMatchObject({ id: first.id, health: { status: 200 } });
    expect((await row(first.id)).template_revision).toBe(2);
    await engine.destroy();
  });
});

describe("a template with default_port: null (2026-08)", () => {
  it("has its url output (the instance's own url) and no gate: no request reaches the instance", async () => {
    const engine = new Engine(rig.host);
    await admin.clearRequests();
    const outs = await up(engine, "box", { template: "sandbox" });
    const live = await row(outs.id);
    expect(outs.url).toBe(live.url);
    expect(outs.url).not.toBe("");
    expect(outs.health).toBeNull();
    expect(await gateRequests(outs.id)).toEqual([]);
    await engine.destroy();
  });

  it("is gated when asked, when its image does listen on the URL's port", async () => {
    const engine = new Engine(rig.host);
    await admin.setApp({ template: "sandbox", port: 3737 });
    await admin.clearRequests();
    const outs = await up(engine, "listening-box", { template: "sandbox", health: { path: "/" } });
    expect(outs.health).toMatchObject({ ok: true, status: 200 });
    expect(runs(await gateRequests(outs.id))).toEqual(["502 /", "200 /"]);
    await engine.destroy();
  });
});

describe("templates that carry agents", () => {
  it("still wait for the gateway's /v1/health, never the app's /", async () => {
    const engine = new Engine(rig.host);
    await admin.clearRequests();
    const outs = await up(engine, "agent", { template: "agent37-hermes-small" });
    expect(outs.health).toEqual({ ok: true, healthy: true, agent: "hermes", version: expect.any(String), checkedAt: expect.any(String) });
    const paths = new Set((await gateRequests(outs.id)).map((p) => p.split(" ")[1]));
    expect(paths).toEqual(new Set(["/v1/health", "/v1/version"]));
    await engine.destroy();
  });
});

describe("check", () => {
  it("refuses a bad health.status with one message per problem, naming the field", async () => {
    const inputs = toEngineInputs(await captureInputs(() => {
        new Agent37Instance("bad", { health: { status: [204, "2xy", 99], path: "ready" } });
      })) as Properties;
    const result = await rig.host.check(new Engine(rig.host).urn(TYPE, "bad"), {}, inputs);
    expect(result.failures).toEqual([
      { property: "health.path", reason: "health.path must start with /" },
      { property: "health.status[1]", reason: 'health.status[1] must be an HTTP status (100-599) or a class such as "2xx" (got "2xy")' },
      { property: "health.status[2]", reason: 'health.status[2] must be an HTTP status (100-599) or a class such as "2xx" (got 99)' },
    ]);
  });
});
