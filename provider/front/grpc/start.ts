// What the plugin answers before it loads its provider. The engine starts a plugin process for
// the package schema alone (Pulumi YAML type-checks a program with it) and a second one to serve
// the resources, both on the way to the first resource (docs/plugin.md, "Start-up"). So a process
// starts with the gRPC transport only: `GetPluginInfo` answers the package's version and
// `GetSchema` the schema `npm run build` wrote beside the bundle (dist/plugin/schema.json, the
// same JSON the provider builds: test/plugin/start.test.ts compares them); a method the plugin
// does not serve (`Handshake`) is refused as before. The first other call loads the provider
// (the declarations, the resources' code) and every call from then on goes to it. The schema
// process never loads it.
import * as fs from "node:fs";
import { packageVersion } from "../../core/package-version";
import { getSchemaResponse, pluginInfo } from "./messages";
import { methodPath, PROVIDER_METHODS, type ProviderMethodName } from "./methods";
import { startUnaryServer, Status, type MethodTable, type UnaryMethod, type UnaryServer } from "./unary-server";

/** The largest request the plugin takes (a Check of many large inputs, say). */
export const MAX_RECEIVE_BYTES = 400 * 1024 * 1024;

/** The plugin's gRPC server on a free loopback port. */
export function serveOnLoopback(methods: MethodTable): Promise<UnaryServer> {
  return startUnaryServer(methods, { host: "127.0.0.1", maxReceiveBytes: MAX_RECEIVE_BYTES });
}

export interface StartOptions {
  /** The provider's method table, made at the first call the start cannot answer itself. */
  load(): MethodTable;
  /** The prebuilt schema JSON; when absent (the plugin run from its compiled modules), `GetSchema` goes to the provider. */
  schemaFile?: string;
}

/** A method that answers `message()` whatever the request (`Empty`, `GetSchemaRequest`: nothing these answers depend on). */
const answering = (message: () => Uint8Array): UnaryMethod => ({
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

/**
 * The method table a plugin process starts with (see above). A path of a method the provider
 * serves loads the provider when first asked for, and is the provider's own method from then
 * on: the server decodes its request and serves it as any other. Any other path (`Handshake`)
 * loads nothing and is UNIMPLEMENTED. A provider that fails to load answers that call INTERNAL,
 * and the next call tries again.
 */
export function startMethods(opts: StartOptions): MethodTable {
  const served = new Set((Object.keys(PROVIDER_METHODS) as ProviderMethodName[]).map(methodPath));
  const own = new Map<string, UnaryMethod>([[methodPath("getPluginInfo"), answering(() => pluginInfo(packageVersion("0.0.0")))]]);
  const schemaFile = opts.schemaFile;
  if (schemaFile !== undefined && fs.existsSync(schemaFile)) {
    let schema: Uint8Array | undefined;
    own.set(
      methodPath("getSchema"),
      answering(() => (schema ??= getSchemaResponse(fs.readFileSync(schemaFile, "utf8")))),
    );
  }
  let provider: MethodTable | undefined;
  return {
    get(path) {
      const method = own.get(path);
      if (method !== undefined || !served.has(path)) return method;
      try {
        provider ??= opts.load();
      } catch (err) {
        const details = `the agent37 plugin could not load its provider: ${err instanceof Error ? err.message : String(err)}`;
        return { deserialize: () => undefined, handler: (_call, callback) => callback({ code: Status.INTERNAL, details }) };
      }
      return provider.get(path);
    },
  };
}
