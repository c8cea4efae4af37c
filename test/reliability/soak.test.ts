/**
 * Fault soak: full lifecycles (create, update, refresh, a preview that must plan no change,
 * delete) through Pulumi's provider host while 10% of hosting-API and instance-plane requests
 * fail with every fault a retry can save. Beside the instances, the same fault mix meets
 * lifecycles of custom domains and SSH keys (a replace for their update: neither updates in
 * place) and of templates from an image (created before the faults start, see below), and the
 * emulator is counted at the end: nothing failed, duplicated or left behind.
 * `npm test` runs a small seeded batch; `npm run soak` (SOAK_FULL=1) runs 300 or more.
 *
 * Knobs (environment): SOAK_FULL=1 (full size), SOAK_LIFECYCLES, SOAK_CONCURRENCY,
 * SOAK_OBJECT_LIFECYCLES (domains and keys, each), SOAK_TEMPLATE_LIFECYCLES, SOAK_SEED,
 * SOAK_LIFECYCLE_MODE=blocking|async (whether the emulator's stop/start/resize answer after the
 * transition or at once; the API docs leave it open, the provider must handle both),
 * SOAK_FAULT_RATE (default 0.1).
 */
import { Agent37Domain, Agent37SshKey, Agent37Template } from "pulumi-agent37";
import { createKeyOf } from "../../provider/instance/resource";
import { captureInputs, Engine, HostError, PROVIDER_KEY } from "../harness";
import { randomEd25519Line } from "../harness/fixtures/ssh-keys";
import {
  faultLabel,
  PENDING_CREATE_KEY,
  faultPlan,
  inputsOf,
  prng,
  RETRIABLE_FAULTS,
  startRig,
  TYPE,
  within,
  type Rig,
} from "./helpers";

const FULL = process.env.SOAK_FULL === "1";
const LIFECYCLES = Number(process.env.SOAK_LIFECYCLES ?? (FULL ? 300 : 48));
const CONCURRENCY = Number(process.env.SOAK_CONCURRENCY ?? (FULL ? 24 : 16));
const SEED = Number(process.env.SOAK_SEED ?? 37);
const MODE = process.env.SOAK_LIFECYCLE_MODE === "async" ? "async" : "blocking";
const FAULT_RATE = Number(process.env.SOAK_FAULT_RATE ?? 0.1);
/** Domain lifecycles and SSH key lifecycles (each kind). */
const OBJECT_LIFECYCLES = Number(process.env.SOAK_OBJECT_LIFECYCLES ?? (FULL ? 100 : 12));
/** Template lifecycles (each waits for its image to be ingested, so fewer in the quick run). */
const TEMPLATE_LIFECYCLES = Number(process.env.SOAK_TEMPLATE_LIFECYCLES ?? (FULL ? 100 : 4));
/**
 * In flight per kind: a workspace holds at most 10 domains and 20 keys, and a replace holds two
 * of a lifecycle's objects at once (create first), so 4 domain and 8 key lifecycles fit.
 */
const DOMAIN_CONCURRENCY = 4;
const KEY_CONCURRENCY = 8;
/** Generous bound of one engine step: a hang becomes a counted, reported failure. */
const STEP_TIMEOUT_MS = 120_000;

jest.setTimeout(FULL ? 1_800_000 : 240_000);

type Args = Record<string, unknown>;

/** One in-place or replacing change a lifecycle's update applies, and what its outputs must show. */
interface Change {
  label: string;
  apply(args: Args): Args;
  /** The update replaces the instance (a second instance for this lifecycle, the first deleted). */
  replaces?: boolean;
  expect(outputs: Args): boolean;
}

const CHANGES: readonly Change[] = [
  { label: "rename", apply: (a) => ({ ...a, name: `${String(a.name)}-b` }), expect: (o) => String(o.name).endsWith("-b") },
  { label: "metadata", apply: (a) => ({ ...a, metadata: { phase: "updated" } }), expect: (o) => (o.metadata as Args | undefined)?.phase === "updated" },
  { label: "resize", apply: (a) => ({ ...a, resources: { cpu: 4, memory: 8 } }), expect: (o) => (o.resources as Args | undefined)?.cpu === 4 },
  { label: "stop", apply: (a) => ({ ...a, state: "stopped" }), expect: (o) => o.status === "stopped" },
  {
    label: "public port",
    apply: (a) => ({ ...a, publicPorts: [{ port: 8644, label: "api" }] }),
    expect: (o) => Array.isArray(o.publicPorts) && (o.publicPorts as Args[]).some((p) => p.port === 8644),
  },
  { label: "budget cap", apply: (a) => ({ ...a, budget: { monthlyCapMicros: 5_000_000 } }), expect: (o) => (o.budget as Args | undefined)?.monthlyCapMicros === 5_000_000 },
  { label: "template pin", apply: (a) => ({ ...a, template: "agent37-hermes@2026.06.18" }), expect: (o) => o.template === "agent37-hermes@2026.06.18" },
  { label: "env (replace)", apply: (a) => ({ ...a, env: { SOAK_MODE: "second" } }), replaces: true, expect: (o) => o.status === "running" },
];

interface Outcome {
  index: number;
  change: string;
  ids: string[];
  failure?: string;
}

let rig: Rig;
let provider: string;
let domainProvider: string;
let keyProvider: string;
let templateProvider: string;

beforeAll(async () => {
  rig = await startRig({ lifecycleMode: MODE });
  provider = String((await inputsOf({})).__provider);
  domainProvider = String((await captureInputs(() => ({ id: new Agent37Domain("probe", { domain: "probe.com" }).id })))[PROVIDER_KEY]);
  templateProvider = String((await captureInputs(() => ({ id: new Agent37Template("probe", { name: "probe", imageRef: "ghcr.io/acme/agent:1.0.0" }).id })))[PROVIDER_KEY]);
  keyProvider = String((await captureInputs(() => ({ id: new Agent37SshKey("probe", { publicKey: randomEd25519Line() }).id })))[PROVIDER_KEY]);
});
afterAll(async () => rig?.close());

/** One lifecycle through its own engine (its own stack state), every step bounded in time. */
async function lifecycle(index: number, settled: { started: number; ended: number }): Promise<Outcome> {
  const random = prng(SEED * 100_003 + index);
  const change = CHANGES[Math.floor(random() * CHANGES.length)] as Change;
  const engine = new Engine(rig.host, { stack: `soak${SEED}` });
  const name = `soak-${index}`;
  const base: Args = {
    __provider: provider,
    template: "agent37-hermes",
    resources: { cpu: 2, memory: 4 },
    name,
    user: `soak-${SEED}-${index}`,
    env: { SOAK_MODE: "first" },
    // As Agent37Instance sets it: every create first looks for an unfinished one of its resource.
    createKey: createKeyOf({ project: engine.project, stack: engine.stack, name }),
  };
  const ids: string[] = [];
  const step = async <T>(what: string, run: () => Promise<T>): Promise<T> => {
    settled.started++;
    try {
      return await within(run(), STEP_TIMEOUT_MS, `${name} ${what}`);
    } finally {
      settled.ended++;
    }
  };
  try {
    const created = await step("create", () => engine.register(TYPE, name, base));
    ids.push(created.id);
    if (created.outputs.status !== "running") throw new Error(`created with status ${String(created.outputs.status)}`);
    const updated = await step(`update (${change.label})`, () => engine.register(TYPE, name, change.apply(base)));
    if (updated.id !== created.id) ids.push(updated.id);
    if (!change.expect(updated.outputs)) throw new Error(`update (${change.label}) outputs do not show the change: ${JSON.stringify(updated.outputs)}`);
    const refreshed = await step("refresh", () => engine.refresh());
    if (refreshed.some((s) => s.gone)) throw new Error("refresh reported the instance gone");
    // Nothing changed behind the stack's back: after the refresh, the program plans no change.
    const plan = await step("preview", () => engine.register(TYPE, name, change.apply(base), { preview: true }));
    if (plan.op !== "same") throw new Error(`preview after refresh plans ${plan.op}, not same`);
    await step("delete", () => engine.destroy());
    if (engine.state.size !== 0) throw new Error("destroy left the resource in state");
    return { index, change: change.label, ids };
  } catch (error) {
    const message = error instanceof HostError ? `${error.method}: ${error.message}` : error instanceof Error ? error.message : String(error);
    return { index, change: change.label, ids, failure: message };
  }
}

/** A workspace object with a natural key (a domain, an SSH key): what a lifecycle declares and changes. */
interface ObjectKind {
  label: "domain" | "ssh key" | "template";
  type: string;
  base(index: number): Args;
  /** The update: each changes the natural key or the name, so it replaces. */
  changes: readonly { label: string; apply(args: Args, index: number): Args; expect(outputs: Args): boolean }[];
}

const DOMAIN_KIND: ObjectKind = {
  label: "domain",
  type: "pulumi-nodejs:dynamic/agent37:Domain",
  base: (index) => ({ __provider: domainProvider, domain: `soak${SEED}-${index}.com` }),
  changes: [
    { label: "another domain", apply: (a, index) => ({ ...a, domain: `soak${SEED}-${index}-b.com` }), expect: (o) => String(o.domain).endsWith("-b.com") && o.status === "pending" },
    { label: "another case", apply: (a) => ({ ...a, domain: String(a.domain).toUpperCase() }), expect: (o) => o.domain === String(o.domain).toLowerCase() },
  ],
};

const KEY_KIND: ObjectKind = {
  label: "ssh key",
  type: "pulumi-nodejs:dynamic/agent37:SshKey",
  base: (index) => ({ __provider: keyProvider, publicKey: randomEd25519Line(`soak-${SEED}-${index}`), name: `soak-${SEED}-${index}` }),
  changes: [
    { label: "rename (delete first)", apply: (a) => ({ ...a, name: `${String(a.name)}-b` }), expect: (o) => String(o.name).endsWith("-b") },
    { label: "another key (create first)", apply: (a, index) => ({ ...a, publicKey: randomEd25519Line(`soak-${SEED}-${index}-b`) }), expect: (o) => typeof o.keyId === "string" && o.keyId !== "" },
    { label: "blank name", apply: (a) => ({ ...a, name: " " }), expect: (o) => typeof o.name === "string" && o.name.startsWith("soak-") },
  ],
};

/** A template from an image (a build needs a context on disk): its update is a new revision, in place. */
const TEMPLATE_KIND: ObjectKind = {
  label: "template",
  type: "pulumi-nodejs:dynamic/agent37:Template",
  base: (index) => ({ __provider: templateProvider, name: `soak-${SEED}-${index}`, imageRef: "ghcr.io/acme/agent:1.0.0" }),
  changes: [
    { label: "new image (revision)", apply: (a) => ({ ...a, imageRef: "ghcr.io/acme/agent:1.1.0" }), expect: (o) => o.revision === 2 },
    { label: "description", apply: (a) => ({ ...a, description: "soaked" }), expect: (o) => o.description === "soaked" },
  ],
};

/** One domain, SSH key or template lifecycle through its own engine, as `lifecycle` does for an instance. */
async function objectLifecycle(
  kind: ObjectKind,
  index: number,
  settled: { started: number; ended: number },
  made?: { engine: Engine; created: Awaited<ReturnType<Engine["register"]>> },
): Promise<Outcome> {
  const random = prng(SEED * 7_919 + index + (kind === DOMAIN_KIND ? 0 : kind === KEY_KIND ? 500_009 : 900_007));
  const change = kind.changes[Math.floor(random() * kind.changes.length)]!;
  const engine = made?.engine ?? new Engine(rig.host, { stack: `soak${SEED}` });
  const name = `${kind.label.replace(" ", "-")}-${index}`;
  const base = kind.base(index);
  const changed = change.apply(base, index);
  const ids: string[] = [];
  const step = async <T>(what: string, run: () => Promise<T>): Promise<T> => {
    settled.started++;
    try {
      return await within(run(), STEP_TIMEOUT_MS, `${name} ${what}`);
    } finally {
      settled.ended++;
    }
  };
  try {
    const created = made?.created ?? (await step("create", () => engine.register(kind.type, name, base)));
    ids.push(created.id);
    const updated = await step(`update (${change.label})`, () => engine.register(kind.type, name, changed));
    if (updated.id !== created.id) ids.push(updated.id);
    if (!change.expect(updated.outputs)) throw new Error(`update (${change.label}) outputs do not show the change: ${JSON.stringify(updated.outputs)}`);
    const refreshed = await step("refresh", () => engine.refresh());
    if (refreshed.some((s) => s.gone)) throw new Error(`refresh reported the ${kind.label} gone`);
    const plan = await step("preview", () => engine.register(kind.type, name, changed, { preview: true }));
    if (plan.op !== "same") throw new Error(`preview after refresh plans ${plan.op}, not same`);
    await step("delete", () => engine.destroy());
    if (engine.state.size !== 0) throw new Error("destroy left the resource in state");
    return { index, change: `${kind.label}: ${change.label}`, ids };
  } catch (error) {
    const message = error instanceof HostError ? `${error.method}: ${error.message}` : error instanceof Error ? error.message : String(error);
    return { index, change: `${kind.label}: ${change.label}`, ids, failure: message };
  }
}

/** Runs `count` lifecycles of `run` with at most `concurrency` in flight. */
async function pool(count: number, concurrency: number, run: (index: number) => Promise<Outcome>): Promise<Outcome[]> {
  const outcomes: Outcome[] = [];
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < count) {
      const index = next++;
      outcomes.push(await run(index));
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, () => worker()));
  return outcomes.sort((a, b) => a.index - b.index);
}

/** Runs `count` instance lifecycles with at most `concurrency` in flight. */
function soak(count: number, concurrency: number, settled: { started: number; ended: number }): Promise<Outcome[]> {
  return pool(count, concurrency, (index) => lifecycle(index, settled));
}

describe(`fault soak (${LIFECYCLES} lifecycles, ${CONCURRENCY} in flight, seed ${SEED}, ${FAULT_RATE * 100}% faults, ${MODE} lifecycle calls)`, () => {
  const settled = { started: 0, ended: 0 };
  let outcomes: Outcome[] = [];
  let log: Awaited<ReturnType<Rig["admin"]["requests"]>>["log"] = [];
  let instances: Awaited<ReturnType<Rig["admin"]["instances"]>> = [];
  let domainOutcomes: Outcome[] = [];
  let keyOutcomes: Outcome[] = [];
  let templateOutcomes: Outcome[] = [];
  let templatesLeft: string[] = [];
  /** What the workspace holds at the end (read without faults). */
  let domainsLeft: string[] = [];
  let keysLeft: string[] = [];

  beforeAll(async () => {
    // Templates are created before the faults start: today's Agent37Template does not yet settle
    // a create whose answer is lost or a 5xx (POST /v1/templates; issue 22, item 4, handled
    // apart). Every later step of theirs (a new revision, refresh, preview, delete) meets the
    // fault mix like the rest.
    const templates = await Promise.all(
      Array.from({ length: TEMPLATE_LIFECYCLES }, async (_, index) => {
        const engine = new Engine(rig.host, { stack: `soak${SEED}` });
        return { engine, created: await engine.register(TEMPLATE_KIND.type, `template-${index}`, TEMPLATE_KIND.base(index)) };
      }),
    );
    await rig.admin.clearRequests();
    await rig.admin.setFaults(faultPlan(FAULT_RATE, RETRIABLE_FAULTS, { primeEach: true }), SEED);
    try {
      [outcomes, domainOutcomes, keyOutcomes, templateOutcomes] = await Promise.all([
        soak(LIFECYCLES, CONCURRENCY, settled),
        pool(OBJECT_LIFECYCLES, DOMAIN_CONCURRENCY, (index) => objectLifecycle(DOMAIN_KIND, index, settled)),
        pool(OBJECT_LIFECYCLES, KEY_CONCURRENCY, (index) => objectLifecycle(KEY_KIND, index, settled)),
        pool(TEMPLATE_LIFECYCLES, KEY_CONCURRENCY, (index) => objectLifecycle(TEMPLATE_KIND, index, settled, templates[index])),
      ]);
    } finally {
      await rig.admin.clearFaults();
    }
    log = (await rig.admin.requests()).log;
    instances = (await rig.admin.instances()).filter((i) => String(i.user ?? "").startsWith(`soak-${SEED}-`));
    const list = async (path: string) => {
      const res = await fetch(`${rig.emulator.url}${path}`, { headers: { authorization: `Bearer ${rig.key}` } });
      return ((await res.json()) as { data: Record<string, unknown>[] }).data;
    };
    domainsLeft = (await list("/v1/domains")).map((d) => String(d.domain));
    keysLeft = (await list("/v1/ssh-keys")).map((k) => `${String(k.id)} ${String(k.name)}`);
    templatesLeft = (await list("/v1/templates")).map((t) => String(t.name)).filter((n) => n.startsWith(`soak-${SEED}-`));
  });

  it("injects every retriable fault kind at about the planned rate on both planes", () => {
    for (const plane of ["api", "instance"] as const) {
      const entries = log.filter((e) => e.plane === plane);
      const faulted = entries.filter((e) => e.fault !== undefined).length;
      // Binomial spread around the plan: the primers, then `rate` of the rest, within 4 sd.
      const primers = RETRIABLE_FAULTS.filter((k) => k.rule.plane === plane).length;
      const expected = primers + (entries.length - primers) * FAULT_RATE;
      const sd = Math.sqrt(entries.length * FAULT_RATE * (1 - FAULT_RATE));
      expect(entries.length).toBeGreaterThan(primers * 5);
      expect(Math.abs(faulted - expected)).toBeLessThanOrEqual(4 * sd + 1);
    }
    // A delay adds to any other fault on the same request (the delay primer always lands on
    // the plane's first request, beside another primer), so a delayed request counts as a slow
    // response whatever else answered it.
    const seen = new Set([...log.map((e) => faultLabel(e)), ...log.filter((e) => (e.delayedMs ?? 0) > 0).map((e) => faultLabel({ ...e, fault: "delay" }))]);
    // Both 503 kinds on the API log as "api 503" (the log does not keep the code); one label covers them.
    const expected = new Set(RETRIABLE_FAULTS.map((k) => faultLabel({ plane: k.rule.plane ?? "api", status: k.rule.status ?? 0, fault: k.rule.kind })));
    expect([...expected].filter((l) => !seen.has(l))).toEqual([]);
  });

  it("completes every lifecycle: no failure a retry should have saved", () => {
    expect(outcomes).toHaveLength(LIFECYCLES);
    expect(outcomes.filter((o) => o.failure !== undefined).map((o) => `#${o.index} (${o.change}): ${o.failure}`)).toEqual([]);
  });

  it("completes every domain and SSH key lifecycle under the same faults", () => {
    expect(domainOutcomes).toHaveLength(OBJECT_LIFECYCLES);
    expect(keyOutcomes).toHaveLength(OBJECT_LIFECYCLES);
    expect([...domainOutcomes, ...keyOutcomes].filter((o) => o.failure !== undefined).map((o) => `#${o.index} (${o.change}): ${o.failure}`)).toEqual([]);
  });

  it("completes every template lifecycle under the same faults, and leaves no template behind", () => {
    expect(templateOutcomes).toHaveLength(TEMPLATE_LIFECYCLES);
    expect(templateOutcomes.filter((o) => o.failure !== undefined).map((o) => `#${o.index} (${o.change}): ${o.failure}`)).toEqual([]);
    expect(templatesLeft).toEqual([]);
    // Both changes update in place: one template per lifecycle.
    expect(templateOutcomes.filter((o) => o.ids.length !== 1).map((o) => o.index)).toEqual([]);
  });

  it("leaves no domain or SSH key behind, and recorded each one the workspace held (a replace: two)", () => {
    expect(domainsLeft).toEqual([]);
    expect(keysLeft).toEqual([]);
    // A change of case is no change (one domain); every other change replaced (two objects).
    for (const o of [...domainOutcomes, ...keyOutcomes]) expect([o.index, o.change, o.ids.length]).toEqual([o.index, o.change, o.change.endsWith("another case") || o.change.endsWith("blank name") ? 1 : 2]);
    // Every create Agent37 answered 201 (or acted on before a reset) is one the engine recorded.
    const made = (route: string) => log.filter((e) => e.route === route && (e.status === 201 || e.fault === "reset-after" || (e.fault === "status-after" && e.status >= 500))).length;
    const recorded = (outs: Outcome[]) => outs.reduce((n, o) => n + o.ids.length, 0);
    expect(made("POST /v1/domains")).toBe(recorded(domainOutcomes));
    expect(made("POST /v1/ssh-keys")).toBe(recorded(keyOutcomes));
    // Lost answers of these creates were met, and settled in the run (no lifecycle failed above).
    const lost = log.filter((e) => (e.route === "POST /v1/domains" || e.route === "POST /v1/ssh-keys") && e.fault === "reset-after").length;
    if (OBJECT_LIFECYCLES >= 100) expect(lost).toBeGreaterThan(0);
  });

  it("ends every operation it starts (nothing hangs)", () => {
    expect(settled.started).toBeGreaterThanOrEqual(LIFECYCLES * 5 + OBJECT_LIFECYCLES * 2 * 5 + TEMPLATE_LIFECYCLES * 4);
    expect(settled.ended).toBe(settled.started);
  });

  it("leaves no instance behind", () => {
    expect(instances.filter((i) => i.status !== "deleted").map((i) => `${i.id} ${i.status} ${String(i.user)}`)).toEqual([]);
  });

  it("never creates an instance twice: one per lifecycle (two when the update replaced it), and no marker left behind", () => {
    // Every create finished, so none left its pending-create marker on an instance.
    expect(instances.filter((i) => i.metadata?.[PENDING_CREATE_KEY] !== undefined).map((i) => i.id)).toEqual([]);
    const perLifecycle = outcomes.map((o) => [o.index, instances.filter((i) => i.user === `soak-${SEED}-${o.index}`).length]);
    const expected = outcomes.map((o) => [o.index, CHANGES.find((c) => c.label === o.change)?.replaces === true ? 2 : 1]);
    expect(perLifecycle).toEqual(expected);
    // Every instance the emulator made is one the engine recorded.
    expect(instances.map((i) => i.id).sort()).toEqual(outcomes.flatMap((o) => o.ids).sort());
  });

  it("saw ambiguous creates and adopted them instead of creating again", () => {
    // A create answered by a reset after the server acted: the instance exists, the answer is lost.
    const lost = log.filter((e) => e.route === "POST /v1/instances" && e.fault === "reset-after");
    if (LIFECYCLES >= 100) expect(lost.length).toBeGreaterThan(0);
    for (const e of lost) expect(instances.some((i) => i.id === e.instanceId)).toBe(true);
  });
});
