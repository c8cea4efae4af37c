import { UNKNOWN } from "../../provider/core/check";
import { diffInstance } from "../../provider/instance/diff";

// Recorded outputs of an instance created from the inputs in SAME below.
const OLDS = {
  __provider: "exports.handler = __f0; /* old provider text */",
  instanceId: "ab12cd34ef",
  url: "https://ab12cd34ef.agent37.app",
  ports: [{ port: 3737, default: true, url: "https://ab12cd34ef.agent37.app" }],
  portUrls: { "3737": "https://ab12cd34ef.agent37.app", "9119": "https://ab12cd34ef-9119.agent37.app" },
  status: "running",
  statusReason: null,
  template: "agent37-hermes",
  templateRevision: null,
  imageRef: "ghcr.io/agent37-platform/hermes:2026.07.02b",
  imageDigest: "sha256:4f8d",
  resources: { cpu: 4, memory: 8, disk: 10 },
  publicPorts: [{ port: 8644, url: "https://hooks-ab12cd34ef.agent37.app", domainUrls: [], prefix: "hooks", label: "Webhooks", created: 1 }],
  domainUrls: [],
  name: "support-bot",
  user: "u_882",
  metadata: { team: "support", "pulumi-agent37:create-token": "2b7c" },
  autoSleep: false,
  idleTimeoutSeconds: 300,
  created: 1781222400,
  health: { ok: true, healthy: true, agent: "hermes", version: "0.5.5", checkedAt: "2026-11-28T00:00:00.000Z" },
  type: "dedicated",
  env: { SUPPORT_QUEUE: "tier-1" },
  budget: { monthlyCapMicros: 5_000_000, creditMicros: 1_000_000 },
  requestedPorts: [9119],
  adoptInstanceId: null,
};

const SAME = {
  template: "agent37-hermes",
  resources: { cpu: 4, memory: 8, disk: 10 },
  type: "dedicated",
  name: "support-bot",
  user: "u_882",
  metadata: { team: "support" },
  env: { SUPPORT_QUEUE: "tier-1" },
  autoSleep: false,
  idleTimeoutSeconds: 300,
  publicPorts: [{ port: 8644, prefix: "hooks", label: "Webhooks" }],
  budget: { monthlyCapMicros: 5_000_000, creditMicros: 1_000_000 },
  state: "running",
  ports: [9119],
  health: { path: "/v1/health", timeoutSeconds: 600 },
};

type Expect = "none" | "update" | "replace";
// input, change to apply to SAME, expected outcome
const ROWS: [string, string, Record<string, unknown>, Expect][] = [
  ["template", "unchanged", {}, "none"],
  ["template", "another template", { template: "agent37-openclaw" }, "update"],
  ["template", "a pin", { template: "agent37-hermes@2026.07.02b" }, "update"],
  ["template", "unknown at preview", { template: UNKNOWN }, "update"],
  ["resources", "unchanged", {}, "none"],
  ["resources", "a larger shape", { resources: { cpu: 8, memory: 16, disk: 10 } }, "update"],
  ["resources", "more disk", { resources: { cpu: 4, memory: 8, disk: 20 } }, "update"],
  ["resources", "a smaller shape", { resources: { cpu: 2, memory: 4, disk: 10 } }, "replace"],
  ["resources", "less disk", { resources: { cpu: 4, memory: 8, disk: 8 } }, "replace"],
  ["resources", "disk omitted (not managed)", { resources: { cpu: 4, memory: 8 } }, "none"],
  ["resources", "unknown disk", { resources: { cpu: 4, memory: 8, disk: UNKNOWN } }, "replace"],
  ["type", "unchanged", {}, "none"],
  ["type", "shared", { type: "shared" }, "replace"],
  ["name", "renamed", { name: "support-bot-2" }, "update"],
  ["name", "omitted (not managed)", { name: undefined }, "none"],
  ["user", "another user", { user: "u_900" }, "update"],
  ["metadata", "same keys in another order", { metadata: { team: "support" } }, "none"],
  ["metadata", "a new key", { metadata: { team: "support", tier: "1" } }, "update"],
  ["metadata", "cleared", { metadata: {} }, "update"],
  ["env", "same map", { env: { SUPPORT_QUEUE: "tier-1" } }, "none"],
  ["env", "a changed value", { env: { SUPPORT_QUEUE: "tier-2" } }, "replace"],
  ["env", "removed", { env: undefined }, "replace"],
  ["env", "unknown value", { env: { SUPPORT_QUEUE: UNKNOWN } }, "replace"],
  ["autoSleep", "turned on", { autoSleep: true }, "update"],
  ["idleTimeoutSeconds", "changed", { idleTimeoutSeconds: 600 }, "update"],
  ["publicPorts", "same entries", {}, "none"],
  ["publicPorts", "one more port", { publicPorts: [{ port: 8644, prefix: "hooks", label: "Webhooks" }, { port: 18789 }] }, "update"],
  ["publicPorts", "a port removed", { publicPorts: [] }, "update"],
  ["publicPorts", "a new prefix", { publicPorts: [{ port: 8644, prefix: "webhooks", label: "Webhooks" }] }, "update"],
  ["publicPorts", "label omitted (kept as is)", { publicPorts: [{ port: 8644, prefix: "hooks" }] }, "none"],
  ["budget", "a new monthly cap", { budget: { monthlyCapMicros: 9_000_000, creditMicros: 1_000_000 } }, "update"],
  ["budget", "a new credit (create-only)", { budget: { monthlyCapMicros: 5_000_000, creditMicros: 2_000_000 } }, "replace"],
  ["state", "stopped", { state: "stopped" }, "update"],
  ["state", "omitted (means running)", { state: undefined }, "none"],
  ["ports", "another extra port", { ports: [9119, 6969] }, "update"],
  ["ports", "same ports in another order", { ports: [9119] }, "none"],
  ["ports", "removed", { ports: undefined }, "update"],
  ["health", "another timeout (no API call)", { health: { timeoutSeconds: 30 } }, "none"],
  ["health", "disabled (no API call)", { health: { disabled: true } }, "none"],
  ["adoptInstanceId", "the instance's own id", { adoptInstanceId: "ab12cd34ef" }, "none"],
  ["adoptInstanceId", "another instance", { adoptInstanceId: "zz99yy88xx" }, "replace"],
];

describe("diff over every input of the resource", () => {
  it.each(ROWS)("%s: %s -> %s", (input, _what, change, expected) => {
    const news: Record<string, unknown> = { ...SAME, ...change, __provider: "exports.handler = __f0; /* new provider text */" };
    for (const k of Object.keys(news)) if (news[k] === undefined) delete news[k];
    const result = diffInstance(OLDS, news);
    expect(typeof result.changes).toBe("boolean");
    expect(result.deleteBeforeReplace).toBe(false);
    if (expected === "none") {
      expect(result).toEqual({ changes: false, replaces: [], deleteBeforeReplace: false });
    } else if (expected === "update") {
      expect(result.changes).toBe(true);
      expect(result.replaces).toEqual([]);
    } else {
      expect(result.changes).toBe(true);
      expect(result.replaces).toEqual([input]);
    }
  });
});

describe("diff reads recorded state leniently", () => {
  it("ignores a changed __provider alone", () => {
    expect(diffInstance({ ...OLDS, __provider: "a" }, { ...SAME, __provider: "b" }).changes).toBe(false);
  });

  it("never counts the create key as a change: state from before it was sent, or a renamed stack", () => {
    expect(diffInstance(OLDS, { ...SAME, createKey: "0123456789abcdef0123456789abcdef" }).changes).toBe(false);
    expect(diffInstance({ ...OLDS, createKey: "ffffffffffffffffffffffffffffffff" }, { ...SAME, createKey: "0123456789abcdef0123456789abcdef" }).changes).toBe(false);
  });

  it("plans a repair (an update, not a replace) of an instance a refresh saw failed", () => {
    expect(diffInstance({ ...OLDS, status: "failed" }, SAME)).toEqual({ changes: true, replaces: [], deleteBeforeReplace: false });
  });

  it("ignores provider-owned metadata keys on either side", () => {
    const result = diffInstance(
      { ...OLDS, metadata: { team: "support" } },
      { ...SAME, metadata: { team: "support" } },
    );
    expect(result.changes).toBe(false);
  });

  it("treats state written without the echo fields as unchanged", () => {
    const oldState: Record<string, unknown> = { ...OLDS };
    for (const k of ["env", "type", "budget", "requestedPorts", "adoptInstanceId", "health", "statusReason"]) delete oldState[k];
    const news = { ...SAME, env: { SUPPORT_QUEUE: "tier-1" }, type: "dedicated", budget: undefined };
    delete (news as Record<string, unknown>).budget;
    expect(diffInstance(oldState, news)).toEqual({ changes: false, replaces: [], deleteBeforeReplace: false });
  });

  it("tolerates fields it does not know in recorded state", () => {
    expect(diffInstance({ ...OLDS, paidThrough: 123, someFutureField: { a: 1 } }, SAME).changes).toBe(false);
  });

  it("treats an out-of-band stop seen by refresh as a change back to running", () => {
    expect(diffInstance({ ...OLDS, status: "stopped" }, SAME)).toEqual({ changes: true, replaces: [], deleteBeforeReplace: false });
  });

  it("does not call a sleeping instance a state change", () => {
    expect(diffInstance({ ...OLDS, status: "sleeping" }, SAME).changes).toBe(false);
  });

  it("lists every replace-triggering input when several change at once", () => {
    const result = diffInstance(OLDS, { ...SAME, type: "shared", env: {}, name: "x" });
    expect(result.replaces.sort()).toEqual(["env", "type"]);
  });

  it("compares an empty name with a null recorded name as equal", () => {
    expect(diffInstance({ ...OLDS, name: null }, { ...SAME, name: "" }).changes).toBe(false);
  });
});

describe("diff through the provider", () => {
  it("compares a secret-wrapped env by its value", async () => {
    const { createInstanceProvider } = await import("../../provider/front/dynamic/instance");
    const wrapped = { "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", value: { SUPPORT_QUEUE: "tier-1" } };
    const result = await createInstanceProvider({ env: {} }).diff("ab12cd34ef", { ...OLDS, env: wrapped }, { ...SAME, env: wrapped });
    // The seam's dynamic diff names the stable outputs too: none (the plans say what an update keeps).
    expect(result).toEqual({ changes: false, replaces: [], stables: [], deleteBeforeReplace: false });
  });
});
