// The fixture the core, instance and template suites share: one emulator with fast timings
// (started as every suite starts one, start-emulator.ts), the admin and hosting-API calls that
// observe it, and a dynamic instance provider pointed at it.
import { Agent, request } from "undici";
import type { EmulatorOptions, RunningEmulator } from "../../emulator";
import { createInstanceProvider, type Agent37InstanceProvider, type ProviderOptions } from "../../provider/front/dynamic/instance";
import { startTestEmulator } from "./start-emulator";

/** Fast emulator timings so the whole lifecycle takes well under a second. */
export const FAST_EMULATOR: EmulatorOptions = { provisionMs: 30, bootMs: 150, lifecycleMs: 30, deleteMs: 30 };
/** Provider timings matching the fast emulator. */
export const FAST_TIMINGS: ProviderOptions["timings"] = { pollIntervalMs: 20, maxPollIntervalMs: 100, healthIntervalMs: 50 };

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;

/** One emulator for a suite plus the admin calls tests use to observe it. */
export class EmulatorFixture {
  private readonly agent = new Agent();
  private constructor(readonly emu: RunningEmulator) {}

  static async start(options: EmulatorOptions = {}): Promise<EmulatorFixture> {
    return new EmulatorFixture(await startTestEmulator({ ...FAST_EMULATOR, ...options }));
  }

  get key(): string {
    return this.emu.keys[0] ?? "";
  }

  provider(options: ProviderOptions = {}): Agent37InstanceProvider {
    return createInstanceProvider({
      settings: { apiUrl: this.emu.url, apiKey: this.key, ...options.settings },
      timings: { ...FAST_TIMINGS, ...options.timings },
      env: {},
      ...(options.client ? { client: options.client } : {}),
    });
  }

  async admin(method: string, path: string, body?: unknown): Promise<Json> {
    const r = await request(`${this.emu.url}/_emulator/${path}`, {
      method: method as "GET",
      ...(body !== undefined ? { body: JSON.stringify(body), headers: { "content-type": "application/json" } } : {}),
      dispatcher: this.agent,
    });
    const text = await r.body.text();
    return text ? JSON.parse(text) : undefined;
  }

  /** Hosting API call with the workspace key (out-of-band changes in tests). */
  async api(method: string, path: string, body?: unknown): Promise<{ status: number; body: Json }> {
    const r = await request(`${this.emu.url}${path}`, {
      method: method as "GET",
      headers: { authorization: `Bearer ${this.key}`, ...(body !== undefined ? { "content-type": "application/json" } : {}) },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      dispatcher: this.agent,
    });
    const text = await r.body.text();
    return { status: r.statusCode, body: text ? JSON.parse(text) : undefined };
  }

  async clearRequests(): Promise<void> {
    await this.admin("DELETE", "requests");
  }

  /** Hosting-API route counters since the last clear (instance-plane routes excluded). */
  async apiCalls(): Promise<Record<string, number>> {
    const { counters } = (await this.admin("GET", "requests")) as { counters: Record<string, number> };
    return Object.fromEntries(Object.entries(counters).filter(([route]) => !route.includes("instance:") && !route.startsWith("GET /_emulator")));
  }

  async requestLog(): Promise<Json[]> {
    return ((await this.admin("GET", "requests")) as { log: Json[] }).log;
  }

  async instances(): Promise<Json[]> {
    return ((await this.admin("GET", "instances")) as { data: Json[] }).data;
  }

  async faults(faults: Json[]): Promise<void> {
    await this.admin("POST", "faults", { faults });
  }

  async clearFaults(): Promise<void> {
    await this.admin("DELETE", "faults");
  }

  async close(): Promise<void> {
    await this.agent.close();
    await this.emu.close();
  }
}
