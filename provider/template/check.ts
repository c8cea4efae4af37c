// `check` for Agent37Template beyond its declaration (fields.ts), with no network: the rule that
// exactly one of `imageRef` and `build` is set (it must see values still unknown at preview), and
// the build context, read and hashed here and recorded as the input `contextHash`, so a preview
// shows a changed source file as an update without any API call or upload. The adapters decode
// the values and validate the declared fields; `checkTemplateInputs` and `parseTemplateInputs`
// apply the same rules outside them (tests, embedding).
import { InputError, checkAgainst, isUnknown, parseAgainst, type CheckFailure } from "../core/check";
import type { Loose } from "../core/declare";
import { inputSchema } from "../core/validate";
import { ContextError, inspectContext } from "./context";
import { TEMPLATE } from "./fields";
import type { TemplateInputs } from "./types";

const isSet = (v: unknown): boolean => v !== undefined && v !== null;

/** The source rule: exactly one of `imageRef` and `build` (an unknown one counts as set). */
export function sourceFailures(inputs: Loose): CheckFailure[] {
  const image = isSet(inputs.imageRef);
  const build = isSet(inputs.build);
  if (image && build) return [{ property: "imageRef", reason: "set exactly one of imageRef and build, not both" }];
  if (!image && !build) return [{ property: "imageRef", reason: "set exactly one of imageRef (a public image) and build (a folder with a Dockerfile)" }];
  return [];
}

// Check reads the context once: refuse and complete are given the same inputs object.
const inspected = new WeakMap<Loose, Promise<string | ContextError>>();

/**
 * The content hash of a known, valid build context (or why it cannot be read); undefined when
 * there is no build, or it is still unknown, or the declared rules already refuse it.
 */
function contextHashOf(inputs: Loose, failures: readonly CheckFailure[]): Promise<string | ContextError> | undefined {
  const build = inputs.build;
  if (build === null || typeof build !== "object" || Array.isArray(build)) return undefined;
  const { context, dockerfile } = build as Loose;
  if (typeof context !== "string" || isUnknown(context) || isUnknown(dockerfile)) return undefined;
  if (failures.some((f) => f.property.startsWith("build"))) return undefined;
  let hash = inspected.get(inputs);
  if (hash === undefined) {
    hash = inspectContext(context, isSet(dockerfile) ? (dockerfile as string) : undefined).then(
      (r) => r.contextHash,
      (err: unknown) => {
        if (err instanceof ContextError) return err;
        throw err;
      },
    );
    inspected.set(inputs, hash);
  }
  return hash;
}

/** `check`'s refusals beyond the declared fields: the source rule, and a context that cannot be built. */
export async function refuseTemplate(inputs: Loose, declared: readonly CheckFailure[]): Promise<CheckFailure[]> {
  const failures = sourceFailures(inputs);
  const hash = await contextHashOf(inputs, declared);
  if (hash instanceof ContextError) failures.push({ property: hash.property, reason: hash.message });
  return failures;
}

/** The checked inputs: `contextHash` is the context's own (one given is never trusted), absent while it is unknown. */
export async function completeTemplate(inputs: Loose, failures: readonly CheckFailure[]): Promise<Loose> {
  const out: Loose = { ...inputs };
  delete out.contextHash;
  // A context refused (declared rules, or unreadable: refuseTemplate) has no hash.
  const hash = await contextHashOf(inputs, failures);
  if (typeof hash === "string") out.contextHash = hash;
  return out;
}

let schema: ReturnType<typeof inputSchema> | undefined;

export interface TemplateCheck {
  /** The inputs to record, `contextHash` added for a build whose context is known. */
  inputs: Loose;
  failures: CheckFailure[];
}

/**
 * Validates Agent37Template inputs as the adapters do; every problem is a `{property, reason}`
 * failure. A build's context is scanned, size-checked and hashed (reads files, never the network).
 */
export async function checkTemplateInputs(news: Loose): Promise<TemplateCheck> {
  schema ??= inputSchema(TEMPLATE);
  const declared = checkAgainst(schema, TEMPLATE.className, news);
  const failures = [...declared, ...(await refuseTemplate(news, declared))];
  return { inputs: await completeTemplate(news, failures), failures };
}

/** Typed inputs (known values only: create and update run after preview). */
export function parseTemplateInputs(news: Loose): TemplateInputs {
  schema ??= inputSchema(TEMPLATE);
  const failures = sourceFailures(news);
  let parsed: TemplateInputs | undefined;
  try {
    parsed = parseAgainst(schema, TEMPLATE.className, news) as TemplateInputs;
  } catch (err) {
    if (!(err instanceof InputError)) throw err;
    failures.push(...err.failures);
  }
  if (failures.length > 0 || parsed === undefined) throw new TemplateInputError(failures);
  return parsed;
}

/** Agent37Template inputs rejected at create/update time (the engine normally stops them at check). */
export class TemplateInputError extends InputError {
  constructor(failures: CheckFailure[]) {
    super(failures, TEMPLATE.className);
  }
}
