// Entry of the Agent37 provider plugin. The engine runs the package's executable
// `pulumi-resource-agent37` (or, through Pulumi's Node language host, the `plugin/` folder as
// `node <@pulumi/pulumi>/cmd/run-plugin <plugin dir> <engine address>`) in the project folder;
// both load this module, bundled as dist/plugin/agent37.js. The protocol: print the gRPC port as
// the first line of stdout, then serve until the engine stops the process. Nothing else goes to
// stdout. The process starts with the transport alone (front/grpc/start.ts) and loads the provider at its
// first call about resources: a process the engine starts for the schema never loads it.
/* eslint-disable @typescript-eslint/no-require-imports -- the provider loads at its first call (front/grpc/start.ts) */
// First: under an unsupported Node this prints one line and exits 1, before any dependency loads.
import "../../core/exit-on-old-node";
import * as path from "node:path";
import { engineAddressOf } from "../../core/engine-log";
import { serveOnLoopback, startMethods } from "../grpc/start";

async function main(args: readonly string[]): Promise<void> {
  if (args.length === 0) {
    console.error("agent37 plugin: missing the engine address argument (the plugin is started by the Pulumi engine)");
    process.exit(1);
  }
  const address = engineAddressOf(args);
  const methods = startMethods({
    // Beside this module: full.ts compiled, or bundled as dist/plugin/full.js.
    load: () => (require("./full") as typeof import("./full")).loadProvider(address),
    // Beside the bundle (scripts/bundle.js writes it); run from the compiled modules there is none.
    schemaFile: path.join(__dirname, "schema.json"),
  });
  const server = await serveOnLoopback(methods);
  const stop = (): void => {
    // Let running operations finish so nothing half-made goes unrecorded, then exit.
    void server.shutdown(30_000).then(() => process.exit(0));
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
  process.stdout.write(`${server.port}\n`);
}

main(process.argv.slice(2)).catch((err: unknown) => {
  console.error(`agent37 plugin failed to start: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
