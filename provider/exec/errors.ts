// The Agent37Exec member of the error family: a command that ran with the wrong exit code, or an
// exec whose outcome the provider cannot vouch for. Messages never carry environment values
// (callers mask them) nor the API key (the root class redacts it).
import { Agent37Error } from "../core/errors";

export type ExecPhase = "create" | "update" | "delete";

export class Agent37ExecError extends Agent37Error {
  override name = "Agent37ExecError";
  readonly instanceId: string;
  readonly phase: ExecPhase;
  /** Set when the command ran and exited with a code other than `expectExitCode`. */
  readonly exitCode: number | undefined;
  readonly expectedExitCode: number | undefined;
  /** Last ~2 KB of stderr (or of stdout when stderr was empty), environment values masked. */
  readonly outputTail: string | undefined;
  constructor(
    message: string,
    init: { instanceId: string; phase: ExecPhase; exitCode?: number; expectedExitCode?: number; outputTail?: string; cause?: unknown },
  ) {
    super(message, init.cause === undefined ? undefined : { cause: init.cause });
    this.instanceId = init.instanceId;
    this.phase = init.phase;
    this.exitCode = init.exitCode;
    this.expectedExitCode = init.expectedExitCode;
    this.outputTail = init.outputTail;
  }
}
