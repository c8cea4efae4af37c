// A resource class registers without Pulumi's per-property stack traces (core/stack-traces.ts):
// constructing one formats almost no stack, the limit comes back as it was, and an error thrown
// inside Pulumi's constructor still has a stack that names where the resource was declared.
import * as pulumi from "@pulumi/pulumi";
import { Agent37Domain, Agent37Exec, Agent37Instance, Agent37SshKey, Agent37Template } from "../../provider";
import { thinProvider } from "../../provider/core/serialized";

beforeAll(() => {
  pulumi.runtime.setMocks({ newResource: (args) => ({ id: `${args.name}_id`, state: args.inputs }), call: () => ({}) }, "proj", "stack", true);
});

/** How many stack traces with frames `make` formats (the program's `prepareStackTrace` runs once for each). */
function framedTraces(make: () => pulumi.Resource): number {
  const original = Error.prepareStackTrace;
  let count = 0;
  Error.prepareStackTrace = (error, frames) => {
    if (frames.length > 0) count++;
    return original ? original(error, frames) : `${String(error)}\n${frames.map((f) => `    at ${String(f)}`).join("\n")}`;
  };
  try {
    made.push(make());
  } finally {
    Error.prepareStackTrace = original;
  }
  return count;
}

/** A plain dynamic resource (the base class is abstract in its types only). */
class Plain extends pulumi.dynamic.Resource {}

/** Every resource made, settled before the suite ends (the mocks answer them). */
const made: pulumi.Resource[] = [];
afterAll(() => Promise.all(made.map((r) => new Promise((resolve) => r.urn.apply(resolve)))));

describe("constructing a resource", () => {
  it("formats a stack trace for its source position only, where a plain dynamic resource with as many properties formats one per promise", () => {
    const limit = Error.stackTraceLimit;
    const ours = framedTraces(() => new Agent37Instance("traces", { name: "traces" }));
    // The control: the same number of properties on a plain dynamic resource.
    const props: Record<string, unknown> = {};
    for (let i = 0; i < 30; i++) props[`p${i}`] = undefined;
    const plain = framedTraces(() => new Plain(thinProvider("instanceProvider"), "plain", props, {}, "plain", "Thing"));
    expect(plain).toBeGreaterThan(100);
    expect(ours).toBeLessThanOrEqual(2);
    expect(Error.stackTraceLimit).toBe(limit);
    for (const make of [() => new Agent37Exec("e", { instanceId: "ab12cd34ef", create: "true" }), () => new Agent37Domain("d", { domain: "acme.com" }), () => new Agent37SshKey("k", { publicKey: "ssh-ed25519 AAAA" }), () => new Agent37Template("t", { name: "t", imageRef: "nginx" })]) {
      expect(framedTraces(make)).toBeLessThanOrEqual(2);
    }
    expect(Error.stackTraceLimit).toBe(limit);
  });

  it("keeps the stack of an error thrown in Pulumi's constructor, from the declaration up, and restores the limit", () => {
    const limit = Error.stackTraceLimit;
    const boom = (): pulumi.ResourceTransformationResult => {
      throw new Error("transformation failed");
    };
    let caught: unknown;
    try {
      new Agent37Instance("throws", {}, { transformations: [boom] });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(Error);
    expect((caught as Error).message).toBe("transformation failed");
    expect((caught as Error).stack).toMatch(/\n\s+at .*stack-traces\.test\.ts/);
    expect(Error.stackTraceLimit).toBe(limit);
  });
});
