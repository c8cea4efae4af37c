/**
 * Bad-input fuzz through the provider host's Check: seeded generators of valid inputs (with the
 * engine's unknown sentinel in places) and of inputs that break exactly one rule (or two, on
 * different inputs). Every invalid one is rejected with a failure naming the broken property,
 * and nothing else; every valid one passes; the host never crashes. No network is involved.
 *
 * Knobs (environment): FUZZ_SEED, FUZZ_CASES (per kind; default 1100).
 */
import { startProviderHost, UNKNOWN, type ProviderHost } from "../harness";
import { alive, inputsOf, prng, TYPE } from "./helpers";

const SEED = Number(process.env.FUZZ_SEED ?? 5);
const CASES = Number(process.env.FUZZ_CASES ?? 1100);
const URN = `urn:pulumi:dev::fuzz::${TYPE}::subject`;

type Json = unknown;
type Inputs = Record<string, Json>;

/** The inputs of Agent37Instance (README, "Inputs reference"): a failure's property must start with one of these. */
const INPUT_NAMES = [
  "template",
  "resources",
  "type",
  "name",
  "user",
  "metadata",
  "env",
  "autoSleep",
  "idleTimeoutSeconds",
  "publicPorts",
  "budget",
  "state",
  "ports",
  "health",
  "adoptInstanceId",
];
const SHAPES = [
  { cpu: 2, memory: 4, diskMax: 12 },
  { cpu: 4, memory: 8, diskMax: 20 },
  { cpu: 8, memory: 16, diskMax: 40 },
];
const RESERVED_ENV = ["AGENT37_INSTANCE_ID", "AGENT37_RUNTIME_IMAGE_REF", "AGENT37_AGENT_TYPE", "AGENT37_GATEWAY_PORT", "OPENCLAW_GATEWAY_PORT", "OPENCLAW_CONTROL_UI_INSTANCE_ORIGIN"];
const RESERVED_PORTS = [3737, 9119, 7681, 8080, 6080, 7890, 22022];

class Gen {
  private readonly r: () => number;
  constructor(seed: number) {
    this.r = prng(seed);
  }
  float(): number {
    return this.r();
  }
  int(min: number, max: number): number {
    return min + Math.floor(this.r() * (max - min + 1));
  }
  chance(p: number): boolean {
    return this.r() < p;
  }
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.r() * items.length)] as T;
  }
  /** Whole code points (never a lone surrogate: the engine sends UTF-8). */
  chars(alphabet: string, min: number, max: number): string {
    const points = Array.from(alphabet);
    let s = "";
    for (let n = this.int(min, max); n > 0; n--) s += points[Math.floor(this.r() * points.length)];
    return s;
  }
  /**
   * Text of `min`..`max` UTF-16 units. Characters outside the BMP (two units each) only where no
   * length limit applies: the limits count units, and how Agent37 counts them is not documented.
   */
  text(min: number, max: number, astral = false): string {
    return this.chars(`abcdefghijklmnopqrstuvwxyz ABCDEFGHIJ0123456789-_./:é漢${astral ? "🙂" : ""}`, astral ? Math.ceil(min / 2) : min, astral ? Math.floor(max / 2) : max);
  }
  /** Sometimes the engine's unknown sentinel instead of `value` (a preview with unresolved outputs). */
  maybeUnknown<T>(value: T, p = 0.08): T | string {
    return this.chance(p) ? UNKNOWN : value;
  }
}

const LOWER = "abcdefghijklmnopqrstuvwxyz";
const ALNUM = `${LOWER}0123456789`;
const UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";

function envKey(g: Gen): string {
  let key: string;
  do key = g.chars(UPPER, 1, 1) + g.chars(`${UPPER}0123456789_`, 0, 20);
  while (RESERVED_ENV.includes(key));
  return key;
}

function publicPort(g: Gen, used: Set<number>): number {
  let port: number;
  do port = g.int(1, 65535);
  while (RESERVED_PORTS.includes(port) || used.has(port));
  used.add(port);
  return port;
}

function prefix(g: Gen): string {
  const n = g.int(1, 30);
  if (n === 1) return g.chars(ALNUM, 1, 1);
  return g.chars(ALNUM, 1, 1) + g.chars(`${ALNUM}-`, n - 2, n - 2) + g.chars(ALNUM, 1, 1);
}

/** A valid value for each input. */
const VALID: Record<string, (g: Gen) => Json> = {
  template: (g) => {
    const name = g.pick(["agent37-hermes", "agent37-hermes-small", "agent37-openclaw", "sandbox", g.chars(LOWER, 1, 1) + g.chars(`${ALNUM}-`, 1, 30)]);
    return g.chance(0.3) ? `${name}@${g.pick(["2026.06.18", "2026.07.02b", String(g.int(1, 99)), "v1_2-3"])}` : name;
  },
  resources: (g) => {
    const shape = g.pick(SHAPES);
    const out: Inputs = {};
    if (g.chance(0.7)) {
      out.cpu = g.maybeUnknown(shape.cpu);
      out.memory = g.maybeUnknown(shape.memory);
    }
    const max = out.cpu === undefined ? 12 : shape.diskMax;
    if (g.chance(0.6)) out.disk = g.maybeUnknown(g.int(2, max));
    return out;
  },
  type: (g) => g.pick(["dedicated", "shared"]),
  name: (g) => g.text(0, 60),
  user: (g) => g.text(0, 200),
  metadata: (g) => {
    const out: Inputs = {};
    for (let n = g.int(0, 6); n > 0; n--) {
      out[g.chars(`${LOWER}-_.`, 1, 12)] = g.maybeUnknown(g.pick<Json>([g.text(0, 40, true), g.int(-1e6, 1e6), g.chance(0.5), null, { nested: [1, "two", { three: true }] }, [g.text(0, 5)]]));
    }
    return out;
  },
  env: (g) => {
    const out: Inputs = {};
    for (let n = g.int(0, 32); n > 0; n--) out[envKey(g)] = g.maybeUnknown(g.chance(0.05) ? g.chars("x", 4096, 4096) : g.text(0, 64, true));
    return out;
  },
  autoSleep: (g) => g.chance(0.5),
  idleTimeoutSeconds: (g) => g.int(60, 86400),
  publicPorts: (g) => {
    const used = new Set<number>();
    return Array.from({ length: g.int(0, 20) }, () => {
      if (g.chance(0.05)) return UNKNOWN;
      const entry: Inputs = { port: publicPort(g, used) };
      if (g.chance(0.4)) entry.prefix = g.maybeUnknown(prefix(g));
      if (g.chance(0.3)) entry.label = g.text(0, 64);
      return entry;
    });
  },
  budget: (g) => {
    const out: Inputs = {};
    if (g.chance(0.7)) out.monthlyCapMicros = g.int(0, 1e9);
    if (g.chance(0.5)) out.creditMicros = g.maybeUnknown(g.int(0, 1e9));
    return out;
  },
  state: (g) => g.pick(["running", "stopped"]),
  ports: (g) => {
    const used = new Set<number>();
    return Array.from({ length: g.int(0, 6) }, () => {
      let p: number;
      do p = g.int(1, 65535);
      while (used.has(p));
      used.add(p);
      return g.maybeUnknown(p);
    });
  },
  health: (g) => {
    const out: Inputs = {};
    if (g.chance(0.5)) out.path = `/${g.chars(`${ALNUM}/-_`, 0, 30)}`;
    if (g.chance(0.5)) out.timeoutSeconds = g.pick([g.int(1, 86400), 0.5, 86400]);
    if (g.chance(0.3)) out.disabled = g.chance(0.5);
    return out;
  },
  adoptInstanceId: (g) => g.chars(ALNUM, 10, 10),
};

/** Valid inputs: a random subset of inputs, some values (or whole inputs) unknown, some null (absent). */
function validInputs(g: Gen): Inputs {
  const out: Inputs = {};
  for (const name of INPUT_NAMES) {
    if (!g.chance(0.45)) continue;
    const roll = g.float();
    out[name] = roll < 0.05 ? UNKNOWN : roll < 0.08 ? null : (VALID[name] as (g: Gen) => Json)(g);
  }
  return out;
}

/** One broken rule: a change to valid inputs and the property its failure must name. */
interface Breakage {
  rule: string;
  apply(g: Gen, inputs: Inputs): string;
}

const obj = (v: Json): Inputs => (v !== null && typeof v === "object" && !Array.isArray(v) ? (v as Inputs) : {});
const arr = (v: Json): Json[] => (Array.isArray(v) ? v : []);

/** Sets inputs[name] to a valid object (keeping a known one), so a nested rule can be broken in it. */
function known(g: Gen, inputs: Inputs, name: string): Inputs {
  const current = inputs[name];
  const value = current !== null && typeof current === "object" && !Array.isArray(current) ? (current as Inputs) : obj((VALID[name] as (g: Gen) => Json)(g));
  inputs[name] = value;
  return value;
}

function knownList(g: Gen, inputs: Inputs, name: string): Json[] {
  const current = inputs[name];
  const list = Array.isArray(current) ? current : arr((VALID[name] as (g: Gen) => Json)(g));
  inputs[name] = list;
  return list;
}

const BREAKAGES: readonly Breakage[] = [
  // env
  {
    rule: "env key pattern",
    apply: (g, i) => {
      const key = g.pick([g.chars(LOWER, 1, 8), `${g.int(0, 9)}${g.chars(UPPER, 1, 5)}`, `${g.chars(UPPER, 1, 4)}-${g.chars(UPPER, 1, 4)}`, `_${g.chars(UPPER, 1, 5)}`, ""]);
      known(g, i, "env")[key] = "value";
      return `env.${key}`;
    },
  },
  {
    rule: "env reserved name",
    apply: (g, i) => {
      const key = g.pick(RESERVED_ENV);
      known(g, i, "env")[key] = "value";
      return `env.${key}`;
    },
  },
  {
    rule: "env value length",
    apply: (g, i) => {
      const key = envKey(g);
      known(g, i, "env")[key] = g.chars("v", 4097, 5000);
      return `env.${key}`;
    },
  },
  {
    rule: "env value type",
    apply: (g, i) => {
      const key = envKey(g);
      known(g, i, "env")[key] = g.pick<Json>([g.int(0, 9), true, { nested: "x" }, ["a"]]);
      return `env.${key}`;
    },
  },
  {
    rule: "env entry count",
    apply: (g, i) => {
      const env: Inputs = {};
      while (Object.keys(env).length < g.int(33, 45)) env[envKey(g)] = "v";
      i.env = env;
      return "env";
    },
  },
  { rule: "env shape", apply: (g, i) => ((i.env = g.pick<Json>(["A=b", ["A"], 7, true])), "env") },
  // resources
  {
    rule: "shape",
    apply: (g, i) => {
      const [cpu, memory] = g.pick([
        [3, 4],
        [2, 8],
        [16, 32],
        [4, 4],
        [8, 8],
        [1, 2],
      ]) as [number, number];
      i.resources = { cpu, memory };
      return [2, 4, 8].includes(cpu) ? "resources.memory" : "resources.cpu";
    },
  },
  {
    rule: "shape needs cpu and memory together",
    apply: (g, i) => {
      const shape = g.pick(SHAPES);
      const half = g.chance(0.5);
      i.resources = half ? { cpu: shape.cpu } : { memory: shape.memory };
      return half ? "resources.memory" : "resources.cpu";
    },
  },
  {
    rule: "disk range",
    apply: (g, i) => {
      const shape = g.pick(SHAPES);
      i.resources = { cpu: shape.cpu, memory: shape.memory, disk: g.chance(0.5) ? g.int(-5, 1) : g.int(shape.diskMax + 1, 500) };
      return "resources.disk";
    },
  },
  {
    rule: "resources whole numbers",
    apply: (g, i) => {
      const field = g.pick(["cpu", "memory", "disk"]);
      i.resources = { [field]: g.pick<Json>([2.5, "4", true]) };
      return `resources.${field}`;
    },
  },
  // numbers and enums
  {
    rule: "idleTimeoutSeconds range",
    apply: (g, i) => ((i.idleTimeoutSeconds = g.pick<Json>([g.int(-100, 59), g.int(86401, 1e7), 120.5, "300", false])), "idleTimeoutSeconds"),
  },
  { rule: "type", apply: (g, i) => ((i.type = g.pick<Json>(["gpu", "Dedicated", "", 1])), "type") },
  { rule: "state", apply: (g, i) => ((i.state = g.pick<Json>(["paused", "Running", "", true])), "state") },
  { rule: "autoSleep type", apply: (g, i) => ((i.autoSleep = g.pick<Json>(["true", 1, "yes"])), "autoSleep") },
  // public ports
  {
    rule: "public port reserved or out of range",
    apply: (g, i) => {
      const list = knownList(g, i, "publicPorts");
      if (list.length >= 20) list.length = 19;
      list.push({ port: g.chance(0.6) ? g.pick(RESERVED_PORTS) : g.pick([0, -1, 65536, 100000, 80.5]) });
      return `publicPorts[${list.length - 1}].port`;
    },
  },
  {
    rule: "public port prefix",
    apply: (g, i) => {
      const used = new Set(arr(i.publicPorts).map((p) => obj(p).port as number));
      const list = knownList(g, i, "publicPorts");
      if (list.length >= 20) list.length = 19;
      list.push({ port: publicPort(g, used), prefix: g.pick(["Upper", "-lead", "trail-", g.chars(LOWER, 31, 40), "", "has space", "dot.ted"]) });
      return `publicPorts[${list.length - 1}].prefix`;
    },
  },
  {
    rule: "public port label length",
    apply: (g, i) => {
      const used = new Set(arr(i.publicPorts).map((p) => obj(p).port as number));
      const list = knownList(g, i, "publicPorts");
      if (list.length >= 20) list.length = 19;
      list.push({ port: publicPort(g, used), label: g.chars("l", 65, 200) });
      return `publicPorts[${list.length - 1}].label`;
    },
  },
  {
    rule: "public port duplicate",
    apply: (g, i) => {
      const port = publicPort(g, new Set());
      i.publicPorts = [{ port }, { port: publicPort(g, new Set([port])) }, { port }];
      return "publicPorts[2].port";
    },
  },
  {
    rule: "public port count",
    apply: (g, i) => {
      const used = new Set<number>();
      i.publicPorts = Array.from({ length: g.int(21, 30) }, () => ({ port: publicPort(g, used) }));
      return "publicPorts";
    },
  },
  // sizes
  { rule: "name length", apply: (g, i) => ((i.name = g.chars("n", 61, 300)), "name") },
  { rule: "user length", apply: (g, i) => ((i.user = g.chars("u", 201, 500)), "user") },
  { rule: "name type", apply: (g, i) => ((i.name = g.pick<Json>([42, true, { a: 1 }, ["n"]])), "name") },
  { rule: "metadata size", apply: (g, i) => ((i.metadata = { blob: g.chars("m", 4096, 6000) }), "metadata") },
  {
    rule: "metadata reserved key",
    apply: (g, i) => {
      const key = `pulumi-agent37:${g.pick(["create-token", "x", ""])}`;
      known(g, i, "metadata")[key] = "mine";
      return `metadata.${key}`;
    },
  },
  { rule: "metadata shape", apply: (g, i) => ((i.metadata = g.pick<Json>(["k=v", [1, 2], 3])), "metadata") },
  // template
  {
    rule: "template syntax",
    apply: (g, i) => ((i.template = g.pick<Json>(["Agent37-Hermes", "docker.io/library/ubuntu:22.04", "agent37-hermes@latest", "", "a", "9lives", "name@", "has space", 5])), "template"),
  },
  // health and budget
  { rule: "health path", apply: (g, i) => ((known(g, i, "health").path = g.pick(["v1/health", "health", ""])), "health.path") },
  { rule: "health timeout", apply: (g, i) => ((known(g, i, "health").timeoutSeconds = g.pick<Json>([0, -1, 86401, "60"])), "health.timeoutSeconds") },
  { rule: "health disabled type", apply: (g, i) => ((known(g, i, "health").disabled = g.pick<Json>(["yes", 1])), "health.disabled") },
  {
    rule: "budget values",
    apply: (g, i) => {
      const field = g.pick(["monthlyCapMicros", "creditMicros"]);
      known(g, i, "budget")[field] = g.pick<Json>([-1, -1e6, 1.5, "100"]);
      return `budget.${field}`;
    },
  },
  // ports and adoption
  {
    rule: "ports values",
    apply: (g, i) => {
      const list = [...arr(i.ports).filter((p) => p !== UNKNOWN)];
      const bad = g.pick<Json>([0, 65536, "80", 8.5, null, { port: 80 }]);
      // An entry of `ports` that is null is a wrong type (only object fields read null as absent).
      i.ports = [...list.filter((p) => p !== bad), bad];
      return `ports[${list.filter((p) => p !== bad).length}]`;
    },
  },
  {
    rule: "ports duplicate",
    apply: (g, i) => {
      const p = g.int(1, 65535);
      i.ports = [p, p];
      return "ports[1]";
    },
  },
  { rule: "adoptInstanceId format", apply: (g, i) => ((i.adoptInstanceId = g.pick<Json>(["ABCDEFGHIJ", "short", "ab12cd34ef5", "ab-2cd34ef", 1234567890])), "adoptInstanceId") },
  // unknown fields
  {
    rule: "unknown top-level field",
    apply: (g, i) => {
      const field = g.pick(["templte", "cpu", "region", "Env", "public_ports", "apiKey", g.chars(LOWER, 3, 10) + "X"]);
      i[field] = g.pick<Json>(["x", 1, {}, [true]]);
      return field;
    },
  },
  {
    rule: "unknown nested field",
    apply: (g, i) => {
      const [input, field] = g.pick([
        ["resources", "gpu"],
        ["health", "interval"],
        ["budget", "limit"],
      ]) as [string, string];
      known(g, i, input)[field] = 1;
      return `${input}.${field}`;
    },
  },
  {
    rule: "unknown public port field",
    apply: (g, i) => {
      i.publicPorts = [{ port: publicPort(g, new Set()), protocol: "tcp" }];
      return "publicPorts[0].protocol";
    },
  },
  // wrong container types
  {
    rule: "wrong type for an object or list input",
    apply: (g, i) => {
      const input = g.pick(["resources", "publicPorts", "budget", "ports", "health"]);
      i[input] = g.pick<Json>(["text", 12, true, input === "ports" || input === "publicPorts" ? { a: 1 } : [1]]);
      return input;
    },
  },
];

/** The first segment of a property path: `publicPorts[2].port` -> `publicPorts`. */
function root(property: string): string {
  return property.split(/[.[]/)[0] ?? "";
}

interface Case {
  inputs: Inputs;
  expected: string[];
  rules: string[];
}

/** Valid inputs with one breakage, or two on different inputs (every problem is reported). */
function invalidCase(g: Gen): Case {
  const inputs = validInputs(g);
  const first = g.pick(BREAKAGES);
  const expected = [first.apply(g, inputs)];
  const rules = [first.rule];
  if (g.chance(0.25)) {
    const second = g.pick(BREAKAGES);
    const probe = structuredClone(inputs);
    const property = second.apply(g, probe);
    if (root(property) !== root(expected[0] as string)) {
      Object.assign(inputs, probe);
      expected.push(property);
      rules.push(second.rule);
    }
  }
  return { inputs, expected, rules };
}

async function checkAll(host: ProviderHost, cases: Inputs[]): Promise<{ results: CheckResult[]; rejected: string[] }> {
  const provider = (await inputsOf({})).__provider;
  const results: CheckResult[] = [];
  const rejected: string[] = [];
  const batch = 64;
  for (let start = 0; start < cases.length; start += batch) {
    const chunk = cases.slice(start, start + batch);
    const answers = await Promise.allSettled(chunk.map((c) => host.check(URN, {}, { __provider: provider, ...c })));
    answers.forEach((a, k) => {
      if (a.status === "fulfilled") results[start + k] = a.value;
      else rejected.push(`case ${start + k}: ${String(a.reason)}`);
    });
  }
  return { results, rejected };
}

type CheckResult = Awaited<ReturnType<ProviderHost["check"]>>;

let host: ProviderHost;
let invalid: Case[];
let invalidResults: CheckResult[];
let valid: Inputs[];
let validResults: CheckResult[];
const rejected: string[] = [];

beforeAll(async () => {
  host = await startProviderHost();
  // Check needs no credentials; configure as the engine always does first.
  await host.configure({});
  const g = new Gen(SEED);
  invalid = Array.from({ length: CASES }, () => invalidCase(g));
  valid = Array.from({ length: CASES }, () => validInputs(g));
  const a = await checkAll(host, invalid.map((c) => c.inputs));
  const b = await checkAll(host, valid);
  invalidResults = a.results;
  validResults = b.results;
  rejected.push(...a.rejected, ...b.rejected);
}, 120_000);
afterAll(async () => host?.close());

describe(`Check fuzz (seed ${SEED}, ${CASES} valid and ${CASES} invalid inputs)`, () => {
  it("answers every Check (no call fails or crashes the host)", () => {
    expect(rejected).toEqual([]);
    expect(invalidResults.filter((r) => r !== undefined)).toHaveLength(CASES);
    expect(validResults.filter((r) => r !== undefined)).toHaveLength(CASES);
  });

  it("rejects every invalid input with failures that name the broken property, and nothing else", () => {
    const wrong = invalid.flatMap((c, n) => {
      const failures = invalidResults[n]?.failures ?? [];
      const properties = failures.map((f) => f.property);
      const missing = c.expected.filter((p) => !properties.includes(p));
      const stray = failures.filter((f) => f.property === "" || !c.expected.some((e) => root(e) === root(f.property)) || f.reason === "");
      return missing.length === 0 && stray.length === 0 && failures.length > 0
        ? []
        : [{ case: n, rules: c.rules, expected: c.expected, failures, inputs: JSON.stringify(c.inputs).slice(0, 300) }];
    });
    expect(wrong.slice(0, 5)).toEqual([]);
  });

  it("exercises every rule many times, some cases breaking two at once", () => {
    for (const b of BREAKAGES) expect(invalid.filter((c) => c.rules.includes(b.rule)).length).toBeGreaterThanOrEqual(Math.floor(CASES / BREAKAGES.length / 3));
    expect(invalid.filter((c) => c.rules.length === 2).length).toBeGreaterThan(CASES / 10);
  });

  it("names only real inputs (or the unknown field itself) in failures", () => {
    const named = invalidResults.flatMap((r) => (r?.failures ?? []).map((f) => root(f.property)));
    const unknownFields = invalid.flatMap((c) => c.expected.map(root)).filter((p) => !INPUT_NAMES.includes(p));
    expect(named.length).toBeGreaterThanOrEqual(CASES);
    expect(named.filter((p) => !INPUT_NAMES.includes(p) && !unknownFields.includes(p))).toEqual([]);
  });

  it("accepts every valid input, unknown values included, and hands the inputs back as sent, nulls removed (null means omitted), a missing state checked as running", () => {
    expect(valid.filter((c) => JSON.stringify(c).includes(UNKNOWN)).length).toBeGreaterThan(CASES / 4);
    const refused = validResults.flatMap((r, n) => (r?.failures.length === 0 ? [] : [{ case: n, failures: r?.failures, inputs: JSON.stringify(valid[n]).slice(0, 300) }]));
    expect(refused.slice(0, 5)).toEqual([]);
    // check fills in a missing `state` as "running" (what it means), so drift of the run state
    // shows as known values; everything else comes back as sent.
    const expected = (n: number): unknown => {
      const sent = withoutNulls(valid[n]) as Record<string, unknown>;
      return sent.state === undefined ? { ...sent, state: "running" } : sent;
    };
    const changed = validResults.filter((r, n) => canonical(stripProvider(r?.inputs ?? {})) !== canonical(expected(n))).length;
    expect(changed).toBe(0);
  });

  it("keeps the host alive and answering after all of it", async () => {
    expect(alive(host.pid)).toBe(true);
    const { results } = await checkAll(host, [{ name: "still-here" }]);
    expect(results[0]?.failures).toEqual([]);
    expect(host.output().stderr).toBe("");
  });
});

function stripProvider(inputs: Inputs): Inputs {
  const { __provider: _p, ...rest } = inputs;
  return rest;
}

/** What omitting a key means: object entries whose value is null removed, at any depth. */
function withoutNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutNulls);
  if (value !== null && typeof value === "object") return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== null).map(([k, v]) => [k, withoutNulls(v)]));
  return value;
}

/** JSON with sorted keys: the host's Struct does not keep key order. */
function canonical(value: unknown): string {
  const sort = (v: unknown): unknown =>
    Array.isArray(v) ? v.map(sort) : v !== null && typeof v === "object" ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, sort((v as Inputs)[k])])) : v;
  return JSON.stringify(sort(value));
}
