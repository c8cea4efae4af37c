import { epochSeconds } from "../clock";
import { api } from "../errors";
import { json, type Reply } from "../http";
import type { ApiContext } from "./context";
import { requireInstance } from "./instances";

/** `GET .../logs`: the emulator's own lifecycle lines stand in for the console. */
export function logsGet(ctx: ApiContext): Promise<Reply> {
  const rec = requireInstance(ctx);
  const raw = ctx.query.get("tail");
  let tail = 500;
  if (raw !== null) {
    if (!/^[1-9]\d*$/.test(raw)) throw api.invalidRequest("Invalid request: `tail` must be a positive integer.");
    tail = Math.min(Number(raw), 2000);
  }
  const hasContainer = rec.status !== "provisioning" && rec.status !== "stopped" && rec.status !== "deleting";
  const running = rec.status === "running";
  return Promise.resolve(
    json(200, {
      logs: hasContainer ? rec.logs.slice(-tail).join("\n") : "",
      truncated: false,
      health: hasContainer
        ? {
            running,
            restart_count: rec.restartCount,
            exit_code: running ? null : 0,
            oom_suspected: false,
            resource_verdict: running ? { memory: "healthy", cpu: "healthy", disk: "healthy", overall: "healthy" } : null,
          }
        : null,
      fetched_at: epochSeconds(),
    }),
  );
}

/** `GET .../metrics`: limits from the shape, empty series (nothing is sampled). */
export function metricsGet(ctx: ApiContext): Promise<Reply> {
  const rec = requireInstance(ctx);
  const raw = ctx.query.get("hours");
  let hours = 24;
  if (raw !== null) {
    if (!/^\d+$/.test(raw) || Number(raw) < 1 || Number(raw) > 336) throw api.invalidRequest("Invalid request: `hours` must be an integer 1..336.");
    hours = Number(raw);
  }
  const gb = 1024 ** 3;
  return Promise.resolve(
    json(200, {
      series: { cpu_cores: [], memory_bytes: [], disk_bytes: [] },
      limits: { cpu_cores: rec.resources.cpu, memory_bytes: rec.resources.memory * gb, disk_bytes: rec.resources.disk * gb },
      hours,
      step_seconds: hours <= 24 ? 60 : 3600,
      fetched_at: epochSeconds(),
    }),
  );
}
