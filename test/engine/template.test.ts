/**
 * Agent37Template through Pulumi's own provider host, driven over gRPC as the engine drives it,
 * against the emulator: a build from a folder and a template from an image ref, each created,
 * updated to revision 2, refreshed after an out-of-band change and destroyed; previews that show
 * exactly what a changed folder means; check's refusals; an instance following `tpl.pinned`.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { Agent37Instance, Agent37Template, type Agent37TemplateArgs } from "pulumi-agent37";
import {
  captureInputs,
  CheckFailedError,
  emulatorConfig,
  Engine,
  HostError,
  PROVIDER_KEY,
  runProgram,
  startProviderHost,
  startRig,
  traceHost,
  type EmulatorAdmin,
  type Rig,
  type TracedCall,
} from "../harness";

const TYPE = "pulumi-nodejs:dynamic/agent37:Template";
const INSTANCE = "pulumi-nodejs:dynamic/agent37:Instance";

let rig: Rig;
let admin: EmulatorAdmin;
const dirs: string[] = [];

beforeAll(async () => {
  rig = await startRig({ provisionMs: 50, bootMs: 100, lifecycleMs: 50, deleteMs: 30, buildMs: 100, ingestMs: 20 });
  admin = rig.admin;
});
afterAll(async () => {
  await rig?.close();
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

function newEngine(): { engine: Engine; calls: TracedCall[] } {
  const traced = traceHost(rig.host);
  return { engine: new Engine(traced.host), calls: traced.calls };
}

function folder(files: Record<string, string>): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "a37-engine-tpl-"));
  dirs.push(root);
  for (const [rel, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), content);
  }
  return root;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function api(method: string, apiPath: string, body?: unknown, on: Rig = rig): Promise<{ status: number; body: any }> {
  const res = await fetch(`${on.emulator.url}${apiPath}`, {
    method,
    headers: { authorization: `Bearer ${on.key}`, "content-type": "application/json" },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

const template = (name: string, args: Agent37TemplateArgs) => () => {
  const t = new Agent37Template(name, args);
  return { pinned: t.pinned, revision: t.revision };
};

const opsOf = (steps: { op: string; urn: string }[]) => Object.fromEntries(steps.map((s) => [s.urn.split("::").pop(), s.op]));

describe("the serialized provider", () => {
  it("is small, keyless and loads the template implementation by package name", async () => {
    const inputs = await captureInputs(template("p", { name: "p-agent", imageRef: "ghcr.io/acme/agent:1" }));
    const provider = inputs[PROVIDER_KEY] as string;
    expect(provider).toContain('require("pulumi-agent37/dynamic")');
    expect(provider).toContain("templateProvider");
    expect(Buffer.byteLength(provider)).toBeLessThan(2048);
    expect(provider).not.toContain(rig.key);
  });
});

describe("a template built from a folder", () => {
  it("is created, previewed exactly, updated to revision 2, refreshed after an out-of-band build, and destroyed", async () => {
    const dir = folder({
      Dockerfile: "FROM python:3.12-slim\nCOPY . /app\nCMD [\"python\", \"/app/main.py\"]\n",
      "main.py": "print('v1')\n",
      ".dockerignore": "*.log\n",
      "debug.log": "noise\n",
    });
    const program = template("built", { name: "engine-built", build: { context: dir }, defaultPort: 8000 });
    const { engine, calls } = newEngine();
    const up = await runProgram(engine, program);
    expect(up.outputs).toEqual({ pinned: "engine-built@1", revision: 1 });
    const urn = engine.urn(TYPE, "built");
    expect(engine.state.get(urn)?.outputs).toMatchObject({ imageRef: null, buildId: expect.stringMatching(/^tb_/), contextHash: expect.stringMatching(/^sha256:/) });

    // Nothing that the context does not hold is a change: an ignored file, a touched mtime, another umask.
    fs.writeFileSync(path.join(dir, "debug.log"), "more noise\n");
    const later = new Date(Date.now() + 60_000);
    fs.utimesSync(path.join(dir, "main.py"), later, later);
    fs.chmodSync(path.join(dir, "main.py"), 0o600);
    fs.chmodSync(path.join(dir, "Dockerfile"), 0o664);
    calls.length = 0;
    await admin.clearRequests();
    const quiet = await runProgram(engine, program, { preview: true });
    expect(opsOf(quiet.steps)).toEqual({ built: "same" });
    expect(calls.map((c) => c.method)).toEqual(["Check", "Diff"]);

    // A changed source file previews as an update, with no API request and no upload.
    fs.writeFileSync(path.join(dir, "main.py"), "print('v2')\n");
    calls.length = 0;
    const preview = await runProgram(engine, program, { preview: true });
    expect(preview.steps.map((s) => [s.op, s.replaces ?? []])).toEqual([["update", []]]);
    expect(calls.map((c) => c.method)).toEqual(["Check", "Diff"]);
    expect((await admin.requests()).log).toEqual([]);

    const second = await runProgram(engine, program);
    expect(opsOf(second.steps)).toEqual({ built: "update" });
    expect(second.outputs).toEqual({ pinned: "engine-built@2", revision: 2 });

    // Another build of the same name, outside the stack: refresh sees revision 3 and that it is not ours.
    const other = folder({ Dockerfile: "FROM python:3.12-slim\nRUN echo other\n" });
    const foreign = newEngine().engine;
    await runProgram(foreign, template("built", { name: "engine-built", build: { context: other }, defaultPort: 8000, adoptExisting: true })).catch(() => undefined);
    await engine.refresh();
    expect(engine.state.get(urn)?.outputs).toMatchObject({ revision: 3, contextHash: null });
    const back = await runProgram(engine, program, { preview: true });
    expect(opsOf(back.steps)).toEqual({ built: "update" });

    // The key is nowhere in state nor in what the host printed.
    expect(JSON.stringify([...engine.state.values()])).not.toContain(rig.key);
    expect(JSON.stringify(rig.host.output())).not.toContain(rig.key);

    await engine.destroy();
    expect(engine.state.size).toBe(0);
    expect((await api("GET", "/v1/templates/engine-built")).status).toBe(404);
  });
});

describe("a template from an image ref", () => {
  it("is created, updated to revision 2 in place, refreshed after an out-of-band change, and destroyed (already gone is fine)", async () => {
    const program = (ref: string) => template("img", { name: "engine-img", imageRef: ref, description: "from a registry" });
    const { engine } = newEngine();
    expect((await runProgram(engine, program("ghcr.io/acme/agent:1.0.0"))).outputs).toEqual({ pinned: "engine-img@1", revision: 1 });
    const preview = await runProgram(engine, program("ghcr.io/acme/agent:2.0.0"), { preview: true });
    expect(preview.steps.map((s) => [s.op, s.replaces ?? []])).toEqual([["update", []]]);
    const up = await runProgram(engine, program("ghcr.io/acme/agent:2.0.0"));
    expect(up.outputs).toEqual({ pinned: "engine-img@2", revision: 2 });

    expect((await api("PATCH", "/v1/templates/engine-img", { image_ref: "ghcr.io/acme/agent:6.6.6", description: "edited by hand" })).status).toBe(200);
    await engine.refresh();
    const urn = engine.urn(TYPE, "img");
    expect(engine.state.get(urn)?.outputs).toMatchObject({ revision: 3, imageRef: "ghcr.io/acme/agent:6.6.6", description: "edited by hand" });
    const restore = await runProgram(engine, program("ghcr.io/acme/agent:2.0.0"));
    expect(opsOf(restore.steps)).toEqual({ img: "update" });
    expect(engine.state.get(urn)?.outputs).toMatchObject({ revision: 4, imageRef: "ghcr.io/acme/agent:2.0.0", description: "from a registry" });

    // Switching to a build replaces, deleting first (the name is the identity).
    const dir = folder({ Dockerfile: "FROM busybox\n" });
    const switched = await runProgram(engine, template("img", { name: "engine-img", build: { context: dir }, description: "from a registry" }), { preview: true });
    expect(switched.steps.map((s) => [s.op, s.replaces, s.deleteBeforeReplace])).toEqual([["replace", ["build"], true]]);

    expect((await api("DELETE", "/v1/templates/engine-img")).status).toBe(200);
    await expect(engine.destroy()).resolves.toHaveLength(1);
    expect(engine.state.size).toBe(0);
  });
});

describe("check through the host", () => {
  const refused = async (args: Agent37TemplateArgs): Promise<string[]> => {
    const { engine, calls } = newEngine();
    const err = await runProgram(engine, template("bad", args), { preview: true }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CheckFailedError);
    expect(calls.map((c) => c.method)).toEqual(["Check"]);
    return (err as CheckFailedError).failures.map((f) => f.property);
  };

  it("refuses both sources, neither, a missing Dockerfile, a bad name and an oversized context, naming the property", async () => {
    const dir = folder({ "main.py": "x\n" });
    const ok = folder({ Dockerfile: "FROM busybox\n" });
    expect(await refused({ name: "two-sources", imageRef: "ghcr.io/a/b:1", build: { context: ok } })).toEqual(["imageRef"]);
    expect(await refused({ name: "no-source" })).toEqual(["imageRef"]);
    expect(await refused({ name: "no-dockerfile", build: { context: dir } })).toEqual(["build.dockerfile"]);
    expect(await refused({ name: "no-context", build: { context: path.join(dir, "missing") } })).toEqual(["build.context"]);
    expect(await refused({ name: "Bad_Name", imageRef: "ghcr.io/a/b:1" })).toEqual(["name"]);
    expect(await refused({ name: "agent37-mine", imageRef: "ghcr.io/a/b:1" })).toEqual(["name"]);
    // 101 MB (sparse): the archive's size follows from the file sizes, before anything is sent.
    const big = folder({ Dockerfile: "FROM busybox\n", "weights.bin": "" });
    fs.truncateSync(path.join(big, "weights.bin"), 101_000_000);
    expect(await refused({ name: "too-big", build: { context: big } })).toEqual(["build.context"]);
  });
});

describe("check of a build context through the host", () => {
  const failureOf = async (args: Agent37TemplateArgs): Promise<{ property: string; reason: string }[]> => {
    const { engine } = newEngine();
    const err = await runProgram(engine, template("ctx", args), { preview: true }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CheckFailedError);
    return (err as CheckFailedError).failures;
  };

  it("refuses a FIFO .dockerignore or <Dockerfile>.dockerignore at once, naming it (it never blocks check)", async () => {
    const dir = folder({ Dockerfile: "FROM busybox\n" });
    execFileSync("mkfifo", [path.join(dir, ".dockerignore")]);
    const failures = await failureOf({ name: "fifo-ignore", build: { context: dir } });
    expect(failures).toEqual([{ property: "build.context", reason: expect.stringMatching(/\.dockerignore is a named pipe \(FIFO\)/) }]);
    const other = folder({ Dockerfile: "FROM busybox\n" });
    execFileSync("mkfifo", [path.join(other, "Dockerfile.dockerignore")]);
    expect((await failureOf({ name: "fifo-ignore", build: { context: other } }))[0]?.reason).toMatch(/Dockerfile\.dockerignore is a named pipe/);
    const pipe = folder({ "main.py": "x\n" });
    execFileSync("mkfifo", [path.join(pipe, "Dockerfile")]);
    expect(await failureOf({ name: "fifo-dockerfile", build: { context: pipe } })).toEqual([
      { property: "build.dockerfile", reason: expect.stringMatching(/is a named pipe \(FIFO\), not a regular file/) },
    ]);
  });

  it("never reads a file outside the context: a Dockerfile linked out of it, or build.dockerfile through a linked folder", async () => {
    const outside = folder({ Dockerfile: "FROM busybox\nRUN echo secret\n", "outside.dockerignore": "*\n" });
    const linked = folder({ "main.py": "x\n" });
    fs.symlinkSync(path.join(outside, "Dockerfile"), path.join(linked, "Dockerfile"));
    expect(await failureOf({ name: "linked-out", build: { context: linked } })).toEqual([
      { property: "build.dockerfile", reason: expect.stringMatching(/leads outside the build context .* nothing outside the context is read/) },
    ]);
    const throughFolder = folder({ "main.py": "x\n" });
    fs.symlinkSync(outside, path.join(throughFolder, "sub"));
    expect(await failureOf({ name: "linked-dir", build: { context: throughFolder, dockerfile: "sub/Dockerfile" } })).toEqual([
      { property: "build.dockerfile", reason: expect.stringMatching(/leads outside the build context/) },
    ]);
    // An ignore file linked out of the context is not read either.
    const ignoreOut = folder({ Dockerfile: "FROM busybox\n" });
    fs.symlinkSync(path.join(outside, "outside.dockerignore"), path.join(ignoreOut, ".dockerignore"));
    expect((await failureOf({ name: "linked-ignore", build: { context: ignoreOut } }))[0]?.reason).toMatch(/the ignore file .* leads outside/);
    // A link inside the context is fine: the Dockerfile it names is inside.
    const inside = folder({ "docker/Dockerfile.prod": "FROM busybox\n" });
    fs.symlinkSync(path.join("docker", "Dockerfile.prod"), path.join(inside, "Dockerfile"));
    const { engine } = newEngine();
    await expect(runProgram(engine, template("ctx", { name: "linked-in", build: { context: inside } }), { preview: true })).resolves.toBeDefined();
  });

  it("names a file whose name is not UTF-8 as such (not as a file that changed), and skips it when .dockerignore drops it", async () => {
    const dir = folder({ Dockerfile: "FROM busybox\n" });
    fs.writeFileSync(Buffer.concat([Buffer.from(`${dir}/caf`), Buffer.from([0xe9]), Buffer.from(".txt")]), "x\n");
    const failures = await failureOf({ name: "latin1-name", build: { context: dir } });
    expect(failures).toEqual([{ property: "build.context", reason: expect.stringMatching(/caf\\xe9\.txt has a name that is not valid UTF-8/) }]);
    expect(failures[0]?.reason).not.toMatch(/changed while/);
    fs.writeFileSync(path.join(dir, ".dockerignore"), "caf*\n");
    const { engine } = newEngine();
    await expect(runProgram(engine, template("ctx", { name: "latin1-name", build: { context: dir } }), { preview: true })).resolves.toBeDefined();
  });
});

describe("an instance pinned to tpl.pinned", () => {
  it("moves from revision 1 to revision 2 in place: same instance, POST /update, no replace", async () => {
    const dir = folder({ Dockerfile: "FROM node:22-slim\nCOPY . /srv\nCMD [\"node\", \"/srv/server.js\"]\n", "server.js": "// v1\n" });
    const program = () => {
      const tpl = new Agent37Template("app", { name: "pinned-app", build: { context: dir }, defaultPort: 8000 });
      const agent = new Agent37Instance("app-1", { template: tpl.pinned });
      return { pinned: tpl.pinned, id: agent.instanceId, revision: agent.templateRevision, template: agent.template };
    };
    const { engine } = newEngine();
    const first = await runProgram(engine, program);
    expect(first.outputs).toMatchObject({ pinned: "pinned-app@1", revision: 1, template: "pinned-app@1" });

    fs.writeFileSync(path.join(dir, "server.js"), "// v2\n");
    const preview = await runProgram(engine, program, { preview: true });
    expect(opsOf(preview.steps)).toEqual({ app: "update", "app-1": "update" });
    await admin.clearRequests();
    const second = await runProgram(engine, program);
    expect(opsOf(second.steps)).toEqual({ app: "update", "app-1": "update" });
    expect(second.outputs).toMatchObject({ pinned: "pinned-app@2", revision: 2, template: "pinned-app@2", id: first.outputs.id });
    const routes = Object.keys((await admin.requests()).counters);
    expect(routes.some((r) => r.startsWith("POST") && r.includes("/update"))).toBe(true);
    expect(routes.some((r) => r.startsWith("POST /v1/instances") && !r.includes("/v1/instances/"))).toBe(false);
    expect(engine.state.get(engine.urn(INSTANCE, "app-1"))?.id).toBe(first.outputs.id);
    await engine.destroy();
  });
});

/** Workspace templates of `name` (0 or 1: Agent37 holds one per name). */
async function templatesNamed(name: string, on: Rig = rig): Promise<{ name: string; revision: number; description: string | null }[]> {
  const list = await api("GET", "/v1/templates", undefined, on);
  return (list.body.data as { name: string; revision: number; description: string | null }[]).filter((t) => t.name === name);
}

/** Polls `ready` (each poll is a request to the emulator) until it holds; fails after `ms`. */
async function until(what: string, ready: () => Promise<boolean>, ms = 15_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await ready())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setImmediate(resolve));
  }
}

describe("ownership: a template this resource did not create", () => {
  afterEach(async () => {
    await admin.clearFaults();
  });

  it("a build whose name another stack manages fails naming adoptExisting; the other stack keeps its template through our up and destroy", async () => {
    const theirs = folder({ Dockerfile: "FROM busybox\nRUN echo theirs\n" });
    const ours = folder({ Dockerfile: "FROM busybox\nRUN echo ours\n" });
    const other = new Engine(rig.host, { stack: "other" });
    await runProgram(other, template("shared", { name: "shared-built", build: { context: theirs }, description: "the other stack's" }));
    expect(await templatesNamed("shared-built")).toMatchObject([{ revision: 1, description: "the other stack's" }]);

    const { engine } = newEngine();
    const err = (await runProgram(engine, template("shared", { name: "shared-built", build: { context: ours } })).catch((e: unknown) => e)) as Error;
    expect(err).toBeInstanceOf(HostError);
    expect(err.message).toMatch(/"shared-built" already exists .* did not create it/);
    expect(err.message).toContain("adoptExisting: true");
    expect(engine.state.size).toBe(0);
    // Nothing was built into it, and our destroy does not touch it.
    expect(await templatesNamed("shared-built")).toMatchObject([{ revision: 1, description: "the other stack's" }]);
    await engine.destroy();
    expect(await templatesNamed("shared-built")).toMatchObject([{ revision: 1, description: "the other stack's" }]);

    // Theirs still works as theirs.
    fs.writeFileSync(path.join(theirs, "extra.txt"), "x\n");
    expect((await runProgram(other, template("shared", { name: "shared-built", build: { context: theirs }, description: "the other stack's" }))).outputs).toEqual({ pinned: "shared-built@2", revision: 2 });
    await other.destroy();
    expect(await templatesNamed("shared-built")).toEqual([]);
  });

  it("an image template whose name was taken by hand fails the same way; adoptExisting: true takes it over, explicitly", async () => {
    expect((await api("POST", "/v1/templates", { name: "hand-made", image_ref: "ghcr.io/acme/hand:1", description: "made by hand" })).status).toBe(201);
    const { engine } = newEngine();
    const program = (adopt?: boolean) => template("hand", { name: "hand-made", imageRef: "ghcr.io/acme/agent:1.0.0", ...(adopt === undefined ? {} : { adoptExisting: adopt }) });
    const err = (await runProgram(engine, program()).catch((e: unknown) => e)) as Error;
    expect(err.message).toContain("adoptExisting: true");
    await engine.destroy();
    expect(await templatesNamed("hand-made")).toMatchObject([{ revision: 1, description: "made by hand" }]);

    const adopted = await runProgram(engine, program(true));
    expect(adopted.outputs).toEqual({ pinned: "hand-made@2", revision: 2 });
    expect(await templatesNamed("hand-made")).toMatchObject([{ revision: 2, description: null }]);
    // State written by 0.1.0 (no create key among the inputs) loads with no change planned.
    const urn = engine.urn(TYPE, "hand");
    const recorded = engine.state.get(urn);
    if (recorded !== undefined) {
      const { createKey: _dropped, adoptExisting: _adopt, ...older } = recorded.inputs as Record<string, unknown>;
      engine.state.set(urn, { ...recorded, inputs: older });
    }
    expect(opsOf((await runProgram(engine, program(true), { preview: true })).steps)).toEqual({ hand: "same" });
    // The adopt input is read at create only: removing it later plans nothing.
    expect(opsOf((await runProgram(engine, program(), { preview: true })).steps)).toEqual({ hand: "same" });
    await engine.destroy();
    expect(await templatesNamed("hand-made")).toEqual([]);
  });
});

describe("our own cut-off create", () => {
  afterEach(async () => {
    await admin.clearFaults();
  });

  it("a lost answer to POST /v1/templates: the same run finds the template by its marker; one template, one POST", async () => {
    await admin.clearRequests();
    await admin.setFaults([{ method: "POST", path: "/v1/templates", kind: "reset-after", count: 1 }]);
    const { engine } = newEngine();
    const up = await runProgram(engine, template("lost", { name: "lost-answer", imageRef: "ghcr.io/acme/agent:1.0.0", description: "mine" }));
    expect(up.outputs).toEqual({ pinned: "lost-answer@1", revision: 1 });
    expect((await admin.requests()).counters["POST /v1/templates"]).toBe(1);
    expect(await templatesNamed("lost-answer")).toMatchObject([{ revision: 1, description: "mine" }]);
    await engine.destroy();
    expect(await templatesNamed("lost-answer")).toEqual([]);
  });

  it("a lost answer whose lookup fails too: an init failure under the name, which the next up finishes (no template_conflict loop)", async () => {
    await admin.setFaults([
      { method: "POST", path: "/v1/templates", kind: "reset-after", count: 1 },
      { method: "GET", path: "/v1/templates/lost-lookup", kind: "status", status: 500, count: 1 },
    ]);
    const { engine } = newEngine();
    const program = template("lost", { name: "lost-lookup", imageRef: "ghcr.io/acme/agent:1.0.0", description: "mine" });
    const err = (await runProgram(engine, program).catch((e: unknown) => e)) as HostError;
    expect(err).toBeInstanceOf(HostError);
    expect(err.initFailure?.id).toBe("lost-lookup");
    const urn = engine.urn(TYPE, "lost");
    expect(engine.state.get(urn)).toMatchObject({ id: "lost-lookup", initErrors: expect.any(Array) });

    const again = await runProgram(engine, program);
    expect(again.outputs).toEqual({ pinned: "lost-lookup@1", revision: 1 });
    expect(engine.state.get(urn)?.initErrors).toBeUndefined();
    expect(await templatesNamed("lost-lookup")).toMatchObject([{ revision: 1, description: "mine" }]);
    await engine.destroy();
    expect(await templatesNamed("lost-lookup")).toEqual([]);
  });

  it("a lost answer and a failed lookup where the name was another's: the recorded init failure never takes over or deletes it", async () => {
    expect((await api("POST", "/v1/templates", { name: "theirs-lost", image_ref: "ghcr.io/acme/hand:1", description: "by hand" })).status).toBe(201);
    // Agent37 answers 409 (nothing made), but the answer is lost, and so is the lookup.
    await admin.setFaults([
      { method: "POST", path: "/v1/templates", kind: "reset-after", count: 1 },
      { method: "GET", path: "/v1/templates/theirs-lost", kind: "status", status: 500, count: 1 },
    ]);
    const { engine } = newEngine();
    const program = template("lost", { name: "theirs-lost", imageRef: "ghcr.io/acme/agent:1.0.0" });
    expect(((await runProgram(engine, program).catch((e: unknown) => e)) as HostError).initFailure?.id).toBe("theirs-lost");
    // The next up finds out: not ours.
    await expect(runProgram(engine, program)).rejects.toThrow(/adoptExisting/);
    expect(await templatesNamed("theirs-lost")).toMatchObject([{ revision: 1, description: "by hand" }]);
    // Destroy of what was recorded leaves it.
    await engine.destroy();
    expect(engine.state.size).toBe(0);
    expect(await templatesNamed("theirs-lost")).toMatchObject([{ revision: 1, description: "by hand" }]);
    expect((await api("DELETE", "/v1/templates/theirs-lost")).status).toBe(200);
  });

  it("a build whose template cannot be read back: an init failure under the name, which the next up finishes", async () => {
    const dir = folder({ Dockerfile: "FROM busybox\nRUN echo lookup\n" });
    // The first GET (is the name free?) passes; the one after the build fails.
    await admin.setFaults([{ method: "GET", path: "/v1/templates/built-lookup", kind: "status", status: 500, skip: 1, count: 1 }]);
    const { engine } = newEngine();
    const program = template("built", { name: "built-lookup", build: { context: dir }, description: "mine" });
    const err = (await runProgram(engine, program).catch((e: unknown) => e)) as HostError;
    expect(err.initFailure?.id).toBe("built-lookup");
    const urn = engine.urn(TYPE, "built");
    expect(engine.state.get(urn)).toMatchObject({ id: "built-lookup", outputs: { revision: 0 }, initErrors: expect.any(Array) });
    const again = await runProgram(engine, program);
    expect(again.outputs).toEqual({ pinned: "built-lookup@1", revision: 1 });
    expect(await templatesNamed("built-lookup")).toMatchObject([{ revision: 1, description: "mine" }]);
    await engine.destroy();
    expect(await templatesNamed("built-lookup")).toEqual([]);
  });

  it("a provider killed during POST /v1/templates: the next up takes over its own template (not a second, not a conflict)", async () => {
    // Its own emulator, whose POST takes long enough (the image copy) to kill the provider during it.
    const slow = await startRig({ ingestMs: 1_500 });
    try {
      const doomed = await startProviderHost();
      await doomed.configure(emulatorConfig(slow.emulator, slow.key));
      const first = new Engine(doomed);
      const program = template("killed", { name: "killed-post", imageRef: "ghcr.io/acme/agent:1.0.0", description: "mine" });
      const cut = runProgram(first, program).catch((e: unknown) => e);
      await until("the POST to arrive", async () => ((await slow.admin.requests()).counters["POST /v1/templates"] ?? 0) > 0);
      await doomed.close();
      expect(await cut).toBeInstanceOf(Error);
      await until("the template to exist", async () => (await templatesNamed("killed-post", slow)).length === 1);

      // The same stack, a new process: Pulumi has no record of the create.
      const engine = new Engine(slow.host);
      const up = await runProgram(engine, program);
      expect(up.outputs).toEqual({ pinned: "killed-post@1", revision: 1 });
      expect(await templatesNamed("killed-post", slow)).toMatchObject([{ revision: 1, description: "mine" }]);
      // Another stack's resource of the same name is not fooled by what ours left behind.
      const other = new Engine(slow.host, { stack: "other" });
      await expect(runProgram(other, program)).rejects.toThrow(/adoptExisting/);
      await engine.destroy();
      expect(await templatesNamed("killed-post", slow)).toEqual([]);
    } finally {
      await slow.close();
    }
  });

  it("a provider killed while its build runs: the next up builds into its own template; one template", async () => {
    const dir = folder({ Dockerfile: "FROM busybox\nRUN echo mine\n" });
    const doomed = await startProviderHost();
    await doomed.configure(emulatorConfig(rig.emulator, rig.key));
    await admin.clearRequests();
    await admin.setFaults([{ method: "GET", path: "/v1/template-builds/*", kind: "delay", delayMs: 2_000, count: 1 }]);
    const first = new Engine(doomed);
    const program = template("killed", { name: "killed-build", build: { context: dir }, description: "mine" });
    const cut = runProgram(first, program).catch((e: unknown) => e);
    await until("the build to be polled", async () => ((await admin.requests()).counters["GET /v1/template-builds/:id"] ?? 0) > 0);
    await doomed.close();
    expect(await cut).toBeInstanceOf(Error);
    await until("the template to exist", async () => (await templatesNamed("killed-build")).length === 1);

    const { engine } = newEngine();
    const up = await runProgram(engine, program);
    // The same bytes built again are the same image: no new revision.
    expect(up.outputs).toEqual({ pinned: "killed-build@1", revision: 1 });
    expect(await templatesNamed("killed-build")).toMatchObject([{ revision: 1, description: "mine" }]);
    await engine.destroy();
    expect(await templatesNamed("killed-build")).toEqual([]);
  });
});

describe("the build context upload", () => {
  it("rides out a 500 from the upload URL (the PUT is idempotent)", async () => {
    const dir = folder({ Dockerfile: "FROM busybox\n" });
    await admin.clearRequests();
    await admin.setFaults([{ method: "PUT", path: "/_uploads/*", kind: "status", status: 500, count: 1 }]);
    try {
      const { engine } = newEngine();
      expect((await runProgram(engine, template("upload", { name: "upload-500", build: { context: dir } }))).outputs).toEqual({ pinned: "upload-500@1", revision: 1 });
      expect((await admin.requests()).counters["PUT /_uploads/:id"]).toBe(2);
      await engine.destroy();

      // Bounded: an upload URL that keeps failing is tried the shared number of times, and said so.
      await admin.clearRequests();
      await admin.setFaults([{ method: "PUT", path: "/_uploads/*", kind: "status", status: 500, count: 20 }]);
      const failing = newEngine().engine;
      const err = (await runProgram(failing, template("upload", { name: "upload-500s", build: { context: dir } })).catch((e: unknown) => e)) as Error;
      expect(err.message).toMatch(/kept failing after 6 attempts/);
      expect((await admin.requests()).counters["PUT /_uploads/:id"]).toBe(6);
    } finally {
      await admin.clearFaults();
    }
  });
});
