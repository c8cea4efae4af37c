// Agent37Template's operations called directly against the emulator: image and build
// templates through create, update, refresh and delete; the build flow's failures, conflicts
// and its promise to start a build once.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { checkTemplateInputs } from "../../provider/template/check";
import { Agent37TemplateBuildError } from "../../provider/template/errors";
import { createTemplateProvider, type Agent37TemplateProvider } from "../../provider/front/dynamic/providers";
import { EmulatorFixture, type Json } from "../harness/emulator-fixture";

let fx: EmulatorFixture;
let provider: Agent37TemplateProvider;
const dirs: string[] = [];

beforeAll(async () => {
  fx = await EmulatorFixture.start({ buildMs: 150, ingestMs: 30 });
  provider = createTemplateProvider({
    settings: { apiUrl: fx.emu.url, apiKey: fx.key },
    env: {},
    timings: { buildPollIntervalMs: 20, maxBuildPollIntervalMs: 80, buildTimeoutMs: 20_000 },
  });
});
afterAll(async () => {
  await fx.close();
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

function context(files: Record<string, string>): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "a37-tpl-"));
  dirs.push(root);
  for (const [rel, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), content);
  }
  return root;
}

/** What the engine does: check, then hand the checked inputs on. */
async function checked(news: Json): Promise<Json> {
  const r = await checkTemplateInputs(news);
  expect(r.failures).toEqual([]);
  return r.inputs;
}

describe("image templates", () => {
  it("create, update to revision 2, description in place, refresh an out-of-band change, delete", async () => {
    const inputs = await checked({ name: "img-agent", imageRef: "ghcr.io/acme/agent:1.0.0", defaultPort: 8000, description: "v1" });
    const created = await provider.create(inputs);
    expect(created.id).toBe("img-agent");
    expect(created.outs).toMatchObject({ name: "img-agent", revision: 1, pinned: "img-agent@1", imageRef: "ghcr.io/acme/agent:1.0.0", defaultPort: 8000, description: "v1", build: null, buildId: null });
    expect(created.outs.imageDigest).toMatch(/^sha256:/);

    const v2 = await checked({ ...inputs, imageRef: "ghcr.io/acme/agent:2.0.0" });
    expect((await provider.diff("img-agent", created.outs, v2)).changes).toBe(true);
    const updated = await provider.update("img-agent", created.outs, v2);
    expect(updated.outs).toMatchObject({ revision: 2, pinned: "img-agent@2", imageRef: "ghcr.io/acme/agent:2.0.0" });

    const described = await checked({ ...v2, description: "second" });
    const same = await provider.update("img-agent", updated.outs!, described);
    expect(same.outs).toMatchObject({ revision: 2, description: "second" });

    const oob = await fx.api("PATCH", "/v1/templates/img-agent", { image_ref: "ghcr.io/acme/agent:9.9.9" });
    expect(oob.status).toBe(200);
    const read = await provider.read("img-agent", same.outs!);
    expect(read.props).toMatchObject({ revision: 3, imageRef: "ghcr.io/acme/agent:9.9.9" });
    expect(read.inputs).toMatchObject({ name: "img-agent", imageRef: "ghcr.io/acme/agent:9.9.9" });
    expect((await provider.diff("img-agent", read.props!, described)).changes).toBe(true);

    await provider.delete("img-agent", read.props!);
    expect((await fx.api("GET", "/v1/templates/img-agent")).status).toBe(404);
    // Already gone is success; refresh drops it.
    await provider.delete("img-agent", read.props!);
    expect((await provider.read("img-agent", read.props!)).id).toBe("");
  });

  it("after a create cut off once Agent37 acted, finds the template it made instead of sending the POST again", async () => {
    await fx.clearRequests();
    await fx.faults([{ method: "POST", path: "/v1/templates", kind: "reset-after", count: 1 }]);
    try {
      const created = await provider.create(await checked({ name: "cut-off", imageRef: "ghcr.io/acme/agent:3.0.0" }));
      expect(created.outs).toMatchObject({ name: "cut-off", revision: 1, imageRef: "ghcr.io/acme/agent:3.0.0" });
      expect((await fx.apiCalls())["POST /v1/templates"]).toBe(1);
      await provider.delete("cut-off", created.outs);
    } finally {
      await fx.clearFaults();
    }
  });

  it("says a name is taken, naming it", async () => {
    await fx.api("POST", "/v1/templates", { name: "taken-name", image_ref: "ghcr.io/acme/agent:1.0.0" });
    await expect(provider.create(await checked({ name: "taken-name", imageRef: "ghcr.io/acme/other:1" }))).rejects.toThrow(/"taken-name" already exists/);
  });
});

describe("built templates", () => {
  it("create from a folder, rebuild on a content change, refresh a revision pushed outside the stack, delete", async () => {
    const dir = context({ Dockerfile: "FROM python:3.12-slim\nCOPY . /app\nCMD python /app/main.py\n", "main.py": "print(1)\n" });
    const inputs = await checked({ name: "built-agent", build: { context: dir }, defaultPort: 8000 });
    const created = await provider.create(inputs);
    expect(created.outs).toMatchObject({ name: "built-agent", revision: 1, pinned: "built-agent@1", imageRef: null, defaultPort: 8000, contextHash: inputs.contextHash, build: { context: dir, dockerfile: "Dockerfile" } });
    expect(created.outs.buildId).toMatch(/^tb_[0-9a-f]{20}$/);

    // Unchanged folder: no change. Changed file: an update.
    expect((await provider.diff("built-agent", created.outs, await checked({ name: "built-agent", build: { context: dir }, defaultPort: 8000 }))).changes).toBe(false);
    fs.writeFileSync(path.join(dir, "main.py"), "print(2)\n");
    const v2 = await checked({ name: "built-agent", build: { context: dir }, defaultPort: 8000 });
    const diff = await provider.diff("built-agent", created.outs, v2);
    expect(diff).toMatchObject({ changes: true, replaces: [] });
    await fx.clearRequests();
    const updated = await provider.update("built-agent", created.outs, v2);
    expect(updated.outs).toMatchObject({ revision: 2, pinned: "built-agent@2", contextHash: v2.contextHash });
    expect(updated.outs!.buildId).not.toBe(created.outs.buildId);
    const calls = await fx.apiCalls();
    expect(Object.entries(calls).filter(([route]) => route.startsWith("POST") && route.includes("start")).map(([, n]) => n)).toEqual([1]);

    // Someone pushes another build of the same name.
    fs.writeFileSync(path.join(dir, "main.py"), "print('elsewhere')\n");
    const other = createTemplateProvider({ settings: { apiUrl: fx.emu.url, apiKey: fx.key }, env: {}, timings: { buildPollIntervalMs: 20, maxBuildPollIntervalMs: 80 } });
    await other.update("built-agent", updated.outs!, await checked({ name: "built-agent", build: { context: dir }, defaultPort: 8000 }));
    fs.writeFileSync(path.join(dir, "main.py"), "print(2)\n");
    const read = await provider.read("built-agent", updated.outs!);
    expect(read.props).toMatchObject({ revision: 3, contextHash: null, buildId: null });
    // The folder is what the stack built, yet the live revision is not: the next up builds again.
    expect((await provider.diff("built-agent", read.props!, v2)).changes).toBe(true);

    await provider.delete("built-agent", read.props!);
    expect((await fx.api("GET", "/v1/templates/built-agent")).status).toBe(404);
  });

  it("uploads the Dockerfile named by build.dockerfile at the root", async () => {
    const dir = context({ "docker/prod.Dockerfile": "FROM node:22\nCOPY . /srv\n", "index.js": "1\n" });
    const created = await provider.create(await checked({ name: "nested-dockerfile", build: { context: dir, dockerfile: "docker/prod.Dockerfile" } }));
    expect(created.outs).toMatchObject({ revision: 1, build: { dockerfile: "docker/prod.Dockerfile" } });
    const logs = await fx.api("GET", `/v1/template-builds/${created.outs.buildId}/logs`);
    expect(logs.body.data).toContain("FROM node:22");
    await provider.delete("nested-dockerfile", created.outs);
  });

  it("reports a failed build's code and log tail, and leaves no template behind", async () => {
    const dir = context({ Dockerfile: "RUN echo no base image\n" });
    const err = await provider.create(await checked({ name: "broken-build", build: { context: dir } })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Agent37TemplateBuildError);
    expect((err as Agent37TemplateBuildError).code).toBe("build_failed");
    expect((err as Error).message).toMatch(/creating Agent37 template "broken-build": template build tb_[0-9a-f]+ of "broken-build" failed: build_failed/);
    expect((err as Error).message).toMatch(/--- end of the build log ---\n[\s\S]*ERROR: failed to solve/);
    expect((await fx.api("GET", "/v1/templates/broken-build")).status).toBe(404);
  });

  it("does not start a build again when the answer to its start was lost, and rides out failing polls", async () => {
    await fx.clearRequests();
    await fx.faults([
      { method: "POST", path: "/v1/template-builds/*/start", kind: "reset-after", count: 1 },
      { method: "GET", path: "/v1/template-builds/*", kind: "status", status: 503, count: 2 },
    ]);
    try {
      const dir = context({ Dockerfile: "FROM busybox\nCOPY . /x\n", "x.txt": "x\n" });
      const created = await provider.create(await checked({ name: "lost-start", build: { context: dir } }));
      expect(created.outs).toMatchObject({ revision: 1 });
      const starts = Object.entries(await fx.apiCalls()).filter(([route]) => route.startsWith("POST") && route.endsWith("/start"));
      expect(starts.map(([, n]) => n)).toEqual([1]);
      // Both faults fired: the plan has nothing left to inject.
      const plan = ((await fx.admin("GET", "faults")) as { faults: { remaining: number }[] }).faults;
      expect(plan.map((f) => f.remaining)).toEqual([0, 0]);
      await provider.delete("lost-start", created.outs);
    } finally {
      await fx.clearFaults();
    }
  });

  it("waits for another build in the workspace (409 build_conflict), then starts its own once", async () => {
    // Another build of the workspace holds the builder when this one starts: the emulator answers
    // the start as it does then (test/emulator/template-builds.test.ts holds that answer), twice.
    // Injected rather than made by a real build beside it, whose end (its build time after its
    // start) a loaded machine could reach before this create gets to its start.
    await fx.clearRequests();
    await fx.faults([{ method: "POST", path: "/v1/template-builds/*/start", kind: "status", status: 409, code: "build_conflict", message: "Another build is running in this workspace.", count: 2 }]);
    try {
      const dir = context({ Dockerfile: "FROM busybox\nCOPY . /x\n" });
      const created = await provider.create(await checked({ name: "waits-its-turn", build: { context: dir } }));
      expect(created.outs).toMatchObject({ revision: 1 });
      const log = (await fx.requestLog()) as Json[];
      const starts = log.filter((r) => r.method === "POST" && String(r.path ?? r.url ?? "").endsWith("/start"));
      // Both refusals were waited out (each time the build read back as not started), then exactly one start was accepted.
      expect(starts.map((r) => r.status)).toEqual([409, 409, 200]);
      const builds = log.filter((r) => r.method === "GET" && /\/v1\/template-builds\/[^/]+$/.test(String(r.path ?? r.url ?? "")));
      expect(builds.length).toBeGreaterThanOrEqual(2);
      await provider.delete("waits-its-turn", created.outs);
    } finally {
      await fx.clearFaults();
    }
  });
});
