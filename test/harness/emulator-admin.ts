/**
 * The emulator's admin surface (`/_emulator/...`, docs/contracts.md) and the provider config
 * that points a stack at an emulator. Used by the engine tests, the demo and the benchmarks.
 */

// Type-only: the payload types come from the emulator that defines them, and nothing of the
// emulator is loaded at run time (the compiled harness in dist/ needs no emulator module).
import type { AdminAppList, AdminInstance, AdminInstanceList, AppBehaviour, RequestLogSnapshot } from "../../emulator";

/** An instance as the admin listing returns it (every workspace, deleted ones included). */
export type { AdminInstance };

/** Counters per route and the log of finished requests. */
export type AdminRequests = RequestLogSnapshot;

/** The smallest view of a running emulator this needs (`RunningEmulator` fits). */
export interface EmulatorEndpoint {
  url: string;
  port: number;
  keys: string[];
}

/**
 * Provider config (`agent37:*`) for a stack against `emulator`, with instance URLs on
 * `{host}.localhost:PORT` as the emulator serves them.
 */
export function emulatorConfig(emulator: EmulatorEndpoint, key = emulator.keys[0]): Record<string, string> {
  if (key === undefined) throw new Error("the emulator has no key");
  return {
    "agent37:apiKey": key,
    "agent37:apiUrl": emulator.url,
    "agent37:instanceUrlTemplate": `http://{host}.localhost:${emulator.port}`,
  };
}

export class EmulatorAdmin {
  constructor(private readonly baseUrl: string) {}

  /** Every instance of every workspace, deleted ones included. */
  async instances(): Promise<AdminInstance[]> {
    return ((await this.call("GET", "/_emulator/instances")) as AdminInstanceList).data;
  }

  async instance(id: string): Promise<AdminInstance | undefined> {
    return (await this.instances()).find((i) => i.id === id);
  }

  /** Instances not deleted (and not being deleted). */
  async live(): Promise<AdminInstance[]> {
    return (await this.instances()).filter((i) => i.status !== "deleted" && i.status !== "deleting");
  }

  async requests(): Promise<AdminRequests> {
    return (await this.call("GET", "/_emulator/requests")) as AdminRequests;
  }

  async clearRequests(): Promise<void> {
    await this.call("DELETE", "/_emulator/requests");
  }

  /** Number of hosting-API requests (plane `api`) since the last clear. */
  async apiRequestCount(): Promise<number> {
    return (await this.requests()).log.filter((e) => e.plane === "api").length;
  }

  async setFaults(faults: unknown[], seed?: number): Promise<void> {
    await this.call("POST", "/_emulator/faults", seed === undefined ? { faults } : { seed, faults });
  }

  async clearFaults(): Promise<void> {
    await this.call("DELETE", "/_emulator/faults");
  }

  /** Sets how the stand-in app of a workspace template (at one revision, optionally) behaves. */
  async setApp(app: AppBehaviour): Promise<AppBehaviour[]> {
    return ((await this.call("POST", "/_emulator/apps", app)) as AdminAppList).apps;
  }

  /** Removes every app entry: each workspace template's app behaves as by default. */
  async clearApps(): Promise<void> {
    await this.call("DELETE", "/_emulator/apps");
  }

  /** Turns an instance `failed` outside the API (drift), with an optional reason. */
  async fail(id: string, reason: { code?: string; message?: string } = {}): Promise<void> {
    await this.call("POST", `/_emulator/instances/${encodeURIComponent(id)}/fail`, reason);
  }

  async reset(): Promise<void> {
    await this.call("POST", "/_emulator/reset");
  }

  /** Keeps a custom domain pending at every verify (its NS records never show up), or releases it. */
  async holdDomain(domain: string, held = true): Promise<void> {
    await this.call(held ? "POST" : "DELETE", `/_emulator/domains/${encodeURIComponent(domain)}/hold`);
  }

  private async call(method: string, path: string, body?: unknown): Promise<unknown> {
    const res = await fetch(new URL(path, this.baseUrl), {
      method,
      ...(body === undefined ? {} : { headers: { "content-type": "application/json" }, body: JSON.stringify(body) }),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`);
    return text === "" ? undefined : JSON.parse(text);
  }
}
