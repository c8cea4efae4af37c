// The base of the resource classes (core/declared-resource.ts): what a class hands Pulumi's
// constructor (its props, its options with its secret outputs, the thin provider of its entry),
// seen by a transformation, which Pulumi gives exactly that.
import * as pulumi from "@pulumi/pulumi";
import { Agent37Directory, Agent37Domain, Agent37File, Agent37Instance, Agent37Template, type Agent37TemplateArgs } from "../../provider";
import { thinProvider } from "../../provider/core/serialized";

beforeAll(() => {
  pulumi.runtime.setMocks({ newResource: (args) => ({ id: `${args.name}_id`, state: args.inputs }), call: () => ({}) }, "proj", "stack", true);
});

/** Every resource made, settled before the suite ends (the mocks answer them). */
const made: pulumi.Resource[] = [];
afterAll(() => Promise.all(made.map((r) => new Promise((resolve) => r.urn.apply(resolve)))));

/** What `make` hands Pulumi's constructor, through a transformation given as `opts.transformations`. */
function registered<R extends pulumi.Resource>(make: (opts: pulumi.CustomResourceOptions) => R, opts: pulumi.CustomResourceOptions = {}): { resource: R; props: Record<string, unknown>; opts: pulumi.CustomResourceOptions } {
  let seen: pulumi.ResourceTransformationArgs | undefined;
  const resource = make({ ...opts, transformations: [(args) => ((seen = args), undefined)] });
  made.push(resource);
  if (seen === undefined) throw new Error("no transformation ran");
  return { resource, props: seen.props as Record<string, unknown>, opts: seen.opts as pulumi.CustomResourceOptions };
}

/** A plain dynamic resource (the base class is abstract in its types only). */
class Plain extends pulumi.dynamic.Resource {}

describe("a resource class on the base", () => {
  it("adds its secret outputs to the program's own, and leaves the options of a class with none as they are", () => {
    expect(registered((o) => new Agent37Instance("i", {}, o), { additionalSecretOutputs: ["url"] }).opts.additionalSecretOutputs).toEqual(["url", "env"]);
    expect(registered((o) => new Agent37File("f", { instanceId: "ab12cd34ef", path: "a.md", content: "x" }, o)).opts.additionalSecretOutputs).toEqual(["sha256"]);
    const domain = registered((o) => new Agent37Domain("d", { domain: "acme.com" }, o), { protect: true });
    expect(domain.opts.additionalSecretOutputs).toBeUndefined();
    expect(domain.opts.protect).toBe(true);
  });

  it("registers a generated class's every declared input (an absent one too) and its other outputs; a hand-written one's outputs and given inputs", () => {
    const dir = registered((o) => new Agent37Directory("dir", { instanceId: "ab12cd34ef", source: "skills", path: "skills" }, o)).props;
    expect(Object.keys(dir).filter((k) => k !== "__provider")).toEqual(["instanceId", "source", "path", "ignore", "prune", "files", "sha256", "manifest"]);
    expect([dir.ignore, dir.prune, dir.files]).toEqual([undefined, undefined, undefined]);
    const template = registered((o) => new Agent37Template("t", { name: "t", imageRef: "nginx", description: undefined } as unknown as Agent37TemplateArgs, o)).props;
    expect(Object.keys(template).filter((k) => k !== "__provider")).toEqual(["revision", "pinned", "imageDigest", "buildId", "contextHash", "imageRef", "build", "description", "defaultPort", "name", "createKey"]);
    expect([template.imageRef, template.name, template.description]).toEqual(["nginx", "t", undefined]);
  });

  it("captures the thin provider of its entry, the one serialized for every resource of the class", async () => {
    const text = (value: unknown): Promise<string> => new Promise((resolve) => pulumi.output(value as pulumi.Input<string>).apply(resolve));
    const [a, b] = await Promise.all(["a", "b"].map((n) => text(registered((o) => new Agent37Domain(n, { domain: `${n}.com` }, o)).props.__provider)));
    const plain = await text(registered((o) => new Plain(thinProvider("domainProvider"), "plain", {}, o, "agent37", "Domain")).props.__provider);
    expect(a).toBe(plain);
    expect(b).toBe(a);
    expect(a).toContain('"domainProvider"');
  });

  it("keeps the type token, instanceof and isInstance", () => {
    const { resource } = registered((o) => new Agent37Domain("typed", { domain: "typed.com" }, o));
    expect((resource as unknown as { __pulumiType: string }).__pulumiType).toBe("pulumi-nodejs:dynamic/agent37:Domain");
    expect(resource).toBeInstanceOf(Agent37Domain);
    expect(resource).toBeInstanceOf(pulumi.dynamic.Resource);
    expect(Agent37Domain.isInstance(resource)).toBe(true);
    expect(resource.domain).toBeDefined();
    expect(pulumi.Output.isInstance(resource.nameservers)).toBe(true);
  });
});
