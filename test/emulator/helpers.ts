import { Agent, request } from "undici";
import type { EmulatorOptions, RunningEmulator } from "../../emulator";
import { startTestEmulator } from "../harness/start-emulator";

/** Fast timings for contract tests; each suite can override them. */
export const FAST: EmulatorOptions = { port: 0, quiet: true, provisionMs: 40, bootMs: 120, lifecycleMs: 40, deleteMs: 30 };

/** Response bodies are whatever the emulator sent; the assertions are the type check. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;

export interface Res {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Json;
  text: string;
}

/**
 * A test client for one emulator: `api()` talks to the hosting API with a workspace key,
 * `plane()` to an instance-plane host (the Host header routes it, so no DNS is needed for
 * `*.localhost`). One keep-alive agent per suite, closed with the emulator.
 */
export class TestClient {
  readonly agent = new Agent({ connections: 64, pipelining: 1 });
  constructor(readonly emu: RunningEmulator) {}

  get key(): string {
    return this.emu.keys[0] ?? "";
  }

  async raw(method: string, path: string, init: { headers?: Record<string, string>; body?: unknown } = {}): Promise<Res> {
    const body = init.body === undefined ? undefined : typeof init.body === "string" ? init.body : JSON.stringify(init.body);
    const r = await request(`${this.emu.url}${path}`, {
      method: method as "GET",
      headers: { ...(body !== undefined ? { "content-type": "application/json" } : {}), ...init.headers },
      ...(body !== undefined ? { body } : {}),
      dispatcher: this.agent,
    });
    const text = await r.body.text();
    let parsed: unknown = undefined;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = undefined;
    }
    return { status: r.statusCode, headers: r.headers, body: parsed, text };
  }

  api(method: string, path: string, body?: unknown, key: string = this.key): Promise<Res> {
    return this.raw(method, path, { headers: { authorization: `Bearer ${key}` }, ...(body !== undefined ? { body } : {}) });
  }

  plane(label: string, path: string, init: { method?: string; headers?: Record<string, string>; body?: unknown } = {}): Promise<Res> {
    return this.raw(init.method ?? "GET", path, { headers: { host: `${label}.localhost:${this.emu.port}`, ...init.headers }, ...(init.body !== undefined ? { body: init.body } : {}) });
  }

  async create(body: unknown = {}, key: string = this.key): Promise<Json> {
    const r = await this.api("POST", "/v1/instances", body, key);
    if (r.status !== 201) throw new Error(`create failed: ${r.status} ${r.text}`);
    return r.body;
  }

  /** Polls until `check` passes (the emulator's timers move state; tests wait on the condition). */
  async until<T>(probe: () => Promise<T>, check: (v: T) => boolean, timeoutMs = 5000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const v = await probe();
      if (check(v)) return v;
      if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms; last value: ${JSON.stringify(v)}`);
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  async admin(method: string, path: string, body?: unknown): Promise<Res> {
    return this.raw(method, path, body !== undefined ? { body } : {});
  }

  async close(): Promise<void> {
    await this.emu.close();
    await this.agent.close();
  }
}

export async function startTest(options: EmulatorOptions = {}): Promise<TestClient> {
  return new TestClient(await startTestEmulator({ ...FAST, ...options }));
}

export const OTHER_KEY = "sk_live_otherWorkspace0000000001";
export const FREE_KEY = "sk_live_freeWorkspace00000000001";
