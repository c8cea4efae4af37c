// The pure parts of Agent37Template: `check` (every refusal names its property; the context
// hash it records) and `diff` (per-property kinds, stable and planned outputs).
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { checkTemplateInputs, parseTemplateInputs } from "../../provider/template/check";
import { diffTemplate, plannedOutputs, stableOutputs, templateChanges } from "../../provider/template/diff";
import { isFullyQualifiedImage } from "../../provider/template/schema";
import { UNKNOWN } from "../harness";

let ctx: string;
beforeAll(() => {
  ctx = fs.mkdtempSync(path.join(os.tmpdir(), "a37-check-"));
  fs.writeFileSync(path.join(ctx, "Dockerfile"), "FROM scratch\n");
  fs.writeFileSync(path.join(ctx, "app.py"), "print(1)\n");
});
afterAll(() => fs.rmSync(ctx, { recursive: true, force: true }));

const props = async (news: Record<string, unknown>) => (await checkTemplateInputs(news)).failures.map((f) => f.property);

describe("check", () => {
  it("accepts an image template and a build, and records the context hash of a build", async () => {
    expect((await checkTemplateInputs({ name: "my-agent", imageRef: "ghcr.io/acme/agent:1.4.0", __provider: "x" })).failures).toEqual([]);
    const r = await checkTemplateInputs({ name: "my-agent", build: { context: ctx }, description: "d", defaultPort: 8000 });
    expect(r.failures).toEqual([]);
    expect(r.inputs.contextHash).toMatch(/^sha256:[0-9a-f]{64}$/);
    // A hash passed in is never trusted: check computes its own.
    const again = await checkTemplateInputs({ name: "my-agent", build: { context: ctx }, contextHash: "sha256:forged" });
    expect(again.inputs.contextHash).toBe(r.inputs.contextHash);
  });

  it("refuses both sources and neither, naming imageRef", async () => {
    const both = await checkTemplateInputs({ name: "my-agent", imageRef: "ghcr.io/acme/agent:1", build: { context: ctx } });
    expect(both.failures).toEqual([{ property: "imageRef", reason: expect.stringContaining("exactly one of imageRef and build") }]);
    const neither = await checkTemplateInputs({ name: "my-agent" });
    expect(neither.failures).toEqual([{ property: "imageRef", reason: expect.stringContaining("exactly one of imageRef") }]);
  });

  it("refuses a bad name, naming name and the rule", async () => {
    for (const name of ["My-Agent", "a", "agent37-mine", "9lives", "x".repeat(64)]) {
      const r = await checkTemplateInputs({ name, imageRef: "ghcr.io/acme/agent:1" });
      expect(r.failures.map((f) => f.property)).toEqual(["name"]);
    }
    expect((await checkTemplateInputs({ name: "agent37-x", imageRef: "ghcr.io/a/b:1" })).failures[0]?.reason).toMatch(/agent37-/);
    expect(await props({ imageRef: "ghcr.io/a/b:1" })).toEqual(["name"]);
  });

  it("refuses a missing context and a missing Dockerfile, naming the build property", async () => {
    const missing = await checkTemplateInputs({ name: "my-agent", build: { context: path.join(ctx, "nope") } });
    expect(missing.failures).toEqual([{ property: "build.context", reason: expect.stringContaining("does not exist") }]);
    const noDockerfile = await checkTemplateInputs({ name: "my-agent", build: { context: ctx, dockerfile: "docker/Dockerfile" } });
    expect(noDockerfile.failures).toEqual([{ property: "build.dockerfile", reason: expect.stringContaining("docker/Dockerfile is missing") }]);
    expect(await props({ name: "my-agent", build: { context: ctx, dockerfile: "../Dockerfile" } })).toEqual(["build.dockerfile"]);
    expect(await props({ name: "my-agent", build: { context: ctx, extra: 1 } })).toEqual(["build.extra"]);
  });

  it("refuses an oversized context, naming build.context", async () => {
    const big = fs.mkdtempSync(path.join(os.tmpdir(), "a37-big-"));
    try {
      fs.writeFileSync(path.join(big, "Dockerfile"), "FROM scratch\n");
      // Sparse: the archive's size comes from the file sizes, and reading stops once it is over.
      const weights = path.join(big, "weights.bin");
      fs.writeFileSync(weights, "");
      fs.truncateSync(weights, 101_000_000);
      const r = await checkTemplateInputs({ name: "my-agent", build: { context: big } });
      expect(r.failures).toEqual([{ property: "build.context", reason: expect.stringMatching(/over Agent37's limit of 100,000,000 bytes/) }]);
    } finally {
      fs.rmSync(big, { recursive: true, force: true });
    }
  });

  it("refuses bad image refs, ports and unknown fields with the property named", async () => {
    for (const ref of ["nginx", "nginx:1.27", "ghcr.io/acme/agent", "ghcr.io/Acme/agent:1", "https://ghcr.io/a/b:1"]) {
      expect(isFullyQualifiedImage(ref)).toBe(false);
    }
    for (const ref of ["ghcr.io/acme/agent:1.4.0", "docker.io/library/nginx:1.27", "localhost:5000/a/b:dev", `ghcr.io/a/b@sha256:${"a".repeat(64)}`]) {
      expect(isFullyQualifiedImage(ref)).toBe(true);
    }
    expect(await props({ name: "my-agent", imageRef: "nginx" })).toEqual(["imageRef"]);
    expect(await props({ name: "my-agent", imageRef: "ghcr.io/a/b:1", defaultPort: 8080 })).toEqual(["defaultPort"]);
    expect(await props({ name: "my-agent", imageRef: "ghcr.io/a/b:1", defaultPort: 70000 })).toEqual(["defaultPort"]);
    expect(await props({ name: "my-agent", imageRef: "ghcr.io/a/b:1", ports: [1] })).toEqual(["ports"]);
  });

  it("leaves unknown values (preview) unvalidated and records no hash for an unknown context", async () => {
    expect(await props({ name: UNKNOWN, imageRef: UNKNOWN })).toEqual([]);
    const r = await checkTemplateInputs({ name: "my-agent", build: { context: UNKNOWN } });
    expect(r.failures).toEqual([]);
    expect(r.inputs.contextHash).toBeUndefined();
    expect(await props({ name: "my-agent", build: UNKNOWN })).toEqual([]);
  });

  it("parses typed inputs for create and update, keeping the recorded hash", () => {
    expect(parseTemplateInputs({ name: "my-agent", build: { context: ctx }, contextHash: "sha256:abc", __provider: "x" })).toEqual({
      name: "my-agent",
      build: { context: ctx },
      contextHash: "sha256:abc",
    });
    expect(() => parseTemplateInputs({ name: "my-agent" })).toThrow(/imageRef: set exactly one/);
  });
});

const imageOuts = {
  name: "my-agent",
  revision: 1,
  pinned: "my-agent@1",
  imageRef: "ghcr.io/acme/agent:1",
  imageDigest: "sha256:aa",
  defaultPort: 8000,
  description: "mine",
  build: null,
  buildId: null,
  contextHash: null,
};
const buildOuts = { ...imageOuts, imageRef: null, build: { context: "./agent", dockerfile: "Dockerfile" }, buildId: "tb_1", contextHash: "sha256:c1" };

describe("diff", () => {
  it("reports no change when the inputs match the record (an omitted port or description matches none)", () => {
    expect(diffTemplate(imageOuts, { name: "my-agent", imageRef: "ghcr.io/acme/agent:1", defaultPort: 8000, description: "mine", __provider: "x" })).toEqual({
      changes: false,
      replaces: [],
      deleteBeforeReplace: false,
      detailed: {},
    });
    expect(diffTemplate({ ...imageOuts, defaultPort: null, description: null }, { name: "my-agent", imageRef: "ghcr.io/acme/agent:1" }).changes).toBe(false);
    expect(diffTemplate({ ...imageOuts, description: "" }, { name: "my-agent", imageRef: "ghcr.io/acme/agent:1", defaultPort: 8000 }).changes).toBe(false);
  });

  it("plans nothing for the create key and adoptExisting (state written by 0.1.0 has neither)", () => {
    const news = { name: "my-agent", imageRef: "ghcr.io/acme/agent:1", defaultPort: 8000, description: "mine" };
    for (const extra of [{ createKey: "0123456789abcdef0123456789abcdef" }, { adoptExisting: true }, { adoptExisting: false, createKey: "fedcba9876543210fedcba9876543210" }]) {
      expect(diffTemplate(imageOuts, { ...news, ...extra })).toEqual({ changes: false, replaces: [], deleteBeforeReplace: false, detailed: {} });
    }
  });

  it("replaces on a new name, updates an image ref, description and port in place", () => {
    expect(diffTemplate(imageOuts, { name: "other", imageRef: "ghcr.io/acme/agent:1", defaultPort: 8000, description: "mine" })).toMatchObject({
      replaces: ["name"],
      deleteBeforeReplace: false,
      detailed: { name: "replace" },
    });
    expect(templateChanges(imageOuts, { name: "my-agent", imageRef: "ghcr.io/acme/agent:2", description: "new" })).toEqual(
      new Map([
        ["imageRef", "update"],
        ["description", "update"],
        ["defaultPort", "update"],
      ]),
    );
  });

  it("updates a build in place only when the context's content hash changed (not its path)", () => {
    const same = { name: "my-agent", build: { context: "/elsewhere/agent" }, contextHash: "sha256:c1", defaultPort: 8000, description: "mine" };
    expect(diffTemplate(buildOuts, same).changes).toBe(false);
    expect(diffTemplate(buildOuts, { ...same, contextHash: "sha256:c2" })).toMatchObject({ changes: true, replaces: [], detailed: { build: "update" } });
    // After a refresh found a revision this stack did not build, the hash is null: build again.
    expect(diffTemplate({ ...buildOuts, contextHash: null }, same).detailed).toEqual({ build: "update" });
  });

  it("replaces, deleting first, when switching between imageRef and build", () => {
    expect(diffTemplate(imageOuts, { name: "my-agent", build: { context: "./agent" }, contextHash: "sha256:c1", defaultPort: 8000, description: "mine" })).toEqual({
      changes: true,
      replaces: ["build"],
      deleteBeforeReplace: true,
      detailed: { build: "replace" },
    });
    expect(diffTemplate(buildOuts, { name: "my-agent", imageRef: "ghcr.io/a/b:1", defaultPort: 8000, description: "mine" }).replaces).toEqual(["imageRef"]);
    expect(diffTemplate(buildOuts, { name: "renamed", imageRef: "ghcr.io/a/b:1", defaultPort: 8000, description: "mine" }).deleteBeforeReplace).toBe(false);
  });

  it("reads unknowns as changes of their kind", () => {
    expect(diffTemplate(imageOuts, { name: UNKNOWN, imageRef: "ghcr.io/acme/agent:1", defaultPort: 8000, description: "mine" }).replaces).toEqual(["name"]);
    expect(diffTemplate(imageOuts, { name: "my-agent", imageRef: UNKNOWN, defaultPort: 8000, description: "mine" }).detailed).toEqual({ imageRef: "update" });
    expect(diffTemplate(buildOuts, { name: "my-agent", build: { context: UNKNOWN }, defaultPort: 8000, description: "mine" }).detailed).toEqual({ build: "update" });
    expect(diffTemplate(imageOuts, { name: "my-agent", imageRef: "ghcr.io/acme/agent:1", defaultPort: UNKNOWN, description: "mine" }).detailed).toEqual({ defaultPort: "update" });
  });

  it("lists stable and planned outputs for a front door that previews dependents", () => {
    const portOnly = templateChanges(imageOuts, { name: "my-agent", imageRef: "ghcr.io/acme/agent:1", defaultPort: 9000, description: "mine" });
    expect(stableOutputs(portOnly)).toEqual(expect.arrayContaining(["name", "revision", "pinned", "imageDigest"]));
    expect(stableOutputs(portOnly)).not.toContain("defaultPort");
    expect(plannedOutputs(imageOuts, { name: "my-agent", imageRef: "ghcr.io/acme/agent:1", defaultPort: 9000, description: "mine" })).toMatchObject({ pinned: "my-agent@1", defaultPort: 9000 });
    const rebuild = plannedOutputs(buildOuts, { name: "my-agent", build: { context: "./agent" }, contextHash: "sha256:c2", defaultPort: 8000, description: "mine" });
    expect(rebuild).toMatchObject({ name: "my-agent", contextHash: "sha256:c2", description: "mine" });
    expect(rebuild).not.toHaveProperty("revision");
    expect(rebuild).not.toHaveProperty("pinned");
  });
});
