// What the plugin answers before it loads its provider. The engine starts a plugin process for
// the package schema alone (Pulumi YAML type-checks a program with it) and a second one to serve
// the resources, both on the way to the first resource (docs/plugin.md, "Start-up"). So a process
// starts with the gRPC transport only: `GetPluginInfo` answers the package's version and
// `GetSchema` the schema `npm run build` wrote beside the bundle (dist/plugin/schema.json, the
// same JSON the provider builds: test/plugin/start.test.ts compares them); a method the plugin
// does not serve (`Handshake`) is refused as before. The first other call loads the provider
// (the protobuf messages, the declarations, the resources' code) and every call from then on goes
// to it. The schema process never loads it.
import * as fs from "node:fs";
import { packageVersion } from "../../core/package-version";
import { getSchemaResponse, pluginInfo } from "./messages";
import { methodPath, PROVIDER_METHODS, type ProviderMethodName } from "./methods";
import { startUnaryServer, Status, type UnaryCall, type UnaryMethod, type UnaryServer } from "./unary-server";

/** The largest request the plugin takes (a Check of many large inputs, say). */
export const MAX_RECEIVE_BYTES = 400 * 1024 * 1024;

/** The plugin's gRPC server on a free loopback port. */
export function serveOnLoopback(methods: ReadonlyMap<string, UnaryMethod>): Promise<UnaryServer> {
  return startUnaryServer(methods, { host: "127.0.0.1", maxReceiveBytes: MAX_RECEIVE_BYTES });
}

export interface StartOptions {
  /** The provider's method table, made at the first call the start cannot answer itself. */
  load(): ReadonlyMap<string, UnaryMethod>;
  /** The prebuilt schema JSON; when absent (the plugin run from its compiled modules), `GetSchema` goes to the provider. */
  schemaFile?: string;
}

const answering = (message: () => Uint8Array): UnaryMethod => ({
  // The requests (`Empty`, `GetSchemaRequest`) hold nothing these answers depend on.
  deserialize: () => undefined,
  handler: (_call, callback) => {
    let bytes: Uint8Array;
    try {
      bytes = message();
    } catch (err) {
      callback({ code: Status.INTERNAL, details: err instanceof Error ? err.message : String(err) });
      return;
    }
    callback(null, bytes);
  },
});

/** The method table a plugin process starts with (see above). */
export function startMethods(opts: StartOptions): Map<string, UnaryMethod> {
  let provider: ReadonlyMap<string, UnaryMethod> | undefined;
  const delegated = (path: string): UnaryMethod => ({
    // The request's bytes wait for the provider, which decodes them.
    deserialize: (bytes) => bytes,
    handler: (call, callback) => {
      let method: UnaryMethod | undefined;
      try {
        provider ??= opts.load();
        method = provider.get(path);
      } catch (err) {
        callback({ code: Status.INTERNAL, details: `the agent37 plugin could not load its provider: ${err instanceof Error ? err.message : String(err)}` });
        return;
      }
      if (method === undefined) {
        callback({ code: Status.UNIMPLEMENTED, details: `the method ${path} is not implemented` });
        return;
      }
      let request: unknown;
      try {
        request = method.deserialize(call.request as Uint8Array);
      } catch (err) {
        callback({ code: Status.INTERNAL, details: `the request does not decode: ${err instanceof Error ? err.message : String(err)}` });
        return;
      }
      const decoded: UnaryCall<unknown> = {
        request,
        get cancelled() {
          return call.cancelled;
        },
        on: (event, listener) => call.on(event, listener),
      };
      method.handler(decoded, callback);
    },
  });
  const methods = new Map<string, UnaryMethod>();
  for (const name of Object.keys(PROVIDER_METHODS) as ProviderMethodName[]) methods.set(methodPath(name), delegated(methodPath(name)));
  methods.set(
    methodPath("getPluginInfo"),
    answering(() => pluginInfo(packageVersion("0.0.0"))),
  );
  const schemaFile = opts.schemaFile;
  if (schemaFile !== undefined && fs.existsSync(schemaFile)) {
    let schema: Uint8Array | undefined;
    methods.set(
      methodPath("getSchema"),
      answering(() => (schema ??= getSchemaResponse(fs.readFileSync(schemaFile, "utf8")))),
    );
  }
  return methods;
}
