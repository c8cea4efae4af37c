/**
 * A gRPC client for a resource provider, speaking the protocol the way Pulumi's engine does.
 *
 * Each method builds the same request message the engine builds for that step (see
 * `pkg/resource/plugin/provider_plugin.go` in pulumi/pulumi): `Check` gets old and new inputs,
 * `Diff` and `Update` get old outputs as `olds` plus `oldInputs`, `Read` gets the outputs and
 * inputs from state, `Delete` the outputs and old inputs. Every call carries a deadline.
 */
import * as grpc from "@grpc/grpc-js";
import { ResourceProviderClient } from "@pulumi/pulumi/proto/provider_grpc_pb";
import * as proto from "@pulumi/pulumi/proto/provider_pb";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import { toHostError } from "./errors";
import { fromStruct, parseUrn, secretEnvelope, toStruct } from "./protocol";

export type Properties = Record<string, unknown>;

export interface CheckFailure {
  property: string;
  reason: string;
}
export interface CheckResult {
  inputs: Properties;
  failures: CheckFailure[];
}
export interface DiffResult {
  changes: "none" | "some" | "unknown";
  replaces: string[];
  deleteBeforeReplace: boolean;
  /** Outputs the provider says the change leaves as they are (the dynamic host never sends any). */
  stables?: string[];
  /** Property → kind (`ADD`, `UPDATE_REPLACE`, ...), when the provider sent a detailed diff. */
  detailedDiff?: Record<string, string>;
}

/** What `Configure` answered: the protocol features the provider supports. */
export interface ConfigureResult {
  acceptSecrets: boolean;
  supportsPreview: boolean;
}
export interface CreateResult {
  id: string;
  properties: Properties;
}
export interface ReadResult {
  /** Empty when the provider reports the resource gone. */
  id: string;
  properties: Properties;
  /** The inputs the provider reconstructed, or `undefined` when it returned none. */
  inputs: Properties | undefined;
}
export interface UpdateResult {
  properties: Properties;
}

export interface ConfigureOptions {
  /**
   * Config keys the engine would send as secrets (wrapped in the secret envelope, as
   * `pulumi config set --secret` makes them).
   * @default every key ending in `apiKey`
   */
  secretKeys?: string[];
}

export interface ProviderClientOptions {
  /** Deadline applied to each call unless the call passes its own. @default 60000 */
  callTimeoutMs?: number;
  /** grpc-js channel options (e.g. `grpc.enable_retries: 0`, so a call cut off is not sent again). */
  channelOptions?: grpc.ChannelOptions;
}

/** Per-call options. */
export interface CallOptions {
  /** Overrides the client's default deadline for this call, in milliseconds. */
  timeoutMs?: number;
  /** `Create`/`Update` only: ask for the planned outputs of a preview (providers that support preview). */
  preview?: boolean;
}

const KIND_NAMES = Object.fromEntries(Object.entries(proto.PropertyDiff.Kind).map(([name, value]) => [value, name])) as Record<number, string>;

/** A detailed diff as property → kind name. */
function kinds(map: ReturnType<proto.DiffResponse["getDetaileddiffMap"]>): Record<string, string> {
  const out: Record<string, string> = {};
  map.forEach((v, k) => (out[k] = KIND_NAMES[v.getKind()] ?? String(v.getKind())));
  return out;
}

const CHANGES: Record<number, DiffResult["changes"]> = {
  [proto.DiffResponse.DiffChanges.DIFF_NONE]: "none",
  [proto.DiffResponse.DiffChanges.DIFF_SOME]: "some",
  [proto.DiffResponse.DiffChanges.DIFF_UNKNOWN]: "unknown",
};

type Unary<Req, Res> = (
  request: Req,
  metadata: grpc.Metadata,
  options: Partial<grpc.CallOptions>,
  callback: (error: grpc.ServiceError | null, response: Res) => void,
) => grpc.ClientUnaryCall;

/** The engine's view of one provider process, reached at `address` (`127.0.0.1:PORT`). */
export class ProviderClient {
  private readonly client: ResourceProviderClient;
  private readonly callTimeoutMs: number;

  constructor(address: string, options: ProviderClientOptions = {}) {
    this.client = new ResourceProviderClient(address, grpc.credentials.createInsecure(), options.channelOptions ?? {});
    this.callTimeoutMs = options.callTimeoutMs ?? 60_000;
  }

  /** Plugin version the host reports (`GetPluginInfo`), the engine's first call to a plugin. */
  async getPluginInfo(opts: CallOptions = {}): Promise<string> {
    const res = await this.call("GetPluginInfo", this.client.getPluginInfo, new Empty(), opts);
    return res.getVersion();
  }

  /**
   * `Configure` with `args` (a Struct of the provider config, keys like `agent37:apiKey`) and
   * the legacy `variables` map, as the engine sends both. Secret keys go in secret envelopes.
   */
  async configure(config: Record<string, string>, opts: ConfigureOptions & CallOptions = {}): Promise<void> {
    const secretKeys = opts.secretKeys ?? Object.keys(config).filter((k) => k.endsWith("apiKey"));
    const args: Properties = {};
    const req = new proto.ConfigureRequest();
    for (const [key, value] of Object.entries(config)) {
      args[key] = secretKeys.includes(key) ? secretEnvelope(value) : value;
      req.getVariablesMap().set(key, value);
    }
    req.setArgs(toStruct(args));
    req.setAcceptsecrets(true);
    req.setAcceptresources(true);
    req.setSendsOldInputs(true);
    req.setSendsOldInputsToDelete(true);
    await this.call("Configure", this.client.configure, req, opts);
  }

  /**
   * `Configure` of a native provider, as the engine sends it for a provider resource: `args` are
   * the provider's inputs (`apiKey`, `apiUrl`, ...; `secretKeys` in secret envelopes) and
   * `variables` the same keyed `<package>:config:<key>`. Returns the features it answered.
   */
  async configureProvider(
    pkg: string,
    inputs: Record<string, string>,
    opts: ConfigureOptions & CallOptions = {},
  ): Promise<ConfigureResult> {
    const secretKeys = opts.secretKeys ?? Object.keys(inputs).filter((k) => k.endsWith("apiKey"));
    const args: Properties = {};
    const req = new proto.ConfigureRequest();
    for (const [key, value] of Object.entries(inputs)) {
      args[key] = secretKeys.includes(key) ? secretEnvelope(value) : value;
      req.getVariablesMap().set(`${pkg}:config:${key}`, value);
    }
    req.setArgs(toStruct(args));
    req.setAcceptsecrets(true);
    req.setAcceptresources(true);
    req.setSendsOldInputs(true);
    req.setSendsOldInputsToDelete(true);
    req.setType(`pulumi:providers:${pkg}`);
    const res = await this.call("Configure", this.client.configure, req, opts);
    return { acceptSecrets: res.getAcceptsecrets(), supportsPreview: res.getSupportspreview() };
  }

  /** `GetSchema`: the package schema, parsed. */
  async getSchema(opts: CallOptions = {}): Promise<Record<string, unknown>> {
    const res = await this.call("GetSchema", this.client.getSchema, new proto.GetSchemaRequest(), opts);
    return JSON.parse(res.getSchema()) as Record<string, unknown>;
  }

  /** `CheckConfig` of the provider resource `pulumi:providers:<pkg>` named `name`. */
  async checkConfig(urn: string, olds: object, news: object, opts: CallOptions = {}): Promise<CheckResult> {
    const req = new proto.CheckRequest();
    this.identify(req, urn);
    req.setOlds(toStruct(olds));
    req.setNews(toStruct(news));
    const res = await this.call("CheckConfig", this.client.checkConfig, req, opts);
    return {
      inputs: fromStruct(res.getInputs()),
      failures: res.getFailuresList().map((f) => ({ property: f.getProperty(), reason: f.getReason() })),
    };
  }

  async diffConfig(urn: string, olds: object, news: object, opts: CallOptions = {}): Promise<DiffResult> {
    const req = new proto.DiffRequest();
    this.identify(req, urn);
    req.setOlds(toStruct(olds));
    req.setOldInputs(toStruct(olds));
    req.setNews(toStruct(news));
    const res = await this.call("DiffConfig", this.client.diffConfig, req, opts);
    return {
      changes: CHANGES[res.getChanges()] ?? "unknown",
      replaces: res.getReplacesList(),
      deleteBeforeReplace: res.getDeletebeforereplace(),
      detailedDiff: kinds(res.getDetaileddiffMap()),
    };
  }

  /** `Invoke` of function `tok`: its result, or the failures it answered. */
  async invoke(tok: string, args: object, opts: CallOptions = {}): Promise<{ result: Properties; failures: CheckFailure[] }> {
    const req = new proto.InvokeRequest();
    req.setTok(tok);
    req.setArgs(toStruct(args));
    const res = await this.call("Invoke", this.client.invoke, req, opts);
    return {
      result: fromStruct(res.getReturn()),
      failures: res.getFailuresList().map((f) => ({ property: f.getProperty(), reason: f.getReason() })),
    };
  }

  /** `Cancel`: the engine is shutting down. */
  async cancel(opts: CallOptions = {}): Promise<void> {
    await this.call("Cancel", this.client.cancel, new Empty(), opts);
  }

  async check(urn: string, olds: object, news: object, opts: CallOptions = {}): Promise<CheckResult> {
    const req = new proto.CheckRequest();
    this.identify(req, urn);
    req.setOlds(toStruct(olds));
    req.setNews(toStruct(news));
    const res = await this.call("Check", this.client.check, req, opts);
    return {
      inputs: fromStruct(res.getInputs()),
      failures: res.getFailuresList().map((f) => ({ property: f.getProperty(), reason: f.getReason() })),
    };
  }

  /** `olds` are the old outputs (state), `news` the checked new inputs. */
  async diff(urn: string, id: string, olds: object, news: object, oldInputs?: object, opts: CallOptions = {}): Promise<DiffResult> {
    const req = new proto.DiffRequest();
    this.identify(req, urn);
    req.setId(id);
    req.setOlds(toStruct(olds));
    req.setNews(toStruct(news));
    req.setOldInputs(toStruct(oldInputs ?? olds));
    const res = await this.call("Diff", this.client.diff, req, opts);
    return {
      changes: CHANGES[res.getChanges()] ?? "unknown",
      replaces: res.getReplacesList(),
      deleteBeforeReplace: res.getDeletebeforereplace(),
      ...(res.getStablesList().length > 0 ? { stables: res.getStablesList() } : {}),
      ...(res.getHasdetaileddiff()
        ? { detailedDiff: kinds(res.getDetaileddiffMap()) }
        : {}),
    };
  }

  async create(urn: string, properties: object, opts: CallOptions = {}): Promise<CreateResult> {
    const req = new proto.CreateRequest();
    this.identify(req, urn);
    req.setProperties(toStruct(properties));
    req.setPreview(opts.preview ?? false);
    const res = await this.call("Create", this.client.create, req, opts);
    return { id: res.getId(), properties: fromStruct(res.getProperties()) };
  }

  async read(urn: string, id: string, properties: object, inputs?: object, opts: CallOptions = {}): Promise<ReadResult> {
    const req = new proto.ReadRequest();
    this.identify(req, urn);
    req.setId(id);
    req.setProperties(toStruct(properties));
    if (inputs) req.setInputs(toStruct(inputs));
    const res = await this.call("Read", this.client.read, req, opts);
    return {
      id: res.getId(),
      properties: fromStruct(res.getProperties()),
      inputs: res.hasInputs() ? fromStruct(res.getInputs()) : undefined,
    };
  }

  /** `olds` are the old outputs (state), `news` the checked new inputs. */
  async update(urn: string, id: string, olds: object, news: object, oldInputs?: object, opts: CallOptions = {}): Promise<UpdateResult> {
    const req = new proto.UpdateRequest();
    this.identify(req, urn);
    req.setId(id);
    req.setOlds(toStruct(olds));
    req.setNews(toStruct(news));
    req.setOldInputs(toStruct(oldInputs ?? olds));
    req.setPreview(opts.preview ?? false);
    const res = await this.call("Update", this.client.update, req, opts);
    return { properties: fromStruct(res.getProperties()) };
  }

  async delete(urn: string, id: string, properties: object, oldInputs?: object, opts: CallOptions = {}): Promise<void> {
    const req = new proto.DeleteRequest();
    this.identify(req, urn);
    req.setId(id);
    req.setProperties(toStruct(properties));
    if (oldInputs) req.setOldInputs(toStruct(oldInputs));
    await this.call("Delete", this.client.delete, req, opts);
  }

  close(): void {
    this.client.close();
  }

  private identify(req: { setUrn(v: string): unknown; setName(v: string): unknown; setType(v: string): unknown }, urn: string): void {
    const { type, name } = parseUrn(urn);
    req.setUrn(urn);
    req.setName(name);
    req.setType(type);
  }

  private call<Req, Res>(method: string, fn: Unary<Req, Res>, request: Req, opts: CallOptions): Promise<Res> {
    const deadline = Date.now() + (opts.timeoutMs ?? this.callTimeoutMs);
    return new Promise((resolve, reject) => {
      fn.call(this.client, request, new grpc.Metadata(), { deadline }, (error, response) => {
        if (error) reject(toHostError(method, error));
        else resolve(response);
      });
    });
  }
}
