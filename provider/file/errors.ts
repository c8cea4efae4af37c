// The failures of Agent37File (and Agent37Directory's files) that are their own: a file this
// resource did not write, an edit made inside the instance since the last refresh, a stopped
// instance. Each names the file or the instance and says what to do.
import { Agent37Error } from "../core/errors";

/** Create with `overwrite: false` found a file at `path` that this resource did not write. */
export class Agent37FileExistsError extends Agent37Error {
  override name = "Agent37FileExistsError";
  constructor(readonly path: string) {
    super(
      `a file already exists at path ${path} in the instance, and this resource did not write it\n` +
        "What to do: Agent37File never overwrites a file it did not write. To replace it, set `overwrite: true` on this resource; otherwise give another `path`, then run the Pulumi command again.",
    );
  }
}

/** `412 modified`: the file was edited inside the instance since the last refresh. */
export class Agent37FileModifiedError extends Agent37Error {
  override name = "Agent37FileModifiedError";
  constructor(readonly path: string) {
    super(
      `the file ${path} was modified inside the instance since Pulumi last read it, so it was not overwritten\n` +
        "What to do: run `pulumi refresh` (it shows the edit as drift), then `pulumi up` to restore the declared content.",
    );
  }
}

/** The instance is stopped (or stopping): its gateway cannot write files until it is started. */
export class Agent37InstanceStoppedError extends Agent37Error {
  override name = "Agent37InstanceStoppedError";
  constructor(
    readonly instanceId: string,
    status: string,
  ) {
    super(`instance ${instanceId} is ${status === "stopped" ? "stopped" : `${status} (stopped)`}: its files cannot be reached\nWhat to do: start the instance (\`running: true\` on its Agent37Instance, or the dashboard), then run the Pulumi command again.`);
  }
}

/** A path in the instance that is there but is not a regular file (a folder, a link): never deleted or overwritten. */
export class Agent37NotAFileError extends Agent37Error {
  override name = "Agent37NotAFileError";
  constructor(
    readonly path: string,
    type: string,
  ) {
    super(`${path} in the instance is a ${type}, not a file: it is left as it is\nWhat to do: remove it inside the instance or give another \`path\`, then run the Pulumi command again.`);
  }
}
