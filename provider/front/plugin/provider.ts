// The plugin's `ResourceProvider`: each method of Pulumi's provider protocol over the modules in
// registry.ts, one implementation per plugin process. It decodes the wire values (secrets
// unwrapped once, marked again on the way out: the resource's secret outputs and every output
// whose input came in secret), finds the module a type token belongs to, makes its
// implementation on first use, and answers in the protocol's terms (detailed diffs, stables,
// previews). The provider's own configuration is config.ts's; the server around it, server.ts.
import { secretKeys, unwrapSecrets, withSecrets } from "../../core/check";
import { stableOutputs, type Loose } from "../../core/declare";
import type { ChangeKind } from "../../core/kinds";
import { redact } from "../../core/redact";
import { buildSchema, packageVersion } from "../../core/schema";
import type { ConfigSource } from "../../core/settings";
import * as pb from "../grpc/messages";
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

/** The `PropertyDiff` kind of a changed input: added, deleted or updated, and whether it replaces. */
export function diffKind(key: string, change: ChangeKind, oldInputs: Loose, news: Loose): pb.PropertyDiffKind {
  const K = pb.PropertyDiffKind;
  const had = oldInputs[key] !== undefined && oldInputs[key] !== null;
  const has = news[key] !== undefined && news[key] !== null;
  const replace = change === "replace";
  if (!had && has) return replace ? K.ADD_REPLACE : K.ADD;
  if (had && !has) return replace ? K.DELETE_REPLACE : K.DELETE;
  return replace ? K.UPDATE_REPLACE : K.UPDATE;
}

/** The implementation behind `ResourceProvider`, one per plugin process: a method per the service's (grpc/methods.ts), each answering the encoded response. */
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

  async getPluginInfo(): Promise<Uint8Array> {
    return pb.pluginInfo(packageVersion());
  }

  async getSchema(): Promise<Uint8Array> {
    this.schema ??= JSON.stringify(buildSchema(this.modules));
    return pb.getSchemaResponse(this.schema);
  }

  async checkConfig(req: pb.CheckRequest): Promise<Uint8Array> {
    return providerConfig.checkConfig(req);
  }

  async diffConfig(req: pb.DiffRequest): Promise<Uint8Array> {
    return providerConfig.diffConfig(req);
  }

  async configure(req: pb.ConfigureRequest): Promise<Uint8Array> {
    const source = providerConfig.configOf(req);
    // The first module (instances) is made here at the latest, so that its configure checks the
    // provider configuration in Configure, as every module's would; the others load when first
    // used. A process the engine starts only for the schema loads no implementation at all.
    if (this.modules.length > 0) this.instance(0);
    for (const inst of this.instances) inst?.configure(source);
    this.config = source;
    return pb.configureResponse({ acceptSecrets: true, supportsPreview: true, acceptResources: false, acceptOutputs: false });
  }

  async check(req: pb.CheckRequest): Promise<Uint8Array> {
    const { ops } = this.resource(req.type, req.urn);
    const raw = req.news ?? {};
    const secret = secretKeys(raw).length > 0;
    const out = await ops.check(unwrapSecrets(req.olds ?? {}), unwrapSecrets(raw), { urn: req.urn, secret });
    // The checked inputs (normalized or completed by the resource's check), secrets still marked.
    return pb.checkResponse({ inputs: withSecrets(out.inputs, secretKeys(raw)), failures: out.failures.map((f) => ({ property: f.property, reason: redact(f.reason) })) });
  }

  async diff(req: pb.DiffRequest): Promise<Uint8Array> {
    const { ops } = this.resource(req.type, req.urn);
    const olds = unwrapSecrets(req.olds ?? {});
    const news = unwrapSecrets(req.news ?? {});
    const oldInputs = req.oldInputs !== undefined ? unwrapSecrets(req.oldInputs) : olds;
    const { changes, deleteBeforeReplace } = await ops.changes(req.id, olds, news);
    if (changes.size === 0) return pb.diffResponse({ changes: pb.DiffChanges.NONE, deleteBeforeReplace, hasDetailedDiff: true });
    const replaces = [...changes].filter(([, c]) => c === "replace").map(([k]) => k);
    return pb.diffResponse({
      changes: pb.DiffChanges.SOME,
      replaces,
      diffs: [...changes.keys()],
      detailedDiff: [...changes].map(([k, c]) => [k, { kind: diffKind(k, c, oldInputs, news), inputDiff: false }] as const),
      stables: replaces.length === 0 ? stableOutputs(olds, ops.planUpdate(olds, news, changes)) : [],
      deleteBeforeReplace,
      hasDetailedDiff: true,
    });
  }

  async create(req: pb.CreateRequest): Promise<Uint8Array> {
    const r = this.resource(req.type, req.urn);
    const raw = req.properties ?? {};
    const news = unwrapSecrets(raw);
    if (req.preview) return pb.createResponse({ id: "", properties: this.outputs(r, r.ops.planCreate(news), raw) });
    this.live();
    const { id, outs } = await r.ops.create(news);
    return pb.createResponse({ id, properties: this.outputs(r, outs, raw) });
  }

  async read(req: pb.ReadRequest): Promise<Uint8Array> {
    this.live();
    const r = this.resource(req.type, req.urn);
    const props = req.properties ?? {};
    const inputs = req.inputs ?? {};
    const got = await r.ops.read(req.id, unwrapSecrets(props), unwrapSecrets(inputs));
    if (got.id === "") return pb.readResponse({ id: "" });
    return pb.readResponse({
      id: got.id,
      ...(got.outs ? { properties: this.outputs(r, got.outs, inputs) } : {}),
      ...(got.inputs ? { inputs: withSecrets(got.inputs, [...r.secrets, ...secretKeys(inputs)]) } : {}),
    });
  }

  async update(req: pb.UpdateRequest): Promise<Uint8Array> {
    const r = this.resource(req.type, req.urn);
    const olds = unwrapSecrets(req.olds ?? {});
    const raw = req.news ?? {};
    const news = unwrapSecrets(raw);
    if (req.preview) {
      const { changes } = await r.ops.changes(req.id, olds, news);
      return pb.updateResponse({ properties: this.outputs(r, r.ops.planUpdate(olds, news, changes), raw) });
    }
    this.live();
    const outs = await r.ops.update(req.id, olds, news);
    return pb.updateResponse({ properties: this.outputs(r, outs, raw) });
  }

  async delete(req: pb.DeleteRequest): Promise<Uint8Array> {
    this.live();
    const { ops } = this.resource(req.type, req.urn);
    await ops.delete(req.id, unwrapSecrets(req.properties ?? {}));
    return pb.EMPTY_MESSAGE;
  }

  async invoke(req: pb.InvokeRequest): Promise<Uint8Array> {
    this.live();
    const module = this.functions.get(req.tok);
    const fn = module === undefined ? undefined : this.instance(module).functions?.[req.tok];
    if (fn === undefined) throw new PluginError(`agent37 has no function ${req.tok}`, Status.INVALID_ARGUMENT);
    try {
      return pb.invokeResponse({ return: await fn(unwrapSecrets(req.args ?? {})), failures: [] });
    } catch (err) {
      // Invoke failures are answers, not transport errors: the engine shows them as the call's error.
      return pb.invokeResponse({ failures: [{ property: "", reason: redact(err instanceof Error ? err.message : String(err)) }] });
    }
  }

  /**
   * The engine is shutting down. Operations already running finish, so an instance being made
   * is recorded (a half-made instance would otherwise be lost to the state); new ones are refused.
   */
  async cancel(): Promise<Uint8Array> {
    this.cancelled = true;
    return pb.EMPTY_MESSAGE;
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
