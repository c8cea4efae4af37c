// The plugin's gRPC server: Pulumi's `ResourceProvider` service (provider.ts) over the plugin's
// own transport (front/grpc/). Served directly (not through `@pulumi/pulumi/provider`'s `main`),
// because that wrapper drops the provider configuration, CheckConfig/DiffConfig and detailed
// diffs. What this module adds to each call: whether its caller went away, where its progress
// lines go, and its failure as a gRPC status.
import { redact, redactDeep } from "../../core/redact";
import { serveCall, WAITING_CALLS } from "../../core/engine-call";
import { withSecrets } from "../../core/check";
import { ProgressReporter, reportingTo, type ProgressOptions, type ProgressSink } from "../../core/progress";
import { Agent37ResourceInitError } from "../../core/errors";
import { errorResourceInitFailed, providerMethods, rpcStatus } from "../grpc/messages";
import { PROVIDER_METHODS, type ProviderMethodName } from "../grpc/methods";
import { signalOf, Status, type CallError, type UnaryHandler, type UnaryMethod } from "../grpc/unary-server";
import { serveOnLoopback } from "../grpc/start";
import { Agent37Plugin, PluginError } from "./provider";
import type { PluginModule } from "./spec";

export interface PluginServerOptions {
  /** Where the progress lines of the resource `urn` go while it waits (main.ts: the engine's status line). */
  progress?: (urn: string) => ProgressSink;
  /** When lines come (tests). */
  progressTimings?: ProgressOptions;
}

export interface PluginServer {
  port: number;
  /** Stops taking calls, lets running ones finish (at most `graceMs`), then closes. */
  shutdown(graceMs?: number): Promise<void>;
}

function toServiceError(err: unknown): CallError {
  const message = redact(err instanceof Error ? err.message : String(err));
  const code = err instanceof PluginError ? err.code : Status.UNKNOWN;
  const binaryMetadata: Record<string, Buffer> = {};
  if (err instanceof Agent37ResourceInitError) {
    // "Created but failed to initialize": the engine keeps the resource in state with these outputs.
    const detail = errorResourceInitFailed({ id: err.id, properties: withSecrets(redactDeep(err.properties), ["env"]), reasons: err.reasons.map(redact) });
    const status = rpcStatus({ code, message, details: [{ typeName: "pulumirpc.ErrorResourceInitFailed", value: detail }] });
    binaryMetadata["grpc-status-details-bin"] = Buffer.from(status);
  }
  return { code, details: message, binaryMetadata };
}

/** Whether a call may wait on Agent37 (engine-call.ts, `WAITING_CALLS`): not as a preview. */
function mayWait(name: ProviderMethodName, req: unknown): boolean {
  return WAITING_CALLS.has(PROVIDER_METHODS[name]) && (req as { preview?: unknown } | null)?.preview !== true;
}

/** A method as a unary call's handler: its progress and its caller's signal around it (when it may wait), its failure as a status. */
function unary(name: ProviderMethodName, fn: (req: never) => Promise<Uint8Array>, options: PluginServerOptions): UnaryHandler {
  /** The progress of a call about one resource (its request names the URN), when lines have somewhere to go. */
  const progressOf = (req: unknown): ProgressReporter | undefined => {
    const urn = (req as { urn?: unknown } | null)?.urn;
    if (options.progress === undefined || typeof urn !== "string") return undefined;
    return new ProgressReporter(options.progress(urn), options.progressTimings);
  };
  return (call, callback) => {
    // The call's caller may go away before the answer (deadline, cancel, lost connection):
    // operations that must know (an instance's create keeps its marker then) ask engineGone().
    const served = mayWait(name, call.request) ? serveCall(signalOf(call), () => reportingTo(progressOf(call.request), () => fn(call.request as never))) : fn(call.request as never);
    served.then(
      (res) => callback(null, res),
      (err: unknown) => callback(toServiceError(err)),
    );
  };
}

/** The plugin's method table: each ResourceProvider method (by HTTP/2 path) served by one `Agent37Plugin` over `modules`. */
export function pluginMethods(modules: readonly PluginModule[], options: PluginServerOptions = {}): { plugin: Agent37Plugin; methods: Map<string, UnaryMethod> } {
  const plugin = new Agent37Plugin(modules);
  const methods = new Map<string, UnaryMethod>(
    Object.entries(providerMethods()).map(([name, m]) => [m.path, { deserialize: m.deserialize, handler: unary(name as ProviderMethodName, (req) => plugin[name as ProviderMethodName](req), options) }]),
  );
  return { plugin, methods };
}

/** Starts the server on a free loopback port. */
export async function startPluginServer(modules: readonly PluginModule[], options: PluginServerOptions = {}): Promise<PluginServer & { plugin: Agent37Plugin }> {
  const { plugin, methods } = pluginMethods(modules, options);
  const server = await serveOnLoopback(methods);
  return { port: server.port, plugin, shutdown: (graceMs = 30_000) => server.shutdown(graceMs) };
}
