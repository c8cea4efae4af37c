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
const started = performance.now();
const secrets: string[] = [];
/** The lifecycle phase the progress lines belong to. */
let phase = "setup";

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)}s`;
}

/** Every line goes through here, so the API key can never be printed. */
function say(phase: string, message: string): void {
  let line = `[${phase}] ${message}`;
  for (const s of secrets) line = line.split(s).join("***");
  console.log(line);
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

async function main(): Promise<void> {
  let emulator: RunningEmulator | undefined;
  let host: ProviderHost | undefined;
  const timer = setTimeout(() => {
    console.error(`[demo] FAILED: did not finish within ${seconds(DEADLINE_MS)}`);
    process.exit(1);
  }, DEADLINE_MS);
  try {
    // Short but visible timings, so the health wait shows up in the progress lines.
    emulator = await startEmulator({ port: 0, provisionMs: 800, bootMs: 1500, lifecycleMs: 300, deleteMs: 200, quiet: true });
    secrets.push(...emulator.keys);
    const admin = new EmulatorAdmin(emulator.url);
    say("setup", `emulator listening at ${emulator.url} (API ${emulator.api})`);

    // The engine starts the provider host in the project directory: the repository root, whose
    // Pulumi.yaml runs examples/basic.
    host = await startProviderHost({ cwd: REPO_ROOT });
    await host.configure(emulatorConfig(emulator));
    say("setup", `Pulumi dynamic provider host (pid ${host.pid}) serving gRPC on ${host.address}, configured for the emulator`);

    const project = projectName(REPO_ROOT);
    const program = path.join(REPO_ROOT, "examples", "basic");
    const engine: Engine = new Engine(host, { project, stack: "demo", onEvent: progress(admin, () => engine) });

    // preview
    await admin.clearRequests();
    const preview = await runProgram(engine, program, { preview: true });
    for (const step of preview.steps) say("preview", planLine(step));
    const previewRequests = await admin.apiRequestCount();
    if (previewRequests !== 0) fail(`preview sent ${previewRequests} hosting-API requests`);
    say("preview", "no request reached the hosting API (Check only)");

    // up
    phase = "up";
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
    phase = "update";
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
    phase = "refresh";
    await engine.refresh();
    const refreshed = [...engine.state.values()][0];
    if (refreshed?.outputs.name !== "renamed-by-hand") fail(`refresh read name ${String(refreshed?.outputs.name)}`);
    say("refresh", `state now has name "${String(refreshed.outputs.name)}" (drift detected)`);
    const drift = await runProgram(engine, program, { preview: true, config: { [`${project}:name`]: "support-bot-v2" } });
    for (const step of drift.steps) say("preview", `${planLine(step)} (back to the declared name)`);

    // destroy
    phase = "destroy";
    await engine.destroy();
    const status = (await admin.instance(String(outputs.instanceId)))?.status;
    const live = await admin.live();
    if (status !== "deleted" || live.length !== 0) fail(`after destroy: status ${String(status)}, ${live.length} live instances`);
    say("destroy", `deleted ${String(outputs.instanceId)}; the emulator holds no live instance`);
    say("demo", `OK in ${seconds(performance.now() - started)}`);
  } finally {
    clearTimeout(timer);
    await host?.close();
    await emulator?.close();
  }
}

/** Progress lines while a step runs: what the emulator says about the instance, every 0.5 s. */
function progress(admin: EmulatorAdmin, engine: () => Engine | undefined): (event: EngineEvent) => void {
  const tickers = new Map<string, NodeJS.Timeout>();
  return (event) => {
    if (event.preview) return;
    const name = event.urn.split("::").pop() ?? event.urn;
    const since = performance.now();
    if (event.kind === "start") {
      say(phase, `${event.op} ${name} ...`);
      if (event.op !== "create" && event.op !== "update") return;
      const stateId = engine()?.state.get(event.urn)?.id;
      const inState = new Set([...(engine()?.state.values() ?? [])].map((r) => r.id));
      tickers.set(
        event.urn,
        setInterval(() => {
          void admin.instances().then((all) => {
            // An update works on the instance in state; a create on the one Pulumi does not know yet.
            const mine = stateId !== undefined ? all.find((i) => i.id === stateId) : all.filter((i) => !inState.has(i.id) && i.status !== "deleted").pop();
            const state = mine === undefined ? "requested" : mine.healthyAt === null ? `${mine.status}, waiting for health` : `${mine.status} and healthy`;
            say(phase, `${name}: ${state} ... (${seconds(performance.now() - since)})`);
          });
        }, 500),
      );
    } else {
      const ticker = tickers.get(event.urn);
      if (ticker) clearInterval(ticker);
      tickers.delete(event.urn);
      const took = event.step ? ` in ${seconds(event.step.durationMs)}` : "";
      say(phase, `${event.op} ${name} ${event.step?.error ? "FAILED" : "done"}${took}`);
    }
  };
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    let message = error instanceof Error ? error.message : String(error);
    for (const s of secrets) message = message.split(s).join("***");
    console.error(`[demo] FAILED: ${message}`);
    process.exit(1);
  },
);
