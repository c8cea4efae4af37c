// Whether the engine still waits for the answer of the gRPC call being served. A create whose
// caller went away (a client deadline, a cancelled call, a lost connection) while this process
// lives on must not finish as if its answer had been recorded: the engine never stores an answer
// it did not receive, so the instance would be in no state. The doors mark each call: the
// plugin's server (server.ts) from the call's `cancelled` event; Pulumi's dynamic provider host,
// which hands the provider no call object, through `watchDynamicHostCalls` below. That same
// watch gives the dynamic door its progress lines (progress.ts): the host hands the provider
// neither the resource's URN nor the engine's address, so both are taken from what the host
// itself received (the request, its command line).
import { AsyncLocalStorage } from "node:async_hooks";
import { createRequire } from "node:module";
import * as path from "node:path";
import { EngineStatus, engineAddressOf, type EngineLogModules } from "./engine-log";
import { ProgressReporter, reportingTo } from "./progress";

const current = new AsyncLocalStorage<AbortSignal>();

/**
 * The `pulumirpc.ResourceProvider` calls that may wait on Agent37, and so show progress and must
 * know when their caller went away: Create, Read, Update, Delete and Invoke (not as a preview,
 * which only the plugin is asked for). The others (Check, Diff, Configure, ...) never wait and
 * are served outside any call's async context: Node 22 turns on its promise hooks for every
 * promise of the process from the first `AsyncLocalStorage.run`, which cost a preview of 100
 * instances about a tenth of the serving process's CPU (docs/bench.md).
 */
export const WAITING_CALLS: ReadonlySet<string> = new Set(["Create", "Read", "Update", "Delete", "Invoke"]);

/** Runs `serve` as the handler of one engine call, whose caller is gone once `signal` aborts. */
export function serveCall<T>(signal: AbortSignal, serve: () => T): T {
  return current.run(signal, serve);
}

/**
 * True when the call being served is known to have lost its caller. False when it still waits,
 * and outside a watched call (in-process use, or a host whose calls could not be watched).
 */
export function engineGone(): boolean {
  return current.getStore()?.aborted === true;
}

const PATCHED = Symbol.for("pulumi-agent37.watched-calls");

interface ServerListener {
  onReceiveMetadata(metadata: unknown): void;
  onReceiveMessage(message: unknown): void;
  onReceiveHalfClose(): void;
  onCancel(): void;
}

/**
 * In Pulumi's dynamic provider host (`@pulumi/pulumi/cmd/dynamic-provider`), marks every gRPC
 * call it serves from then on that may wait (`WAITING_CALLS`; a call whose method cannot be told
 * is marked too). The host calls `provider.create(props)` with nothing about the
 * call, and its own `Cancel` is a no-op; so the host's copy of `@grpc/grpc-js` is asked instead:
 * each server call's listener is wrapped, the handler runs inside `serveCall`, and the call's
 * cancel notification (a deadline passed, the client cancelled, the stream or connection closed)
 * aborts its signal. The handler also runs with a progress reporter whose lines go to the engine
 * (engine-log.ts) as the status of the URN the request names. Runs once per process and only
 * inside that host (its entry is the main module); when grpc-js has another shape, nothing is
 * patched and calls are simply not watched (creates then behave as without this: the marker goes
 * when the create finishes; waits show no lines).
 */
export function watchDynamicHostCalls(): void {
  const main = require.main?.filename;
  if (main === undefined || !/[\\/]cmd[\\/]dynamic-provider[\\/]index\.js$/.test(main)) return;
  try {
    const hostRequire = createRequire(main);
    const status = hostStatus(hostRequire, main);
    const root = path.dirname(hostRequire.resolve("@grpc/grpc-js/package.json"));
    const mod = hostRequire(path.join(root, "build", "src", "server-interceptors.js")) as {
      BaseServerInterceptingCall?: { prototype: Record<string | symbol, unknown> };
    };
    const proto = mod.BaseServerInterceptingCall?.prototype;
    if (proto === undefined || typeof proto.start !== "function" || proto[PATCHED] === true) return;
    const start = proto.start as (this: unknown, listener: ServerListener) => void;
    proto.start = function (this: unknown, listener: ServerListener): void {
      const method = methodOf(this);
      if (method !== undefined && !WAITING_CALLS.has(method)) {
        start.call(this, listener);
        return;
      }
      const calls = new AbortController();
      let urn: string | undefined;
      start.call(this, {
        onReceiveMetadata: (m) => listener.onReceiveMetadata(m),
        onReceiveMessage: (m) => {
          urn = urnOf(m);
          listener.onReceiveMessage(m);
        },
        onReceiveHalfClose: () => {
          const progress = status === undefined || urn === undefined ? undefined : new ProgressReporter(status.sink(urn));
          serveCall(calls.signal, () => reportingTo(progress, () => listener.onReceiveHalfClose()));
        },
        onCancel: () => {
          calls.abort();
          listener.onCancel();
        },
      });
    };
    proto[PATCHED] = true;
  } catch {
    // Another layout of grpc-js: leave the host as it is.
  }
}

/** The gRPC method a host's server call serves (`Check` of `/pulumirpc.ResourceProvider/Check`), if grpc-js says. */
function methodOf(call: unknown): string | undefined {
  const callPath = (call as { handler?: { path?: unknown } } | null)?.handler?.path;
  return typeof callPath === "string" ? callPath.slice(callPath.lastIndexOf("/") + 1) : undefined;
}

/** The URN a provider request names (Create, Read, Update, Delete, Check, Diff), if it is one. */
function urnOf(message: unknown): string | undefined {
  const getUrn = (message as { getUrn?: unknown } | null)?.getUrn;
  return typeof getUrn === "function" ? String(getUrn.call(message)) : undefined;
}

/**
 * The engine's Log service as the host's progress sink. The host is started, like any provider,
 * with the engine's address as its last argument, but never hands it to the SDK's settings:
 * `pulumi.log` inside the host finds no engine and prints to stdout instead, which the engine
 * shows as a message of the whole stack, kept in the summary. So the stubs are loaded from the
 * host's own @pulumi/pulumi (the package holding its entry) and the address read from its
 * command line.
 */
function hostStatus(hostRequire: NodeJS.Require, main: string): EngineStatus | undefined {
  const address = engineAddressOf(process.argv.slice(2));
  if (address === undefined) return undefined;
  const proto = path.join(path.dirname(main), "..", "..", "proto");
  return new EngineStatus(address, (): EngineLogModules => ({
    grpc: hostRequire("@grpc/grpc-js") as EngineLogModules["grpc"],
    enginepb: hostRequire(path.join(proto, "engine_pb.js")) as EngineLogModules["enginepb"],
    engineGrpc: hostRequire(path.join(proto, "engine_grpc_pb.js")) as EngineLogModules["engineGrpc"],
  }));
}
