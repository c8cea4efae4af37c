/**
 * A small stand-in for Pulumi's deployment engine: it keeps the state (id, inputs, outputs of
 * each resource) and turns "declare this resource with these inputs" into the provider calls the
 * real engine makes for preview, up, refresh and destroy (see `pkg/resource/deploy/step*.go` in
 * pulumi/pulumi). Providers are reached through a `ProviderHost`.
 */
import type { Properties } from "./client";
import { HostError } from "./errors";
import type { ProviderHost } from "./host";
import { makeUrn, PROVIDER_KEY } from "./protocol";

/** One resource in the stack's state, as the engine stores it. */
export interface ResourceState {
  urn: string;
  type: string;
  id: string;
  inputs: Properties;
  outputs: Properties;
  /** Reasons of a "created but failed to initialize"; the next up updates the resource. */
  initErrors?: string[];
}

export type StepOp =
  | "create"
  | "same"
  | "update"
  | "replace"
  | "create-replacement"
  | "delete-replaced"
  | "delete"
  | "refresh";

/** A step the engine ran (or, in preview, planned). */
export interface Step {
  op: StepOp;
  urn: string;
  preview: boolean;
  /** Inputs whose change forces the replacement (from `Diff`). */
  replaces?: string[];
  /** Property → change kind, when the provider sent a detailed diff (preview of an update). */
  detailedDiff?: Record<string, string>;
  deleteBeforeReplace?: boolean;
  durationMs: number;
  /** Refresh only: the provider reported the resource gone, so it left the state. */
  gone?: boolean;
  /** Set when the step failed. */
  error?: Error;
}

export interface EngineEvent {
  kind: "start" | "end";
  op: StepOp;
  urn: string;
  preview: boolean;
  step?: Step;
}

export interface EngineOptions {
  project?: string;
  stack?: string;
  /** Called when a provider step starts and ends (for progress output). */
  onEvent?: (event: EngineEvent) => void;
}

export interface RegisterOptions {
  preview?: boolean;
  /** The `deleteBeforeReplace` resource option. */
  deleteBeforeReplace?: boolean;
}

export interface RegisterResult {
  op: StepOp;
  /** Empty in preview for a resource not created yet. */
  id: string;
  /** The resource's outputs; in preview of a create, update or replace: its checked inputs. */
  outputs: Properties;
}

/** Raised when `Check` returns failures: the engine stops the resource there. */
export class CheckFailedError extends Error {
  override readonly name = "CheckFailedError";
  constructor(
    readonly urn: string,
    readonly failures: { property: string; reason: string }[],
  ) {
    super(`${urn}: ${failures.map((f) => `${f.property}: ${f.reason}`).join("; ")}`);
  }
}

export class Engine {
  /** The stack's state by URN, in creation order. */
  readonly state = new Map<string, ResourceState>();
  /** Every step run so far. */
  readonly steps: Step[] = [];
  /** Replaced resources still to delete (their replacement failed to initialize, or their delete failed). */
  readonly pendingDeletes: ResourceState[] = [];
  readonly project: string;
  readonly stack: string;
  private readonly onEvent: ((event: EngineEvent) => void) | undefined;

  constructor(
    readonly host: ProviderHost,
    options: EngineOptions = {},
  ) {
    this.project = options.project ?? "project";
    this.stack = options.stack ?? "dev";
    this.onEvent = options.onEvent;
  }

  urn(type: string, name: string): string {
    return makeUrn(this.stack, this.project, type, name);
  }

  /**
   * Declares a resource with `news` (engine-form inputs, incl. `__provider`): `Check`, then for
   * an existing resource `Diff`, then (unless preview) `Create`, `Update` or a replacement.
   */
  async register(type: string, name: string, news: Properties, opts: RegisterOptions = {}): Promise<RegisterResult> {
    const urn = this.urn(type, name);
    const preview = opts.preview ?? false;
    const old = this.state.get(urn);
    const checked = await this.host.check(urn, old?.inputs ?? {}, news);
    if (checked.failures.length > 0) throw new CheckFailedError(urn, checked.failures);
    const inputs = checked.inputs;

    if (!old) {
      if (preview) return this.planned("create", urn, "", await this.plannedOutputs(urn, inputs));
      return this.step("create", urn, false, {}, async () => {
        try {
          const created = await this.host.create(urn, inputs);
          this.state.set(urn, { urn, type, id: created.id, inputs, outputs: created.properties });
          return { op: "create", id: created.id, outputs: created.properties };
        } catch (error) {
          this.keepInitFailure(error, urn, type, inputs);
          throw error;
        }
      });
    }

    const diff = await this.host.diff(urn, old.id, old.outputs, inputs, old.inputs);
    const changed = diff.changes === "unknown" ? !sameInputs(old.inputs, inputs) : diff.changes === "some";
    if (changed && diff.replaces.length > 0) {
      const deleteBeforeReplace = diff.deleteBeforeReplace || (opts.deleteBeforeReplace ?? false);
      const extra = { replaces: diff.replaces, deleteBeforeReplace };
      if (preview) return this.planned("replace", urn, "", await this.plannedOutputs(urn, inputs), extra);
      return this.step("replace", urn, false, extra, () => this.replace(old, inputs, deleteBeforeReplace));
    }
    if (!changed && !old.initErrors) {
      if (preview) return this.planned("same", urn, old.id, old.outputs);
      return this.step("same", urn, false, {}, async () => ({ op: "same", id: old.id, outputs: old.outputs }));
    }
    if (preview) return this.planned("update", urn, old.id, await this.plannedOutputs(urn, inputs, old), { ...(diff.detailedDiff ? { detailedDiff: diff.detailedDiff } : {}) });
    return this.step("update", urn, false, {}, async () => {
      try {
        const updated = await this.host.update(urn, old.id, old.outputs, inputs, old.inputs);
        this.state.set(urn, { urn, type, id: old.id, inputs, outputs: updated.properties });
        return { op: "update", id: old.id, outputs: updated.properties };
      } catch (error) {
        this.keepInitFailure(error, urn, type, inputs);
        throw error;
      }
    });
  }

  /** `pulumi refresh`: `Read` every resource; one reported gone leaves the state. */
  async refresh(): Promise<Step[]> {
    const steps: Step[] = [];
    for (const res of [...this.state.values()]) {
      const extra: Partial<Step> = { gone: false };
      await this.step("refresh", res.urn, false, extra, async () => {
        const read = await this.host.read(res.urn, res.id, res.outputs, res.inputs);
        if (read.id === "") {
          extra.gone = true;
          this.state.delete(res.urn);
        } else {
          this.state.set(res.urn, { ...res, id: read.id, outputs: read.properties, inputs: read.inputs ?? res.inputs });
        }
        return { op: "refresh", id: read.id, outputs: read.properties };
      });
      steps.push(this.steps[this.steps.length - 1] as Step);
    }
    return steps;
  }

  /** `pulumi destroy`: `Delete` every resource, dependents (created later) first. */
  async destroy(): Promise<Step[]> {
    const steps: Step[] = [];
    const before = this.steps.length;
    await this.deletePending();
    steps.push(...this.steps.slice(before));
    for (const res of [...this.state.values()].reverse()) {
      await this.delete(res.urn);
      steps.push(this.steps[this.steps.length - 1] as Step);
    }
    return steps;
  }

  /** Deletes one resource (as `up` does for a resource no longer in the program). */
  async delete(urn: string, op: StepOp = "delete"): Promise<void> {
    const res = this.state.get(urn);
    if (!res) throw new Error(`${urn} is not in the state`);
    await this.step(op, urn, false, {}, async () => {
      await this.host.delete(urn, res.id, res.outputs, res.inputs);
      if (this.state.get(urn) === res) this.state.delete(urn);
      return { op, id: res.id, outputs: {} };
    });
  }

  private async replace(old: ResourceState, inputs: Properties, deleteBeforeReplace: boolean): Promise<RegisterResult> {
    if (deleteBeforeReplace) await this.delete(old.urn, "delete-replaced");
    let created: RegisterResult;
    try {
      created = await this.step("create-replacement", old.urn, false, {}, async () => {
        const res = await this.host.create(old.urn, inputs);
        return { op: "create-replacement", id: res.id, outputs: res.properties };
      });
    } catch (error) {
      // A replacement that exists but failed to initialize takes the URN; the old resource
      // waits for deletion on the next up, as the engine records it (pending delete).
      if (!deleteBeforeReplace && error instanceof HostError && error.initFailure) this.pendingDeletes.push(old);
      this.keepInitFailure(error, old.urn, old.type, inputs);
      throw error;
    }
    // The replacement is in state before the old one goes, so a failed delete orphans nothing.
    this.state.set(old.urn, { urn: old.urn, type: old.type, id: created.id, inputs, outputs: created.outputs });
    if (!deleteBeforeReplace) {
      try {
        await this.deleteReplaced(old);
      } catch (error) {
        this.pendingDeletes.push(old);
        throw error;
      }
    }
    return { op: "replace", id: created.id, outputs: created.outputs };
  }

  /**
   * Deletes the replaced resources an earlier up could not delete; the engine does this at the
   * start of the next up (and destroy).
   */
  async deletePending(): Promise<void> {
    while (this.pendingDeletes.length > 0) {
      await this.deleteReplaced(this.pendingDeletes[0] as ResourceState);
      this.pendingDeletes.shift();
    }
  }

  private async deleteReplaced(old: ResourceState): Promise<void> {
    await this.step("delete-replaced", old.urn, false, {}, async () => {
      await this.host.delete(old.urn, old.id, old.outputs, old.inputs);
      return { op: "delete-replaced", id: old.id, outputs: {} };
    });
  }

  private keepInitFailure(error: unknown, urn: string, type: string, inputs: Properties): void {
    const failure = error instanceof HostError ? error.initFailure : undefined;
    if (!failure) return;
    // The engine stores a resource that exists but failed to initialize, so it is not orphaned.
    const outputs = { ...failure.properties };
    if (outputs[PROVIDER_KEY] === undefined && inputs[PROVIDER_KEY] !== undefined) outputs[PROVIDER_KEY] = inputs[PROVIDER_KEY];
    this.state.set(urn, { urn, type, id: failure.id, inputs, outputs, initErrors: failure.reasons });
  }

  /**
   * The outputs a preview plans for a create (no `old`) or an update. A provider that answered
   * Configure with `supportsPreview` is asked (`Create`/`Update` with `preview: true`); for one
   * that did not (the dynamic host) the engine takes the new inputs as the planned outputs, so
   * every output the inputs do not echo is unknown to dependents.
   */
  private async plannedOutputs(urn: string, inputs: Properties, old?: ResourceState): Promise<Properties> {
    if (!this.host.supportsPreview) return inputs;
    const res = old
      ? await this.host.update(urn, old.id, old.outputs, inputs, old.inputs, { preview: true })
      : await this.host.create(urn, inputs, { preview: true });
    return res.properties;
  }

  private planned(op: StepOp, urn: string, id: string, outputs: Properties, extra: Partial<Step> = {}): RegisterResult {
    const step: Step = { op, urn, preview: true, durationMs: 0, ...extra };
    this.steps.push(step);
    this.onEvent?.({ kind: "end", op, urn, preview: true, step });
    return { op, id, outputs };
  }

  private async step(op: StepOp, urn: string, preview: boolean, extra: Partial<Step>, run: () => Promise<RegisterResult>): Promise<RegisterResult> {
    this.onEvent?.({ kind: "start", op, urn, preview });
    const started = performance.now();
    const step: Step = { op, urn, preview, durationMs: 0, ...extra };
    try {
      const result = await run();
      Object.assign(step, extra);
      return result;
    } catch (error) {
      step.error = error instanceof Error ? error : new Error(String(error));
      throw error;
    } finally {
      step.durationMs = performance.now() - started;
      this.steps.push(step);
      this.onEvent?.({ kind: "end", op, urn, preview, step });
    }
  }
}

/** The engine's own comparison when a provider answers `DIFF_UNKNOWN`. */
function sameInputs(a: Properties, b: Properties): boolean {
  return JSON.stringify(sortKeys(a)) === JSON.stringify(sortKeys(b));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(Object.keys(value).sort().map((k) => [k, sortKeys((value as Record<string, unknown>)[k])]));
  }
  return value;
}
