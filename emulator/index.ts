// First: under an unsupported Node this fails with one line, before any dependency loads.
import "../provider/core/require-node";
export { startEmulator } from "./start";
export type { RunningEmulator } from "./start";
export type { ApiGeneration, EmulatorOptions, WorkspaceSeed } from "./options";
// The admin surface's payloads (`/_emulator/...`), so clients of it share one definition.
export type { FaultPlan, FaultRule } from "./types";
export type { RequestLogEntry, RequestLogSnapshot } from "./requests";
export type { AdminAppList, AdminInstance, AdminInstanceList } from "./types";
export type { AppBehaviour, AppTimes } from "./types";
export type { WorkspaceTemplateSeed } from "./catalog";
