export { startEmulator } from "./start";
export type { RunningEmulator } from "./start";
export type { ApiGeneration, EmulatorOptions, WorkspaceSeed } from "./options";
export type { FaultPlan, FaultRule } from "./faults";
export type { RequestLogEntry } from "./requests";
