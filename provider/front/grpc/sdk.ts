// The protobuf messages and the gRPC runtime, taken from the @pulumi/pulumi the plugin runs with,
// and the conversion of property values to and from protobuf's `Struct`. Transport, like
// unary-server.ts beside it: the plugin's adapter (front/plugin/) speaks in decoded values.
// The generated stubs in `@pulumi/pulumi/proto` load `google-protobuf` (and the service stubs
// `@grpc/grpc-js`) from @pulumi/pulumi's own dependencies; the plugin uses those same copies, so
// the messages always come from one install and this package needs no gRPC dependency of its
// own. The plugin's server is not grpc-js (unary-server.ts): grpc-js loads only where a client
// is needed, the engine's Log service at the first progress line.
/* eslint-disable @typescript-eslint/no-require-imports -- modules resolved from @pulumi/pulumi's folder */
import * as path from "node:path";
import type * as grpcTypes from "@grpc/grpc-js";
import type * as anyTypes from "google-protobuf/google/protobuf/any_pb";
import type * as emptyTypes from "google-protobuf/google/protobuf/empty_pb";
import type * as structTypes from "google-protobuf/google/protobuf/struct_pb";
import type { Struct } from "google-protobuf/google/protobuf/struct_pb";
import type * as pluginTypes from "@pulumi/pulumi/proto/plugin_pb";
import type * as providerGrpcTypes from "@pulumi/pulumi/proto/provider_grpc_pb";
import type * as providerTypes from "@pulumi/pulumi/proto/provider_pb";
import type * as statusTypes from "@pulumi/pulumi/proto/status_pb";
import type { Loose } from "../../core/declare";
import type { EngineLogModules } from "../../core/engine-log";
import { plain } from "../../core/json";
import { methodPath, PROVIDER_METHODS, type ProviderMethodName } from "./methods";

const SDK_ROOT = path.dirname(require.resolve("@pulumi/pulumi/package.json"));

function fromSdk<T>(id: string): T {
  return require(require.resolve(id, { paths: [SDK_ROOT] })) as T;
}

/** `@grpc/grpc-js`, loaded on first use. */
export function grpcJs(): typeof grpcTypes {
  return fromSdk<typeof grpcTypes>("@grpc/grpc-js");
}
export const structpb = fromSdk<typeof structTypes>("google-protobuf/google/protobuf/struct_pb");
export const emptypb = fromSdk<typeof emptyTypes>("google-protobuf/google/protobuf/empty_pb");
export const anypb = fromSdk<typeof anyTypes>("google-protobuf/google/protobuf/any_pb");
export const providerpb = require("@pulumi/pulumi/proto/provider_pb") as typeof providerTypes;
/** The ResourceProvider service stubs (they load grpc-js), on first use. */
export function providerGrpcStubs(): typeof providerGrpcTypes {
  return require("@pulumi/pulumi/proto/provider_grpc_pb") as typeof providerGrpcTypes;
}
export const pluginpb = require("@pulumi/pulumi/proto/plugin_pb") as typeof pluginTypes;
export const statuspb = require("@pulumi/pulumi/proto/status_pb") as typeof statusTypes;

/** The engine's Log service stubs: loaded at the first progress line, not at start. */
export function engineLogModules(): EngineLogModules {
  return {
    grpc: grpcJs(),
    enginepb: require("@pulumi/pulumi/proto/engine_pb") as EngineLogModules["enginepb"],
    engineGrpc: require("@pulumi/pulumi/proto/engine_grpc_pb") as EngineLogModules["engineGrpc"],
  };
}

/** A ResourceProvider method: its HTTP/2 path and its request's decoder. */
export interface ProviderMethod {
  path: string;
  deserialize(bytes: Uint8Array): unknown;
}

/** The request type of each method the plugin serves (methods.ts names them). */
function requestTypes(): Record<ProviderMethodName, { deserializeBinary(bytes: Uint8Array): unknown }> {
  const p = providerpb;
  return {
    getPluginInfo: emptypb.Empty,
    getSchema: p.GetSchemaRequest,
    checkConfig: p.CheckRequest,
    diffConfig: p.DiffRequest,
    configure: p.ConfigureRequest,
    check: p.CheckRequest,
    diff: p.DiffRequest,
    create: p.CreateRequest,
    read: p.ReadRequest,
    update: p.UpdateRequest,
    delete: p.DeleteRequest,
    invoke: p.InvokeRequest,
    cancel: emptypb.Empty,
  };
}

/**
 * The ResourceProvider methods the plugin serves, by handler name: what provider_grpc_pb.js
 * declares for them (test/plugin/unary-server.test.ts compares the two), without loading its grpc-js.
 */
export function providerMethods(): Record<ProviderMethodName, ProviderMethod> {
  const types = requestTypes();
  return Object.fromEntries(
    (Object.keys(PROVIDER_METHODS) as ProviderMethodName[]).map((name) => [name, { path: methodPath(name), deserialize: (bytes: Uint8Array) => types[name].deserializeBinary(bytes) }]),
  ) as Record<ProviderMethodName, ProviderMethod>;
}

export type { ProviderMethodName };

/** The @pulumi/pulumi version the plugin runs with (for diagnostics). */
export function sdkVersion(): string {
  return (require(path.join(SDK_ROOT, "package.json")) as { version: string }).version;
}

/** A `Struct` as property values (secrets and unknowns still in their wire form). */
export function fromStruct(s: Struct | undefined): Loose {
  return s ? (s.toJavaScript() as Loose) : {};
}

export function toStruct(value: Loose): Struct {
  return structpb.Struct.fromJavaScript(plain(value) as Record<string, never>);
}
