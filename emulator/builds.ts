import { currentVersion } from "./catalog";
import { epochSeconds } from "./clock";
import type { BuildRecord } from "./model";
import type { Runtime } from "./runtime";
import type { Workspace } from "./state";
import { addRevision, newWorkspaceTemplate, portsFromDefault, portsFromGenB, type PortSettings } from "./templates";

/**
 * Template builds: `created` until started, then `building` for `buildMs`, `ingesting` for
 * `ingestMs`, then `succeeded` (a template revision whose digest is the uploaded archive's
 * sha256) or `failed`. Like the gateway's boot and auto-sleep, the status is computed from the
 * start timestamp whenever someone looks; `settleBuilds` applies a finished build's effect (the
 * revision, or the failure) once, before any request is handled, so no timer stands in for state.
 */

export type BuildStatus = "created" | "building" | "ingesting" | "succeeded" | "failed";

/** The failure a started build ends in, decided by what its upload contained; null: it succeeds. */
export function buildFailure(build: BuildRecord): { code: string; message: string } | null {
  const up = build.upload;
  if (!up) return { code: "invalid_request", message: "No build context was uploaded." };
  if (up.problem !== null) return { code: "invalid_request", message: `Invalid build context: ${up.problem}.` };
  if (!up.dockerfile) return { code: "build_failed", message: "failed to read dockerfile: open Dockerfile: no such file or directory (the context needs a Dockerfile at its root)" };
  if (!up.instructions.some((i) => /^FROM\s/i.test(i))) return { code: "build_failed", message: "failed to solve: the Dockerfile has no FROM instruction (no build stage in current context)" };
  return null;
}

/** Epoch ms when `building` ends (and a failing build fails). */
function buildEnd(rt: Runtime, build: BuildRecord): number {
  return (build.startedAt ?? 0) + rt.opts.buildMs;
}

/**
 * How the build ends: its recorded outcome once applied (a finished build may no longer hold the
 * Dockerfile its failure was decided from, see `pruneBuilds`), else what its upload decides.
 */
function endingFailure(build: BuildRecord): { code: string; message: string } | null {
  if (build.outcome) return build.outcome.status === "failed" ? build.outcome : null;
  return buildFailure(build);
}

/** Epoch ms when the build reaches its terminal status. */
export function finishAt(rt: Runtime, build: BuildRecord): number | null {
  if (build.startedAt === null) return null;
  return buildEnd(rt, build) + (endingFailure(build) === null ? rt.opts.ingestMs : 0);
}

export function buildStatus(rt: Runtime, build: BuildRecord, t: number): BuildStatus {
  if (build.outcome) return build.outcome.status;
  if (build.startedAt === null) return "created";
  if (t < buildEnd(rt, build)) return "building";
  if (endingFailure(build) !== null) return "failed";
  return t < buildEnd(rt, build) + rt.opts.ingestMs ? "ingesting" : "succeeded";
}

/** A build of this workspace that is `building` or `ingesting` at `t` (one at a time per workspace). */
export function runningBuild(rt: Runtime, ws: Workspace, t: number): BuildRecord | undefined {
  for (const b of rt.store.builds.values()) {
    if (b.workspace !== ws.id) continue;
    const s = buildStatus(rt, b, t);
    if (s === "building" || s === "ingesting") return b;
  }
  return undefined;
}

/** What a successful build sets on its template besides the revision (only what was given). */
function portsOf(build: BuildRecord): PortSettings | undefined {
  if (build.genBPorts !== undefined) return portsFromGenB(build.genBPorts);
  if (build.defaultPort !== undefined) return portsFromDefault(build.defaultPort);
  return undefined;
}

/**
 * Applies the end of every build finished by `t`, in the order they finished: the failure, or
 * the revision. A build of a name the workspace already has adds a revision to it (when the
 * digest differs from the current one); otherwise it creates the template at revision 1.
 */
export function settleBuilds(rt: Runtime, t: number): void {
  const due = [...rt.store.builds.values()]
    .filter((b) => b.outcome === null && b.startedAt !== null && t >= (finishAt(rt, b) ?? Infinity))
    .sort((a, b) => (finishAt(rt, a) ?? 0) - (finishAt(rt, b) ?? 0));
  for (const build of due) {
    const ws = rt.store.workspaceById(build.workspace);
    // The workspace's key was not passed to this run: its builds wait, like its instances.
    if (!ws) continue;
    const failure = buildFailure(build);
    if (failure) {
      build.outcome = { status: "failed", ...failure };
      rt.store.changed();
      continue;
    }
    const created = epochSeconds(finishAt(rt, build) ?? t);
    const digest = build.upload?.sha256 ?? "";
    const map = rt.store.workspaceTemplates(ws);
    const ports = portsOf(build);
    let tpl = map.get(build.name);
    if (!tpl) {
      tpl = newWorkspaceTemplate(build.name, build.description ?? "", ports ?? portsFromDefault(null), { imageRef: null, imageDigest: digest }, created);
      map.set(tpl.name, tpl);
    } else {
      addRevision(tpl, { imageRef: null, imageDigest: digest }, created);
      if (build.description !== undefined) tpl.description = build.description;
      if (ports) Object.assign(tpl, ports);
      tpl.updated = created;
    }
    build.outcome = { status: "succeeded", revision: Number(currentVersion(tpl).version) };
    rt.store.changed();
  }
  if (pruneBuilds(rt)) rt.store.changed();
}

/**
 * How many builds a workspace keeps. Agent37 documents `GET /v1/template-builds/{id}` and its
 * logs but no retention and no listing; these bounds are the emulator's own (assumption 34 in
 * docs/emulator.md), so that memory and the state file stay small however many builds a
 * workspace runs:
 * - `finished`: the newest succeeded or failed builds (by the time they finished) stay
 *   retrievable; older ones are forgotten (`404`, like an unknown id);
 * - `finishedWithDockerfile`: of those, the newest keep their Dockerfile's instructions, which
 *   their log lists; older ones keep only the instruction count (their log says so);
 * - `unstarted`: builds never started; beyond this many the oldest are forgotten (an expired
 *   one stays until then, so its URL keeps answering "expired").
 * Running builds are always kept.
 */
export const BUILD_RETENTION = { finished: 50, finishedWithDockerfile: 10, unstarted: 20 } as const;

/** Applies `BUILD_RETENTION` to every workspace's builds; whether anything changed. */
export function pruneBuilds(rt: Runtime): boolean {
  const byWorkspace = new Map<string, { build: BuildRecord; order: number }[]>();
  let order = 0;
  for (const build of rt.store.builds.values()) {
    const list = byWorkspace.get(build.workspace) ?? [];
    list.push({ build, order: order++ });
    byWorkspace.set(build.workspace, list);
  }
  let changed = false;
  const forget = (build: BuildRecord): void => {
    rt.store.builds.delete(build.id);
    changed = true;
  };
  for (const list of byWorkspace.values()) {
    // Newest first: the later finish, then the later created.
    const finished = list.filter((e) => e.build.outcome !== null).sort((a, b) => (finishAt(rt, b.build) ?? 0) - (finishAt(rt, a.build) ?? 0) || b.order - a.order);
    finished.forEach(({ build }, i) => {
      if (i >= BUILD_RETENTION.finished) forget(build);
      else if (i >= BUILD_RETENTION.finishedWithDockerfile && build.upload && build.upload.instructions.length > 0) {
        build.upload = { ...build.upload, instructions: [], droppedInstructions: build.upload.instructions.length + (build.upload.droppedInstructions ?? 0) };
        changed = true;
      }
    });
    // Oldest first (the order builds were created in).
    const unstarted = list.filter((e) => e.build.startedAt === null).map((e) => e.build);
    for (const build of unstarted.slice(0, Math.max(0, unstarted.length - BUILD_RETENTION.unstarted))) forget(build);
  }
  return changed;
}

/** The build's log as of `t`: lines appear as the build reaches them. */
export function buildLog(rt: Runtime, build: BuildRecord, t: number): string {
  if (build.startedAt === null || !build.upload) return "";
  const start = build.startedAt;
  const end = buildEnd(rt, build);
  const up = build.upload;
  const lines: { at: number; text: string }[] = [
    { at: start, text: `#0 building ${build.name} from a ${up.bytes}-byte context (${up.sha256})` },
    { at: start, text: `#0 context: ${up.entries} entries` },
  ];
  const failure = endingFailure(build);
  const stepCount = up.instructions.length + (up.droppedInstructions ?? 0);
  if (up.droppedInstructions !== undefined) {
    const n = up.droppedInstructions;
    lines.push({ at: start, text: `#1-#${n} the Dockerfile's ${n} instructions are no longer kept (only the newest ${BUILD_RETENTION.finishedWithDockerfile} finished builds of a workspace keep them)` });
  } else if (up.problem === null && up.dockerfile) {
    const steps = up.instructions;
    steps.forEach((step, i) => {
      const at = start + ((i + 1) / (steps.length + 1)) * rt.opts.buildMs;
      lines.push({ at, text: `#${i + 1} [${i + 1}/${steps.length}] ${step}` }, { at, text: `#${i + 1} DONE` });
    });
  }
  if (failure) {
    lines.push({ at: end, text: `ERROR: ${failure.message}` });
  } else {
    lines.push({ at: end, text: `#${stepCount + 1} exporting image ${up.sha256}` });
    lines.push({ at: end, text: `ingesting the image into private storage` });
    if (build.outcome?.status === "succeeded") lines.push({ at: end + rt.opts.ingestMs, text: `succeeded: ${build.name} revision ${build.outcome.revision} (${up.sha256})` });
  }
  return lines
    .filter((l) => l.at <= t)
    .map((l) => `${l.text}\n`)
    .join("");
}
