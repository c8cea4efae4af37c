// The dynamic door's adapter: a `pulumi.dynamic.ResourceProvider` over any seam resource
// (core/resource.ts). The one place of this door where values are decoded (secrets unwrapped,
// nulls and `__provider` dropped, unknowns kept out of validation), inputs validated against the
// declaration, errors explained and redacted, init failures mapped and secret outputs marked.
import type * as pulumi from "@pulumi/pulumi";
import { asSecret, checkAgainst, dropNulls, parseAgainst, unwrapSecrets } from "../../core/check";
import type { ConnectionOptions } from "../../core/connection";
import { declaredChanges, secretOutputs, stableOutputKeys, type Declaration } from "../../core/declare";
import { inputSchema } from "../../core/validate";
import { explain } from "../../core/explain";
import { dynamicDiff } from "../../core/kinds";
import type { OperationContext, OperationKind, Resource } from "../../core/resource";
import { ConnectedProvider } from "../../core/resource-provider";
import { plain, type Loose } from "../../core/wire";

/** The inputs without those check computes (users never write them; check writes them again). */
export function withoutComputed(decl: Declaration, news: Loose): Loose {
  const out: Loose = { ...news };
  for (const [k, f] of Object.entries(decl.inputs)) if (f.computed === true) delete out[k];
  return out;
}

export class DynamicAdapter<I, O> extends ConnectedProvider implements pulumi.dynamic.ResourceProvider {
  private readonly schema;
  private readonly ctx: OperationContext = { client: () => this.client(), connection: () => this.connection };

  constructor(
    private readonly resource: Resource<I, O>,
    options?: ConnectionOptions,
  ) {
    super(options);
    this.schema = inputSchema(resource.declaration);
  }

  private get decl(): Declaration {
    return this.resource.declaration;
  }

  async check(_olds: Loose, news: Loose): Promise<pulumi.dynamic.CheckResult> {
    const own = withoutComputed(this.decl, this.decoded(news));
    const declared = checkAgainst(this.schema, this.decl.className, own);
    const failures = [...declared, ...((await this.resource.refuse?.(own, declared)) ?? [])];
    return { inputs: this.resource.complete ? await this.resource.complete(own, failures) : own, failures };
  }

  async diff(id: string, olds: Loose, news: Loose): Promise<pulumi.dynamic.DiffResult> {
    const [o, n] = [unwrapSecrets(olds ?? {}), this.decoded(news)];
    const changes = this.resource.changes ? this.resource.changes(o, n, id) : declaredChanges(this.decl, o, n);
    const stables = this.resource.stables ? this.resource.stables(changes) : stableOutputKeys(this.decl);
    return dynamicDiff(changes, { stables, deleteBeforeReplace: this.resource.deleteBeforeReplace?.(changes) === true });
  }

  async create(raw: Loose): Promise<pulumi.dynamic.CreateResult> {
    const inputs = this.inputs(raw);
    const { id, outputs } = await this.run("create", { inputs }, () => this.resource.create(inputs, this.ctx), inputs);
    return { id, outs: this.outputs(outputs) };
  }

  async read(id: string, props: Loose): Promise<pulumi.dynamic.ReadResult> {
    const olds = unwrapSecrets(props ?? {}) as Partial<O>;
    const got = await this.run("read", { id, olds }, () => this.resource.read(id, olds, this.ctx));
    if (got === undefined) return { id: "" };
    return { id: got.id ?? id, props: this.outputs(got.outputs), ...(got.inputs === undefined ? {} : { inputs: plain(got.inputs) }) };
  }

  async update(id: string, oldsRaw: Loose, news: Loose): Promise<pulumi.dynamic.UpdateResult> {
    const update = this.resource.update;
    // A resource without updates replaces on every change; the engine never asks it to update.
    if (update === undefined) throw new Error(`${this.decl.className} has no in-place update: every change replaces it`);
    const inputs = this.inputs(news);
    const olds = unwrapSecrets(oldsRaw ?? {}) as Partial<O>;
    return { outs: this.outputs(await this.run("update", { id, inputs, olds }, () => update.call(this.resource, id, olds, inputs, this.ctx), inputs)) };
  }

  async delete(id: string, props: Loose): Promise<void> {
    const olds = unwrapSecrets(props ?? {}) as Partial<O>;
    await this.run("delete", { id, olds }, () => this.resource.delete(id, olds, this.ctx));
  }

  /** New inputs with secrets unwrapped, and nulls dropped where the declaration says a null means omitted. */
  private decoded(news: Loose): Loose {
    const plainNews = unwrapSecrets(news ?? {});
    return this.decl.dropsNulls === true ? dropNulls(plainNews) : plainNews;
  }

  /** Known inputs in their typed form (check passed; the engine stops invalid ones there). */
  private inputs(raw: Loose): I {
    return parseAgainst(this.schema, this.decl.className, withoutComputed(this.decl, raw ?? {})) as I;
  }

  /** Runs an operation; its error leaves explained, or as the init failure that keeps what it made. */
  private async run<T>(kind: OperationKind, subject: { id?: string; inputs?: I; olds?: Partial<O> }, op: () => Promise<T>, inputs?: I): Promise<T> {
    try {
      return await op();
    } catch (err) {
      const words = this.resource.operation(kind, subject);
      const explained = words === undefined ? err : explain(err, words, [], this.resource.advice === undefined ? {} : { advice: this.resource.advice });
      throw (inputs !== undefined ? this.resource.initFailure?.(explained, inputs) : undefined) ?? explained;
    }
  }

  /** Outputs the host can encode, the declared secret ones in the secret envelope. */
  private outputs(outputs: O): Loose {
    const out = plain(outputs) as Loose;
    if (this.decl.classMarksSecrets === true) return out;
    for (const k of secretOutputs(this.decl)) if (out[k] !== undefined) out[k] = asSecret(out[k]);
    return out;
  }
}

/** The dynamic door's provider for a seam resource. */
export function dynamicProvider<I, O>(resource: Resource<I, O>, options?: ConnectionOptions): DynamicAdapter<I, O> {
  return new DynamicAdapter(resource, options);
}
