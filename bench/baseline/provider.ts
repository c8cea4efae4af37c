// The baseline: a dynamic provider for Agent37 instances written the way Pulumi's documentation
// shows dynamic providers (an object implementing pulumi.dynamic.ResourceProvider, `fetch` for
// every call, the key read in `configure` from stack config or the environment, fixed-interval
// polling, no retries, no handling of ambiguous outcomes). It exists only so the benchmarks can
// show what our provider changes; it is deliberately not improved.
//
// Everything the methods use lives in this file: Pulumi serializes the provider's closure into
// every resource's state, and a helper imported from another module would drag that module in.
import type * as pulumi from "@pulumi/pulumi";

/** Inputs the baseline understands: the five create fields that need no snake_case mapping. */
export interface BaselineInputs {
  template?: string;
  resources?: { cpu: number; memory: number; disk?: number };
  name?: string;
  user?: string;
  metadata?: Record<string, string>;
}

export interface BaselineOutputs extends BaselineInputs {
  instanceId: string;
  url: string;
  status: string;
}

interface BaselineProvider extends pulumi.dynamic.ResourceProvider<BaselineInputs, BaselineOutputs> {
  apiKey: string;
  apiUrl: string;
}

/** One fixed interval for every "wait until ready" loop, as simple providers poll (5 s by the bench's definition of the baseline). */
const POLL_MS = 5000;

export const baselineProvider: BaselineProvider = {
  apiKey: "",
  apiUrl: "",

  async configure(req: pulumi.dynamic.ConfigureRequest): Promise<void> {
    this.apiKey = req.config.get("agent37:apiKey") ?? process.env["AGENT37_API_KEY"] ?? "";
    this.apiUrl = req.config.get("agent37:apiUrl") ?? process.env["AGENT37_API_URL"] ?? "https://api.agent37.com";
  },

  async create(inputs: BaselineInputs): Promise<pulumi.dynamic.CreateResult<BaselineOutputs>> {
    const headers = { Authorization: `Bearer ${this.apiKey}`, "Content-Type": "application/json" };
    const res = await fetch(`${this.apiUrl}/v1/instances`, {
      method: "POST",
      headers,
      body: JSON.stringify({
        template: inputs.template,
        resources: inputs.resources,
        name: inputs.name,
        user: inputs.user,
        metadata: inputs.metadata,
      }),
    });
    if (!res.ok) {
      throw new Error(`create failed: ${res.status} ${await res.text()}`);
    }
    let instance = (await res.json()) as { id: string; url: string; status: string };
    while (instance.status !== "running") {
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
      const poll = await fetch(`${this.apiUrl}/v1/instances/${instance.id}`, { headers });
      if (!poll.ok) {
        throw new Error(`get failed: ${poll.status} ${await poll.text()}`);
      }
      instance = (await poll.json()) as { id: string; url: string; status: string };
    }
    // "Poll until healthy": while the gateway boots the edge answers 502, which such a loop
    // reads as "not yet", like `healthy: false`.
    for (;;) {
      const health = await fetch(`${instance.url}/v1/health`, { headers: { Authorization: `Bearer ${this.apiKey}` } });
      if (health.ok) {
        const body = (await health.json()) as { ok?: boolean; healthy?: boolean };
        if (body.ok === true && body.healthy !== false) break;
      }
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
    return {
      id: instance.id,
      outs: { ...inputs, instanceId: instance.id, url: instance.url, status: instance.status },
    };
  },

  async read(id: string, props?: BaselineOutputs): Promise<pulumi.dynamic.ReadResult<BaselineOutputs>> {
    const res = await fetch(`${this.apiUrl}/v1/instances/${id}`, {
      headers: { Authorization: `Bearer ${this.apiKey}` },
    });
    if (!res.ok) {
      throw new Error(`read failed: ${res.status} ${await res.text()}`);
    }
    const instance = (await res.json()) as { id: string; url: string; status: string };
    return { id, props: { ...props, instanceId: instance.id, url: instance.url, status: instance.status } };
  },

  async diff(_id: string, olds: BaselineOutputs, news: BaselineInputs): Promise<pulumi.dynamic.DiffResult> {
    const replaces: string[] = [];
    if (olds.template !== news.template) replaces.push("template");
    if (JSON.stringify(olds.resources) !== JSON.stringify(news.resources)) replaces.push("resources");
    const changes =
      replaces.length > 0 ||
      olds.name !== news.name ||
      olds.user !== news.user ||
      JSON.stringify(olds.metadata) !== JSON.stringify(news.metadata);
    return { changes, replaces };
  },

  async update(id: string, olds: BaselineOutputs, news: BaselineInputs): Promise<pulumi.dynamic.UpdateResult<BaselineOutputs>> {
    const res = await fetch(`${this.apiUrl}/v1/instances/${id}`, {
      method: "PATCH",
      headers: { Authorization: `Bearer ${this.apiKey}`, "Content-Type": "application/json" },
      body: JSON.stringify({ name: news.name ?? null, user: news.user ?? null, metadata: news.metadata ?? null }),
    });
    if (!res.ok) {
      throw new Error(`update failed: ${res.status} ${await res.text()}`);
    }
    const instance = (await res.json()) as { id: string; url: string; status: string };
    return { outs: { ...olds, ...news, instanceId: instance.id, url: instance.url, status: instance.status } };
  },

  async delete(id: string): Promise<void> {
    const res = await fetch(`${this.apiUrl}/v1/instances/${id}`, {
      method: "DELETE",
      headers: { Authorization: `Bearer ${this.apiKey}` },
    });
    if (!res.ok) {
      throw new Error(`delete failed: ${res.status} ${await res.text()}`);
    }
  },
};
