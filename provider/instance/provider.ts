// The `pulumi.dynamic.ResourceProvider` for Agent37Instance (docs/provider.md). Loaded in the provider
// host through `pulumi-agent37/dynamic`; holds the settings from `configure` and one client.
// The operations live beside it (operations.ts); this is the door: check, diff, and the four
// operations with their errors explained.
import type * as pulumi from "@pulumi/pulumi";
import { dropNulls, unwrapSecrets } from "../core/check";
import { Connection, type ConnectionOptions } from "../core/connection";
import { envValues, explain } from "../core/explain";
import { InstancesApi } from "./api";
import { checkInputs, parseInputs } from "./check";
import { DEFAULT_TIMINGS, type InstanceContext } from "./context";
import { diffInstance } from "./diff";
import { Agent37InitError } from "./errors";
import { createInstance, deleteInstance, readInstance, updateInstance } from "./operations";
import { TemplateLookups } from "./templates";
import type { ProviderTimings } from "./types";

export { Agent37InitError } from "./errors";
export type { ProviderTimings } from "./types";

export interface ProviderOptions extends ConnectionOptions {
  timings?: Partial<ProviderTimings>;
}

type Loose = Record<string, unknown>;

export class Agent37InstanceProvider implements pulumi.dynamic.ResourceProvider {
  private readonly connection: Connection;
  private readonly timings: ProviderTimings;
  private readonly templates = new TemplateLookups();
  /** Create key → ids of instances being replaced under it in this run: never taken over. */
  private readonly replacing = new Map<string, Set<string>>();
  private readonly creating = new Set<string>();

  constructor(options: ProviderOptions = {}) {
    this.connection = new Connection(options);
    this.timings = { ...DEFAULT_TIMINGS, ...options.timings };
  }

  async configure(req: pulumi.dynamic.ConfigureRequest): Promise<void> {
    this.connection.configure(req.config);
  }

  private context(): InstanceContext {
    const { client, fresh } = this.connection.client();
    // Template lookups belong to the workspace of the key they were made with.
    if (fresh) this.templates.clear();
    return { api: new InstancesApi(client), connection: this.connection, timings: this.timings, templates: this.templates, replacing: this.replacing, creating: this.creating };
  }

  async check(_olds: Loose, news: Loose): Promise<pulumi.dynamic.CheckResult> {
    // A null means what omitting the key means, everywhere: the checked inputs (which the engine
    // stores and hands to diff, create and update) no longer hold any.
    // `state` is completed with its default, "running": the engine shows a change of `state`
    // (an instance stopped outside Pulumi) from the recorded `state` output to this input, so
    // the preview reads `state: "stopped" => "running"` rather than a value it cannot show.
    const inputs = dropNulls(news ?? {});
    if (inputs.state === undefined) inputs.state = "running";
    return { inputs, failures: checkInputs(news) };
  }

  async diff(id: string, olds: Loose, news: Loose): Promise<pulumi.dynamic.DiffResult> {
    const result = diffInstance(unwrapSecrets(olds), dropNulls(unwrapSecrets(news)));
    // The replacement's create runs in this same process and must never take over the instance
    // it replaces (which may still carry this resource's marker, e.g. after an init failure).
    const key = news?.createKey;
    if (result.replaces.length > 0 && typeof key === "string" && id !== "") {
      const ids = this.replacing.get(key) ?? new Set<string>();
      ids.add(id);
      this.replacing.set(key, ids);
    }
    return result;
  }

  // The four operations the engine runs against Agent37: their errors say what was being done
  // to which instance and what to do about it (see core/explain.ts).
  async create(raw: Loose): Promise<pulumi.dynamic.CreateResult> {
    const name = typeof raw?.name === "string" && raw.name !== "" ? ` "${raw.name}"` : "";
    const adopting = typeof raw?.adoptInstanceId === "string" ? ` (adopting ${raw.adoptInstanceId})` : "";
    // Inputs are parsed before the connection is asked for a client: bad inputs are reported
    // as such even when the key is missing too.
    return this.explained(async () => {
      const inputs = parseInputs(raw);
      return createInstance(this.context(), inputs);
    }, `creating Agent37 instance${name}${adopting}`, raw);
  }

  async read(id: string, props: Loose): Promise<pulumi.dynamic.ReadResult> {
    return this.explained(() => readInstance(this.context(), id, props), `refreshing Agent37 instance ${id}`, props);
  }

  async update(id: string, olds: Loose, news: Loose): Promise<pulumi.dynamic.UpdateResult> {
    return this.explained(async () => {
      const inputs = parseInputs(news);
      return updateInstance(this.context(), id, olds, inputs);
    }, `updating Agent37 instance ${id}`, olds, news);
  }

  async delete(id: string, props: Loose): Promise<void> {
    return this.explained(() => deleteInstance(this.context(), id), `deleting Agent37 instance ${id}`, props);
  }

  private async explained<T>(run: () => Promise<T>, operation: string, ...envFrom: (Loose | undefined)[]): Promise<T> {
    try {
      return await run();
    } catch (err) {
      const secrets = envValues(...envFrom.map((m) => unwrapSecrets(m ?? {}).env));
      throw explain(err, operation, secrets, { initFailure: err instanceof Agent37InitError });
    }
  }
}

/** A provider with explicit options (tests, embedding). The host uses `instanceProvider()`. */
export function createInstanceProvider(options?: ProviderOptions): Agent37InstanceProvider {
  return new Agent37InstanceProvider(options);
}
