// One build of a template's context on Agent37: scan and archive the folder, create the build,
// stream the archive to its upload URL, start it once, poll it to its end, and quote the log's
// tail when it fails. Another build in the workspace (`409 build_conflict`) is waited for.
import { Agent37ApiError, Agent37DeadlineError, Agent37TransportError } from "../core/errors";
import { Pacer } from "../core/poll";
import { waitingFor, type Observe } from "../core/progress";
import { uploadArchive, type TemplatesApi } from "./api";
import { ContextError, archiveBytes, scanContext, type ContextScan } from "./context";
import { Agent37TemplateBuildError } from "./errors";
import { MAX_CONTEXT_BYTES, type BuildObject } from "./schema";
import type { TemplateInputs } from "./types";

export interface TemplateTimings {
  /** First wait between reads of a running build (and between tries while another build runs). @default 500 (ms) */
  buildPollIntervalMs: number;
  /** Cap of that wait; it grows by half each time. @default 5000 (ms) */
  maxBuildPollIntervalMs: number;
  /**
   * How long one build may take, waiting for another build in the workspace included. Agent37
   * stops a build after 45 minutes.
   * @default 3000000 (ms, 50 minutes)
   */
  buildTimeoutMs: number;
}

export const DEFAULT_TIMINGS: TemplateTimings = { buildPollIntervalMs: 500, maxBuildPollIntervalMs: 5_000, buildTimeoutMs: 50 * 60_000 };

/** Bytes of build log quoted in a failure. */
const LOG_TAIL_BYTES = 4096;
/** Log reads per failed build, at most (a log is read in chunks from an offset). */
const MAX_LOG_READS = 1000;

/** The state of a build waiting for the workspace's other build (`409 build_conflict`). */
const ANOTHER_BUILD = "another build in the workspace is running";

/**
 * The pace of a whole build (core/poll.ts): one deadline from the first request to the build's
 * end, each wait clamped to it; each step's waits start from the first interval and grow by half
 * up to the cap.
 */
function buildPace(timings: TemplateTimings): Pacer {
  return new Pacer({ intervalMs: timings.buildPollIntervalMs, maxIntervalMs: timings.maxBuildPollIntervalMs }, { timeoutMs: timings.buildTimeoutMs, clampToDeadline: true });
}

/** Waits before a step's next try, or past the build's deadline throws the deadline error for `what`. */
async function pause(pace: Pacer, what: string, timings: TemplateTimings): Promise<void> {
  if (pace.expired) throw new Agent37DeadlineError(what, timings.buildTimeoutMs);
  await pace.sleep();
}

/** Keeps the last `max` bytes of a growing text. */
function keepTail(text: string, max: number): string {
  const buf = Buffer.from(text, "utf8");
  if (buf.length <= max) return text;
  let start = buf.length - max;
  while (start < buf.length && ((buf[start] ?? 0) & 0xc0) === 0x80) start++;
  return buf.subarray(start).toString("utf8");
}

function failureOf(build: BuildObject): { code: string; message: string } {
  const e = build.error;
  if (typeof e === "string") return { code: e, message: "" };
  return { code: e?.code ?? "build_failed", message: e?.message ?? "" };
}

export function isAmbiguous(err: unknown): boolean {
  if (err instanceof Agent37TransportError) return err.mayHaveReachedServer;
  if (err instanceof Agent37DeadlineError) return true;
  return err instanceof Agent37ApiError && err.status >= 500;
}

/** What a build produced, for the outputs. */
export interface Built {
  buildId: string;
  contextHash: string;
}

/**
 * One build of the context: create the build with the archive's exact size (known from the
 * file sizes), stream the archive to its upload URL, start it, poll it to the end. Another build running in the workspace (`409 build_conflict`) is waited for
 * within `buildTimeoutMs`. The build is started once: a conflict on start is told apart from
 * "already started" by reading the build.
 */
export async function buildTemplate(api: TemplatesApi, timings: TemplateTimings, inputs: TemplateInputs, description: string | undefined = inputs.description): Promise<Built> {
  const spec = inputs.build as NonNullable<TemplateInputs["build"]>;
  const scan = await scanContext(spec.context, spec.dockerfile);
  const bytes = archiveBytes(scan.tarBytes);
  if (bytes > MAX_CONTEXT_BYTES) {
    throw new ContextError("build.context", `the build context ${scan.root} makes a ${bytes}-byte archive, over Agent37's limit of ${MAX_CONTEXT_BYTES} bytes`);
  }
  // One wait from the first request to the build's end, its state the step it is at.
  return waitingFor(`the template build of "${inputs.name}"`, (observe) => buildScanned(api, timings, inputs, description, scan, bytes, observe));
}

async function buildScanned(api: TemplatesApi, timings: TemplateTimings, inputs: TemplateInputs, description: string | undefined, scan: ContextScan, bytes: number, observe: Observe): Promise<Built> {
  const pace = buildPace(timings);
  const what = `template build of "${inputs.name}"`;
  const created = await whileConflicting(timings, pace, what, observe, () =>
    api.createBuild({
      name: inputs.name,
      size_bytes: bytes,
      ...(description ? { description } : {}),
      ...(inputs.defaultPort !== undefined ? { default_port: inputs.defaultPort } : {}),
    }),
  );
  observe(`uploading the context (${bytes} bytes)`);
  const contextHash = await uploadArchive(created.upload_url, scan, bytes);
  observe("starting the build");
  await start(timings, api, created.id, pace, what, observe);
  const done = await pollBuild(timings, api, created.id, pace, what, observe);
  if (done.status !== "succeeded") {
    const { code, message } = failureOf(done);
    throw new Agent37TemplateBuildError({ buildId: done.id, template: inputs.name, code, apiMessage: message, logTail: await logTail(api, done.id) });
  }
  return { buildId: created.id, contextHash };
}

/** Runs `call`, waiting and trying again while another build holds the workspace. */
async function whileConflicting<T>(timings: TemplateTimings, pace: Pacer, what: string, observe: Observe, call: () => Promise<T>): Promise<T> {
  pace.steady();
  for (;;) {
    try {
      return await call();
    } catch (err) {
      if (!(err instanceof Agent37ApiError && err.code === "build_conflict")) throw err;
      observe(ANOTHER_BUILD);
      await pause(pace, `${what} (waiting for another build in the workspace to finish)`, timings);
    }
  }
}

async function start(timings: TemplateTimings, api: TemplatesApi, id: string, pace: Pacer, what: string, observe: Observe): Promise<void> {
  pace.steady();
  for (;;) {
    try {
      await api.startBuild(id);
      return;
    } catch (err) {
      const conflict = err instanceof Agent37ApiError && err.code === "build_conflict";
      if (!conflict && !isAmbiguous(err) && !(err instanceof Agent37TransportError)) throw err;
      // Did our start go through (a lost answer, or a retried start)? Then it is running.
      const build = await api.getBuild(id);
      if (build.status !== "created") return;
      if (conflict) observe(ANOTHER_BUILD);
      await pause(pace, `${what} (waiting for another build in the workspace to finish)`, timings);
    }
  }
}

async function pollBuild(timings: TemplateTimings, api: TemplatesApi, id: string, pace: Pacer, what: string, observe: Observe): Promise<BuildObject> {
  pace.steady();
  for (;;) {
    const build = await api.getBuild(id);
    if (build.status === "succeeded" || build.status === "failed") return build;
    observe(`build ${id} ${build.status}`);
    await pause(pace, `${what} (build ${id} is ${build.status})`, timings);
  }
}

/** The last bytes of a build's log, read in chunks from offset 0 (memory stays bounded). */
async function logTail(api: TemplatesApi, id: string): Promise<string> {
  let tail = "";
  let offset = 0;
  try {
    for (let i = 0; i < MAX_LOG_READS; i++) {
      const chunk = await api.buildLogs(id, offset);
      const data = chunk.data ?? "";
      if (data === "") break;
      tail = keepTail(tail + data, LOG_TAIL_BYTES);
      const next = typeof chunk.offset === "number" && chunk.offset > offset ? chunk.offset : offset + Buffer.byteLength(data);
      offset = next;
    }
  } catch (err) {
    // The failure itself is what matters; a log that cannot be read is said, not thrown.
    return `${tail}\n(the rest of the log could not be read: ${(err as Error).message})`;
  }
  return tail;
}
