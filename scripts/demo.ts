/**
 * `npm run demo`: the product's main job, offline. Starts the Agent37 emulator, then runs the
 * `basic` example (the root Pulumi project) through Pulumi's own dynamic provider host exactly
 * as the engine would: preview, up (waiting for health), a real request to the instance URL,
 * an update, a refresh that sees an out-of-band edit, and destroy. Exits 0 on success.
 */
import * as path from "node:path";
import { startEmulator, type RunningEmulator } from "../emulator";
import {
  EmulatorAdmin,
  emulatorConfig,
  Engine,
  getFromInstance,
  projectName,
  REPO_ROOT,
  runProgram,
  startProviderHost,
  type EngineEvent,
  type ProviderHost,
  type Step,
} from "../test/harness";

const DEADLINE_MS = 110_000;

export interface DemoOptions {
  /** Where lines go. @default console.log */
  print?: (line: string) => void;
  /** API generation the emulator serves. @default "2026-08" */
  api?: "2026-08" | "2026-06";
  /** Emulator fault plan set before the lifecycle starts (see docs/emulator.md). */
  faults?: unknown[];
  /** Reports the provider host's pid once started (lets a caller check it is gone afterwards). */
  onHost?: (pid: number) => void;
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)}s`;
}

/** Replaces every occurrence of each secret. */
function mask(text: string, secrets: readonly string[]): string {
  return secrets.reduce((t, s) => (s === "" ? t : t.split(s).join("***")), text);
}

function fail(message: string): never {
  throw new Error(message);
}

const SYMBOL: Record<string, string> = { create: "+ create", update: "~ update", replace: "+- replace", same: "= same", delete: "- delete" };

function planLine(step: Step): string {
  const name = step.urn.split("::").pop();
  const extra = step.replaces?.length ? ` (replaces: ${step.replaces.join(", ")})` : "";
  return `${SYMBOL[step.op] ?? step.op} agent37:Instance ${name}${extra}`;
}

/**
 * Runs the demo; resolves when the whole lifecycle succeeded, rejects (with the key masked) on
 * the first failure. Closes the provider host and the emulator either way.
 */
export async function runDemo(options: DemoOptions = {}): Promise<void> {
  const started = performance.now();
  const secrets: string[] = [];
  const print = options.print ?? ((line: string) => console.log(line));
  /** Every line goes through here, so the API key can never be printed. */
  const say = (phase: string, message: string): void => print(mask(`[${phase}] ${message}`, secrets));
  /** The lifecycle phase the progress lines belong to. */
  const current = { phase: "setup" };
  let emulator: RunningEmulator | undefined;
  let host: ProviderHost | undefined;
  try {
    // Short but visible timings, so the health wait shows up in the progress lines.
    emulator = await startEmulator({ port: 0, api: options.api ?? "2026-08", provisionMs: 800, bootMs: 1500, lifecycleMs: 300, deleteMs: 200, quiet: true });
    secrets.push(...emulator.keys);
    const admin = new EmulatorAdmin(emulator.url);
    say("setup", `emulator listening at ${emulator.url} (API ${emulator.api})`);
    if (options.faults) await admin.setFaults(options.faults);

    // The engine starts the provider host in the project directory: the repository root, whose
    // Pulumi.yaml runs examples/basic.
    host = await startProviderHost({ cwd: REPO_ROOT });
    options.onHost?.(host.pid);
    await host.configure(emulatorConfig(emulator));
    say("setup", `Pulumi dynamic provider host (pid ${host.pid}) serving gRPC on ${host.address}, configured for the emulator`);

    const project = projectName(REPO_ROOT);
    const program = path.join(REPO_ROOT, "examples", "basic");
    const engine: Engine = new Engine(host, { project, stack: "demo", onEvent: progress(admin, () => engine, say, current) });

    // preview
    await admin.clearRequests();
    const preview = await runProgram(engine, program, { preview: true });
    for (const step of preview.steps) say("preview", planLine(step));
    const previewRequests = await admin.apiRequestCount();
    if (previewRequests !== 0) fail(`preview sent ${previewRequests} hosting-API requests`);
    say("preview", "no request reached the hosting API (Check only)");

    // up
    current.phase = "up";
    const up = await runProgram(engine, program);
    const outputs = up.outputs;
    if (outputs.status !== "running") fail(`status after up is ${String(outputs.status)}`);
    say("up", `done: ${up.steps.map((s) => s.op).join(", ")}`);
    say("outputs", `instanceId   = ${String(outputs.instanceId)}`);
    say("outputs", `url          = ${String(outputs.url)}`);
    say("outputs", `dashboardUrl = ${String(outputs.dashboardUrl)}`);
    say("outputs", `portUrls     = ${JSON.stringify(outputs.portUrls)}`);
    say("outputs", `status       = ${String(outputs.status)}`);

    // A consumer of the `url` output calls the instance's gateway.
    const health = await getFromInstance(String(outputs.url), "/v1/health", emulator.keys[0] as string);
    const body = health.body as { ok?: boolean; healthy?: boolean; agent?: string };
    if (health.status !== 200 || body.ok !== true || body.healthy === false) fail(`GET ${String(outputs.url)}/v1/health answered ${health.status} ${JSON.stringify(body)}`);
    say("health", `GET ${String(outputs.url)}/v1/health -> ${health.status} ${JSON.stringify(body)}`);

    // update: a new name is an in-place change (same instance, same URLs)
    const updatePreview = await runProgram(engine, program, { preview: true, config: { [`${project}:name`]: "support-bot-v2" } });
    for (const step of updatePreview.steps) say("preview", planLine(step));
    current.phase = "update";
    const updated = await runProgram(engine, program, { config: { [`${project}:name`]: "support-bot-v2" } });
    if (updated.outputs.instanceId !== outputs.instanceId) fail("the update replaced the instance");
    const named = (await admin.instance(String(outputs.instanceId)))?.name;
    if (named !== "support-bot-v2") fail(`the instance is named ${String(named)} after the update`);
    say("update", `done: ${updated.steps.map((s) => s.op).join(", ")}; Agent37 now names ${String(outputs.instanceId)} "${named}"`);

    // refresh: someone renames the instance outside Pulumi; refresh reads the drift back
    await fetch(`${emulator.url}/v1/instances/${String(outputs.instanceId)}`, {
      method: "PATCH",
      headers: { authorization: `Bearer ${emulator.keys[0] as string}`, "content-type": "application/json" },
      body: JSON.stringify({ name: "renamed-by-hand" }),
    }).then((r) => (r.ok ? undefined : fail(`out-of-band PATCH answered ${r.status}`)));
    say("refresh", `renamed ${String(outputs.instanceId)} to "renamed-by-hand" outside Pulumi`);
    current.phase = "refresh";
    await engine.refresh();
    const refreshed = [...engine.state.values()][0];
    if (refreshed?.outputs.name !== "renamed-by-hand") fail(`refresh read name ${String(refreshed?.outputs.name)}`);
    say("refresh", `state now has name "${String(refreshed.outputs.name)}" (drift detected)`);
    const drift = await runProgram(engine, program, { preview: true, config: { [`${project}:name`]: "support-bot-v2" } });
    for (const step of drift.steps) say("preview", `${planLine(step)} (back to the declared name)`);

    // destroy
    current.phase = "destroy";
    await engine.destroy();
    const status = (await admin.instance(String(outputs.instanceId)))?.status;
    const live = await admin.live();
    if (status !== "deleted" || live.length !== 0) fail(`after destroy: status ${String(status)}, ${live.length} live instances`);
    say("destroy", `deleted ${String(outputs.instanceId)}; the emulator holds no live instance`);
    say("demo", `OK in ${seconds(performance.now() - started)}`);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new Error(mask(message, secrets));
  } finally {
    await host?.close();
    await emulator?.close();
  }
}

/** Progress lines while a step runs: what the emulator says about the instance, every 0.5 s. */
function progress(
  admin: EmulatorAdmin,
  engine: () => Engine | undefined,
  say: (phase: string, message: string) => void,
  current: { phase: string },
): (event: EngineEvent) => void {
  const tickers = new Map<string, NodeJS.Timeout>();
  return (event) => {
    if (event.preview) return;
    const name = event.urn.split("::").pop() ?? event.urn;
    const since = performance.now();
    if (event.kind === "start") {
      say(current.phase, `${event.op} ${name} ...`);
      if (event.op !== "create" && event.op !== "update") return;
      const stateId = engine()?.state.get(event.urn)?.id;
      const inState = new Set([...(engine()?.state.values() ?? [])].map((r) => r.id));
      tickers.set(
        event.urn,
        setInterval(() => {
          void admin.instances().then((all) => {
            // The step may have ended while this lookup was in flight: print nothing stale.
            if (!tickers.has(event.urn)) return;
            // An update works on the instance in state; a create on the one Pulumi does not know yet.
            const mine = stateId !== undefined ? all.find((i) => i.id === stateId) : all.filter((i) => !inState.has(i.id) && i.status !== "deleted").pop();
            const state = mine === undefined ? "requested" : mine.healthyAt === null ? `${mine.status}, waiting for health` : `${mine.status} and healthy`;
            say(current.phase, `${name}: ${state} ... (${seconds(performance.now() - since)})`);
          });
        }, 500),
      );
    } else {
      const ticker = tickers.get(event.urn);
      if (ticker) clearInterval(ticker);
      tickers.delete(event.urn);
      const took = event.step ? ` in ${seconds(event.step.durationMs)}` : "";
      say(current.phase, `${event.op} ${name} ${event.step?.error ? "FAILED" : "done"}${took}`);
    }
  };
}

if (require.main === module) {
  const deadline = setTimeout(() => {
    console.error(`[demo] FAILED: did not finish within ${seconds(DEADLINE_MS)}`);
    process.exit(1);
  }, DEADLINE_MS);
  runDemo({ api: process.argv.includes("--api=2026-06") ? "2026-06" : "2026-08" }).then(
    () => {
      clearTimeout(deadline);
      process.exit(0);
    },
    (error: unknown) => {
      console.error(`[demo] FAILED: ${error instanceof Error ? error.message : String(error)}`);
      process.exit(1);
    },
  );
}
