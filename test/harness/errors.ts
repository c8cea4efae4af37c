/**
 * The error a provider host call rejects with, with the engine's structured failure decoded.
 */
import type { Metadata, ServiceError } from "@grpc/grpc-js";
import { Status } from "@pulumi/pulumi/proto/status_pb";
import { ErrorResourceInitFailed } from "@pulumi/pulumi/proto/provider_pb";
import { fromStruct } from "./protocol";

/**
 * The detail the engine reads as "resource was created but failed to initialize": the resource
 * exists (`id`) and goes into state with `properties` as its outputs, `reasons` as init errors.
 */
export interface InitFailure {
  id: string;
  properties: Record<string, unknown>;
  reasons: string[];
}

/** A failed RPC to the provider host. */
export class HostError extends Error {
  override readonly name = "HostError";
  /** The gRPC status code (2 = UNKNOWN for provider exceptions, 4 = DEADLINE_EXCEEDED, ...). */
  readonly code: number;
  /** The RPC that failed, e.g. `Create`. */
  readonly method: string;
  /** Set when the host reported `ErrorResourceInitFailed` in `grpc-status-details-bin`. */
  readonly initFailure?: InitFailure;

  constructor(method: string, message: string, code: number, initFailure?: InitFailure, cause?: unknown) {
    super(message, cause === undefined ? undefined : { cause });
    this.method = method;
    this.code = code;
    if (initFailure) this.initFailure = initFailure;
  }
}

/** Turns a grpc-js error into a `HostError`, decoding an init failure from the status details. */
export function toHostError(method: string, error: ServiceError): HostError {
  return new HostError(method, error.details || error.message, error.code, decodeInitFailure(error.metadata), error);
}

const INIT_FAILED_TYPE = "pulumirpc.ErrorResourceInitFailed";

/**
 * The host packs a `google.rpc.Status` whose details hold an `Any` of `ErrorResourceInitFailed`
 * into the `grpc-status-details-bin` trailer; grpc-js does not decode it, so we do, as the
 * engine's Go client does.
 */
export function decodeInitFailure(metadata: Metadata | undefined): InitFailure | undefined {
  const raw = metadata?.get("grpc-status-details-bin")[0];
  if (raw === undefined) return undefined;
  const bytes = typeof raw === "string" ? Buffer.from(raw, "base64") : raw;
  const status = Status.deserializeBinary(new Uint8Array(bytes));
  for (const any of status.getDetailsList()) {
    if (any.getTypeName() !== INIT_FAILED_TYPE) continue;
    const detail = ErrorResourceInitFailed.deserializeBinary(any.getValue_asU8());
    return {
      id: detail.getId(),
      properties: fromStruct(detail.getProperties()),
      reasons: detail.getReasonsList(),
    };
  }
  return undefined;
}
