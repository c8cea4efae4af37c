// What the plugin takes from the @pulumi/pulumi it runs with, on first use: the gRPC runtime and
// the engine's Log service stubs (the plugin's one client: progress lines, core/engine-log.ts). The
// generated stubs load `google-protobuf` and `@grpc/grpc-js` from @pulumi/pulumi's own
// dependencies, so this package needs no gRPC dependency of its own. The plugin's server is not
// grpc-js (unary-server.ts) and its messages are not these stubs (messages.ts): neither loads
// before the first progress line.
/* eslint-disable @typescript-eslint/no-require-imports -- modules resolved from @pulumi/pulumi's folder, on first use */
import * as path from "node:path";
import type * as grpcTypes from "@grpc/grpc-js";
import type { EngineLogModules } from "../../core/engine-log";

const sdkRoot = (): string => path.dirname(require.resolve("@pulumi/pulumi/package.json"));

function fromSdk<T>(id: string): T {
  return require(require.resolve(id, { paths: [sdkRoot()] })) as T;
}

/** `@grpc/grpc-js`. */
function grpcJs(): typeof grpcTypes {
  return fromSdk<typeof grpcTypes>("@grpc/grpc-js");
}

/** The engine's Log service stubs: loaded at the first progress line, not at start. */
export function engineLogModules(): EngineLogModules {
  return {
    grpc: grpcJs(),
    enginepb: require("@pulumi/pulumi/proto/engine_pb") as EngineLogModules["enginepb"],
    engineGrpc: require("@pulumi/pulumi/proto/engine_grpc_pb") as EngineLogModules["engineGrpc"],
  };
}
