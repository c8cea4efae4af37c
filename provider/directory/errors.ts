// Agent37Directory's own failure: a sync cut off part-way. What was surely written is kept in the
// state (an init failure), so the next `up` finishes from there without rewriting those files and
// without touching anything it did not write.
import { Agent37Error, Agent37ResourceInitError, reasonOf } from "../core/errors";
import type { DirectoryOutputs } from "./types";

/** A sync that stopped part-way: the outputs record exactly the files written before it stopped. */
export class Agent37DirectoryIncompleteError extends Agent37Error {
  override name = "Agent37DirectoryIncompleteError";
  constructor(
    readonly id: string,
    readonly outputs: DirectoryOutputs,
    cause: unknown,
  ) {
    super(reasonOf(cause), { cause });
  }
}

/** The init failure that keeps a partial sync in the state. */
export class Agent37DirectoryInitError extends Agent37ResourceInitError {
  override name = "Agent37DirectoryInitError";
  constructor(id: string, outputs: DirectoryOutputs, explained: unknown) {
    super(
      `${reasonOf(explained)}\nWhat was surely written is kept in the stack's state (${outputs.files} files in the folder's record): run \`pulumi up\` again to finish the folder (files already written are not sent again, and no file this resource did not write is touched).`,
      id,
      outputs,
      explained,
    );
  }
}
