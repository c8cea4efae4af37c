// The exec call, `POST /v1/instances/{id}/exec` (docs/exec.md). Paths are built with `encodePath`.
import { encodePath, type Agent37Client } from "../core/http";
import { EXEC_TIME_LIMIT_SECONDS, ExecResponse } from "./schema";

/** The platform's own limit plus room for the answer to travel back. */
const EXEC_ATTEMPT_TIMEOUT_MS = (EXEC_TIME_LIMIT_SECONDS + 30) * 1000;
/** Retries (only of answers that say nothing ran) included. */
const EXEC_DEADLINE_MS = 2 * EXEC_ATTEMPT_TIMEOUT_MS;

/**
 * One exec. Not idempotent: a command may append, download, migrate. The client repeats it only
 * when Agent37 said it did nothing (`try_again`, `no_capacity`, 429, a connection that never
 * reached the server); a timeout, reset or 5xx after sending may mean the command ran, so it is
 * reported, never re-sent (retry policy with `idempotent: false`).
 */
export function postExec(client: Agent37Client, instanceId: string, command: string): Promise<ExecResponse> {
  return client.call({
    method: "POST",
    path: encodePath`/v1/instances/${instanceId}/exec`,
    body: { command },
    schema: ExecResponse,
    idempotent: false,
    attemptTimeoutMs: EXEC_ATTEMPT_TIMEOUT_MS,
    deadlineMs: EXEC_DEADLINE_MS,
  });
}
