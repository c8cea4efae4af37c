/**
 * The plugin's start (provider/front/grpc/start.ts): a process answers GetPluginInfo and
 * GetSchema with the transport alone, refuses Handshake as before, and loads the provider at its
 * first other call, once. The prebuilt schema is the one the provider builds, and the executable the engine starts for the schema
 * never loads the provider's file nor the protobuf messages.
 */
import * as grpc from "@grpc/grpc-js";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import type * as pluginpb from "@pulumi/pulumi/proto/plugin_pb";
import * as providerGrpc from "@pulumi/pulumi/proto/provider_grpc_pb";
import * as providerpb from "@pulumi/pulumi/proto/provider_pb";
import { buildSchema } from "../../provider/core/schema";
import { MODULES } from "../../provider/front/plugin/registry";
import { startMethods } from "../../provider/front/grpc/start";
import { pluginMethods } from "../../provider/front/plugin/server";
import { startUnaryServer, type MethodTable, type UnaryServer } from "../../provider/front/grpc/unary-server";
import { REPO_ROOT, startPluginHost } from "../harness";

type Definition = Record<string, { path: string; requestSerialize(m: unknown): Buffer; responseDeserialize(b: Buffer): unknown }>;
const service = providerGrpc.ResourceProviderService as unknown as Definition;
const version = (JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "package.json"), "utf8")) as { version: string }).version;

describe("the schema the start answers", () => {
  it("the schema beside the bundle is the one the provider builds from its declarations", () => {
    const prebuilt = fs.readFileSync(path.join(REPO_ROOT, "dist", "plugin", "schema.json"), "utf8");
    expect(prebuilt).toBe(JSON.stringify(buildSchema(MODULES)));
  });
});

describe("a start's method table, called through grpc-js", () => {
  let server: UnaryServer;
  let client: grpc.Client;
  let loads = 0;
  let failLoad = false;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "agent37-start-"));
  const schemaFile = path.join(dir, "schema.json");
  fs.writeFileSync(schemaFile, JSON.stringify({ name: "agent37", note: "prebuilt" }));

  const call = (name: string, req: unknown): Promise<unknown> => {
    const def = service[name] as Definition[string];
    return new Promise((resolve, reject) => {
      client.makeUnaryRequest(def.path, def.requestSerialize, def.responseDeserialize, req, (err, res) => (err ? reject(err) : resolve(res)));
    });
  };

  beforeAll(async () => {
    const methods = startMethods({
      load: (): MethodTable => {
        loads++;
        if (failLoad) throw new Error("no provider here");
        return pluginMethods(MODULES).methods;
      },
      schemaFile,
    });
    server = await startUnaryServer(methods, { host: "127.0.0.1", maxReceiveBytes: 1024 * 1024 });
    client = new grpc.Client(`127.0.0.1:${server.port}`, grpc.credentials.createInsecure());
  });
  afterAll(async () => {
    client?.close();
    await server?.shutdown(1000);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("answers GetPluginInfo and GetSchema (the prebuilt file) without loading the provider", async () => {
    const { Empty } = await import("google-protobuf/google/protobuf/empty_pb");
    const info = (await call("getPluginInfo", new Empty())) as pluginpb.PluginInfo;
    expect(info.getVersion()).toBe(version);
    const schema = (await call("getSchema", new providerpb.GetSchemaRequest().setVersion(1))) as providerpb.GetSchemaResponse;
    expect(JSON.parse(schema.getSchema())).toEqual({ name: "agent37", note: "prebuilt" });
    expect(loads).toBe(0);
  });

  it("refuses a method the plugin does not serve (the engine's Handshake) UNIMPLEMENTED, still without loading", async () => {
    const err = await new Promise<grpc.ServiceError>((resolve) => {
      client.makeUnaryRequest("/pulumirpc.ResourceProvider/Handshake", (b: Buffer) => b, (b: Buffer) => b, Buffer.alloc(0), (e) => resolve(e as grpc.ServiceError));
    });
    expect(err.code).toBe(grpc.status.UNIMPLEMENTED);
    expect(loads).toBe(0);
  });

  it("a failed load answers INTERNAL naming what failed, and the next call tries again", async () => {
    failLoad = true;
    const req = new providerpb.CheckRequest().setUrn("urn:pulumi:s::p::pulumi:providers:agent37::default");
    await expect(call("checkConfig", req)).rejects.toMatchObject({ code: grpc.status.INTERNAL, details: "the agent37 plugin could not load its provider: no provider here" });
    expect(loads).toBe(1);
    failLoad = false;
  });

  it("loads the provider at the first other call, once, and hands it the request's bytes to decode", async () => {
    const before = loads;
    const req = new providerpb.CheckRequest().setUrn("urn:pulumi:s::p::pulumi:providers:agent37::default");
    const first = (await call("checkConfig", req)) as providerpb.CheckResponse;
    expect(first.getFailuresList()).toEqual([]);
    const news = Struct.fromJavaScript({ template: "openclaw", resources: { cpu: 1, memory: 2 } });
    const check = new providerpb.CheckRequest().setUrn("urn:pulumi:s::p::agent37:index:Instance::a").setType("agent37:index:Instance").setNews(news);
    const second = (await call("check", check)) as providerpb.CheckResponse;
    // The instance's own rule, so the request reached its check decoded.
    expect(second.getFailuresList().map((f) => f.getProperty())).toEqual(["resources.cpu"]);
    expect(loads).toBe(before + 1);
  });

  it("a request that does not decode answers INTERNAL, as the provider's own table does", async () => {
    const err = await new Promise<grpc.ServiceError>((resolve) => {
      client.makeUnaryRequest(service["check"]?.path as string, (b: Buffer) => b, (b: Buffer) => b, Buffer.from([0xff, 0xff, 0xff]), (e) => resolve(e as grpc.ServiceError));
    });
    expect(err.code).toBe(grpc.status.INTERNAL);
    expect(err.details).toMatch(/^the request does not decode: /);
  });
});

describe("the executable the engine starts for the schema", () => {
  it("loads neither the provider's file nor the generated protobuf stubs; a call about resources loads the provider, still not the stubs", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "agent37-start-probe-"));
    const probe = path.join(dir, "probe.js");
    // What the process has loaded when it exits (SIGTERM: the plugin ends after its calls).
    fs.writeFileSync(probe, `process.on("exit", () => require("fs").writeFileSync(process.env.AGENT37_PROBE_OUT + "." + process.pid, JSON.stringify(Object.keys(require.cache))));\n`);
    const env = { ...process.env, NODE_OPTIONS: `--require ${probe}`, AGENT37_PROBE_OUT: path.join(dir, "loaded") };
    const loadedBy = async (calls: (host: Awaited<ReturnType<typeof startPluginHost>>) => Promise<unknown>): Promise<string[]> => {
      const host = await startPluginHost({ launch: "executable", env });
      await calls(host);
      const pid = host.pid;
      await host.close();
      return JSON.parse(fs.readFileSync(path.join(dir, `loaded.${pid}`), "utf8")) as string[];
    };
    try {
      const schemaOnly = await loadedBy(async (host) => {
        expect(await host.client.getPluginInfo()).toBe(version);
        expect(await host.client.getSchema()).toEqual(JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "dist", "plugin", "schema.json"), "utf8")));
      });
      expect(schemaOnly.some((f) => f.endsWith(path.join("dist", "plugin", "agent37.js")))).toBe(true);
      expect(schemaOnly.filter((f) => f.endsWith(path.join("dist", "plugin", "full.js")) || f.endsWith("_pb.js") || f.includes(`${path.sep}google-protobuf${path.sep}`))).toEqual([]);
      const serving = await loadedBy(async (host) => {
        await host.client.checkConfig("urn:pulumi:s::p::pulumi:providers:agent37::default", {}, {});
      });
      expect(serving.some((f) => f.endsWith(path.join("dist", "plugin", "full.js")))).toBe(true);
      // The plugin's messages are its own (grpc/messages.ts): the generated stubs load with the first progress line only.
      expect(serving.filter((f) => f.endsWith("_pb.js") || f.includes(`${path.sep}google-protobuf${path.sep}`))).toEqual([]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
