// The floor of the real-CLI bench's plugin door: a provider plugin that does nothing. It serves
// the schema it is given (ours, renamed: bench/measure/cli.ts writes it next to the executable),
// so Pulumi YAML type-checks the same properties, and it answers the same calls our plugin
// answers (CheckConfig, Configure with preview support, Check, Diff, Create, also as a preview)
// over the same transport and messages as ours (provider/front/grpc/: unary calls over
// node:http2, the plugin's own protobuf), with no work behind them: Check returns the inputs,
// Diff says no change, Create returns the inputs as outputs, joined by the outputs it is given
// (`$BENCH_NULL_OUTPUTS`: an instance's as ours recorded them, its secret ones as secrets), so that
// the stack's state has the shape of ours; as a preview, joined by every output of the schema's
// resource as unknown, as ours plans what only the create can know. So what the bench measures
// above it is what the plugin does for a resource, not its plumbing.
//
//   node null-plugin.js <engine address>   (schema: $BENCH_NULL_SCHEMA, a JSON file)
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as pb from "../../provider/front/grpc/messages";
import type { ProviderMethodName } from "../../provider/front/grpc/methods";
import { serveOnLoopback } from "../../provider/front/grpc/start";
import type { UnaryMethod } from "../../provider/front/grpc/unary-server";
import { asSecret, UNKNOWN } from "../../provider/core/check";
import type { NullOutputs } from "./inline-driver";

/** The outputs a create records besides its inputs: `$BENCH_NULL_OUTPUTS`, secrets marked; none when unset. */
function givenOutputs(): Record<string, unknown> {
  const given = process.env.BENCH_NULL_OUTPUTS;
  if (given === undefined) return {};
  const { outputs, secret } = JSON.parse(given) as NullOutputs;
  return Object.fromEntries(Object.entries(outputs).map(([k, v]) => [k, secret.includes(k) ? asSecret(v) : v]));
}

async function main(): Promise<void> {
  const schemaFile = process.env.BENCH_NULL_SCHEMA;
  if (!schemaFile) throw new Error("BENCH_NULL_SCHEMA is not set");
  const schema = fs.readFileSync(schemaFile, "utf8");
  const parsed = JSON.parse(schema) as { version?: string; resources?: Record<string, { properties?: Record<string, unknown> }> };
  const version = parsed.version ?? "0.0.1";
  const resources = parsed.resources ?? {};
  const outputs = givenOutputs();
  /** A resource type's outputs, each unknown (the type is the URN's part before the name). */
  const planned = (req: pb.CreateRequest): Record<string, unknown> => {
    const type = req.type || (req.urn.split("::")[2]?.split("$").pop() ?? "");
    return Object.fromEntries(Object.keys(resources[type]?.properties ?? {}).map((k) => [k, UNKNOWN]));
  };
  const answers: Record<ProviderMethodName, (req: never) => Uint8Array> = {
    getPluginInfo: () => pb.pluginInfo(version),
    getSchema: () => pb.getSchemaResponse(schema),
    checkConfig: (req: pb.CheckRequest) => pb.checkResponse({ ...(req.news ? { inputs: req.news } : {}), failures: [] }),
    diffConfig: () => pb.diffResponse({ changes: pb.DiffChanges.NONE }),
    configure: () => pb.configureResponse({ acceptSecrets: true, supportsPreview: true, acceptResources: false, acceptOutputs: false }),
    check: (req: pb.CheckRequest) => pb.checkResponse({ ...(req.news ? { inputs: req.news } : {}), failures: [] }),
    diff: () => pb.diffResponse({ changes: pb.DiffChanges.NONE }),
    create: (req: pb.CreateRequest) =>
      req.preview
        ? pb.createResponse({ id: "", properties: { ...planned(req), ...req.properties } })
        : pb.createResponse({ id: crypto.randomBytes(5).toString("hex"), properties: { ...req.properties, ...outputs, name: req.properties?.name } }),
    read: (req: pb.ReadRequest) => pb.readResponse({ id: req.id, ...(req.properties ? { properties: req.properties } : {}), ...(req.inputs ? { inputs: req.inputs } : {}) }),
    update: (req: pb.UpdateRequest) => pb.updateResponse({ ...(req.news ? { properties: req.news } : {}) }),
    delete: () => pb.EMPTY_MESSAGE,
    invoke: () => pb.invokeResponse({ failures: [] }),
    cancel: () => pb.EMPTY_MESSAGE,
  };
  const methods = new Map<string, UnaryMethod>(
    Object.entries(pb.providerMethods()).map(([name, m]) => [m.path, { deserialize: m.deserialize, handler: (call, callback) => callback(null, answers[name as ProviderMethodName](call.request as never)) }]),
  );
  const server = await serveOnLoopback(methods);
  process.stdout.write(`${server.port}\n`);
  const stop = (): void => void server.shutdown(5_000).then(() => process.exit(0));
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

void main();
