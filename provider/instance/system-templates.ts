// The system catalog: the templates Agent37 publishes for every workspace under the reserved
// `agent37-` prefix (the system catalog of the templates docs). Check refuses any other `agent37-` name offline,
// since Agent37 answers such a create with `400 invalid_request` only at `up`.
//
// Assumption: the catalog changes rarely and only by Agent37 publishing a new entry (Claude Code
// and Codex are announced as "coming soon"); using a new one needs a release of this package
// that lists it. Kept free of imports so inputs.ts can use it without a cycle.

export const SYSTEM_TEMPLATES: readonly string[] = ["agent37-hermes", "agent37-hermes-small", "agent37-openclaw"];

export const SYSTEM_PREFIX = "agent37-";

/** Why a template name in the reserved prefix is refused, or undefined for a known one (or another name). */
export function systemTemplateProblem(name: string): string | undefined {
  if (!name.startsWith(SYSTEM_PREFIX) || SYSTEM_TEMPLATES.includes(name)) return undefined;
  const near = nearest(name, SYSTEM_TEMPLATES);
  return (
    `"${name}" is not a system template: the \`${SYSTEM_PREFIX}\` prefix is reserved for Agent37's system templates (${SYSTEM_TEMPLATES.join(", ")})` +
    (near !== undefined ? `; did you mean "${near}"?` : "")
  );
}

/** The closest of `names` to `s` by edit distance, when it is close enough to be a likely typo. */
function nearest(s: string, names: readonly string[]): string | undefined {
  let best: { name: string; d: number } | undefined;
  for (const name of names) {
    const d = editDistance(s, name);
    if (best === undefined || d < best.d) best = { name, d };
  }
  // A typo or two in the part after the prefix; anything further is a different name.
  return best !== undefined && best.d <= Math.max(2, Math.floor((s.length - SYSTEM_PREFIX.length) / 3)) ? best.name : undefined;
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min((prev[j] as number) + 1, (row[j - 1] as number) + 1, (prev[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = row;
  }
  return prev[b.length] as number;
}
