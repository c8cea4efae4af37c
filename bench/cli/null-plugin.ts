// The floor of the real-CLI bench's plugin door: a provider plugin that does nothing. It serves
// the schema it is given (ours, renamed: bench/measure/cli.ts writes it next to the executable),
// so Pulumi YAML type-checks the same properties, and it answers the same calls our plugin
// answers (CheckConfig, Configure with preview support, Check, Diff, Create, also as a preview)
// over grpc-js (the runtime of Pulumi's own Node providers) and the same protobuf messages, with no work behind them: Check returns the
// inputs, Diff says no change, Create returns the inputs as outputs.
//
//   node null-plugin.js <engine address>   (schema: $BENCH_NULL_SCHEMA, a JSON file)
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import type * as grpcTypes from "@grpc/grpc-js";
import type * as providerTypes from "@pulumi/pulumi/proto/provider_pb";
import { grpcJs, providerStubs } from "../../provider/front/grpc/sdk";

type Unary = grpcTypes.handleUnaryCall<unknown, unknown>;

function main(): void {
  const { providerpb, pluginpb, emptypb, providerGrpc } = providerStubs();
  const schemaFile = process.env.BENCH_NULL_SCHEMA;
  if (!schemaFile) throw new Error("BENCH_NULL_SCHEMA is not set");
  const schema = fs.readFileSync(schemaFile, "utf8");
  const version = (JSON.parse(schema) as { version?: string }).version ?? "0.0.1";
  const unary =
    <Req, Res>(fn: (req: Req) => Res): Unary =>
    (call, callback) =>
      callback(null, fn(call.request as Req));
  const service = {
    getPluginInfo: unary(() => new pluginpb.PluginInfo().setVersion(version)),
    getSchema: unary(() => new providerpb.GetSchemaResponse().setSchema(schema)),
    checkConfig: unary((req: providerTypes.CheckRequest) => {
      const res = new providerpb.CheckResponse();
      const news = req.getNews();
      if (news) res.setInputs(news);
      return res;
    }),
    diffConfig: unary(() => new providerpb.DiffResponse().setChanges(providerpb.DiffResponse.DiffChanges.DIFF_NONE)),
    configure: unary(() => new providerpb.ConfigureResponse().setAcceptsecrets(true).setSupportspreview(true)),
    check: unary((req: providerTypes.CheckRequest) => {
      const res = new providerpb.CheckResponse();
      const news = req.getNews();
      if (news) res.setInputs(news);
      return res;
    }),
    diff: unary(() => new providerpb.DiffResponse().setChanges(providerpb.DiffResponse.DiffChanges.DIFF_NONE)),
    create: unary((req: providerTypes.CreateRequest) => {
      const res = new providerpb.CreateResponse().setId(req.getPreview() ? "" : crypto.randomBytes(5).toString("hex"));
      const props = req.getProperties();
      if (props) res.setProperties(props);
      return res;
    }),
    read: unary((req: providerTypes.ReadRequest) => {
      const res = new providerpb.ReadResponse().setId(req.getId());
      const props = req.getProperties();
      const inputs = req.getInputs();
      if (props) res.setProperties(props);
      if (inputs) res.setInputs(inputs);
      return res;
    }),
    update: unary((req: providerTypes.UpdateRequest) => {
      const res = new providerpb.UpdateResponse();
      const news = req.getNews();
      if (news) res.setProperties(news);
      return res;
    }),
    delete: unary(() => new emptypb.Empty()),
    cancel: unary(() => new emptypb.Empty()),
  };
  const grpc = grpcJs();
  const server = new grpc.Server();
  server.addService(providerGrpc.ResourceProviderService as unknown as grpcTypes.ServiceDefinition, service);
  server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (err, port) => {
    if (err) throw err;
    process.stdout.write(`${port}\n`);
  });
  const stop = (): void => server.tryShutdown(() => process.exit(0));
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

main();
