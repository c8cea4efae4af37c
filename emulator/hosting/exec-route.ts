import { EmulatorError, api } from "../errors";
import { json, type Reply } from "../http";
import type { ApiContext } from "./context";
import { ExecTimeoutError } from "./exec";
import { requireInstance } from "./instances";
import { ExecBody, parseWith } from "./validate";

/**
 * `POST /v1/instances/{id}/exec`: a real `sh -c` on this machine, in the
 * instance's own folder. Offered only while the emulator listens on loopback: anyone who can reach
 * a non-loopback emulator could otherwise run commands on its host.
 */
export async function execInstance(ctx: ApiContext): Promise<Reply> {
  const rec = requireInstance(ctx);
  const body = parseWith(ExecBody, await ctx.body());
  if (!ctx.rt.loopback) {
    throw new EmulatorError(
      403,
      "exec_disabled",
      "Exec runs commands on the emulator's host, so it is only enabled while the emulator listens on a loopback address (--host 127.0.0.1).",
    );
  }
  if (body.command.includes("\u0000")) throw api.invalidRequest("Invalid request: `command` must not contain a null byte.");
  if (rec.status !== "running") throw api.invalidRequest(`Cannot exec in instance ${rec.id} while it is ${rec.status} (exec requires running).`);
  try {
    return json(200, await ctx.rt.exec.run(rec.id, body.command, rec.env));
  } catch (err) {
    if (err instanceof ExecTimeoutError) throw api.provisioningFailed(`Exec in instance ${rec.id} failed: ${err.message}.`);
    throw api.provisioningFailed(`Exec in instance ${rec.id} failed: the command could not be started.`);
  }
}
