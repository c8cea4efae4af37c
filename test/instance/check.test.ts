import { UNKNOWN } from "../../provider/core/check";
import { checkInputs } from "../../provider/instance/check";

const longString = (n: number) => "x".repeat(n);
const manyEnv = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`VAR_${i}`, "v"]));

// Each row: a description, the bad inputs, the property the failure must name, and a fragment
// of the rule its reason must state.
const BAD: [string, Record<string, unknown>, string, RegExp][] = [
  ["env key in lowercase", { env: { lower: "x" } }, "env.lower", /uppercase letters, digits and underscores/],
  ["env key starting with a digit", { env: { "1ABC": "x" } }, "env.1ABC", /starting with a letter/],
  ["env key with a hyphen", { env: { "MY-VAR": "x" } }, "env.MY-VAR", /uppercase letters/],
  ["reserved env name AGENT37_INSTANCE_ID", { env: { AGENT37_INSTANCE_ID: "x" } }, "env.AGENT37_INSTANCE_ID", /reserved/],
  ["reserved env name OPENCLAW_GATEWAY_PORT", { env: { OPENCLAW_GATEWAY_PORT: "1" } }, "env.OPENCLAW_GATEWAY_PORT", /reserved/],
  ["more than 32 env entries", { env: manyEnv(33) }, "env", /at most 32 env entries/],
  ["env value over 4096 characters", { env: { BIG: longString(4097) } }, "env.BIG", /at most 4096 characters/],
  ["env value that is not a string", { env: { NUM: 5 } }, "env.NUM", /must be strings/],
  ["cpu that is no shape", { resources: { cpu: 3, memory: 4 } }, "resources.cpu", /valid shapes are 2\/4, 4\/8, 8\/16/],
  ["memory that does not match cpu", { resources: { cpu: 4, memory: 4 } }, "resources.memory", /not a valid shape/],
  ["mismatched pair 8/8", { resources: { cpu: 8, memory: 8 } }, "resources.memory", /not a valid shape/],
  ["cpu without memory", { resources: { cpu: 4 } }, "resources.memory", /set together as one shape/],
  ["memory without cpu", { resources: { memory: 8 } }, "resources.cpu", /set together as one shape/],
  ["fractional cpu", { resources: { cpu: 2.5, memory: 4 } }, "resources.cpu", /whole number/],
  ["disk above the 2/4 range", { resources: { disk: 13 } }, "resources.disk", /2-12 GB for the 2\/4 shape/],
  ["disk above the 4/8 range", { resources: { cpu: 4, memory: 8, disk: 21 } }, "resources.disk", /2-20 GB for the 4\/8 shape/],
  ["disk above the 8/16 range", { resources: { cpu: 8, memory: 16, disk: 41 } }, "resources.disk", /2-40 GB for the 8\/16 shape/],
  ["disk below 2", { resources: { disk: 1 } }, "resources.disk", /2-12 GB/],
  ["unknown resources field", { resources: { gpu: 1 } }, "resources.gpu", /unknown field "gpu"/],
  ["idleTimeoutSeconds below 60", { idleTimeoutSeconds: 59 }, "idleTimeoutSeconds", /60\.\.86400/],
  ["idleTimeoutSeconds above 86400", { idleTimeoutSeconds: 86401 }, "idleTimeoutSeconds", /60\.\.86400/],
  ["autoSleep that is not a boolean", { autoSleep: "yes" }, "autoSleep", /must be a boolean/],
  ["public port 3737 (gateway)", { publicPorts: [{ port: 3737 }] }, "publicPorts[0].port", /reserved and cannot be public/],
  ["public port 22022 (ssh)", { publicPorts: [{ port: 22022 }] }, "publicPorts[0].port", /reserved/],
  ["duplicate public ports", { publicPorts: [{ port: 8644 }, { port: 8644 }] }, "publicPorts[1].port", /duplicate public port 8644/],
  ["two public ports with the same prefix", { publicPorts: [{ port: 8644, prefix: "hooks" }, { port: 8645, prefix: "hooks" }] }, "publicPorts[1].prefix", /prefix "hooks" is already used by publicPorts\[0\]/],
  ["public port out of range", { publicPorts: [{ port: 70000 }] }, "publicPorts[0].port", /1-65535/],
  ["prefix with uppercase", { publicPorts: [{ port: 8644, prefix: "Hooks" }] }, "publicPorts[0].prefix", /lowercase letters, digits or hyphens/],
  ["prefix with a leading hyphen", { publicPorts: [{ port: 8644, prefix: "-hooks" }] }, "publicPorts[0].prefix", /no leading or trailing hyphen/],
  ["prefix over 30 characters", { publicPorts: [{ port: 8644, prefix: "a".repeat(31) }] }, "publicPorts[0].prefix", /1-30/],
  ["label over 64 characters", { publicPorts: [{ port: 8644, label: longString(65) }] }, "publicPorts[0].label", /at most 64/],
  ["more than 20 public ports", { publicPorts: Array.from({ length: 21 }, (_, i) => ({ port: 10000 + i })) }, "publicPorts", /at most 20 public ports/],
  ["name over 60 characters", { name: longString(61) }, "name", /at most 60 characters/],
  ["user over 200 characters", { user: longString(201) }, "user", /at most 200 characters/],
  ["metadata over 4 KB", { metadata: { blob: longString(4100) } }, "metadata", /limit is 4 KB/],
  ["metadata key in the provider's namespace", { metadata: { "pulumi-agent37:create-token": "x" } }, "metadata.pulumi-agent37:create-token", /reserved for the provider/],
  ["template that is an image reference", { template: "ghcr.io/acme/agent:v1" }, "template", /not an image reference/],
  ["template pinned to @latest", { template: "agent37-hermes@latest" }, "template", /`@latest` is not a version/],
  ["template with uppercase letters", { template: "My-Agent" }, "template", /lowercase letters/],
  ["empty template", { template: "" }, "template", /must not be empty/],
  ["type that is neither dedicated nor shared", { type: "premium" }, "type", /"dedicated" or "shared"/],
  ["state other than running/stopped", { state: "paused" }, "state", /"running" or "stopped"/],
  ["negative monthly cap", { budget: { monthlyCapMicros: -1 } }, "budget.monthlyCapMicros", />= 0/],
  ["negative credit", { budget: { creditMicros: -5 } }, "budget.creditMicros", />= 0/],
  ["health path without a leading slash", { health: { path: "v1/health" } }, "health.path", /start with \//],
  ["health timeout of zero", { health: { timeoutSeconds: 0 } }, "health.timeoutSeconds", /> 0/],
  ["duplicate port in ports", { ports: [9119, 9119] }, "ports[1]", /duplicate port 9119/],
  ["port 0 in ports", { ports: [0] }, "ports[0]", /1-65535/],
  ["adoptInstanceId that is not an instance id", { adoptInstanceId: "inst_123" }, "adoptInstanceId", /10-character/],
  ["unknown top-level field", { vcpu: 2 }, "vcpu", /unknown field "vcpu"/],
];

describe("check rejects bad inputs, naming the property and the rule", () => {
  it("covers at least 30 distinct bad inputs", () => {
    expect(new Set(BAD.map(([d]) => d)).size).toBeGreaterThanOrEqual(30);
  });

  it.each(BAD)("rejects %s", (_desc, inputs, property, rule) => {
    const failures = checkInputs(inputs);
    const match = failures.find((f) => f.property === property);
    expect(match).toBeDefined();
    expect(match?.reason).toMatch(rule);
  });

  // One problem, one message: a value that breaks one rule is not reported again by the rules
  // that follow from it (an image reference is also not lowercase `name@version`).
  it.each(BAD)("reports %s once", (_desc, inputs) => {
    expect(checkInputs(inputs)).toHaveLength(1);
  });
});

describe("check accepts good inputs", () => {
  it("accepts an empty input bag (every input is optional)", () => {
    expect(checkInputs({})).toEqual([]);
  });

  it("accepts every input at once with valid values", () => {
    const failures = checkInputs({
      template: "agent37-hermes@2026.07.02b",
      resources: { cpu: 8, memory: 16, disk: 40 },
      type: "shared",
      name: "n".repeat(60),
      user: "u_882",
      metadata: { team: "support", tier: 1, nested: { ok: true } },
      env: { SUPPORT_QUEUE: "tier-1", A1_B: "" },
      autoSleep: true,
      idleTimeoutSeconds: 60,
      publicPorts: [{ port: 8644, prefix: "hooks-1", label: "Webhooks" }, { port: 18789 }],
      budget: { monthlyCapMicros: 0, creditMicros: 5_000_000 },
      state: "stopped",
      ports: [9119, 6969],
      health: { path: "/v1/health", timeoutSeconds: 30, disabled: false },
      adoptInstanceId: "ab12cd34ef",
    });
    expect(failures).toEqual([]);
  });

  it("ignores the __provider key the host adds", () => {
    expect(checkInputs({ __provider: "exports.handler = ...", name: "a" })).toEqual([]);
  });

  it("accepts a workspace template with a revision pin", () => {
    expect(checkInputs({ template: "my-agent@2" })).toEqual([]);
  });

  it("reports a bad env name and a reserved env name in the same map, one message each", () => {
    expect(checkInputs({ env: { lower: "x", AGENT37_INSTANCE_ID: "y" } })).toEqual([
      { property: "env.lower", reason: expect.stringMatching(/uppercase letters, digits and underscores/) as unknown },
      { property: "env.AGENT37_INSTANCE_ID", reason: "AGENT37_INSTANCE_ID is reserved by Agent37 and cannot be set" },
    ]);
  });

  it("reports a bad env value, a reserved name and too many entries together", () => {
    const env = { ...manyEnv(32), NUM: 5, AGENT37_AGENT_TYPE: "x" };
    expect(checkInputs({ env }).map((f) => f.property).sort()).toEqual(["env", "env.AGENT37_AGENT_TYPE", "env.NUM"]);
  });

  it("gives an image reference as template one message", () => {
    expect(checkInputs({ template: "nginx:latest" })).toEqual([{ property: "template", reason: "must be a template name, not an image reference" }]);
  });

  it("reports every problem, not only the first", () => {
    const failures = checkInputs({ name: "n".repeat(61), idleTimeoutSeconds: 5, env: { bad: "x" } });
    expect(failures.map((f) => f.property).sort()).toEqual(["env.bad", "idleTimeoutSeconds", "name"]);
  });
});

describe("check never judges values unknown at preview", () => {
  it("does not reject an unknown scalar in a numeric field", () => {
    expect(checkInputs({ idleTimeoutSeconds: UNKNOWN })).toEqual([]);
  });

  it("does not reject an unknown env map or env value", () => {
    expect(checkInputs({ env: UNKNOWN })).toEqual([]);
    expect(checkInputs({ env: { DB_URL: UNKNOWN } })).toEqual([]);
  });

  it("does not judge the disk range while the shape is unknown", () => {
    expect(checkInputs({ resources: { cpu: UNKNOWN, memory: 16, disk: 30 } })).toEqual([]);
  });

  it("does not judge a public port whose number is unknown", () => {
    expect(checkInputs({ publicPorts: [{ port: UNKNOWN }, UNKNOWN] })).toEqual([]);
  });

  it("still rejects the known values next to unknown ones", () => {
    const failures = checkInputs({ name: UNKNOWN, idleTimeoutSeconds: 10 });
    expect(failures).toEqual([{ property: "idleTimeoutSeconds", reason: expect.stringMatching(/60\.\.86400/) }]);
  });
});
