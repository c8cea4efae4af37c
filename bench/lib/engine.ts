// The engine's side of one resource's lifecycle, step for step as `pulumi up` / `refresh` /
// `destroy` drive a dynamic resource through the provider host (docs/harness.md).
import { HostError, type ProviderHost } from "../../test/harness";
import { urnOf, type ResourceSpec, type Subject } from "./subjects";

/** What Pulumi keeps in state for one resource. */
export interface StateEntry {
  urn: string;
  id: string;
  /** Outputs (with `__provider`). */
  outputs: Record<string, unknown>;
  /** The checked inputs they came from. */
  inputs: Record<string, unknown>;
}

/** A failed step; `state` is what the engine keeps afterwards (`undefined`: nothing). */
export class StepError extends Error {
  override readonly name = "StepError";
  constructor(
    readonly step: string,
    readonly state: StateEntry | undefined,
    cause: unknown,
  ) {
    super(`${step} failed: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
  }
}

function checked(step: string, failures: { property: string; reason: string }[]): void {
  if (failures.length > 0) throw new Error(`${step}: check failures ${JSON.stringify(failures)}`);
}

/** `pulumi up` of a new resource: Check, then Create. */
export async function up(host: ProviderHost, subject: Subject, spec: ResourceSpec): Promise<StateEntry> {
  const urn = urnOf(subject, spec.name);
  let inputs: Record<string, unknown>;
  try {
    const check = await host.check(urn, {}, subject.inputs(spec));
    checked("Check", check.failures);
    inputs = check.inputs;
  } catch (error) {
    throw new StepError("check", undefined, error);
  }
  try {
    const created = await host.create(urn, inputs);
    return { urn, id: created.id, outputs: created.properties, inputs };
  } catch (error) {
    // "Created but failed to initialize": the engine keeps the resource in state.
    const init = error instanceof HostError ? error.initFailure : undefined;
    const state = init && init.id ? { urn, id: init.id, outputs: init.properties, inputs } : undefined;
    throw new StepError("create", state, error);
  }
}

/** `pulumi up` with changed inputs: Check, Diff, then Update in place (replacements are not expected here). */
export async function change(host: ProviderHost, subject: Subject, state: StateEntry, spec: ResourceSpec): Promise<StateEntry> {
  try {
    const check = await host.check(state.urn, state.inputs, subject.inputs(spec));
    checked("Check", check.failures);
    const diff = await host.diff(state.urn, state.id, state.outputs, check.inputs, state.inputs);
    if (diff.changes === "none") return { ...state, inputs: check.inputs };
    if (diff.replaces.length > 0) throw new Error(`unexpected replacement of ${diff.replaces.join(", ")}`);
    const updated = await host.update(state.urn, state.id, state.outputs, check.inputs, state.inputs);
    return { ...state, outputs: updated.properties, inputs: check.inputs };
  } catch (error) {
    throw new StepError("update", state, error);
  }
}

/** `pulumi refresh`: Read. */
export async function refresh(host: ProviderHost, state: StateEntry): Promise<StateEntry> {
  try {
    const read = await host.read(state.urn, state.id, state.outputs, state.inputs);
    if (!read.id) throw new Error("read reported the instance gone");
    return { ...state, outputs: read.properties, inputs: read.inputs ?? state.inputs };
  } catch (error) {
    throw new StepError("read", state, error);
  }
}

/** `pulumi destroy`: Delete. */
export async function destroy(host: ProviderHost, state: StateEntry): Promise<void> {
  try {
    await host.delete(state.urn, state.id, state.outputs, state.inputs);
  } catch (error) {
    throw new StepError("delete", state, error);
  }
}
