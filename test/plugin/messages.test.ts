/**
 * The plugin's own protobuf messages (provider/front/grpc/messages.ts, protobuf.ts) against the
 * generated stubs of @pulumi/pulumi, which is what the engine's side is generated from too: every
 * request the stubs write decodes to the fields the plugin reads, every answer the plugin writes
 * decodes in the stubs to what was meant, property values survive both ways, and a message cut
 * short is refused rather than misread.
 */
import { Any } from "google-protobuf/google/protobuf/any_pb";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import * as pluginpb from "@pulumi/pulumi/proto/plugin_pb";
import * as providerpb from "@pulumi/pulumi/proto/provider_pb";
import * as statuspb from "@pulumi/pulumi/proto/status_pb";
import * as pb from "../../provider/front/grpc/messages";
import { structBytes } from "../../provider/front/grpc/protobuf";

/** Property values of every kind a Struct holds, nested, with Pulumi's secret and unknown wire forms. */
const VALUES = {
  name: "agent-é→ü",
  empty: "",
  zero: 0,
  negative: -17.25,
  big: 2 ** 52 + 1,
  tiny: 1e-300,
  yes: true,
  no: false,
  nothing: null,
  list: [1, "two", false, null, { three: [3] }, []],
  nested: { a: { b: { c: "deep" } }, none: {} },
  secret: { "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", value: "s3cret" },
  unknown: "04da6b54-80e4-46f7-96ec-b56ff0331ba9",
  "": "empty key",
  long: "x".repeat(70_000),
};
const toStruct = (v: Record<string, unknown>): Struct => Struct.fromJavaScript(v as never);

describe("requests: what the stubs write, the plugin reads", () => {
  it("CheckRequest (Check and CheckConfig), its other fields skipped", () => {
    const req = new providerpb.CheckRequest()
      .setUrn("urn:pulumi:s::p::agent37:index:Instance::a")
      .setOlds(toStruct({ old: 1 }))
      .setNews(toStruct(VALUES))
      .setRandomseed(new Uint8Array([1, 2, 3]))
      .setName("a")
      .setType("agent37:index:Instance")
      .setAutonaming(new providerpb.CheckRequest.AutonamingOptions().setProposedName("x").setMode(providerpb.CheckRequest.AutonamingOptions.Mode.ENFORCE))
      .setOldOutputs(toStruct({ out: true }));
    expect(pb.REQUESTS.check(req.serializeBinary())).toEqual({ urn: "urn:pulumi:s::p::agent37:index:Instance::a", olds: { old: 1 }, news: VALUES, name: "a", type: "agent37:index:Instance" });
    expect(pb.REQUESTS.checkConfig(req.serializeBinary())).toEqual(pb.REQUESTS.check(req.serializeBinary()));
  });

  it("an absent Struct is undefined, an empty one {}; absent strings and lists are their defaults", () => {
    expect(pb.REQUESTS.check(new providerpb.CheckRequest().setNews(new Struct()).serializeBinary())).toEqual({ urn: "", olds: undefined, news: {}, name: "", type: "" });
    expect(pb.REQUESTS.diff(new Uint8Array(0))).toEqual({ id: "", urn: "", olds: undefined, news: undefined, ignoreChanges: [], oldInputs: undefined, name: "", type: "" });
  });

  it("DiffRequest (Diff and DiffConfig)", () => {
    const req = new providerpb.DiffRequest().setId("i1").setUrn("u").setOlds(toStruct({ a: 1 })).setNews(toStruct(VALUES)).setIgnorechangesList(["x", "y"]).setOldInputs(toStruct({ b: "2" })).setName("n").setType("t");
    expect(pb.REQUESTS.diff(req.serializeBinary())).toEqual({ id: "i1", urn: "u", olds: { a: 1 }, news: VALUES, ignoreChanges: ["x", "y"], oldInputs: { b: "2" }, name: "n", type: "t" });
  });

  it("ConfigureRequest: the variables map, the args and the flags", () => {
    const req = new providerpb.ConfigureRequest().setArgs(toStruct({ apiKey: VALUES.secret, apiUrl: "http://127.0.0.1:1" })).setAcceptsecrets(true).setAcceptresources(true).setSendsOldInputs(true).setId("id").setUrn("urn").setName("default").setType("pulumi:providers:agent37");
    req.getVariablesMap().set("agent37:config:apiUrl", "http://127.0.0.1:1").set("agent37:config:other", "é");
    expect(pb.REQUESTS.configure(req.serializeBinary())).toEqual({
      variables: new Map([
        ["agent37:config:apiUrl", "http://127.0.0.1:1"],
        ["agent37:config:other", "é"],
      ]),
      args: { apiKey: VALUES.secret, apiUrl: "http://127.0.0.1:1" },
      acceptSecrets: true,
      acceptResources: true,
    });
  });

  it("CreateRequest, ReadRequest, UpdateRequest, DeleteRequest, InvokeRequest, GetSchemaRequest", () => {
    const create = new providerpb.CreateRequest().setUrn("u").setProperties(toStruct(VALUES)).setTimeout(12.5).setPreview(true).setName("n").setType("t").setResourceStatusAddress("addr");
    expect(pb.REQUESTS.create(create.serializeBinary())).toEqual({ urn: "u", properties: VALUES, timeout: 12.5, preview: true, name: "n", type: "t" });
    const read = new providerpb.ReadRequest().setId("i").setUrn("u").setProperties(toStruct({ p: 1 })).setInputs(toStruct({ q: [2] })).setName("n").setType("t").setTimeout(3);
    expect(pb.REQUESTS.read(read.serializeBinary())).toEqual({ id: "i", urn: "u", properties: { p: 1 }, inputs: { q: [2] }, name: "n", type: "t" });
    const update = new providerpb.UpdateRequest().setId("i").setUrn("u").setOlds(toStruct({ o: 1 })).setNews(toStruct(VALUES)).setTimeout(60).setIgnorechangesList(["z"]).setPreview(true).setOldInputs(toStruct({ oi: null })).setName("n").setType("t");
    expect(pb.REQUESTS.update(update.serializeBinary())).toEqual({ id: "i", urn: "u", olds: { o: 1 }, news: VALUES, timeout: 60, ignoreChanges: ["z"], preview: true, oldInputs: { oi: null }, name: "n", type: "t" });
    const del = new providerpb.DeleteRequest().setId("i").setUrn("u").setProperties(toStruct({ p: "x" })).setTimeout(1).setOldInputs(toStruct({})).setName("n").setType("t");
    expect(pb.REQUESTS.delete(del.serializeBinary())).toEqual({ id: "i", urn: "u", properties: { p: "x" }, timeout: 1, oldInputs: {}, name: "n", type: "t" });
    const invoke = new providerpb.InvokeRequest().setTok("agent37:index:getInstance").setArgs(toStruct({ id: "abc" })).setPreview(true);
    expect(pb.REQUESTS.invoke(invoke.serializeBinary())).toEqual({ tok: "agent37:index:getInstance", args: { id: "abc" }, preview: true });
    expect(pb.REQUESTS.getSchema(new providerpb.GetSchemaRequest().setVersion(2).setSubpackageName("s").serializeBinary())).toEqual({ version: 2, subpackageName: "s", subpackageVersion: "" });
  });

  it("a message cut short, or holding a wire type protobuf does not have, is refused", () => {
    const bytes = new providerpb.CheckRequest().setUrn("urn:pulumi:s::p::t::n").setNews(toStruct({ a: "b" })).serializeBinary();
    for (const cut of [1, 5, bytes.length - 1]) expect(() => pb.REQUESTS.check(bytes.subarray(0, cut))).toThrow(/past the end/);
    expect(() => pb.REQUESTS.check(Uint8Array.from([0x0f]))).toThrow(/wire type 7/);
  });
});

describe("answers: what the plugin writes, the stubs read", () => {
  it("a Struct round trip keeps every value, and decodes what the stubs encode", () => {
    expect(Struct.deserializeBinary(structBytes(VALUES)).toJavaScript()).toEqual(VALUES);
    expect(pb.REQUESTS.check(new providerpb.CheckRequest().setNews(toStruct(VALUES)).serializeBinary()).news).toEqual(VALUES);
  });

  it("PluginInfo and GetSchemaResponse are the stubs' bytes, for every length class of the string", () => {
    for (const value of ["", "0.1.0", "é→", "x".repeat(127), "y".repeat(128), "z".repeat(16_384), "w".repeat(300_000)]) {
      expect(Buffer.from(pb.pluginInfo(value))).toEqual(Buffer.from(new pluginpb.PluginInfo().setVersion(value).serializeBinary()));
      expect(Buffer.from(pb.getSchemaResponse(value))).toEqual(Buffer.from(new providerpb.GetSchemaResponse().setSchema(value).serializeBinary()));
    }
  });

  it("CheckResponse and InvokeResponse: inputs or return, and failures in order", () => {
    const check = providerpb.CheckResponse.deserializeBinary(pb.checkResponse({ inputs: VALUES, failures: [{ property: "a", reason: "r1" }, { property: "", reason: "r2 é" }] }));
    expect(check.getInputs()?.toJavaScript()).toEqual(VALUES);
    expect(check.getFailuresList().map((f) => [f.getProperty(), f.getReason()])).toEqual([["a", "r1"], ["", "r2 é"]]);
    expect(providerpb.CheckResponse.deserializeBinary(pb.checkResponse({ failures: [] })).hasInputs()).toBe(false);
    const invoke = providerpb.InvokeResponse.deserializeBinary(pb.invokeResponse({ return: { x: [1] }, failures: [{ property: "", reason: "no" }] }));
    expect(invoke.getReturn()?.toJavaScript()).toEqual({ x: [1] });
    expect(invoke.getFailuresList().map((f) => f.getReason())).toEqual(["no"]);
  });

  it("DiffResponse: changes, replaces, stables, diffs, the detailed diff and its flags", () => {
    const res = providerpb.DiffResponse.deserializeBinary(
      pb.diffResponse({
        changes: pb.DiffChanges.SOME,
        replaces: ["template"],
        stables: ["url", "id"],
        deleteBeforeReplace: true,
        diffs: ["template", "name"],
        detailedDiff: [
          ["template", { kind: pb.PropertyDiffKind.UPDATE_REPLACE, inputDiff: false }],
          ["name", { kind: pb.PropertyDiffKind.ADD, inputDiff: true }],
        ],
        hasDetailedDiff: true,
      }),
    );
    expect(res.getChanges()).toBe(providerpb.DiffResponse.DiffChanges.DIFF_SOME);
    expect(res.getReplacesList()).toEqual(["template"]);
    expect(res.getStablesList()).toEqual(["url", "id"]);
    expect(res.getDeletebeforereplace()).toBe(true);
    expect(res.getDiffsList()).toEqual(["template", "name"]);
    expect(res.getHasdetaileddiff()).toBe(true);
    const detailed: Record<string, unknown> = {};
    res.getDetaileddiffMap().forEach((d, k) => (detailed[k] = [d.getKind(), d.getInputdiff()]));
    expect(detailed).toEqual({ template: [providerpb.PropertyDiff.Kind.UPDATE_REPLACE, false], name: [providerpb.PropertyDiff.Kind.ADD, true] });
    const none = providerpb.DiffResponse.deserializeBinary(pb.diffResponse({ changes: pb.DiffChanges.NONE, hasDetailedDiff: true }));
    expect([none.getChanges(), none.getDiffsList(), none.getHasdetaileddiff()]).toEqual([providerpb.DiffResponse.DiffChanges.DIFF_NONE, [], true]);
  });

  it("the enum values are provider.proto's", () => {
    expect(pb.DiffChanges).toEqual({ UNKNOWN: providerpb.DiffResponse.DiffChanges.DIFF_UNKNOWN, NONE: providerpb.DiffResponse.DiffChanges.DIFF_NONE, SOME: providerpb.DiffResponse.DiffChanges.DIFF_SOME });
    expect(pb.PropertyDiffKind).toEqual({ ...providerpb.PropertyDiff.Kind });
  });

  it("ConfigureResponse, CreateResponse, ReadResponse, UpdateResponse", () => {
    const conf = providerpb.ConfigureResponse.deserializeBinary(pb.configureResponse({ acceptSecrets: true, supportsPreview: true, acceptResources: false, acceptOutputs: true }));
    expect([conf.getAcceptsecrets(), conf.getSupportspreview(), conf.getAcceptresources(), conf.getAcceptoutputs()]).toEqual([true, true, false, true]);
    const create = providerpb.CreateResponse.deserializeBinary(pb.createResponse({ id: "abc", properties: VALUES }));
    expect([create.getId(), create.getProperties()?.toJavaScript()]).toEqual(["abc", VALUES]);
    const preview = providerpb.CreateResponse.deserializeBinary(pb.createResponse({ id: "", properties: { a: 1 } }));
    expect([preview.getId(), preview.getProperties()?.toJavaScript()]).toEqual(["", { a: 1 }]);
    const read = providerpb.ReadResponse.deserializeBinary(pb.readResponse({ id: "i", properties: { p: 1 }, inputs: { q: 2 } }));
    expect([read.getId(), read.getProperties()?.toJavaScript(), read.getInputs()?.toJavaScript()]).toEqual(["i", { p: 1 }, { q: 2 }]);
    const gone = providerpb.ReadResponse.deserializeBinary(pb.readResponse({ id: "" }));
    expect([gone.getId(), gone.hasProperties(), gone.hasInputs()]).toEqual(["", false, false]);
    expect(providerpb.UpdateResponse.deserializeBinary(pb.updateResponse({ properties: { u: "v" } })).getProperties()?.toJavaScript()).toEqual({ u: "v" });
    expect(pb.EMPTY_MESSAGE.length).toBe(0);
  });

  it("a google.rpc.Status carrying an ErrorResourceInitFailed, as the engine unpacks it", () => {
    const detail = pb.errorResourceInitFailed({ id: "inst-1", properties: { name: "a", url: null }, reasons: ["unhealthy", "second"] });
    const status = statuspb.Status.deserializeBinary(pb.rpcStatus({ code: 2, message: "create failed: é", details: [{ typeName: "pulumirpc.ErrorResourceInitFailed", value: detail }] }));
    expect([status.getCode(), status.getMessage()]).toEqual([2, "create failed: é"]);
    const any = status.getDetailsList()[0] as Any;
    expect(any.getTypeUrl()).toBe("type.googleapis.com/pulumirpc.ErrorResourceInitFailed");
    const unpacked = any.unpack(providerpb.ErrorResourceInitFailed.deserializeBinary, "pulumirpc.ErrorResourceInitFailed");
    expect(unpacked?.getId()).toBe("inst-1");
    expect(unpacked?.getProperties()?.toJavaScript()).toEqual({ name: "a", url: null });
    expect(unpacked?.getReasonsList()).toEqual(["unhealthy", "second"]);
  });

  it("a negative status code is written as protobuf writes an int32", () => {
    expect(Buffer.from(pb.rpcStatus({ code: -1, message: "", details: [] }))).toEqual(Buffer.from(new statuspb.Status().setCode(-1).serializeBinary()));
  });
});
