import { UNKNOWN } from "../../provider/core/check";
import { diffInstance } from "../../provider/instance/diff";

// Outputs of a resource that adopted instance ab12cd34ef (adoptInstanceId echoed in state).
const ADOPTED = {
  instanceId: "ab12cd34ef",
  status: "running",
  template: "agent37-hermes",
  resources: { cpu: 2, memory: 4, disk: 6 },
  type: "dedicated",
  env: { QUEUE: "a" },
  budget: null,
  requestedPorts: [],
  metadata: {},
  adoptInstanceId: "ab12cd34ef",
};
const SAME = { adoptInstanceId: "ab12cd34ef", type: "dedicated", env: { QUEUE: "a" } };

describe("diff of a resource that adopts its instance", () => {
  it.each([
    ["env", { ...SAME, env: { QUEUE: "b" } }],
    ["type", { ...SAME, type: "shared" }],
    ["resources", { ...SAME, resources: { cpu: 2, memory: 4, disk: 4 } }],
    ["budget", { ...SAME, budget: { creditMicros: 5 } }],
  ])("refuses a %s change that would replace (and so delete) the adopted instance", (property, news) => {
    expect(() => diffInstance(ADOPTED, news)).toThrow(
      expect.objectContaining({
        failures: [expect.objectContaining({ property, reason: expect.stringContaining("adopts instance ab12cd34ef") })],
      }),
    );
  });

  it("names both ways out in the message", () => {
    expect(() => diffInstance(ADOPTED, { ...SAME, env: { QUEUE: "b" } })).toThrow(/Keep env as it was, or remove adoptInstanceId/);
  });

  it("still updates an adopted instance in place", () => {
    expect(diffInstance(ADOPTED, { ...SAME, name: "renamed" })).toEqual({ changes: true, replaces: [], deleteBeforeReplace: false });
  });

  it("replaces when adoptInstanceId itself moves to another instance", () => {
    expect(diffInstance(ADOPTED, { ...SAME, adoptInstanceId: "zz99yy88xx", env: { QUEUE: "b" } }).replaces).toEqual(
      expect.arrayContaining(["adoptInstanceId", "env"]),
    );
  });

  it("replaces when adoptInstanceId is removed, so Pulumi creates a new instance", () => {
    const { adoptInstanceId: _gone, ...news } = { ...SAME, env: { QUEUE: "b" } };
    expect(diffInstance(ADOPTED, news).replaces).toEqual(["env"]);
  });

  it("does not judge an adoptInstanceId still unknown at preview", () => {
    expect(diffInstance(ADOPTED, { ...SAME, adoptInstanceId: UNKNOWN, env: { QUEUE: "b" } }).replaces).toEqual(
      expect.arrayContaining(["env", "adoptInstanceId"]),
    );
  });
});
