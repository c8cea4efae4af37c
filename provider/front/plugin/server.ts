// The plugin's gRPC server: Pulumi's `ResourceProvider` service over the modules in registry.ts.
// Served directly (not through `@pulumi/pulumi/provider`'s `main`), because that wrapper drops
// the provider configuration, CheckConfig/DiffConfig and detailed diffs.
import { randomBytes } from "node:crypto";
import type * as providerTypes from "@pulumi/pulumi/proto/provider_pb";
import { isUnknown, unwrapSecrets } from "../../core/check";
import { redact, redactDeep } from "../../core/redact";
import { serveCall } from "../../core/engine-call";
import { ProgressReporter, reportingTo, type ProgressOptions, type ProgressSink } from "../../core/progress";
import { Agent37ResourceInitError } from "../../core/errors";
import { CREATE_SCOPE_KEY, checkConfig, configSource, createScopeOf, diffConfig } from "./config";
import { buildSchema, packageVersion, SECRET_CONFIG_KEYS } from "./schema";
import { anypb, emptypb, pluginpb, providerMethods, providerpb, statuspb } from "./sdk";
import type { ConfigSource } from "../../core/settings";
import type { ChangeKind, ModuleInstance, PluginModule, ResourceOps } from "./spec";
import { Status, startUnaryServer, type CallError, type UnaryHandler, type UnaryMethod } from "./unary-server";
import { fromStruct, secretKeys, toStruct, withSecrets, type Properties } from "./wire";

type Handler = (req: never) => Promise<{ serializeBinary(): Uint8Array }>;

/** Raised for requests the plugin refuses outright (unknown type, cancelled). */
class PluginError extends Error {
  constructor(
    message: string,
    readonly code: number = Status.UNKNOWN,
  ) {
    super(message);
  }
}

export interface PluginServerOptions {
  /** Where the progress lines of the resource `urn` go while it waits (main.ts: the engine's status line). */
  progress?: (urn: string) => ProgressSink;
  /** When lines come (tests). */
  progressTimings?: ProgressOptions;
}

export interface PluginServer {
  port: number;
  /** Stops taking calls, lets running ones finish (at most `graceMs`), then closes. */
  shutdown(graceMs?: number): Promise<void>;
}

const Kind = (): typeof providerTypes.PropertyDiff.Kind => providerpb.PropertyDiff.Kind;

/** The `PropertyDiff` kind of a changed input: added, deleted or updated, and whether it replaces. */
export function diffKind(key: string, change: ChangeKind, oldInputs: Properties, news: Properties): providerTypes.PropertyDiff.Kind {
  const K = Kind();
  const had = oldInputs[key] !== undefined && oldInputs[key] !== null;
  const has = news[key] !== undefined && news[key] !== null;
  const replace = change === "replace";
  if (!had && has) return replace ? K.ADD_REPLACE : K.ADD;
  if (had && !has) return replace ? K.DELETE_REPLACE : K.DELETE;
  return replace ? K.UPDATE_REPLACE : K.UPDATE;
}

/** The implementation behind `ResourceProvider`, one per plugin process. */
export class Agent37Plugin {
  private readonly modules: readonly PluginModule[];
  /** Each module's implementation, made on first use (see `instance`). */
  private readonly instances: (ModuleInstance | undefined)[];
  private readonly resources = new Map<string, { module: number; secrets: readonly string[] }>();
  private readonly functions = new Map<string, number>();
  private readonly schema: string;
  private config: ConfigSource | undefined;
  private cancelled = false;

  constructor(
    modules: readonly PluginModule[],
    private readonly options: PluginServerOptions = {},
  ) {
    this.schema = JSON.stringify(buildSchema(modules));
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

  /** The service implementation: a handler for each method the plugin serves. */
  service(): Record<string, UnaryHandler> {
    const unary =
      (fn: Handler): UnaryHandler =>
      (call, callback) => {
        // The call's caller may go away before the answer (deadline, cancel, lost connection):
        // operations that must know (an instance's create keeps its marker then) ask engineGone().
        const caller = new AbortController();
        call.on("cancelled", () => caller.abort());
        if (call.cancelled) caller.abort();
        serveCall(caller.signal, () => reportingTo(this.progressOf(call.request), () => fn.call(this, call.request as never))).then(
          (res) => callback(null, res),
          (err: unknown) => callback(toServiceError(err)),
        );
      };
    return {
      getPluginInfo: unary(this.getPluginInfo),
      getSchema: unary(this.getSchema),
      checkConfig: unary(this.checkConfig),
      diffConfig: unary(this.diffConfig),
      configure: unary(this.configure),
      check: unary(this.check),
      diff: unary(this.diff),
      create: unary(this.create),
      read: unary(this.read),
      update: unary(this.update),
      delete: unary(this.delete),
      invoke: unary(this.invoke),
      cancel: unary(this.cancel),
    };
  }

  private async getPluginInfo(): Promise<InstanceType<typeof pluginpb.PluginInfo>> {
    return new pluginpb.PluginInfo().setVersion(packageVersion());
  }

  private async getSchema(): Promise<providerTypes.GetSchemaResponse> {
    return new providerpb.GetSchemaResponse().setSchema(this.schema);
  }

  private async checkConfig(req: providerTypes.CheckRequest): Promise<providerTypes.CheckResponse> {
    const news = fromStruct(req.getNews());
    // The checked config is what the engine stores: secret keys go back secret, whether or not
    // they came in as secrets (a value still unknown at preview stays the plain sentinel).
    const secrets = SECRET_CONFIG_KEYS.filter((k) => news[k] !== null && !isUnknown(news[k]));
    const failures = checkConfig(news, isUnknown);
    // The create scope goes into the stored inputs, the recorded one kept (config.ts).
    const scope = createScopeOf(fromStruct(req.getOlds()), news, () => randomBytes(16).toString("hex"));
    const res = new providerpb.CheckResponse().setInputs(toStruct(withSecrets({ ...news, [CREATE_SCOPE_KEY]: scope }, secrets)));
    for (const f of failures) res.addFailures(new providerpb.CheckFailure().setProperty(f.property).setReason(f.reason));
    return res;
  }

  private async diffConfig(req: providerTypes.DiffRequest): Promise<providerTypes.DiffResponse> {
    const changed = diffConfig(fromStruct(req.getOldInputs() ?? req.getOlds()), fromStruct(req.getNews()));
    const res = new providerpb.DiffResponse()
      .setChanges(changed.length > 0 ? providerpb.DiffResponse.DiffChanges.DIFF_SOME : providerpb.DiffResponse.DiffChanges.DIFF_NONE)
      .setDiffsList(changed)
      .setHasdetaileddiff(true);
    for (const k of changed) res.getDetaileddiffMap().set(k, new providerpb.PropertyDiff().setKind(Kind().UPDATE).setInputdiff(true));
    return res;
  }

  private async configure(req: providerTypes.ConfigureRequest): Promise<providerTypes.ConfigureResponse> {
    const source = configSource(fromStruct(req.getArgs()), new Map(req.getVariablesMap().toArray()));
    // The first module (instances) is made here at the latest, so that its configure checks the
    // provider configuration in Configure, as every module's would; the others load when first
    // used. A process the engine starts only for the schema loads no implementation at all.
    if (this.modules.length > 0) this.instance(0);
    for (const inst of this.instances) inst?.configure(source);
    this.config = source;
    return new providerpb.ConfigureResponse().setAcceptsecrets(true).setSupportspreview(true).setAcceptresources(false).setAcceptoutputs(false);
  }

  private async check(req: providerTypes.CheckRequest): Promise<providerTypes.CheckResponse> {
    const { ops } = this.resource(req.getType(), req.getUrn());
    const raw = fromStruct(req.getNews());
    const secret = secretKeys(raw).length > 0;
    const out = await ops.check(unwrapSecrets(fromStruct(req.getOlds())), unwrapSecrets(raw), { urn: req.getUrn(), secret });
    // The checked inputs (normalized or completed by the resource's check), secrets still marked.
    const res = new providerpb.CheckResponse().setInputs(toStruct(withSecrets(out.inputs, secretKeys(raw))));
    for (const f of out.failures) res.addFailures(new providerpb.CheckFailure().setProperty(f.property).setReason(redact(f.reason)));
    return res;
  }

  private async diff(req: providerTypes.DiffRequest): Promise<providerTypes.DiffResponse> {
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
    // Loaded here, not at the start: the instance module's code (and zod with it) loads on first use.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { stableOutputs } = require("../../instance/plan") as typeof import("../../instance/plan");
    if (replaces.length === 0) res.setStablesList(stableOutputs(olds, ops.planUpdate(olds, news, changes)));
    return res;
  }

  private async create(req: providerTypes.CreateRequest): Promise<providerTypes.CreateResponse> {
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

  private async read(req: providerTypes.ReadRequest): Promise<providerTypes.ReadResponse> {
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

  private async update(req: providerTypes.UpdateRequest): Promise<providerTypes.UpdateResponse> {
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

  private async delete(req: providerTypes.DeleteRequest): Promise<InstanceType<typeof emptypb.Empty>> {
    this.live();
    const { ops } = this.resource(req.getType(), req.getUrn());
    await ops.delete(req.getId(), unwrapSecrets(fromStruct(req.getProperties())));
    return new emptypb.Empty();
  }

  private async invoke(req: providerTypes.InvokeRequest): Promise<providerTypes.InvokeResponse> {
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
  private async cancel(): Promise<InstanceType<typeof emptypb.Empty>> {
    this.cancelled = true;
    return new emptypb.Empty();
  }

  /** The progress of a call about one resource (its request names the URN), when lines have somewhere to go. */
  private progressOf(req: unknown): ProgressReporter | undefined {
    const progress = this.options.progress;
    const getUrn = (req as { getUrn?: unknown } | null)?.getUrn;
    if (progress === undefined || typeof getUrn !== "function") return undefined;
    return new ProgressReporter(progress(String(getUrn.call(req))), this.options.progressTimings);
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
  private outputs(r: { secrets: readonly string[] }, outs: Properties, rawInputs: Properties): Properties {
    return withSecrets(outs, [...r.secrets, ...secretKeys(rawInputs)]);
  }
}

function toServiceError(err: unknown): CallError {
  const message = redact(err instanceof Error ? err.message : String(err));
  const code = err instanceof PluginError ? err.code : Status.UNKNOWN;
  const binaryMetadata: Record<string, Buffer> = {};
  if (err instanceof Agent37ResourceInitError) {
    // "Created but failed to initialize": the engine keeps the resource in state with these outputs.
    const detail = new providerpb.ErrorResourceInitFailed()
      .setId(err.id)
      .setProperties(toStruct(withSecrets(redactDeep(err.properties), ["env"])))
      .setReasonsList(err.reasons.map(redact));
    const any = new anypb.Any();
    any.pack(detail.serializeBinary(), "pulumirpc.ErrorResourceInitFailed");
    const status = new statuspb.Status().setCode(code).setMessage(message);
    status.addDetails(any);
    binaryMetadata["grpc-status-details-bin"] = Buffer.from(status.serializeBinary());
  }
  return { code, details: message, binaryMetadata };
}

/** Starts the server on a free loopback port. */
export async function startPluginServer(modules: readonly PluginModule[], options: PluginServerOptions = {}): Promise<PluginServer & { plugin: Agent37Plugin }> {
  const plugin = new Agent37Plugin(modules, options);
  const handlers = plugin.service();
  const methods = new Map<string, UnaryMethod>(Object.entries(providerMethods()).map(([name, m]) => [m.path, { deserialize: m.deserialize, handler: handlers[name] as UnaryHandler }]));
  const server = await startUnaryServer(methods, { host: "127.0.0.1", maxReceiveBytes: 400 * 1024 * 1024 });
  const port = server.port;
  let closing: Promise<void> | undefined;
  return {
    port,
    plugin,
    shutdown(graceMs = 30_000) {
      closing ??= new Promise<void>((resolve) => {
        const force = setTimeout(() => server.forceShutdown(), graceMs);
        force.unref();
        server.tryShutdown(() => {
          clearTimeout(force);
          resolve();
        });
      });
      return closing;
    },
  };
}

