// What an Agent37Instance will look like after a create or update, computed from the recorded
// outputs and the new inputs alone (no API call): the planned outputs a preview shows. A value
// the plan cannot vouch for is the engine's unknown; everything else is known, so dependents of
// a renamed instance see its unchanged URL instead of "changes after apply".
import { UNKNOWN, containsUnknown, isUnknown } from "../core/check";
import type { Loose } from "../core/declare";
import { changedInputs, stateOfStatus, type FieldChange } from "./diff";
import type { HealthInputs, InstanceInputs } from "./inputs";
import { budgetEcho, healthCheckEcho, healthOf, requestedPortsEcho, typeEcho, userMetadata, type InstanceOutputs } from "./outputs";

const present = (v: unknown): boolean => v !== undefined && v !== null;
const orUnknown = <T>(v: T): T | string => (containsUnknown(v) ? UNKNOWN : v);
const text = (v: unknown): unknown => (isUnknown(v) ? UNKNOWN : v === "" || v === undefined ? null : v);

/**
 * Outputs known from the inputs alone: echoes and values the API takes as given. The echoes of
 * write-only inputs come from the same functions the update uses (outputs.ts), with `olds`
 * (undefined for a create), so a known plan is what the update records.
 */
function echoes(news: Loose, olds: Partial<InstanceOutputs> | undefined): Loose {
  const out: Loose = {};
  if (present(news.name)) out.name = text(news.name);
  if (present(news.user)) out.user = text(news.user);
  if (present(news.metadata)) out.metadata = orUnknown(isUnknown(news.metadata) ? UNKNOWN : userMetadata(news.metadata as Loose));
  if (present(news.autoSleep)) out.autoSleep = news.autoSleep;
  if (present(news.idleTimeoutSeconds)) out.idleTimeoutSeconds = news.idleTimeoutSeconds;
  if (present(news.type)) out.type = isUnknown(news.type) ? UNKNOWN : typeEcho(news.type as string, olds);
  if (present(news.env)) out.env = orUnknown(news.env);
  if (present(news.budget)) out.budget = containsUnknown(news.budget) ? UNKNOWN : budgetEcho(news.budget as InstanceInputs["budget"], olds);
  if (present(news.adoptInstanceId)) out.adoptInstanceId = news.adoptInstanceId;
  out.requestedPorts = containsUnknown(news.ports) ? UNKNOWN : requestedPortsEcho(present(news.ports) ? (news.ports as number[]) : [], olds);
  out.healthCheck = containsUnknown(news.health) ? UNKNOWN : healthCheckEcho(news.health as HealthInputs | undefined);
  return out;
}

/**
 * Planned outputs of a create: the inputs' echoes are known, everything the API assigns (id,
 * URLs, status, image) is unknown.
 */
export function plannedCreateOutputs(newsRaw: Loose): Loose {
  const news = newsRaw ?? {};
  const resources = news.resources as Loose | undefined;
  const fullShape = resources !== undefined && ["cpu", "memory", "disk"].every((k) => typeof resources[k] === "number");
  return {
    instanceId: UNKNOWN,
    url: UNKNOWN,
    ports: UNKNOWN,
    portUrls: UNKNOWN,
    status: UNKNOWN,
    state: isUnknown(news.state) ? UNKNOWN : (news.state ?? "running"),
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
    healthCheck: null,
    ...echoes(news, undefined),
    // An adopted instance's type and budget are Agent37's, which the plan cannot see.
    ...(present(news.adoptInstanceId) ? { type: UNKNOWN, budget: UNKNOWN, requestedPorts: UNKNOWN } : {}),
  };
}

/**
 * Planned outputs of an in-place update from recorded outputs `olds` and new inputs `news`.
 * Each change marks unknown exactly the outputs it can move: a new template the image, ports and
 * health; a resize the health; new public ports their URLs; a run-state change the status and
 * health; new `ports` the port URLs. A rename changes the name and nothing else.
 *
 * `health` (the gate's answer) follows reconcile.ts: a stopped instance has none (null); the
 * gate runs again when the container is recreated (template, resize, start, repair) or when no
 * answer is recorded (a gate that was disabled, an instance that was stopped or whose gate
 * failed), and then answers null if the new inputs disable it, else something only the gate
 * knows (unknown); otherwise the recorded answer stays.
 */
export function plannedUpdateOutputs(oldsRaw: Loose, newsRaw: Loose, changes?: Map<string, FieldChange>): Loose {
  const olds = (oldsRaw ?? {}) as Partial<InstanceOutputs> & Loose;
  const news = newsRaw ?? {};
  const changed = changes ?? changedInputs(olds, news);
  const out: Loose = { ...olds, ...echoes(news, olds) };
  const unknown = (...keys: string[]) => keys.forEach((k) => (out[k] = UNKNOWN));
  if (changed.has("template")) {
    unknown("template", "templateRevision", "imageRef", "imageDigest", "url", "ports", "portUrls", "status", "statusReason");
  }
  if (changed.has("resources")) {
    const n = news.resources as Loose;
    const o = (olds.resources ?? {}) as Loose;
    const merged = { cpu: n.cpu ?? o.cpu, memory: n.memory ?? o.memory, disk: n.disk ?? o.disk };
    out.resources = Object.values(merged).every((v) => typeof v === "number") ? merged : UNKNOWN;
    unknown("status", "statusReason");
  }
  if (changed.has("publicPorts")) unknown("publicPorts", "domainUrls");
  if (changed.has("state")) unknown("status", "statusReason");
  if (changed.has("ports")) unknown("ports", "portUrls");
  // The update brings the instance to the desired run state (reconcile.ts): stopped, or running.
  out.state = isUnknown(news.state) ? UNKNOWN : (news.state ?? "running");
  out.health = plannedHealth(olds, news, changed);
  return out;
}

function plannedHealth(olds: Partial<InstanceOutputs>, news: Loose, changed: Map<string, FieldChange>): unknown {
  const state = news.state ?? "running";
  if (isUnknown(state)) return UNKNOWN;
  if (state !== "running") return null;
  const recreates = changed.has("template") || changed.has("resources") || stateOfStatus(olds.status) !== "running" || olds.status === "failed";
  const recorded = healthOf(olds.health);
  if (!recreates && recorded !== null) return recorded;
  const h = news.health as Loose | undefined;
  if (containsUnknown(h?.disabled)) return UNKNOWN;
  return h?.disabled === true ? null : UNKNOWN;
}
