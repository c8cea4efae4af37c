export interface RequestLogEntry {
  seq: number;
  /** Arrival time, epoch ms with a fractional part. */
  at: number;
  method: string;
  path: string;
  route: string;
  plane: "api" | "instance";
  instanceId?: string;
  /** 0 when the connection was reset instead of answered. */
  status: number;
  fault?: string;
  /**
   * Milliseconds a `delay` fault held the request, also when another fault answered it (a
   * delay rule adds to whatever else fires, so `fault` alone cannot show it).
   */
  delayedMs?: number;
}

/** The answer of `GET /_emulator/requests`. */
export interface RequestLogSnapshot {
  /** Requests per route, counted on arrival. */
  counters: Record<string, number>;
  /** Finished requests in arrival order (`seq`). */
  log: RequestLogEntry[];
}

const MAX_LOG = 50_000;

/**
 * Per-route counters (counted on arrival) and a log of finished requests (with their arrival
 * time), so tests can count calls and measure the spacing of retries.
 */
export class RequestLog {
  counters: Record<string, number> = {};
  private log: RequestLogEntry[] = [];
  private seq = 0;

  begin(entry: Omit<RequestLogEntry, "seq" | "status">): RequestLogEntry {
    this.counters[entry.route] = (this.counters[entry.route] ?? 0) + 1;
    return { ...entry, seq: ++this.seq, status: 0 };
  }

  finish(entry: RequestLogEntry, status: number, fault?: string): void {
    entry.status = status;
    if (fault !== undefined) entry.fault = fault;
    this.log.push(entry);
    if (this.log.length > MAX_LOG) this.log.splice(0, this.log.length - MAX_LOG);
  }

  snapshot(): RequestLogSnapshot {
    return { counters: { ...this.counters }, log: [...this.log].sort((a, b) => a.seq - b.seq) };
  }

  clear(): void {
    this.counters = {};
    this.log = [];
  }
}
