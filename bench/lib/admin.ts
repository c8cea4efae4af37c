// A small client for the emulator's admin surface (`/_emulator/...`, docs/contracts.md).

/** Fractional epoch milliseconds on the emulator's clock (the bench runs it in-process). */
export function now(): number {
  return performance.timeOrigin + performance.now();
}

// The payload types are the emulator's own (type-only: nothing of the emulator is loaded here).
import type { AdminInstance as EmulatorAdminInstance, FaultRule, RequestLogEntry, RequestLogSnapshot } from "../../emulator";

export type { FaultRule, RequestLogEntry };
/** An instance as the admin listing gives it; `user` and `name` are on the instance object of both API generations. */
export type AdminInstance = EmulatorAdminInstance & { user: string | null; name: string | null };
export type RequestLog = RequestLogSnapshot;

async function call<T>(baseUrl: string, method: string, path: string, body?: unknown): Promise<T> {
  const init: RequestInit = { method };
  if (body !== undefined) {
    init.body = JSON.stringify(body);
    init.headers = { "content-type": "application/json" };
  }
  const res = await fetch(`${baseUrl}${path}`, init);
  const text = await res.text();
  if (!res.ok) throw new Error(`emulator admin ${method} ${path} answered ${res.status}: ${text}`);
  return (text ? JSON.parse(text) : undefined) as T;
}

export class Admin {
  constructor(private readonly baseUrl: string) {}

  async instances(): Promise<AdminInstance[]> {
    return (await call<{ data: AdminInstance[] }>(this.baseUrl, "GET", "/_emulator/instances")).data;
  }

  requests(): Promise<RequestLog> {
    return call<RequestLog>(this.baseUrl, "GET", "/_emulator/requests");
  }

  async clearRequests(): Promise<void> {
    await call(this.baseUrl, "DELETE", "/_emulator/requests");
  }

  async setFaults(seed: number, faults: FaultRule[]): Promise<void> {
    await call(this.baseUrl, "POST", "/_emulator/faults", { seed, faults });
  }

  async clearFaults(): Promise<void> {
    await call(this.baseUrl, "DELETE", "/_emulator/faults");
  }

  /**
   * Resolves once no instance is in a transitional delete (`deleting`), so a count of what is
   * left is final. Polls the admin surface; gives up after `timeoutMs`.
   */
  async settled(timeoutMs: number): Promise<AdminInstance[]> {
    const deadline = now() + timeoutMs;
    for (;;) {
      const list = await this.instances();
      if (!list.some((i) => i.status === "deleting" || i.status === "provisioning")) return list;
      if (now() > deadline) return list;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}
