// What an Agent37Instance will look like after a create or update, computed from the recorded
// outputs and the new inputs alone (no API call): the planned outputs a preview shows. A value
// the plan cannot vouch for is the engine's unknown; everything else is known, so dependents of
// a renamed instance see its unchanged URL instead of "changes after apply".
import { UNKNOWN, containsUnknown, isUnknown, unwrapSecrets } from "../core/check";
import { jsonEqual } from "../core/wire";
import { changedInputs, type FieldChange } from "./diff";
import { userMetadata, type InstanceOutputs } from "./outputs";

type Loose = Record<string, unknown>;

const present = (v: unknown): boolean => v !== undefined && v !== null;
const orUnknown = <T>(v: T): T | string => (containsUnknown(v) ? UNKNOWN : v);
const text = (v: unknown): unknown => (isUnknown(v) ? UNKNOWN : v === "" || v === undefined ? null : v);

/** Outputs known from the inputs alone: echoes and values the API takes as given. */
function echoes(news: Loose): Loose {
  const out: Loose = {};
  if (present(news.name)) out.name = text(news.name);
  if (present(news.user)) out.user = text(news.user);
  if (present(news.metadata)) out.metadata = orUnknown(isUnknown(news.metadata) ? UNKNOWN : userMetadata(news.metadata as Loose));
  if (present(news.autoSleep)) out.autoSleep = news.autoSleep;
  if (present(news.idleTimeoutSeconds)) out.idleTimeoutSeconds = news.idleTimeoutSeconds;
  if (present(news.type)) out.type = news.type;
  if (present(news.env)) out.env = orUnknown(news.env);
  if (present(news.budget)) {
    const b = news.budget as Loose;
    out.budget = isUnknown(b) ? UNKNOWN : { monthlyCapMicros: b.monthlyCapMicros ?? null, creditMicros: b.creditMicros ?? null };
  }
  if (present(news.adoptInstanceId)) out.adoptInstanceId = news.adoptInstanceId;
  out.requestedPorts = orUnknown(present(news.ports) ? news.ports : []);
  return out;
}

/**
 * Planned outputs of a create: the inputs' echoes are known, everything the API assigns (id,
 * URLs, status, image) is unknown.
 */
export function plannedCreateOutputs(newsRaw: Loose): Loose {
  const news = unwrapSecrets(newsRaw ?? {});
  const resources = news.resources as Loose | undefined;
  const fullShape = resources !== undefined && ["cpu", "memory", "disk"].every((k) => typeof resources[k] === "number");
  return {
    instanceId: UNKNOWN,
    url: UNKNOWN,
    ports: UNKNOWN,
    portUrls: UNKNOWN,
    status: UNKNOWN,
    statusReason: UNKNOWN,
    template: present(news.template) ? news.template : UNKNOWN,
    templateRevision: UNKNOWN,
    imageRef: UNKNOWN,
    imageDigest: UNKNOWN,
    resources: fullShape ? { cpu: resources.cpu, memory: resources.memory, disk: resources.disk } : UNKNOWN,
    publicPorts: UNKNOWN,
    domainUrls: UNKNOWN,
    name: null,
    user: null,
    metadata: {},
    autoSleep: false,
    idleTimeoutSeconds: 300,
    created: UNKNOWN,
    health: UNKNOWN,
    type: null,
    env: {},
    budget: null,
    adoptInstanceId: null,
    ...echoes(news),
  };
}

/**
 * Planned outputs of an in-place update from recorded outputs `olds` and new inputs `news`.
 * Each change marks unknown exactly the outputs it can move: a new template the image, ports and
 * health; a resize the health; new public ports their URLs; a run-state change the status and
 * health; new `ports` the port URLs. A rename changes the name and nothing else.
 */
export function plannedUpdateOutputs(oldsRaw: Loose, newsRaw: Loose, changes?: Map<string, FieldChange>): Loose {
  const olds = unwrapSecrets(oldsRaw ?? {}) as Partial<InstanceOutputs> & Loose;
  const news = unwrapSecrets(newsRaw ?? {});
  const changed = changes ?? changedInputs(olds, news);
  const out: Loose = { ...olds, ...echoes(news) };
  const unknown = (...keys: string[]) => keys.forEach((k) => (out[k] = UNKNOWN));
  if (changed.has("template")) {
    unknown("template", "templateRevision", "imageRef", "imageDigest", "url", "ports", "portUrls", "status", "statusReason", "health");
  }
  if (changed.has("resources")) {
    const n = news.resources as Loose;
    const o = (olds.resources ?? {}) as Loose;
    const merged = { cpu: n.cpu ?? o.cpu, memory: n.memory ?? o.memory, disk: n.disk ?? o.disk };
    out.resources = Object.values(merged).every((v) => typeof v === "number") ? merged : UNKNOWN;
    unknown("status", "statusReason", "health");
  }
  if (changed.has("publicPorts")) unknown("publicPorts", "domainUrls");
  if (changed.has("state")) unknown("status", "statusReason", "health");
  if (changed.has("ports")) unknown("ports", "portUrls");
  return out;
}

/**
 * The outputs an update leaves as they are: every output whose planned value is known and equal
 * to the recorded one (for a rename: `instanceId`, `url`, `ports`, `portUrls` and the rest but
 * `name`).
 */
export function stableOutputs(olds: Loose, planned: Loose): string[] {
  const o = unwrapSecrets(olds ?? {});
  return Object.keys(planned)
    .filter((k) => !containsUnknown(planned[k]) && k in o && jsonEqual(planned[k], o[k]))
    .sort();
}
