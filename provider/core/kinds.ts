// A resource's diff as data: which inputs it has, what a change of each does, and which outputs
// an update never changes. Both front doors use it: the dynamic provider turns it into
// `replaces`/`stables`, a native provider plugin into a detailed diff. Pure.
import type * as pulumi from "@pulumi/pulumi";
import { containsUnknown, isUnknown, unwrapSecrets } from "./check";
import type { Loose } from "./declare";
import { jsonEqual } from "./json";

/** What a change of one input does: applied in place, or a new resource. */
export type ChangeKind = "update" | "replace";

export interface PropertyRule {
  kind: ChangeKind;
  /** What an absent (or null) value stands for, so state of earlier versions compares equal. */
  absent?: unknown;
}

/** The inputs a diff looks at, by name. */
export type DiffRules = Readonly<Record<string, PropertyRule>>;

function valueOf(values: Loose, key: string, rule: PropertyRule): unknown {
  const v = values[key];
  return v === undefined || v === null ? (rule.absent ?? null) : v;
}

/**
 * The inputs that differ between `olds` (recorded outputs, which echo the inputs) and `news`,
 * each with the kind of its change. A value still unknown (preview) counts as a change.
 */
export function propertyChanges(rules: DiffRules, oldsRaw: Loose, newsRaw: Loose): Record<string, ChangeKind> {
  const olds = unwrapSecrets(oldsRaw ?? {});
  const news = unwrapSecrets(newsRaw ?? {});
  const out: Record<string, ChangeKind> = {};
  for (const [key, rule] of Object.entries(rules)) {
    const n = news[key];
    if (isUnknown(n) || containsUnknown(n) || !jsonEqual(valueOf(olds, key, rule), valueOf(news, key, rule))) out[key] = rule.kind;
  }
  return out;
}

/** The dynamic provider's answer for a set of changes. */
export function dynamicDiff(
  changes: Readonly<Record<string, ChangeKind>>,
  opts: { stables?: readonly string[]; deleteBeforeReplace?: boolean } = {},
): pulumi.dynamic.DiffResult {
  const replaces = Object.keys(changes).filter((k) => changes[k] === "replace");
  return {
    changes: Object.keys(changes).length > 0,
    replaces,
    stables: [...(opts.stables ?? [])],
    deleteBeforeReplace: replaces.length > 0 && opts.deleteBeforeReplace === true,
  };
}
