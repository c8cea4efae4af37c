// Entry of the Agent37 provider plugin. Pulumi's Node language host runs the package's
// `plugin/` folder (PulumiPlugin.yaml, `runtime: nodejs`) as
// `node <@pulumi/pulumi>/cmd/run-plugin <plugin dir> <engine address>` in the project folder;
// run-plugin loads this module. The protocol: print the gRPC port as the first line of stdout,
// then serve until the engine stops the process. Nothing else goes to stdout.
// First: under an unsupported Node this prints one line and exits 1, before any dependency loads.
import "../../core/exit-on-old-node";
import { EngineStatus, engineAddressOf } from "../../core/engine-log";
import { MODULES } from "./registry";
import { engineLogModules } from "../grpc/sdk";
import { startPluginServer } from "./server";

async function main(args: readonly string[]): Promise<void> {
  if (args.length === 0) {
    console.error("agent37 plugin: missing the engine address argument (the plugin is started by the Pulumi engine)");
    process.exit(1);
  }
  // While a resource waits, its row in `pulumi up` says for what (core/progress.ts): lines go to
  // the engine's Log service as the resource's status.
  const address = engineAddressOf(args);
  const status = address === undefined ? undefined : new EngineStatus(address, engineLogModules);
  const server = await startPluginServer(MODULES, status === undefined ? {} : { progress: (urn) => status.sink(urn) });
  const stop = (): void => {
    // Let running operations finish so nothing half-made goes unrecorded, then exit.
    void server.shutdown().then(() => process.exit(0));
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
  process.stdout.write(`${server.port}\n`);
}

main(process.argv.slice(2)).catch((err: unknown) => {
  console.error(`agent37 plugin failed to start: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
