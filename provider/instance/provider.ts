// Agent37Instance on the seam (core/resource.ts): its declaration (fields.ts) and its operations
// (operations.ts), with what is the instance's own: its diff (diff.ts: a shrink replaces, a
// replace of what it adopts is refused), its preview plans (plan.ts), and the replacements and
// creates under way in this run. Both doors run it through their adapters (front/dynamic,
// front/plugin), which decode values, validate and mark secrets. Its errors are worded here (they
// name the instance and scrub its env values; an init failure keeps what the create made), so
// the adapters pass them on as they are.
// `Agent37InstanceProvider` (front/dynamic/instance.ts) is the dynamic door's adapter over it.
import type { ChangeKind } from "../core/kinds";
import type { Loose } from "../core/declare";
import { envValues, explain } from "../core/explain";
import type { OperationContext, Resource } from "../core/resource";
import { withTimings } from "../core/timings";
import { InstancesApi } from "./api";
import { DEFAULT_TIMINGS, type InstanceContext } from "./context";
import { instanceChanges, replacesOf } from "./diff";
import { Agent37InitError } from "./errors";
import { INSTANCE_DECL } from "./fields";
import type { InstanceInputs } from "./inputs";
import { createInstance, deleteInstance, readInstance, updateInstance } from "./operations";
import type { InstanceOutputs } from "./outputs";
import { plannedCreateOutputs, plannedUpdateOutputs } from "./plan";
import { TemplateLookups } from "./templates";

export { Agent37InitError } from "./errors";
export type { ProviderTimings } from "./types";

/** Runs an operation; its error leaves saying what was done to which instance, env values scrubbed. */
async function explained<T>(run: () => Promise<T>, operation: string, ...envFrom: (Partial<InstanceInputs> | Partial<InstanceOutputs> | undefined)[]): Promise<T> {
  try {
    return await run();
  } catch (err) {
    throw explain(err, operation, envValues(...envFrom.map((m) => m?.env)), { initFailure: err instanceof Agent37InitError });
  }
}

/** Agent37Instance with the given timings (tests shorten them); each call has its own caches. */
export const instanceResourceWith = withTimings(DEFAULT_TIMINGS, (full): Resource<InstanceInputs, InstanceOutputs> => {
  const templates = new TemplateLookups();
  /** Create key → ids of instances being replaced under it in this run: never taken over. */
  const replacing = new Map<string, Set<string>>();
  const creating = new Set<string>();
  const context = (op: OperationContext): InstanceContext => {
    const connection = op.connection?.();
    if (connection === undefined) throw new Error("Agent37Instance needs its adapter's connection");
    const { client, fresh } = connection.client();
    // Template lookups belong to the workspace of the key they were made with.
    if (fresh) templates.clear();
    return { api: new InstancesApi(client), connection, timings: full, templates, replacing, creating };
  };
  return {
    declaration: INSTANCE_DECL,
    // `state` is completed with its default, "running": the engine shows a change of `state` (an
    // instance stopped outside Pulumi) from the recorded `state` output to this input, so the
    // preview reads `state: "stopped" => "running"` rather than a value it cannot show.
    complete: (inputs) => (inputs.state === undefined ? { ...inputs, state: "running" } : inputs),
    changes(olds: Loose, news: Loose, id?: string): Record<string, ChangeKind> {
      const changed = instanceChanges(olds, news);
      // The replacement's create runs in this same process and must never take over the instance
      // it replaces (which may still carry this resource's marker, e.g. after an init failure).
      const key = news.createKey;
      if (replacesOf(changed).length > 0 && typeof key === "string" && id !== undefined && id !== "") {
        const ids = replacing.get(key) ?? new Set<string>();
        ids.add(id);
        replacing.set(key, ids);
      }
      return Object.fromEntries(changed);
    },
    // The diff reports no outputs as stable: the plans (plan.ts) say what an update keeps.
    stables: () => [],
    planCreate: (_planned, news) => plannedCreateOutputs(news),
    planUpdate: (olds, _planned, news) => plannedUpdateOutputs(olds as Loose, news),
    // Worded by the operations themselves (explained above).
    operation: () => undefined,
    create(inputs, op) {
      const name = typeof inputs.name === "string" && inputs.name !== "" ? ` "${inputs.name}"` : "";
      const adopting = typeof inputs.adoptInstanceId === "string" ? ` (adopting ${inputs.adoptInstanceId})` : "";
      return explained(
        async () => {
          const r = await createInstance(context(op), inputs);
          return { id: r.id, outputs: r.outs as InstanceOutputs };
        },
        `creating Agent37 instance${name}${adopting}`,
        inputs,
      );
    },
    async read(id, olds, op) {
      const r = await explained(() => readInstance(context(op), id, olds), `refreshing Agent37 instance ${id}`, olds);
      return !r.id ? undefined : { id: r.id, outputs: r.props as InstanceOutputs, ...(r.inputs === undefined ? {} : { inputs: r.inputs }) };
    },
    update: (id, olds, news, op) => explained(async () => (await updateInstance(context(op), id, olds, news)).outs as InstanceOutputs, `updating Agent37 instance ${id}`, olds, news),
    delete: (id, olds, op) => explained(() => deleteInstance(context(op), id), `deleting Agent37 instance ${id}`, olds),
  };
});
