import { now } from "./clock";

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

/** What a `--log` line may show of a path: no control characters, no API key, a bounded length. */
function printablePath(path: string): string {
  // eslint-disable-next-line no-control-regex -- stripping them is the point
  const clean = path.replace(/[\u0000-\u001f\u007f]/g, "?").replace(/sk_live_[A-Za-z0-9_-]*/g, "sk_live_[REDACTED]");
  return clean.length > 200 ? `${clean.slice(0, 200)}...` : clean;
}

/**
 * The `--log` line of a finished request: `GET /v1/instances 200 3ms`, plus the instance of an
 * instance-plane request and the fault that answered, if any. Built from the entry alone, which
 * holds no header, key, query string or body.
 */
export function requestLine(entry: RequestLogEntry, ms: number): string {
  const status = entry.status === 0 ? "reset" : String(entry.status);
  const where = entry.plane === "instance" && entry.instanceId !== undefined ? ` [instance ${entry.instanceId}]` : "";
  const fault = entry.fault !== undefined ? ` (fault ${entry.fault})` : "";
  return `agent37-emulator: ${entry.method} ${printablePath(entry.path)} ${status} ${Math.round(ms)}ms${where}${fault}`;
}

/**
 * Per-route counters (counted on arrival) and a log of finished requests (with their arrival
 * time), so tests can count calls and measure the spacing of retries.
 */
export class RequestLog {
  counters: Record<string, number> = {};
  private log: RequestLogEntry[] = [];
  private seq = 0;
  /**
   * The last request that arrived before the latest `clear()`. A request still being answered at
   * a clear (a streamed body's last bytes can reach the client before the server's write ends)
   * arrived before it, so it is not logged when it finishes: a clear forgets every request that
   * arrived before it, whether or not it had finished.
   */
  private clearedThrough = 0;

  /** `sink` receives the `--log` line of each finished request (`EmulatorOptions.logRequests`). */
  constructor(private readonly sink?: (line: string) => void) {}

  begin(entry: Omit<RequestLogEntry, "seq" | "status">): RequestLogEntry {
    this.counters[entry.route] = (this.counters[entry.route] ?? 0) + 1;
    return { ...entry, seq: ++this.seq, status: 0 };
  }

  finish(entry: RequestLogEntry, status: number, fault?: string): void {
    entry.status = status;
    if (fault !== undefined) entry.fault = fault;
    if (entry.seq > this.clearedThrough) this.log.push(entry);
    if (this.log.length > MAX_LOG) this.log.splice(0, this.log.length - MAX_LOG);
    this.sink?.(requestLine(entry, now() - entry.at));
  }

  /**
   * The `--log` line of a request the log does not record (the admin surface, a refused host):
   * the log counts what a client of the emulated API sent, the printed lines show everything.
   */
  report(request: Pick<RequestLogEntry, "at" | "method" | "path" | "plane" | "status">): void {
    this.sink?.(requestLine({ ...request, seq: 0, route: "" }, now() - request.at));
  }

  snapshot(): RequestLogSnapshot {
    return { counters: { ...this.counters }, log: [...this.log].sort((a, b) => a.seq - b.seq) };
  }

  clear(): void {
    this.counters = {};
    this.log = [];
    this.clearedThrough = this.seq;
  }
}
