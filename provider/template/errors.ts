// The Agent37Template members of the error family: a build that failed on Agent37's side, and a
// template that exists but whose create or update did not finish (kept in state by Pulumi).
import { Agent37Error, Agent37ResourceInitError, reasonOf } from "../core/errors";
import { redact } from "../core/redact";
import type { TemplateInputs, TemplateOutputs } from "./types";

/** A template build ended `failed`: Agent37's failure code and the tail of the build's log. */
export class Agent37TemplateBuildError extends Agent37Error {
  override name = "Agent37TemplateBuildError";
  readonly buildId: string;
  readonly template: string;
  /** Agent37's failure code (`build_failed`, `build_timeout`, `invalid_image_archive`, ...). */
  readonly code: string;
  /** The last lines of the build's log. */
  readonly logTail: string;
  constructor(init: { buildId: string; template: string; code: string; apiMessage: string; logTail: string }) {
    const log = init.logTail.trim() === "" ? "(the build wrote no log)" : init.logTail.replace(/\s+$/, "");
    super(
      `template build ${init.buildId} of "${init.template}" failed: ${init.code}${init.apiMessage ? `: ${init.apiMessage}` : ""}\n` +
        `--- end of the build log ---\n${log}\n---\n` +
        "What to do: fix the Dockerfile or the files it uses (the log above says what failed), then run the Pulumi command again; " +
        "the template keeps serving its previous revision.",
    );
    this.buildId = init.buildId;
    this.template = init.template;
    this.code = init.code;
    this.logTail = redact(init.logTail);
  }
}

/**
 * The template exists on Agent37 but the operation did not finish (e.g. a build after it was
 * registered). Carrying `id`, `properties` and `reasons` makes the provider host report it as
 * "created but failed to initialize", so Pulumi keeps the template in state; the next `up`
 * resumes it with an update.
 */
export class Agent37TemplateInitError extends Agent37ResourceInitError {
  override name = "Agent37TemplateInitError";
  constructor(name: string, properties: TemplateOutputs, cause: unknown) {
    super(
      `Agent37 template "${name}" exists but did not finish: ${reasonOf(cause)}\n` +
        "It is kept in the stack's state: run `pulumi up` again to finish it, or `pulumi destroy` to delete it.",
      name,
      properties,
      cause,
    );
  }
}

export function foreignTemplateError(inputs: TemplateInputs, cause?: unknown): Agent37Error {
  return new Agent37Error(
    `name: a template named "${inputs.name}" already exists in this workspace and this resource did not create it ` +
      "(another stack manages it, or it was made by hand); it was left as it is. " +
      "Choose another name, or set `adoptExisting: true` on this Agent37Template to take it over " +
      "(its next revision then comes from this resource, and `pulumi destroy` deletes it).",
    cause === undefined ? undefined : { cause },
  );
}

export function systemTemplateError(id: string): Agent37Error {
  return new Agent37Error(
    `"${id}" is one of Agent37's system templates: Agent37 allows no change and no delete of it (403), so it cannot be imported or managed as an Agent37Template. ` +
      `Use it by name instead (Agent37Instance \`template: "${id}"\`).`,
  );
}
