/**
 * The preview-truth generator shared by preview-truth.test.ts: seeded chains of Agent37Instance
 * changes, each previewed and then applied through one door (the plugin's gRPC service or
 * Pulumi's dynamic provider host), with every contradiction between what the preview said and
 * what the update did collected as a problem.
 *
 * Per change, as the engine runs it: Check, then Diff against the recorded outputs, then
 * - "no change": the engine would keep the outputs; the update is run anyway and must return
 *   exactly the recorded outputs (a no-change diff that an update would contradict is a lie);
 * - a replace: the planned outputs of the create, then the real create (and the old one deleted);
 * - an update: the planned outputs (`Update` with `preview: true`), then the real update.
 * Every known planned output must equal what the create or update returned, and every output
 * the diff calls stable must come back unchanged.
 *
 * The plugin sends a plan. The dynamic door cannot: the host does not answer Configure with
 * `supportsPreview`, so Pulumi's engine shows the checked inputs as the planned outputs. There
 * the outputs that are the input as given (template, metadata, autoSleep, idleTimeoutSeconds, state,
 * env, a non-empty name or user) are compared; the others have another shape as outputs
 * (`ports`, `publicPorts`, `health`, `budget`, `resources`) and are unknown to a dependent only
 * through the plugin's plan.
 */
import { isDeepStrictEqual } from "node:util";
import { makeUrn, PROVIDER_KEY, UNKNOWN, type ProviderHost } from "../harness";
import { isSecretEnvelope } from "../harness/protocol";
import { inputsOf, prng, TYPE } from "./helpers";

export type Inputs = Record<string, unknown>;
export type DoorName = "plugin" | "dynamic";

export interface Door {
  name: DoorName;
  host: ProviderHost;
}

export const PLUGIN_TYPE = "agent37:index:Instance";

export function urnOf(door: DoorName, name: string): string {
  return makeUrn("dev", "preview-truth", door === "plugin" ? PLUGIN_TYPE : TYPE, name);
}

/** What the engine sends as the program's inputs through `door`. */
export function engineInputs(door: DoorName, raw: Inputs): Promise<Inputs> | Inputs {
  return door === "plugin" ? raw : inputsOf(raw);
}

/** Outputs as a program sees them: secrets unwrapped, the dynamic host's `__provider` left out. */
export function plainOutputs(props: Inputs): Inputs {
  const unwrap = (v: unknown): unknown => {
    if (isSecretEnvelope(v)) return unwrap(v.value);
    if (Array.isArray(v)) return v.map(unwrap);
    if (v !== null && typeof v === "object") return Object.fromEntries(Object.entries(v as Inputs).map(([k, x]) => [k, unwrap(x)]));
    return v;
  };
  const out = unwrap(props) as Inputs;
  delete out[PROVIDER_KEY];
  return out;
}

const containsUnknown = (v: unknown): boolean =>
  v === UNKNOWN || (Array.isArray(v) ? v.some(containsUnknown) : v !== null && typeof v === "object" && Object.values(v).some(containsUnknown));

/** Outputs the dynamic door's plan (the checked inputs) carries as they will be recorded. */
const DYNAMIC_VERBATIM = ["template", "metadata", "autoSleep", "idleTimeoutSeconds", "env", "state"];

/** Known planned outputs that differ from `actual`: `key: planned -> actual`. */
export function knownMismatches(door: DoorName, planned: Inputs, actual: Inputs): string[] {
  const keys =
    door === "plugin"
      ? Object.keys(planned)
      : [...DYNAMIC_VERBATIM, ...["name", "user"].filter((k) => typeof planned[k] === "string" && planned[k] !== "")];
  const out: string[] = [];
  for (const k of keys) {
    if (!(k in planned) || containsUnknown(planned[k])) continue;
    if (!isDeepStrictEqual(planned[k], actual[k] ?? null)) out.push(`${k}: planned ${JSON.stringify(planned[k])}, got ${JSON.stringify(actual[k])}`);
  }
  return out;
}

/** Outputs that differ between two sets: `key: before -> after`. */
export function changedOutputs(before: Inputs, after: Inputs): string[] {
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...keys].filter((k) => !isDeepStrictEqual(before[k], after[k])).map((k) => `${k}: ${JSON.stringify(before[k])} -> ${JSON.stringify(after[k])}`);
}

// ---- the generator ----------------------------------------------------------------------------

/** Each input's values; `undefined` leaves it out. Repeats weight a value. */
const CHOICES: Record<string, readonly unknown[]> = {
  template: [undefined, undefined, undefined, "agent37-hermes", "agent37-hermes", "agent37-hermes-small"],
  name: [undefined, "", "a", "b", "c"],
  user: [undefined, "", "team-1", "team-2"],
  metadata: [undefined, {}, { team: "a" }, { team: "b", n: 1 }],
  type: [undefined, "dedicated"],
  autoSleep: [undefined, false, true],
  idleTimeoutSeconds: [undefined, 300, 600, 3600],
  budget: [
    undefined,
    {},
    { monthlyCapMicros: 0 },
    { monthlyCapMicros: 5_000_000 },
    { monthlyCapMicros: 7_000_000 },
    { creditMicros: 0 },
    { monthlyCapMicros: 5_000_000, creditMicros: 0 },
    { creditMicros: 1_000_000 },
  ],
  state: [undefined, undefined, "running", "stopped"],
  ports: [undefined, [], [3000], [3000, 8000], [8000, 3000]],
  publicPorts: [undefined, [], [{ port: 3000 }], [{ port: 3000, prefix: "web" }], [{ port: 3000, label: "site" }], [{ port: 4000 }, { port: 3000 }]],
  health: [undefined, {}, { disabled: true }, { disabled: false }, { timeoutSeconds: 600 }, { timeoutSeconds: 120 }, { path: "/v1/health" }, { status: "2xx" }],
  resources: [undefined, undefined, { cpu: 2, memory: 4 }, { disk: 4 }, { disk: 6 }, { cpu: 2, memory: 4, disk: 8 }],
  env: [undefined, undefined, undefined, undefined, {}, { GREETING: "hello" }],
};
const FIELDS = Object.keys(CHOICES);

export class Changes {
  private readonly r: () => number;
  constructor(seed: number) {
    this.r = prng(seed);
  }
  private pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.r() * items.length)] as T;
  }
  private set(inputs: Inputs, field: string): void {
    const v = this.pick(CHOICES[field] as readonly unknown[]);
    if (v === undefined) delete inputs[field];
    else inputs[field] = structuredClone(v);
  }
  /** A first set of inputs: each field present with probability 1/2. */
  base(): Inputs {
    const out: Inputs = {};
    for (const f of FIELDS) if (this.r() < 0.5) this.set(out, f);
    return out;
  }
  /** The next inputs: one to three fields of `current` changed (to a value, or left out). */
  next(current: Inputs): Inputs {
    const out = structuredClone(current);
    for (let n = 1 + Math.floor(this.r() * 3); n > 0; n--) this.set(out, this.pick(FIELDS));
    return out;
  }
}

// ---- one chain of changes through one door ---------------------------------------------------

export interface Recorded {
  id: string;
  outs: Inputs;
  inputs: Inputs;
}

/** What the diff said of one change: compared across the doors. */
export interface Verdict {
  changes: string;
  replaces: string[];
}

export interface ChainResult {
  verdicts: Verdict[];
  problems: string[];
  last: Recorded | undefined;
}

/** Creates the chain's instance from `raw` (Check, then Create); the outputs as recorded. */
export async function createThrough(door: Door, urn: string, raw: Inputs): Promise<Recorded> {
  const checked = await door.host.check(urn, {}, await engineInputs(door.name, raw));
  if (checked.failures.length > 0) throw new Error(`check refused ${JSON.stringify(raw)}: ${JSON.stringify(checked.failures)}`);
  const created = await door.host.create(urn, checked.inputs);
  return { id: created.id, outs: created.properties, inputs: checked.inputs };
}

/**
 * Previews and applies `raw` on `rec` as the engine would (see the file comment), checking
 * every promise of the preview. Returns the new record, the diff's verdict, and the problems.
 */
export async function changeThrough(door: Door, urn: string, rec: Recorded, raw: Inputs): Promise<{ rec: Recorded; verdict: Verdict; problems: string[] }> {
  const host = door.host;
  const checked = await host.check(urn, rec.inputs, await engineInputs(door.name, raw));
  if (checked.failures.length > 0) throw new Error(`check refused ${JSON.stringify(raw)}: ${JSON.stringify(checked.failures)}`);
  const news = checked.inputs;
  const diff = await host.diff(urn, rec.id, rec.outs, news, rec.inputs);
  const verdict = { changes: diff.changes, replaces: [...diff.replaces].sort() };
  const problems: string[] = [];
  const before = plainOutputs(rec.outs);
  if (diff.changes === "none") {
    const forced = await host.update(urn, rec.id, rec.outs, news, rec.inputs);
    for (const c of changedOutputs(before, plainOutputs(forced.properties))) problems.push(`no change diffed, but the update changed ${c}`);
    return { rec: { ...rec, inputs: news }, verdict, problems };
  }
  if (diff.replaces.length > 0) {
    const planned = door.name === "plugin" ? plainOutputs((await host.create(urn, news, { preview: true })).properties) : plainOutputs(news);
    const created = await host.create(urn, news);
    for (const m of knownMismatches(door.name, planned, plainOutputs(created.properties))) problems.push(`replace (${verdict.replaces.join(", ")}): ${m}`);
    await host.delete(urn, rec.id, rec.outs, rec.inputs);
    return { rec: { id: created.id, outs: created.properties, inputs: news }, verdict, problems };
  }
  const planned = door.name === "plugin" ? plainOutputs((await host.update(urn, rec.id, rec.outs, news, rec.inputs, { preview: true })).properties) : plainOutputs(news);
  const updated = await host.update(urn, rec.id, rec.outs, news, rec.inputs);
  const after = plainOutputs(updated.properties);
  for (const m of knownMismatches(door.name, planned, after)) problems.push(`update: ${m}`);
  for (const k of diff.stables ?? []) {
    if (!isDeepStrictEqual(before[k], after[k])) problems.push(`update: ${k} listed stable, but ${JSON.stringify(before[k])} -> ${JSON.stringify(after[k])}`);
  }
  return { rec: { id: rec.id, outs: updated.properties, inputs: news }, verdict, problems };
}

/** `steps` seeded changes on one instance through `door`; its instance is left for the caller to delete. */
export async function runChain(door: Door, name: string, seed: number, steps: number): Promise<ChainResult> {
  const gen = new Changes(seed);
  const urn = urnOf(door.name, name);
  let raw = gen.base();
  const verdicts: Verdict[] = [];
  const problems: string[] = [];
  let rec: Recorded | undefined;
  try {
    rec = await createThrough(door, urn, raw);
    for (let i = 0; i < steps; i++) {
      const next = gen.next(raw);
      const r = await changeThrough(door, urn, rec, next);
      verdicts.push(r.verdict);
      for (const p of r.problems) problems.push(`${door.name} ${name} #${i}: ${JSON.stringify(raw)} => ${JSON.stringify(next)}: ${p}`);
      rec = r.rec;
      raw = next;
    }
  } catch (err) {
    problems.push(`${door.name} ${name}: failed after ${verdicts.length} changes from ${JSON.stringify(raw)}: ${err instanceof Error ? err.message : String(err)}`);
  }
  return { verdicts, problems, last: rec };
}
