// The plugin's provider, as its start (front/grpc/start.ts) loads it at the first call about resources:
// every module of registry.ts behind the protocol's method table, with progress lines going to
// the engine. Bundled apart from the start (dist/plugin/full.js beside dist/plugin/agent37.js,
// scripts/bundle.js), so that a process that never loads it never reads it either.
import { EngineStatus } from "../../core/engine-log";
import type { MethodTable } from "../grpc/unary-server";
import { engineLogModules } from "../grpc/sdk";
import { MODULES } from "./registry";
import { pluginMethods } from "./server";

/** The provider's method table; progress lines go to the engine at `engineAddress` when there is one. */
export function loadProvider(engineAddress: string | undefined): MethodTable {
  // While a resource waits, its row in `pulumi up` says for what (core/progress.ts): lines go to
  // the engine's Log service as the resource's status.
  const status = engineAddress === undefined ? undefined : new EngineStatus(engineAddress, engineLogModules);
  return pluginMethods(MODULES, status === undefined ? {} : { progress: (urn) => status.sink(urn) }).methods;
}
