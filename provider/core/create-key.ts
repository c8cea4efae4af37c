// The create key of a resource (an instance's, a template's), shared by the dynamic resource class
// and the plugin, which fills a declaration's `createKeyInput` from the URN (front/plugin/adapter.ts),
// and the plugin provider's create scope that narrows it (kept in the provider's state).
// Kept apart from the resource classes so that the plugin loads it without @pulumi/pulumi's runtime.
import { createHash } from "node:crypto";

const TYPE_TOKEN = "pulumi-nodejs:dynamic/agent37:Instance";

/**
 * A resource's create key: the same for the same resource of the same stack on every run (from
 * project, stack, type, parent and name, what makes its URN), so a run can find an instance whose
 * create an earlier run started but never saw finish. 32 hex digits: names can be long, and the
 * key travels in the instance's metadata.
 */
export function createKeyOf(parts: { project: string; stack: string; type?: string; parentUrn?: string | undefined; name: string }): string {
  const text = [parts.project, parts.stack, parts.type ?? TYPE_TOKEN, parts.parentUrn ?? "", parts.name].join("\u0000");
  return createHash("sha256").update(text).digest("hex").slice(0, 32);
}

/**
 * The create key of the resource a plugin URN names (`urn:pulumi:<stack>::<project>::<qualified
 * type>::<name>`), the same parts the dynamic door's class derives it from; `type` stands in when
 * the URN has no type part.
 */
export function createKeyOfUrn(urn: string, type: string): string {
  const [head = "", project = "", qualified = type, ...name] = urn.split("::");
  return createKeyOf({ project, stack: head.replace(/^urn:pulumi:/, ""), type: qualified, name: name.join("::") });
}

/**
 * The key a new create writes into its marker: the create key narrowed to the stack's
 * `scope`, what the engine tells apart beyond the URN (the organization in the dynamic door; the
 * provider's own scope, kept in its state, in the plugin). Without a scope it is the create key
 * itself, as in 0.1.0. 32 hex digits, like the create key, so markers keep their shape.
 */
export function scopedCreateKey(key: string, scope: string | undefined): string {
  if (scope === undefined || scope === "") return key;
  return createHash("sha256").update(`${key}\u0000${scope}`).digest("hex").slice(0, 32);
}

/**
 * The provider's create scope, under this key of its inputs: a random value CheckConfig adds to
 * the provider's inputs the first time, kept from the recorded inputs ever after. The engine
 * stores it with the stack's state, so it tells this stack's unfinished creates from those of a
 * stack of the same project and stack name in another backend or organization, which the engine
 * never tells a provider (docs/reliability.md, "The ambiguity rule", step 9). Never a change of
 * the provider. The leading `_` marks it internal to the engine's plan checks: a preview of a
 * new stack draws another scope than its `up --plan` does, and must not fail the plan.
 */
export const CREATE_SCOPE_KEY = "_createScope";

/** Whether `v` has a create scope's shape (32 lowercase hex digits, what `fresh` draws). */
export function isCreateScope(v: unknown): v is string {
  return typeof v === "string" && /^[0-9a-f]{32}$/.test(v);
}

/** The create scope for the checked inputs: the recorded one, else one given, else a new one. */
export function createScopeOf(recorded: unknown, given: unknown, fresh: () => string): string {
  for (const v of [recorded, given]) if (isCreateScope(v)) return v;
  return fresh();
}
