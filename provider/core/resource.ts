// The seam between a resource and the two front doors. A resource is its declaration
// (core/declare.ts) plus typed operations over decoded inputs and outputs; the adapters
// (front/dynamic/adapter.ts, front/plugin/adapter.ts) are the only code that sees the wire:
// they unwrap secrets, drop nulls, keep unknowns out of validation, turn validation into
// failures, explain and redact errors, map init failures and mark secret outputs.
import type { Connection } from "./connection";
import type { Agent37Client } from "./http";
import type { ChangeKind } from "./kinds";
import type { Declaration } from "./declare";
import type { Loose } from "./declare";
import type { Agent37ResourceInitError } from "./errors";
import type { CheckFailure } from "./check";

/** What an operation is given besides its values. */
export interface OperationContext {
  /** The configured client (the adapter's connection). */
  client(): Agent37Client;
  /**
   * The adapter's connection itself, for an operation that needs its settings (Agent37Instance's
   * URL template) or whether its client was just built (caches of the old workspace go stale).
   */
  connection?(): Connection;
}

/** The operations whose errors the adapter explains, each with the words that name it. */
export type OperationKind = "create" | "read" | "update" | "delete";

export interface Resource<I, O> {
  readonly declaration: Declaration;
  /** Advice per Agent37 error code, where this resource means something else than an instance. */
  readonly advice?: Readonly<Record<string, string>>;
  /**
   * `check` beyond the declaration: given the user inputs (decoded, nulls dropped, unknowns as
   * the sentinel) and the validation's failures, the checked inputs, e.g. with computed inputs
   * filled in or a value normalized. No network (it may read local files, hence a promise). @default the inputs as given
   */
  complete?(inputs: Loose, failures: readonly CheckFailure[]): Loose | Promise<Loose>;
  /**
   * `check`'s refusals beyond the declaration's rules (e.g. a local file that is missing), given
   * the same values as `complete`; no network. @default none
   */
  refuse?(inputs: Loose, failures: readonly CheckFailure[]): CheckFailure[] | Promise<CheckFailure[]>;
  /**
   * The diff's changes in place of the declaration's rules, for a resource whose rules depend on
   * its values (Agent37Template: what a change does depends on the template's source): given the
   * recorded outputs and the checked inputs (decoded), every input that changes, with its kind;
   * pure, but for what the resource remembers of this run (`id`, given by the dynamic door's
   * diff: Agent37Instance notes the instance a replace will delete). It may throw to refuse the
   * plan. @default the declaration's rules (`declaredChanges`)
   */
  changes?(olds: Loose, news: Loose, id?: string): Record<string, ChangeKind>;
  /**
   * The outputs an in-place update with these changes leaves as they are (the dynamic diff's
   * `stables`); pure. @default the declaration's stable outputs (`stableOutputKeys`)
   */
  stables?(changes: Readonly<Record<string, ChangeKind>>): readonly string[];
  /** The diff beyond the declaration's rules (which already gave `changes`); pure. */
  deleteBeforeReplace?(changes: Readonly<Record<string, ChangeKind>>): boolean;
  /**
   * Outputs after an in-place update, for a preview; no API call. `planned` is what a create
   * with the new inputs would show (the declaration's plan). @default the recorded outputs
   */
  planUpdate?(olds: Partial<O>, planned: Loose, news: Loose): Loose;
  /**
   * Outputs of a create, for a preview; no API call. `planned` is the declaration's plan for the
   * checked inputs `news`. @default `planned`
   */
  planCreate?(planned: Loose, news: Loose): Loose;
  /**
   * The words that name an operation in its errors (`adding Agent37 SSH key SHA256:...`);
   * undefined when the operation words and scrubs its own errors (Agent37Exec's name the command
   * and mask its environment), which then leave as it threw them.
   */
  operation(kind: OperationKind, subject: { id?: string; inputs?: I; olds?: Partial<O> }): string | undefined;
  /** An explained create error that leaves something behind, as the init failure that keeps it in state. */
  initFailure?(explained: unknown, inputs: I): Agent37ResourceInitError | undefined;
  create(inputs: I, ctx: OperationContext): Promise<{ id: string; outputs: O }>;
  /** Undefined when the object is gone; `id` when the object's id reads otherwise than the one asked for. */
  read(id: string, olds: Partial<O>, ctx: OperationContext): Promise<{ id?: string; outputs: O; inputs?: Loose } | undefined>;
  update?(id: string, olds: Partial<O>, news: I, ctx: OperationContext): Promise<O>;
  /** An object already gone is deleted. */
  delete(id: string, olds: Partial<O>, ctx: OperationContext): Promise<void>;
}
