// Typed hosting-API calls for instances and templates. Paths are built with
// `encodePath` so ids from state or users cannot change the route.
import { encodePath, type Agent37Client } from "../core/http";
import { DeleteAck } from "../core/wire";
import { Anything, Budget, Instance, InstanceList, LifecycleAck, Template } from "./api-schema";

/** Synchronous create can take as long as provisioning does. */
const CREATE_ATTEMPT_TIMEOUT_MS = 15 * 60_000;
/** Lifecycle calls may block until the operation finishes. */
const LIFECYCLE_ATTEMPT_TIMEOUT_MS = 10 * 60_000;

export interface CreateBody {
  template?: string;
  resources?: { cpu?: number; memory?: number; disk?: number };
  type?: string;
  user?: string;
  name?: string;
  metadata?: Record<string, unknown>;
  env?: Record<string, string>;
  budget?: { monthly_cap_micros?: number; credit_micros?: number };
  auto_sleep?: boolean;
  idle_timeout_seconds?: number;
  public_ports?: { port: number; prefix?: string }[];
}

export interface PatchBody {
  name?: string | null;
  user?: string | null;
  metadata?: Record<string, unknown> | null;
  auto_sleep?: boolean;
  idle_timeout_seconds?: number;
}

export class InstancesApi {
  constructor(readonly client: Agent37Client) {}

  /** One POST; retried by the client only when the server said nothing was created. */
  create(body: CreateBody, signal?: AbortSignal) {
    return this.client.call({
      method: "POST",
      path: "/v1/instances",
      body,
      schema: Instance,
      idempotent: false,
      attemptTimeoutMs: CREATE_ATTEMPT_TIMEOUT_MS,
      deadlineMs: CREATE_ATTEMPT_TIMEOUT_MS,
      ...(signal ? { signal } : {}),
    });
  }
  get(id: string) {
    return this.client.call({ method: "GET", path: encodePath`/v1/instances/${id}`, schema: Instance, idempotent: true });
  }
  async list() {
    return (await this.client.call({ method: "GET", path: "/v1/instances", schema: InstanceList, idempotent: true })).data;
  }
  patch(id: string, body: PatchBody) {
    return this.client.call({ method: "PATCH", path: encodePath`/v1/instances/${id}`, body, schema: Instance, idempotent: true });
  }
  delete(id: string) {
    return this.client.call({ method: "DELETE", path: encodePath`/v1/instances/${id}`, schema: DeleteAck, idempotent: true });
  }
  lifecycle(id: string, action: "stop" | "start" | "restart" | "update", body?: unknown) {
    return this.action(id, action, body);
  }
  updateTemplate(id: string, template: string) {
    return this.action(id, "update", { template });
  }
  resize(id: string, size: { cpu?: number; memory?: number; disk?: number }) {
    return this.action(id, "resize", size);
  }
  /** `POST /v1/instances/{id}/{action}` with its body, acked with the status; the client may repeat it. */
  private action(id: string, action: "stop" | "start" | "restart" | "update" | "resize", body?: unknown) {
    return this.client.call({
      method: "POST",
      path: encodePath`/v1/instances/${id}/${action}`,
      ...(body === undefined ? {} : { body }),
      schema: LifecycleAck,
      idempotent: true,
      attemptTimeoutMs: LIFECYCLE_ATTEMPT_TIMEOUT_MS,
    });
  }
  addPublicPort(id: string, entry: { port: number; prefix?: string; label?: string }) {
    return this.client.call({
      method: "POST",
      path: encodePath`/v1/instances/${id}/public-ports`,
      body: entry,
      schema: Anything,
      idempotent: true,
    });
  }
  removePublicPort(id: string, port: number) {
    return this.client.call({
      method: "DELETE",
      path: encodePath`/v1/instances/${id}/public-ports/${port}`,
      schema: Anything,
      idempotent: true,
    });
  }
  patchBudget(id: string, monthlyCapMicros: number) {
    return this.client.call({
      method: "PATCH",
      path: encodePath`/v1/instances/${id}/budget`,
      body: { monthly_cap_micros: monthlyCapMicros },
      schema: Budget,
      idempotent: true,
    });
  }
  template(name: string) {
    return this.client.call({ method: "GET", path: encodePath`/v1/templates/${name}`, schema: Template, idempotent: true });
  }
}
