import { setMaxListeners } from "node:events";
import type { AddressInfo } from "node:net";
import { AppRegistry } from "./app";
import { Faults } from "./faults";
import { ExecRunner } from "./hosting/exec";
import { isLoopbackHost, normalizeOptions, type ApiGeneration, type EmulatorOptions } from "./options";
import { RequestLog } from "./requests";
import { seedWorkspaceTemplates, type Runtime } from "./runtime";
import { createEmulatorServer } from "./server";
import { settleAll } from "./sleep";
import { settleBuilds } from "./builds";
import { Store } from "./state";
import { now } from "./clock";
import { activeDomains } from "./hosting/domains";

export interface RunningEmulator {
  /** Hosting API base, e.g. `http://127.0.0.1:4737` (paths under /v1). */
  url: string;
  port: number;
  /** The keys accepted, one workspace each. */
  keys: string[];
  api: ApiGeneration;
  /** Closes the server and all its connections, kills exec commands, flushes the state file. */
  close(): Promise<void>;
}

/** Where instances' data folders (exec's working folders, the Files API's files) live under a state file: next to it. */
export function dataFolderOf(statePath: string): string {
  return `${statePath}.data`;
}

function urlHost(host: string): string {
  if (host === "0.0.0.0" || host === "::") return "127.0.0.1";
  return host.includes(":") ? `[${host}]` : host;
}

/** Starts an emulator; resolves once it listens. */
export async function startEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  const opts = normalizeOptions(options);
  const store = new Store(opts.workspaces, opts.statePath);
  const saved = store.load();
  const generated = opts.generatedKey ? opts.workspaces[0]?.key : undefined;
  if (generated !== undefined) {
    if (saved !== undefined && saved !== generated) store.adoptGeneratedKey(generated, saved);
    store.generatedKey = saved ?? generated;
  }
  const abort = new AbortController();
  // Every pending transition sleeps on this one close signal; a fleet of them is expected, not
  // a listener leak (Node warns past 10).
  setMaxListeners(0, abort.signal);
  const rt: Runtime = {
    opts,
    store,
    view: { api: opts.api, port: opts.port, domains: (ws) => activeDomains(store, ws) },
    faults: new Faults(),
    requests: new RequestLog(opts.logRequests ? (line) => process.stdout.write(`${line}\n`) : undefined),
    signal: abort.signal,
    loopback: isLoopbackHost(opts.host),
    exec: new ExecRunner(opts.execTimeoutMs, opts.execMaxBytes, opts.statePath === undefined ? undefined : dataFolderOf(opts.statePath)),
    inflight: new Map(),
    sessions: new Map(),
    traffic: new Map(),
    apps: new AppRegistry(opts.apps),
  };
  seedWorkspaceTemplates(rt);
  // Folders of instances the state file no longer knows, or knows as deleted, go.
  rt.exec.prune((id) => {
    const rec = store.instances.get(id);
    return rec !== undefined && rec.status !== "deleted";
  });
  // The state file records an instance that fell asleep while nobody was looking.
  store.beforeFlush = () => {
    const t = now();
    settleAll(rt, t);
    settleBuilds(rt, t);
  };
  const server = createEmulatorServer(rt);
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port, opts.host, () => {
      server.off("error", reject);
      rt.view.port = (server.address() as AddressInfo).port;
      resolve();
    });
  });
  const port = rt.view.port;
  const url = `http://${urlHost(opts.host)}:${port}`;
  rt.view.base = url;
  const keys = store.keys();
  if (!opts.quiet) {
    // One write, so a reader that sees the listening line also sees the keys.
    process.stdout.write([`agent37-emulator listening on ${url}`, `agent37-emulator API ${opts.api}; keys accepted (one workspace each):`, ...keys.map((k) => `  ${k}`), ""].join("\n"));
  }
  store.changed();

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> =>
    (closing ??= new Promise<void>((resolve) => {
      abort.abort(new Error("emulator closed"));
      rt.exec.close();
      server.close(() => resolve());
      server.closeAllConnections();
    }).then(() => store.flush()));

  return { url, port, keys, api: opts.api, close };
}
