// The gRPC runtime and protobuf messages, taken from the @pulumi/pulumi the plugin runs with.
// The generated stubs in `@pulumi/pulumi/proto` load `@grpc/grpc-js` and `google-protobuf` from
// @pulumi/pulumi's own dependencies; the server uses those same copies, so the service
// definitions, the server and the messages always come from one install and this package needs
// no gRPC dependency of its own.
/* eslint-disable @typescript-eslint/no-require-imports -- modules resolved from @pulumi/pulumi's folder */
import * as path from "node:path";
import type * as grpcTypes from "@grpc/grpc-js";
import type * as anyTypes from "google-protobuf/google/protobuf/any_pb";
import type * as emptyTypes from "google-protobuf/google/protobuf/empty_pb";
import type * as structTypes from "google-protobuf/google/protobuf/struct_pb";
import type * as pluginTypes from "@pulumi/pulumi/proto/plugin_pb";
import type * as providerGrpcTypes from "@pulumi/pulumi/proto/provider_grpc_pb";
import type * as providerTypes from "@pulumi/pulumi/proto/provider_pb";
import type * as statusTypes from "@pulumi/pulumi/proto/status_pb";
import type { EngineLogModules } from "../../core/engine-log";

const SDK_ROOT = path.dirname(require.resolve("@pulumi/pulumi/package.json"));

function fromSdk<T>(id: string): T {
  return require(require.resolve(id, { paths: [SDK_ROOT] })) as T;
}

export const grpc = fromSdk<typeof grpcTypes>("@grpc/grpc-js");
export const structpb = fromSdk<typeof structTypes>("google-protobuf/google/protobuf/struct_pb");
export const emptypb = fromSdk<typeof emptyTypes>("google-protobuf/google/protobuf/empty_pb");
export const anypb = fromSdk<typeof anyTypes>("google-protobuf/google/protobuf/any_pb");
export const providerpb = require("@pulumi/pulumi/proto/provider_pb") as typeof providerTypes;
export const providerGrpc = require("@pulumi/pulumi/proto/provider_grpc_pb") as typeof providerGrpcTypes;
export const pluginpb = require("@pulumi/pulumi/proto/plugin_pb") as typeof pluginTypes;
export const statuspb = require("@pulumi/pulumi/proto/status_pb") as typeof statusTypes;

/** The engine's Log service stubs: loaded at the first progress line, not at start. */
export function engineLogModules(): EngineLogModules {
  return {
    grpc,
    enginepb: require("@pulumi/pulumi/proto/engine_pb") as EngineLogModules["enginepb"],
    engineGrpc: require("@pulumi/pulumi/proto/engine_grpc_pb") as EngineLogModules["engineGrpc"],
  };
}

/** The @pulumi/pulumi version the plugin runs with (for diagnostics). */
export function sdkVersion(): string {
  return (require(path.join(SDK_ROOT, "package.json")) as { version: string }).version;
}
