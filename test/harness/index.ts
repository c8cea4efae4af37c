/**
 * The engine-protocol harness: Pulumi's dynamic provider host driven over gRPC as the engine
 * drives it, plus an engine stand-in and program runs under mocks. See docs/harness.md.
 */
export { startProviderHost, resolveHostEntry, REPO_ROOT } from "./host";
export type { ProviderHost, ProviderHostOptions } from "./host";
export { ProviderClient } from "./client";
export type { CallOptions, CheckFailure, CheckResult, ConfigureOptions, ConfigureResult, CreateResult, DiffResult, Properties, ReadResult, UpdateResult } from "./client";
export { HostError, decodeInitFailure } from "./errors";
export type { InitFailure } from "./errors";
export { UNKNOWN, PROVIDER_KEY, secretEnvelope, makeUrn, parseUrn } from "./protocol";
export { serializeProvider, captureInputs, captureRegistrations, isDynamicType } from "./serialize";
export type { Registration } from "./serialize";
export { runUnderMocks, loadProgram, toEngineInputs } from "./mocks";
export type { MockRunOptions, Program } from "./mocks";
export { Engine, CheckFailedError } from "./engine";
export type { EngineEvent, EngineOptions, RegisterOptions, RegisterResult, ResourceState, Step, StepOp } from "./engine";
export { runProgram, projectName } from "./program";
export type { ProgramRun, ProgramRunOptions } from "./program";
export { traceHost } from "./trace";
export type { TracedCall } from "./trace";
export { EmulatorAdmin, emulatorConfig } from "./emulator-admin";
export type { AdminInstance, AdminRequests, EmulatorEndpoint } from "./emulator-admin";
export { getFromInstance } from "./instance-http";
export type { InstanceResponse } from "./instance-http";
export { startRig } from "./rig";
export { startTestEmulator } from "./start-emulator";
export { startPluginHost, locateRunPlugin, PLUGIN_EXECUTABLE, PLUGIN_PACKAGE } from "./plugin";
export type { PluginHost, PluginHostOptions } from "./plugin";
export type { Rig } from "./rig";
