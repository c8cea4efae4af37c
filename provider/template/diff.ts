// `diff` for Agent37Template: pure, over decoded values (the adapters unwrap secrets). The engine
// passes the recorded *outputs* as `olds` and the checked inputs (with `contextHash`) as `news`.
// The template's resource gives these to the seam as its own diff (operations.ts), so both front
// doors classify changes, stable outputs and preview plans the same way.
//
// - `name`: replace (the name is the template's identity).
// - `imageRef` (image templates): in place, a PATCH that adds a revision.
// - `build` (built templates): in place when the context's content hash changed (a new build,
//   a new revision). Moving or renaming the folder with the same content is no change.
// - switching between `imageRef` and `build`: replace (Agent37 cannot turn one kind into the
//   other). The name stays, so the old template is deleted first.
// - `description`, `defaultPort`: in place, same revision. The resource owns them: an omitted
//   one means none (`defaultPort` null: the 3737 fallback).
// Unknown values (preview) count as changes of their kind.
import { containsUnknown, isUnknown } from "../core/check";
import type { Loose } from "../core/declare";
import type { ChangeKind } from "../core/kinds";
import type { TemplateOutputs } from "./types";

/** Outputs that no update changes (an update never renames: a new name replaces). */
export const TEMPLATE_STABLE_OUTPUTS = ["name"] as const satisfies readonly (keyof TemplateOutputs)[];

const blankToNull = (v: unknown): unknown => (v === undefined || v === null || v === "" ? null : v);

type Source = "image" | "build";

function oldSource(o: Loose): Source {
  return o.build !== null && o.build !== undefined ? "build" : "image";
}

function newSource(n: Loose): Source | undefined {
  if (n.build !== undefined && n.build !== null) return "build";
  if (n.imageRef !== undefined && n.imageRef !== null) return "image";
  return undefined;
}

/** Every input that changes, with its kind. `olds` are the recorded outputs. */
export function templateChanges(olds: Loose, news: Loose): Map<string, ChangeKind> {
  const o = olds ?? {};
  const n = news ?? {};
  const out = new Map<string, ChangeKind>();
  if (n.name !== undefined && (isUnknown(n.name) || n.name !== o.name)) out.set("name", "replace");

  const before = oldSource(o);
  const after = newSource(n);
  if (after !== undefined && after !== before) {
    out.set(after === "build" ? "build" : "imageRef", "replace");
  } else if (after === "image") {
    if (isUnknown(n.imageRef) || n.imageRef !== o.imageRef) out.set("imageRef", "update");
  } else if (after === "build") {
    // No hash means the context is unknown until apply (preview): it may change.
    const hash = n.contextHash;
    if (typeof hash !== "string" || isUnknown(hash) || containsUnknown(n.build) || hash !== o.contextHash) out.set("build", "update");
  }

  if (isUnknown(n.description) || blankToNull(n.description) !== blankToNull(o.description)) out.set("description", "update");
  if (isUnknown(n.defaultPort) || blankToNull(n.defaultPort) !== blankToNull(o.defaultPort)) out.set("defaultPort", "update");
  return out;
}

export interface TemplateDiff {
  changes: boolean;
  replaces: string[];
  /** A replace that keeps the name must free it first (Agent37 refuses two templates of one name). */
  deleteBeforeReplace: boolean;
  /** Per input: `update` or `replace` (what a detailed diff reports). */
  detailed: Record<string, ChangeKind>;
}

export function diffTemplate(olds: Loose, news: Loose): TemplateDiff {
  const changed = templateChanges(olds, news);
  const replaces = [...changed].filter(([, kind]) => kind === "replace").map(([key]) => key);
  return {
    changes: changed.size > 0,
    replaces,
    deleteBeforeReplace: replaces.length > 0 && !changed.has("name"),
    detailed: Object.fromEntries(changed),
  };
}

/**
 * The outputs an update with these changes leaves as they are: with no new revision (only
 * `description`/`defaultPort` change) everything about the image stays too.
 */
export function stableOutputs(changes: ReadonlyMap<string, ChangeKind>): (keyof TemplateOutputs)[] {
  const stable: (keyof TemplateOutputs)[] = [...TEMPLATE_STABLE_OUTPUTS];
  if (!changes.has("imageRef") && !changes.has("build")) stable.push("revision", "pinned", "imageRef", "imageDigest", "buildId", "contextHash", "build");
  if (!changes.has("description")) stable.push("description");
  if (!changes.has("defaultPort")) stable.push("defaultPort");
  return stable;
}

/**
 * The outputs known before an update runs (for previews of dependents): the stable ones from
 * `olds`, and those the inputs decide. Outputs left out are unknown until the update finishes.
 */
export function plannedOutputs(olds: Loose, news: Loose): Partial<TemplateOutputs> {
  const o = (olds ?? {}) as Partial<TemplateOutputs>;
  const n = news ?? {};
  const changes = templateChanges(o as Loose, n);
  const planned: Partial<TemplateOutputs> = {};
  if ([...changes.values()].includes("replace")) {
    // A new template: only what the inputs say is known.
    if (typeof n.name === "string" && !isUnknown(n.name)) planned.name = n.name;
    if (!isUnknown(n.description)) planned.description = blankToNull(n.description) as string | null;
    if (!isUnknown(n.defaultPort)) planned.defaultPort = blankToNull(n.defaultPort) as number | null;
    if (typeof n.imageRef === "string" && !isUnknown(n.imageRef)) planned.imageRef = n.imageRef;
    return planned;
  }
  for (const key of stableOutputs(changes)) (planned as Loose)[key] = (o as Loose)[key] ?? null;
  if (changes.has("description") && !isUnknown(n.description)) planned.description = blankToNull(n.description) as string | null;
  if (changes.has("defaultPort") && !isUnknown(n.defaultPort)) planned.defaultPort = blankToNull(n.defaultPort) as number | null;
  if (changes.get("imageRef") === "update" && typeof n.imageRef === "string" && !isUnknown(n.imageRef)) planned.imageRef = n.imageRef;
  if (changes.get("build") === "update" && typeof n.contextHash === "string" && !isUnknown(n.contextHash)) planned.contextHash = n.contextHash;
  return planned;
}
