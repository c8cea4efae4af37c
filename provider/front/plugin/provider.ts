// The plugin's `ResourceProvider`: each method of Pulumi's provider protocol over the modules in
// registry.ts, one implementation per plugin process. It decodes the wire values (secrets
// unwrapped once, marked again on the way out: the resource's secret outputs and every output
// whose input came in secret), finds the module a type token belongs to, makes its
// implementation on first use, and answers in the protocol's terms (detailed diffs, stables,
// previews). The provider's own configuration is config.ts's; the server around it, server.ts.
import type * as providerTypes from "@pulumi/pulumi/proto/provider_pb";
import { secretKeys, unwrapSecrets, withSecrets } from "../../core/check";
import { stableOutputs, type Loose } from "../../core/declare";
import type { ChangeKind } from "../../core/kinds";
import { redact } from "../../core/redact";
import { buildSchema, packageVersion } from "../../core/schema";
import type { ConfigSource } from "../../core/settings";
import { emptypb, fromStruct, pluginpb, providerpb, toStruct } from "../grpc/sdk";
import { Status } from "../grpc/unary-server";
import * as providerConfig from "./config";
import type { ModuleInstance, PluginModule, ResourceOps } from "./spec";

/** Raised for requests the plugin refuses outright (unknown type, cancelled). */
export class PluginError extends Error {
  constructor(
    message: string,
    readonly code: number = Status.UNKNOWN,
  ) {
    super(message);
  }
}

const Kind = (): typeof providerTypes.PropertyDiff.Kind => providerpb.PropertyDiff.Kind;

/** The `PropertyDiff` kind of a changed input: added, deleted or updated, and whether it replaces. */
export function diffKind(key: string, change: ChangeKind, oldInputs: Loose, news: Loose): providerTypes.PropertyDiff.Kind {
  const K = Kind();
  const had = oldInputs[key] !== undefined && oldInputs[key] !== null;
  const has = news[key] !== undefined && news[key] !== null;
  const replace = change === "replace";
  if (!had && has) return replace ? K.ADD_REPLACE : K.ADD;
  if (had && !has) return replace ? K.DELETE_REPLACE : K.DELETE;
  return replace ? K.UPDATE_REPLACE : K.UPDATE;
}

/** The implementation behind `ResourceProvider`, one per plugin process: a method per the service's (grpc/sdk.ts). */
export class Agent37Plugin {
  private readonly modules: readonly PluginModule[];
  /** Each module's implementation, made on first use (see `instance`). */
  private readonly instances: (ModuleInstance | undefined)[];
  private readonly resources = new Map<string, { module: number; secrets: readonly string[] }>();
  private readonly functions = new Map<string, number>();
  /** The package schema as JSON, made at the first `GetSchema` (only the engine's schema process asks). */
  private schema: string | undefined;
  private config: ConfigSource | undefined;
  private cancelled = false;

  constructor(modules: readonly PluginModule[]) {
    this.modules = modules;
    this.instances = modules.map(() => undefined);
    modules.forEach((m, i) => {
      for (const token of Object.keys(m.resources)) this.resources.set(token, { module: i, secrets: m.secretOutputs?.[token] ?? [] });
      for (const token of Object.keys(m.functions ?? {})) this.functions.set(token, i);
    });
  }

  /**
   * Module `i`'s implementation: made, and configured with the provider configuration when the
   * engine gave it already, on first use. A stack of instances never loads the code of
   * templates, domains or commands (the plugin's start is part of every command, docs/bench.md).
   */
  private instance(i: number): ModuleInstance {
    let inst = this.instances[i];
    if (inst === undefined) {
      inst = (this.modules[i] as PluginModule).instantiate();
      if (this.config !== undefined) inst.configure(this.config);
      this.instances[i] = inst;
    }
    return inst;
  }

  async getPluginInfo(): Promise<InstanceType<typeof pluginpb.PluginInfo>> {
    return new pluginpb.PluginInfo().setVersion(packageVersion());
  }

  async getSchema(): Promise<providerTypes.GetSchemaResponse> {
    this.schema ??= JSON.stringify(buildSchema(this.modules));
    return new providerpb.GetSchemaResponse().setSchema(this.schema);
  }

  async checkConfig(req: providerTypes.CheckRequest): Promise<providerTypes.CheckResponse> {
    return providerConfig.checkConfig(req);
  }

  async diffConfig(req: providerTypes.DiffRequest): Promise<providerTypes.DiffResponse> {
    return providerConfig.diffConfig(req);
  }

  async configure(req: providerTypes.ConfigureRequest): Promise<providerTypes.ConfigureResponse> {
    const source = providerConfig.configOf(req);
    // The first module (instances) is made here at the latest, so that its configure checks the
    // provider configuration in Configure, as every module's would; the others load when first
    // used. A process the engine starts only for the schema loads no implementation at all.
    if (this.modules.length > 0) this.instance(0);
    for (const inst of this.instances) inst?.configure(source);
    this.config = source;
    return new providerpb.ConfigureResponse().setAcceptsecrets(true).setSupportspreview(true).setAcceptresources(false).setAcceptoutputs(false);
  }

  async check(req: providerTypes.CheckRequest): Promise<providerTypes.CheckResponse> {
    const { ops } = this.resource(req.getType(), req.getUrn());
    const raw = fromStruct(req.getNews());
    const secret = secretKeys(raw).length > 0;
    const out = await ops.check(unwrapSecrets(fromStruct(req.getOlds())), unwrapSecrets(raw), { urn: req.getUrn(), secret });
    // The checked inputs (normalized or completed by the resource's check), secrets still marked.
    const res = new providerpb.CheckResponse().setInputs(toStruct(withSecrets(out.inputs, secretKeys(raw))));
    for (const f of out.failures) res.addFailures(new providerpb.CheckFailure().setProperty(f.property).setReason(redact(f.reason)));
    return res;
  }

  async diff(req: providerTypes.DiffRequest): Promise<providerTypes.DiffResponse> {
    const { ops } = this.resource(req.getType(), req.getUrn());
    const olds = unwrapSecrets(fromStruct(req.getOlds()));
    const news = unwrapSecrets(fromStruct(req.getNews()));
    const oldInputs = req.hasOldInputs() ? unwrapSecrets(fromStruct(req.getOldInputs())) : olds;
    const { changes, deleteBeforeReplace } = await ops.changes(req.getId(), olds, news);
    const res = new providerpb.DiffResponse().setHasdetaileddiff(true).setDeletebeforereplace(deleteBeforeReplace);
    if (changes.size === 0) return res.setChanges(providerpb.DiffResponse.DiffChanges.DIFF_NONE);
    const replaces = [...changes].filter(([, c]) => c === "replace").map(([k]) => k);
    res.setChanges(providerpb.DiffResponse.DiffChanges.DIFF_SOME).setReplacesList(replaces).setDiffsList([...changes.keys()]);
    for (const [k, c] of changes) res.getDetaileddiffMap().set(k, new providerpb.PropertyDiff().setKind(diffKind(k, c, oldInputs, news)).setInputdiff(false));
    if (replaces.length === 0) res.setStablesList(stableOutputs(olds, ops.planUpdate(olds, news, changes)));
    return res;
  }

  async create(req: providerTypes.CreateRequest): Promise<providerTypes.CreateResponse> {
    const r = this.resource(req.getType(), req.getUrn());
    const raw = fromStruct(req.getProperties());
    const news = unwrapSecrets(raw);
    if (req.getPreview()) {
      return new providerpb.CreateResponse().setId("").setProperties(toStruct(this.outputs(r, r.ops.planCreate(news), raw)));
    }
    this.live();
    const { id, outs } = await r.ops.create(news);
    return new providerpb.CreateResponse().setId(id).setProperties(toStruct(this.outputs(r, outs, raw)));
  }

  async read(req: providerTypes.ReadRequest): Promise<providerTypes.ReadResponse> {
    this.live();
    const r = this.resource(req.getType(), req.getUrn());
    const props = fromStruct(req.getProperties());
    const inputs = fromStruct(req.getInputs());
    const got = await r.ops.read(req.getId(), unwrapSecrets(props), unwrapSecrets(inputs));
    const res = new providerpb.ReadResponse().setId(got.id);
    if (got.id === "") return res;
    if (got.outs) res.setProperties(toStruct(this.outputs(r, got.outs, inputs)));
    if (got.inputs) res.setInputs(toStruct(withSecrets(got.inputs, [...r.secrets, ...secretKeys(inputs)])));
    return res;
  }

  async update(req: providerTypes.UpdateRequest): Promise<providerTypes.UpdateResponse> {
    const r = this.resource(req.getType(), req.getUrn());
    const olds = unwrapSecrets(fromStruct(req.getOlds()));
    const raw = fromStruct(req.getNews());
    const news = unwrapSecrets(raw);
    if (req.getPreview()) {
      const { changes } = await r.ops.changes(req.getId(), olds, news);
      return new providerpb.UpdateResponse().setProperties(toStruct(this.outputs(r, r.ops.planUpdate(olds, news, changes), raw)));
    }
    this.live();
    const outs = await r.ops.update(req.getId(), olds, news);
    return new providerpb.UpdateResponse().setProperties(toStruct(this.outputs(r, outs, raw)));
  }

  async delete(req: providerTypes.DeleteRequest): Promise<InstanceType<typeof emptypb.Empty>> {
    this.live();
    const { ops } = this.resource(req.getType(), req.getUrn());
    await ops.delete(req.getId(), unwrapSecrets(fromStruct(req.getProperties())));
    return new emptypb.Empty();
  }

  async invoke(req: providerTypes.InvokeRequest): Promise<providerTypes.InvokeResponse> {
    this.live();
    const module = this.functions.get(req.getTok());
    const fn = module === undefined ? undefined : this.instance(module).functions?.[req.getTok()];
    if (fn === undefined) throw new PluginError(`agent37 has no function ${req.getTok()}`, Status.INVALID_ARGUMENT);
    const res = new providerpb.InvokeResponse();
    try {
      res.setReturn(toStruct(await fn(unwrapSecrets(fromStruct(req.getArgs())))));
    } catch (err) {
      // Invoke failures are answers, not transport errors: the engine shows them as the call's error.
      res.addFailures(new providerpb.CheckFailure().setProperty("").setReason(redact(err instanceof Error ? err.message : String(err))));
    }
    return res;
  }

  /**
   * The engine is shutting down. Operations already running finish, so an instance being made
   * is recorded (a half-made instance would otherwise be lost to the state); new ones are refused.
   */
  async cancel(): Promise<InstanceType<typeof emptypb.Empty>> {
    this.cancelled = true;
    return new emptypb.Empty();
  }

  private live(): void {
    if (this.cancelled) throw new PluginError("the operation was cancelled: the Pulumi engine is shutting down", Status.CANCELLED);
  }

  private resource(type: string, urn: string): { ops: ResourceOps; secrets: readonly string[] } {
    const token = type !== "" ? type : (urn.split("::")[2]?.split("$").pop() ?? "");
    const r = this.resources.get(token);
    const ops = r === undefined ? undefined : this.instance(r.module).resources[token];
    if (r === undefined || ops === undefined) throw new PluginError(`agent37 has no resource type ${token}`, Status.INVALID_ARGUMENT);
    return { ops, secrets: r.secrets };
  }

  /** Outputs with the resource's secret outputs, and every output whose input came in secret, marked secret. */
  private outputs(r: { secrets: readonly string[] }, outs: Loose, rawInputs: Loose): Loose {
    return withSecrets(outs, [...r.secrets, ...secretKeys(rawInputs)]);
  }
}
