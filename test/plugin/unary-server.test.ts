/**
 * The plugin's own gRPC transport (provider/front/grpc/unary-server.ts), called by grpc-js as a
 * client: its method table is the one provider_grpc_pb.js declares, answers and failures arrive
 * as grpc-js reads them (status, message, binary trailers), an unknown method is UNIMPLEMENTED,
 * an expired deadline cancels the call, and an oversized request is refused.
 */
import * as grpc from "@grpc/grpc-js";
import * as providerGrpc from "@pulumi/pulumi/proto/provider_grpc_pb";
import * as providerpb from "@pulumi/pulumi/proto/provider_pb";
import { providerMethods, type CheckRequest } from "../../provider/front/grpc/messages";
import { encodeGrpcMessage, grpcTimeoutMs, startUnaryServer, Status, type UnaryCall, type UnaryMethod, type UnaryServer } from "../../provider/front/grpc/unary-server";

type Definition = Record<string, { path: string; requestDeserialize(b: Buffer): unknown; requestSerialize(m: unknown): Buffer }>;
const service = providerGrpc.ResourceProviderService as unknown as Definition;

describe("the method table", () => {
  it("names each served method by the path provider_grpc_pb.js gives it, and decodes its request (test/plugin/messages.test.ts: field by field)", () => {
    const methods = providerMethods();
    expect(Object.keys(methods).length).toBe(13);
    for (const [name, m] of Object.entries(methods)) {
      const def = service[name];
      expect(def).toBeDefined();
      expect(m.path).toBe(def?.path);
      expect(typeof m.deserialize(new Uint8Array(0))).toBe("object");
    }
  });
});

describe("header encodings", () => {
  it("percent-encodes grpc-message outside printable ASCII and the percent sign", () => {
    expect(encodeGrpcMessage("plain text: ok")).toBe("plain text: ok");
    expect(encodeGrpcMessage("50% done\nnext → é")).toBe("50%25 done%0Anext %E2%86%92 %C3%A9");
  });

  it("reads grpc-timeout in each unit and refuses a malformed one", () => {
    expect(grpcTimeoutMs("2S")).toBe(2000);
    expect(grpcTimeoutMs("1500m")).toBe(1500);
    expect(grpcTimeoutMs("1M")).toBe(60_000);
    expect(grpcTimeoutMs("3000000u")).toBe(3000);
    expect(grpcTimeoutMs("10x")).toBeUndefined();
    expect(grpcTimeoutMs(undefined)).toBeUndefined();
  });
});

describe("calls through grpc-js", () => {
  let server: UnaryServer;
  let client: grpc.Client;
  let sawCancel: () => void = () => undefined;
  const cancelSeen = new Promise<void>((resolve) => (sawCancel = resolve));

  const checkRequest = (urn: string): providerpb.CheckRequest => new providerpb.CheckRequest().setUrn(urn).setType("agent37:index:Instance");
  const call = (name: string, req: unknown, deadlineMs = 10_000): Promise<unknown> => {
    const def = service[name] as Definition[string] & { responseDeserialize(b: Buffer): unknown };
    return new Promise((resolve, reject) => {
      client.makeUnaryRequest(def.path, def.requestSerialize, def.responseDeserialize, req, new grpc.Metadata(), { deadline: Date.now() + deadlineMs }, (err, res) => (err ? reject(err) : resolve(res)));
    });
  };

  beforeAll(async () => {
    const methods = new Map<string, UnaryMethod>();
    const check = providerMethods().check as { path: string; deserialize(b: Uint8Array): unknown };
    methods.set(check.path, {
      deserialize: check.deserialize,
      handler: (c, callback) => {
        const req = (c as UnaryCall<CheckRequest>).request;
        const urn = req.urn;
        if (urn === "fail") {
          callback({ code: Status.INVALID_ARGUMENT, details: "bad input\nline two: 100%", binaryMetadata: { "grpc-status-details-bin": Buffer.from([0, 1, 2, 255]) } });
        } else if (urn === "slow") {
          c.on("cancelled", () => {
            sawCancel();
            callback({ code: Status.CANCELLED, details: "gone" });
          });
        } else {
          const res = new providerpb.CheckResponse();
          res.addFailures(new providerpb.CheckFailure().setProperty("urn").setReason(urn));
          callback(null, res.serializeBinary());
        }
      },
    });
    server = await startUnaryServer(methods, { host: "127.0.0.1", maxReceiveBytes: 1024 });
    client = new grpc.Client(`127.0.0.1:${server.port}`, grpc.credentials.createInsecure());
  });
  afterAll(async () => {
    client?.close();
    await new Promise<void>((resolve) => (server ? server.tryShutdown(resolve) : resolve()));
  });

  it("answers a call with its response message", async () => {
    const res = (await call("check", checkRequest("urn:one"))) as providerpb.CheckResponse;
    expect(res.getFailuresList().map((f) => f.getReason())).toEqual(["urn:one"]);
  });

  it("answers a failure with its status, its message and its binary trailers", async () => {
    const err = (await call("check", checkRequest("fail")).catch((e: unknown) => e)) as grpc.ServiceError;
    expect(err.code).toBe(grpc.status.INVALID_ARGUMENT);
    expect(err.details).toBe("bad input\nline two: 100%");
    expect(err.metadata.get("grpc-status-details-bin")).toEqual([Buffer.from([0, 1, 2, 255])]);
  });

  it("answers a method it does not serve UNIMPLEMENTED", async () => {
    const err = (await call("diff", new providerpb.DiffRequest()).catch((e: unknown) => e)) as grpc.ServiceError;
    expect(err.code).toBe(grpc.status.UNIMPLEMENTED);
  });

  it("cancels a call whose deadline passes", async () => {
    // Long enough for the call to reach the server on a loaded machine: a deadline that expires
    // before the server sees the stream never runs the handler, and the wait below would hang.
    const err = (await call("check", checkRequest("slow"), 1500).catch((e: unknown) => e)) as grpc.ServiceError;
    expect(err.code).toBe(grpc.status.DEADLINE_EXCEEDED);
    // The handler learns it (the test times out otherwise).
    await cancelSeen;
  });

  it("refuses a request larger than its limit", async () => {
    const err = (await call("check", checkRequest("x".repeat(4096))).catch((e: unknown) => e)) as grpc.ServiceError;
    expect(err.code).toBe(grpc.status.RESOURCE_EXHAUSTED);
  });
});
