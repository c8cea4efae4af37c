// The ResourceProvider methods the plugin serves, by handler name, as the gRPC method each one
// is: a table with nothing behind it, so the plugin's start (front/grpc/start.ts) can route
// a call before it loads the provider. messages.ts pairs each with its request's decoder;
// test/plugin/unary-server.test.ts holds both to provider_grpc_pb.js.

/** Handler name → gRPC method name of `pulumirpc.ResourceProvider`. */
export const PROVIDER_METHODS = {
  getPluginInfo: "GetPluginInfo",
  getSchema: "GetSchema",
  checkConfig: "CheckConfig",
  diffConfig: "DiffConfig",
  configure: "Configure",
  check: "Check",
  diff: "Diff",
  create: "Create",
  read: "Read",
  update: "Update",
  delete: "Delete",
  invoke: "Invoke",
  cancel: "Cancel",
} as const;

/** The name of a ResourceProvider method the plugin serves (its handler's). */
export type ProviderMethodName = keyof typeof PROVIDER_METHODS;

/** A method's HTTP/2 path. */
export function methodPath(name: ProviderMethodName): string {
  return `/pulumirpc.ResourceProvider/${PROVIDER_METHODS[name]}`;
}
