// Agent37Template's two figures (ours only: the baseline has no template resource).
//
// contextHashRatio: `check` hashes a build context on every preview. The time it takes for a
// 10,000-file context (scan with .dockerignore, size check, content hash: `inspectContext`, in
// this process) divided by the time of `tar -cf - . | sha256sum` on the same folder, measured
// alternately in the same run (median of five each, after a warm-up of both), so the page cache
// and the machine's load are the same for both.
//
// uploadRssGrowthMb: a template built from a 90 MB context (incompressible) through the provider
// host, `Check` then `Create` (hash, archive and upload, build): the host's peak resident memory
// while it runs, sampled every 10 ms from /proc, minus its resident memory just before `Check`.
// The host first does the same for a one-file context, so the figure is what the size costs,
// not the loading of code.
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { startEmulator } from "../../emulator";
import { Agent37Template } from "../../provider";
import { inspectContext } from "../../provider/template/context";
import { captureRegistrations, startProviderHost } from "../../test/harness";
import { now } from "../lib/admin";
import { rssMb } from "../lib/rss";
import { median, round } from "../lib/stats";
import { PROJECT, STACK } from "../lib/subjects";
import type { Measure } from "./types";

export const TEMPLATE_BENCH = {
  contextFiles: 10_000,
  /** Files per folder (100 folders). */
  filesPerFolder: 100,
  /** File sizes cycle through these (bytes): source-tree-like, 4.2 KB on average. */
  fileSizes: [200, 1_200, 3_500, 8_000, 8_100],
  repetitions: 5,
  uploadContextBytes: 90_000_000,
  uploadFiles: 9,
  rssSampleMs: 10,
  emulator: { provisionMs: 50, bootMs: 100, lifecycleMs: 50, deleteMs: 20, buildMs: 200, ingestMs: 50 },
};

function notOurs(side: Parameters<Measure>[1], figure: "contextHashRatio" | "uploadRssGrowthMb"): void {
  side.notes[figure] = "ours only: the baseline has no template resource";
}

/** Writes the 10,000-file context (deterministic content, so every run hashes the same bytes). */
function makeSourceTree(root: string): number {
  let bytes = 0;
  const seed = randomBytes(16_384);
  for (let i = 0; i < TEMPLATE_BENCH.contextFiles; i++) {
    const dir = path.join(root, `pkg-${Math.floor(i / TEMPLATE_BENCH.filesPerFolder)}`);
    if (i % TEMPLATE_BENCH.filesPerFolder === 0) fs.mkdirSync(dir, { recursive: true });
    const size = TEMPLATE_BENCH.fileSizes[i % TEMPLATE_BENCH.fileSizes.length] as number;
    const start = (i * 131) % (seed.length - size);
    fs.writeFileSync(path.join(dir, `file-${i}.js`), seed.subarray(start, start + size));
    bytes += size;
  }
  fs.writeFileSync(path.join(root, "Dockerfile"), "FROM node:22-slim\nCOPY . /srv\n");
  return bytes;
}

/** Wall time of `tar -cf - . | sha256sum` in `dir`. */
function timeTar(dir: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = now();
    const child = spawn("bash", ["-c", "set -o pipefail; tar -cf - . | sha256sum"], { cwd: dir, stdio: ["ignore", "pipe", "pipe"] });
    let err = "";
    child.stdout.resume();
    child.stderr.on("data", (d: Buffer) => (err += d.toString()));
    child.on("error", reject);
    child.on("close", (code) => (code === 0 ? resolve(now() - started) : reject(new Error(`tar | sha256sum exited ${code}: ${err}`))));
  });
}

async function timeOurs(dir: string): Promise<number> {
  const started = now();
  await inspectContext(dir);
  return now() - started;
}

export const measureContextHash: Measure = async (subject, side, log) => {
  if (subject.side !== "ours") return notOurs(side, "contextHashRatio");
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "agent37-bench-ctx-"));
  try {
    const bytes = makeSourceTree(dir);
    await timeOurs(dir);
    await timeTar(dir);
    const ours: number[] = [];
    const tar: number[] = [];
    for (let i = 0; i < TEMPLATE_BENCH.repetitions; i++) {
      // Alternating order, so neither always runs on a cache the other just warmed.
      if (i % 2 === 0) {
        ours.push(await timeOurs(dir));
        tar.push(await timeTar(dir));
      } else {
        tar.push(await timeTar(dir));
        ours.push(await timeOurs(dir));
      }
    }
    const ratio = median(ours) / median(tar);
    side.figures.contextHashRatio = round(ratio, 2);
    side.details.contextHash = { files: TEMPLATE_BENCH.contextFiles + 1, bytes, oursMs: ours.map((v) => round(v, 1)), tarSha256sumMs: tar.map((v) => round(v, 1)), oursMedianMs: round(median(ours), 1), tarMedianMs: round(median(tar), 1) };
    log(`contextHash: ours ${round(median(ours), 0)} ms, tar | sha256sum ${round(median(tar), 0)} ms (ratio ${round(ratio, 2)})`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
};

export const measureUploadRss: Measure = async (subject, side, log) => {
  if (subject.side !== "ours") return notOurs(side, "uploadRssGrowthMb");
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "agent37-bench-upload-"));
  const emulator = await startEmulator({ ...TEMPLATE_BENCH.emulator, port: 0, quiet: true });
  const host = await startProviderHost({});
  try {
    fs.writeFileSync(path.join(dir, "Dockerfile"), "FROM python:3.12-slim\nCOPY . /models\n");
    const per = TEMPLATE_BENCH.uploadContextBytes / TEMPLATE_BENCH.uploadFiles;
    for (let i = 0; i < TEMPLATE_BENCH.uploadFiles; i++) fs.writeFileSync(path.join(dir, `weights-${i}.bin`), randomBytes(per));
    await host.configure({ "agent37:apiKey": emulator.keys[0] ?? "", "agent37:apiUrl": emulator.url, "agent37:instanceUrlTemplate": `http://{host}.localhost:${emulator.port}` });
    const templateInputs = async (name: string, context: string): Promise<Record<string, unknown>> => {
      const registrations = await captureRegistrations(
        () => {
          new Agent37Template(name, { name, build: { context } });
        },
        { project: PROJECT, stack: STACK },
      );
      const inputs = registrations.find((r) => r.type.endsWith(":Template"))?.inputs;
      if (inputs === undefined) throw new Error("Agent37Template registered no dynamic resource");
      return inputs;
    };
    const urnOf = (name: string): string => `urn:pulumi:${STACK}::${PROJECT}::pulumi-nodejs:dynamic/agent37:Template::${name}`;
    // Warm-up: the same Check and Create for a one-file context, so every code path is loaded
    // and compiled before the measured one (what grows then is what the 90 MB costs).
    const small = path.join(dir, "..", `${path.basename(dir)}-small`);
    fs.mkdirSync(small);
    fs.writeFileSync(path.join(small, "Dockerfile"), "FROM busybox\n");
    const warm = await host.check(urnOf("bench-warm"), {}, await templateInputs("bench-warm", small));
    await host.create(urnOf("bench-warm"), warm.inputs, { timeoutMs: 120_000 });
    fs.rmSync(small, { recursive: true, force: true });
    const news = await templateInputs("bench-upload", dir);
    const urn = urnOf("bench-upload");
    const before = rssMb(host.pid);
    if (before === null) throw new Error("cannot read the provider host's memory (/proc)");
    let peak = before;
    const timer = setInterval(() => {
      const v = rssMb(host.pid);
      if (v !== null && v > peak) peak = v;
    }, TEMPLATE_BENCH.rssSampleMs);
    const started = now();
    let archiveBytes: number;
    let peakAfterCheck = before;
    try {
      const checked = await host.check(urn, {}, news, { timeoutMs: 300_000 });
      if (checked.failures.length > 0) throw new Error(`check failed: ${JSON.stringify(checked.failures)}`);
      peakAfterCheck = peak;
      await host.create(urn, checked.inputs, { timeoutMs: 600_000 });
      const builds = await fetch(`${emulator.url}/v1/templates/bench-upload`, { headers: { authorization: `Bearer ${emulator.keys[0] ?? ""}` } });
      if (builds.status !== 200) throw new Error(`the template was not created: ${builds.status}`);
      await builds.text();
      archiveBytes = fs.statSync(path.join(dir, "weights-0.bin")).size * TEMPLATE_BENCH.uploadFiles;
    } finally {
      clearInterval(timer);
    }
    const growth = peak - before;
    side.figures.uploadRssGrowthMb = round(growth, 1);
    side.details.upload = { contextBytes: archiveBytes, rssBeforeMb: round(before, 1), rssPeakMb: round(peak, 1), rssPeakDuringCheckMb: round(peakAfterCheck, 1), checkAndCreateMs: round(now() - started, 0), sampleMs: TEMPLATE_BENCH.rssSampleMs };
    log(`upload: host RSS ${round(before, 0)} MB before, peak ${round(peakAfterCheck, 0)} MB in check, ${round(peak, 0)} MB (+${round(growth, 1)} MB) for a ${Math.round(archiveBytes / 1e6)} MB context`);
  } finally {
    await host.close();
    await emulator.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
};
