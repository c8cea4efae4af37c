#!/usr/bin/env node
// First: under an unsupported Node this prints one line and exits 1, before any dependency loads.
import "../provider/core/exit-on-old-node";
import { parseArgs } from "node:util";
import { packageVersion } from "../provider/core/package-version";
import { API_KEY_PATTERN } from "./ids";
import { EmulatorOptionError, KEY_RULE, normalizeOptions, type EmulatorOptions, type WorkspaceSeed } from "./options";
import { startEmulator } from "./start";

const USAGE = `Usage: agent37-emulator [options]

  --port N             port to listen on (default 4737; 0 picks a free port)
  --host HOST          address to listen on (default 127.0.0.1; exec is only enabled on loopback)
  --key KEY[:TIER]     accept this key as its own workspace (repeatable): sk_live_ followed
                       by letters, digits, _ or -; TIER is funded (default), starter ($25 of
                       top-ups), free, broke (no balance) or shared-off
  --api 2026-08|2026-06   API generation to serve (default 2026-08)
  --provision-ms N     time in provisioning before running (default 1500)
  --boot-ms N          time from running until the gateway reports healthy (default 2000)
  --lifecycle-ms N     stop/start/restart/update/resize transition time (default 1000)
  --delete-ms N        time in deleting before deleted (default 500)
  --latency-ms N       extra latency on every hosting-API response (default 0)
  --build-ms N         time a started template build spends building (default 3000)
  --ingest-ms N        time a template image takes to copy: a build's ingesting phase, and
                       POST /v1/templates or a PATCH of image_ref (default 1000)
  --idle-scale X       multiply idle_timeout_seconds by X before auto-sleep applies it (default 1)
  --verify-ms N        a custom domain turns active at its first verify N ms after it was added (default 0)
  --lifecycle blocking|async   whether lifecycle calls wait for the terminal state (default blocking)
  --request-timeout-ms N   time a client has to send a whole request (default 30000)
  --state FILE         persist state to FILE (written 0600) and reload it at start
  --log                print one line per request: method, path (no query string), status, ms
                       (never a key, a header or a body); works with --quiet too
  --quiet              print nothing but errors (and the --log lines)
  -h, --help           show this help and exit
  --version            print the version of pulumi-agent37 and exit

Stops on SIGINT (Ctrl-C) or SIGTERM, after writing the state file, with one line saying so.
`;

/** The flag that sets each option, so errors speak the CLI user's language. */
const FLAG_OF: Record<string, string> = {
  port: "--port",
  host: "--host",
  keys: "--key",
  "workspaces[].key": "--key",
  api: "--api",
  provisionMs: "--provision-ms",
  bootMs: "--boot-ms",
  lifecycleMs: "--lifecycle-ms",
  deleteMs: "--delete-ms",
  latencyMs: "--latency-ms",
  idleScale: "--idle-scale",
  lifecycleMode: "--lifecycle",
  requestTimeoutMs: "--request-timeout-ms",
  buildMs: "--build-ms",
  ingestMs: "--ingest-ms",
  verifyMs: "--verify-ms",
  statePath: "--state",
};

function num(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = value.trim() === "" ? NaN : Number(value);
  if (!Number.isFinite(n)) throw new Error(`--${name} must be a number (got ${JSON.stringify(value)})`);
  return n;
}

/** `sk_live_x` or `sk_live_x:free` (tiers seed the funding a workspace would have). */
function parseKey(spec: string, index: number, count: number): WorkspaceSeed {
  const colon = spec.indexOf(":");
  const key = colon === -1 ? spec : spec.slice(0, colon);
  const tier = colon === -1 ? "funded" : spec.slice(colon + 1);
  // The key is never echoed: a near-miss may be a real one. Its position says which flag is wrong.
  if (!API_KEY_PATTERN.test(key)) throw new Error(`--key${count > 1 ? ` (number ${index + 1})` : ""} ${KEY_RULE}`);
  switch (tier) {
    case "funded":
      return { key };
    case "starter":
      return { key, topUpsMicros: 25_000_000 };
    case "free":
      return { key, topUpsMicros: 0 };
    case "broke":
      return { key, balanceMicros: 0 };
    case "shared-off":
      return { key, shared: false };
    default:
      throw new Error(`--key ${key.slice(0, 8)}...: unknown tier ${JSON.stringify(tier)} (funded, starter, free, broke, shared-off)`);
  }
}

export function parseCli(argv: string[]): EmulatorOptions | "help" | "version" {
  const { values } = parseArgs({
    args: argv,
    options: {
      port: { type: "string" },
      host: { type: "string" },
      key: { type: "string", multiple: true },
      api: { type: "string" },
      "provision-ms": { type: "string" },
      "boot-ms": { type: "string" },
      "lifecycle-ms": { type: "string" },
      "delete-ms": { type: "string" },
      "latency-ms": { type: "string" },
      "build-ms": { type: "string" },
      "ingest-ms": { type: "string" },
      lifecycle: { type: "string" },
      "idle-scale": { type: "string" },
      "verify-ms": { type: "string" },
      "request-timeout-ms": { type: "string" },
      state: { type: "string" },
      quiet: { type: "boolean" },
      log: { type: "boolean" },
      help: { type: "boolean", short: "h" },
      version: { type: "boolean" },
    },
    strict: true,
  });
  if (values.help) return "help";
  if (values.version) return "version";
  if (values.api !== undefined && values.api !== "2026-08" && values.api !== "2026-06") throw new Error(`--api must be 2026-08 or 2026-06 (got ${JSON.stringify(values.api)})`);
  if (values.lifecycle !== undefined && values.lifecycle !== "blocking" && values.lifecycle !== "async") throw new Error(`--lifecycle must be blocking or async`);
  const specs = values.key ?? [];
  const workspaces = specs.map((spec, i) => parseKey(spec, i, specs.length));
  const opts: EmulatorOptions = {
    port: num("port", values.port) ?? 4737,
    provisionMs: num("provision-ms", values["provision-ms"]) ?? 1500,
    bootMs: num("boot-ms", values["boot-ms"]) ?? 2000,
    lifecycleMs: num("lifecycle-ms", values["lifecycle-ms"]) ?? 1000,
    deleteMs: num("delete-ms", values["delete-ms"]) ?? 500,
    latencyMs: num("latency-ms", values["latency-ms"]) ?? 0,
    buildMs: num("build-ms", values["build-ms"]) ?? 3000,
    ingestMs: num("ingest-ms", values["ingest-ms"]) ?? 1000,
    workspaces,
  };
  const idleScale = num("idle-scale", values["idle-scale"]);
  if (idleScale !== undefined) opts.idleScale = idleScale;
  const verifyMs = num("verify-ms", values["verify-ms"]);
  if (verifyMs !== undefined) opts.verifyMs = verifyMs;
  const requestTimeoutMs = num("request-timeout-ms", values["request-timeout-ms"]);
  if (requestTimeoutMs !== undefined) opts.requestTimeoutMs = requestTimeoutMs;
  if (values.host !== undefined) opts.host = values.host;
  if (values.api !== undefined) opts.api = values.api;
  if (values.lifecycle !== undefined) opts.lifecycleMode = values.lifecycle as "blocking" | "async";
  if (values.state !== undefined) opts.statePath = values.state;
  if (values.quiet) opts.quiet = true;
  if (values.log) opts.logRequests = true;
  try {
    normalizeOptions(opts);
  } catch (err) {
    if (err instanceof EmulatorOptionError) throw new Error(`${FLAG_OF[err.option] ?? err.option} ${err.rule}`);
    throw err;
  }
  return opts;
}

async function main(): Promise<void> {
  let opts: EmulatorOptions | "help" | "version";
  try {
    opts = parseCli(process.argv.slice(2));
  } catch (err) {
    console.error(`agent37-emulator: ${(err as Error).message}\n\n${USAGE}`);
    process.exit(2);
  }
  if (opts === "help") {
    process.stdout.write(USAGE);
    return;
  }
  if (opts === "version") {
    process.stdout.write(`${packageVersion("unknown")}\n`);
    return;
  }
  const { quiet, statePath } = opts;
  // The handlers go in before the emulator starts: its listening line is printed while it starts,
  // and a signal sent on seeing that line must not meet Node's default (exit by the signal).
  const running: { emulator?: Awaited<ReturnType<typeof startEmulator>> } = {};
  let early: NodeJS.Signals | undefined;
  const stop = (signal: NodeJS.Signals): void => {
    const emulator = running.emulator;
    if (emulator === undefined) {
      early = signal;
      return;
    }
    emulator.close().then(
      () => {
        if (!quiet) process.stdout.write(`agent37-emulator stopped on ${signal}${statePath !== undefined ? `; state written to ${statePath}` : ""}\n`);
        process.exit(0);
      },
      (err: unknown) => {
        console.error(`agent37-emulator: stopping on ${signal} failed: ${(err as Error).message}`);
        process.exit(1);
      },
    );
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
  running.emulator = await startEmulator(opts);
  if (early !== undefined) stop(early);
}

if (require.main === module) {
  main().catch((err: unknown) => {
    console.error(`agent37-emulator: ${(err as Error).message}`);
    process.exit(1);
  });
}
