import { createHash, randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { request } from "undici";
import { startEmulator } from "../../emulator";
import { workspaceId } from "../../emulator/ids";
import { FAST, TestClient, type Json } from "./helpers";
import { tarGz } from "./tar";

/**
 * Template builds are bounded: a workspace keeps its newest finished builds (the newest of them
 * with their Dockerfile), a bounded number of unstarted ones, and the state file stays small
 * however many builds ran. State files written by 0.1.0 (every build, every Dockerfile) load.
 */

const KEY = "sk_live_buildRetention0000000001";
const FINISHED_KEPT = 50;
const WITH_DOCKERFILE = 10;
const UNSTARTED_KEPT = 20;

let dir: string;
let statePath: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "agent37-build-retention-"));
  statePath = path.join(dir, "state.json");
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const open = async (): Promise<TestClient> => new TestClient(await startEmulator({ ...FAST, keys: [KEY], statePath, buildMs: 0, ingestMs: 0 }));

/** A Dockerfile of about 40 KB: 160 RUN instructions of 250 characters. */
function bigDockerfile(tag: string): string {
  const lines = ["FROM node:22-slim"];
  for (let i = 0; i < 160; i++) lines.push(`RUN echo ${tag}-${i}-${"x".repeat(230)}`);
  return `${lines.join("\n")}\n`;
}

async function runBuild(c: TestClient, name: string, archive: Buffer): Promise<string> {
  const b = (await c.api("POST", "/v1/template-builds", { name, size_bytes: archive.length })).body;
  const up = await request(b.upload_url, { method: "PUT", body: archive, dispatcher: c.agent });
  await up.body.text();
  expect(up.statusCode).toBe(200);
  expect((await c.api("POST", `/v1/template-builds/${b.id}/start`)).status).toBe(200);
  await c.until(
    () => c.api("GET", `/v1/template-builds/${b.id}`),
    (r) => r.body.status === "succeeded",
  );
  return b.id;
}

const fileSnapshot = (): Json => JSON.parse(fs.readFileSync(statePath, "utf8"));

describe("template build retention", () => {
  it("keeps the newest finished builds, the newest of them with their Dockerfile, and a small state file", async () => {
    const c = await open();
    const ids: string[] = [];
    try {
      for (let i = 0; i < 70; i++) ids.push(await runBuild(c, "retained", tarGz([{ name: "Dockerfile", body: bigDockerfile(`b${i}`) }])));
      const oldest = await c.api("GET", `/v1/template-builds/${ids[0]}`);
      expect(oldest.status).toBe(404);
      const lastForgotten = ids[ids.length - FINISHED_KEPT - 1] ?? "";
      expect((await c.api("GET", `/v1/template-builds/${lastForgotten}`)).status).toBe(404);
      // The oldest one still kept: retrievable, its log without the Dockerfile's steps.
      const oldestKept = await c.api("GET", `/v1/template-builds/${ids[ids.length - FINISHED_KEPT]}/logs`);
      expect(oldestKept.status).toBe(200);
      expect(oldestKept.body.status).toBe("succeeded");
      expect(oldestKept.body.data).toMatch(/the Dockerfile's 161 instructions are no longer kept/);
      expect(oldestKept.body.data).toMatch(/#162 exporting image/);
      expect(oldestKept.body.data).not.toMatch(/\[1\/161\]/);
      // The newest keep their steps.
      const newest = await c.api("GET", `/v1/template-builds/${ids[ids.length - 1]}/logs`);
      expect(newest.body.data).toMatch(/#1 \[1\/161\] FROM node:22-slim/);
      const tenth = await c.api("GET", `/v1/template-builds/${ids[ids.length - WITH_DOCKERFILE]}/logs`);
      expect(tenth.body.data).toMatch(/\[161\/161\] RUN echo b60-159-/);
      const eleventh = await c.api("GET", `/v1/template-builds/${ids[ids.length - WITH_DOCKERFILE - 1]}/logs`);
      expect(eleventh.body.data).toMatch(/no longer kept/);
    } finally {
      await c.close();
    }
    const snap = fileSnapshot();
    expect(snap.builds).toHaveLength(FINISHED_KEPT);
    expect(snap.builds.filter((b: Json) => b.upload.instructions.length > 0)).toHaveLength(WITH_DOCKERFILE);
    // 70 builds with every Dockerfile kept would be about 2.8 MB.
    expect(fs.statSync(statePath).size).toBeLessThan(700_000);
  });

  it("keeps a bounded number of builds that were never started, forgetting the oldest", async () => {
    const c = await open();
    try {
      const ids: string[] = [];
      for (let i = 0; i < UNSTARTED_KEPT + 5; i++) ids.push((await c.api("POST", "/v1/template-builds", { name: "pending", size_bytes: 10 })).body.id);
      const found = await Promise.all(ids.map(async (id) => (await c.api("GET", `/v1/template-builds/${id}`)).status));
      expect(found).toEqual([...Array<number>(5).fill(404), ...Array<number>(UNSTARTED_KEPT).fill(200)]);
    } finally {
      await c.close();
    }
    expect(fileSnapshot().builds).toHaveLength(UNSTARTED_KEPT);
  });

  it("loads a state file written by 0.1.0 with every build and every Dockerfile kept, and trims it", async () => {
    // 0.1.0's build record: no retention, instructions on every build.
    const ws = workspaceId(KEY);
    const t0 = Date.now() - 3_600_000;
    const builds = Array.from({ length: 80 }, (_, i) => {
      const sha = `sha256:${createHash("sha256").update(`ctx-${i}`).digest("hex")}`;
      const started = t0 + i * 1000;
      return {
        id: `tb_${randomBytes(10).toString("hex")}`,
        workspace: ws,
        name: "old-built",
        sizeBytes: 100,
        created: Math.floor(started / 1000),
        expiresAt: Math.floor(started / 1000) + 3600,
        uploadToken: randomBytes(24).toString("hex"),
        upload: { bytes: 100, sha256: sha, problem: null, entries: 1, dockerfile: true, instructions: ["FROM node:22-slim", `RUN echo ${i}`] },
        startedAt: started,
        outcome: i % 2 === 0 ? { status: "succeeded", revision: 1 } : { status: "failed", code: "build_failed", message: "step failed" },
      };
    });
    fs.writeFileSync(statePath, JSON.stringify({ version: 1, seq: 0, instances: [], templates: {}, builds }), { mode: 0o600 });
    const c = await open();
    try {
      const newest = builds[79];
      const got = await c.api("GET", `/v1/template-builds/${newest?.id}/logs`);
      expect(got.status).toBe(200);
      expect(got.body.status).toBe("failed");
      expect(got.body.error).toEqual({ code: "build_failed", message: "step failed" });
      expect(got.body.data).toMatch(/\[2\/2\] RUN echo 79/);
      // A kept build whose Dockerfile went keeps its recorded outcome and timings.
      const older = builds[40];
      const trimmed = await c.api("GET", `/v1/template-builds/${older?.id}`);
      expect(trimmed.body).toMatchObject({ status: "succeeded", started: Math.floor((older?.startedAt ?? 0) / 1000) });
      expect((await c.api("GET", `/v1/template-builds/${builds[0]?.id}`)).status).toBe(404);
    } finally {
      await c.close();
    }
    const snap = fileSnapshot();
    expect(snap.builds).toHaveLength(FINISHED_KEPT);
    expect(snap.builds.map((b: Json) => b.id)).toEqual(builds.slice(-FINISHED_KEPT).map((b) => b.id));
  });
});
