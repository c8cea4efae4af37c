/**
 * Seam options Agent37Instance needs, on a probe resource: `createScopeInput` (the plugin adapter
 * gives the provider's create scope to a create, never to check), `dropsNulls` (a null input is an
 * omitted one in check and diff), the diff's `id` given to the `changes` hook, and the adapter's
 * connection in the operation context.
 */
import { Connection } from "../../provider/core/connection";
import type { Declaration } from "../../provider/core/declare";
import type { ChangeKind } from "../../provider/core/kinds";
import type { OperationContext, Resource } from "../../provider/core/resource";
import { DynamicAdapter } from "../../provider/front/dynamic/adapter";
import { pluginModule } from "../../provider/front/plugin/adapter";

const DECL: Declaration = {
  name: "ScopeProbe",
  className: "Agent37ScopeProbe",
  entry: "scopeProbeProvider",
  description: "A probe.",
  createScopeInput: "scope",
  dropsNulls: true,
  inputs: {
    name: { type: "string", onChange: "update", description: "A name." },
    scope: { type: "string", internal: true, onChange: "none", description: "The create scope." },
  },
  outputs: { name: { type: "string", nullable: true, plan: "input", description: "The name." } },
};
const TOKEN = "agent37:index:ScopeProbe";

function probe(): { resource: Resource<Record<string, unknown>, Record<string, unknown>>; created: Record<string, unknown>[]; diffs: unknown[][]; contexts: OperationContext[] } {
  const created: Record<string, unknown>[] = [];
  const diffs: unknown[][] = [];
  const contexts: OperationContext[] = [];
  return {
    created,
    diffs,
    contexts,
    resource: {
      declaration: DECL,
      changes(olds: Record<string, unknown>, news: Record<string, unknown>, id?: string): Record<string, ChangeKind> {
        diffs.push([olds, news, id]);
        return olds.name === news.name ? {} : { name: "update" };
      },
      operation: () => undefined,
      async create(inputs: Record<string, unknown>, ctx: OperationContext) {
        created.push(inputs);
        contexts.push(ctx);
        return { id: "p1", outputs: { name: inputs.name ?? null } };
      },
      read: async () => undefined,
      delete: async () => undefined,
    },
  };
}

const config = (values: Record<string, string>) => ({ get: (k: string) => values[k] });

describe("createScopeInput: the plugin's create scope", () => {
  it("goes to a create from the provider's configuration, not into the checked inputs", async () => {
    const p = probe();
    const instance = pluginModule(DECL, () => p.resource).instantiate();
    instance.configure(config({ "agent37:_createScope": "0123456789abcdef0123456789abcdef" }));
    const ops = instance.resources[TOKEN]!;
    const checked = await ops.check({}, { name: "a" }, { urn: "urn:pulumi:dev::proj::agent37:index:ScopeProbe::a", secret: false });
    expect(checked.inputs).toEqual({ name: "a" });
    await ops.create(checked.inputs);
    expect(p.created).toEqual([{ name: "a", scope: "0123456789abcdef0123456789abcdef" }]);
  });

  it("leaves a scope the inputs hold, and gives none without the configuration", async () => {
    const p = probe();
    const instance = pluginModule(DECL, () => p.resource).instantiate();
    instance.configure(config({ "agent37:_createScope": "0123456789abcdef0123456789abcdef" }));
    await instance.resources[TOKEN]!.create({ name: "a", scope: "organization:acme" });
    const bare = pluginModule(DECL, () => p.resource).instantiate();
    bare.configure(config({}));
    await bare.resources[TOKEN]!.create({ name: "b" });
    expect(p.created).toEqual([{ name: "a", scope: "organization:acme" }, { name: "b" }]);
  });
});

describe("dropsNulls, the diff's id and the connection", () => {
  it("check: a null input is left out of the checked inputs (and not validated)", async () => {
    const checked = await new DynamicAdapter(probe().resource).check({}, { name: null });
    expect(checked).toEqual({ inputs: {}, failures: [] });
  });

  it("diff: the changes hook sees the new inputs without nulls, and the resource's id", async () => {
    const p = probe();
    await new DynamicAdapter(p.resource).diff("p1", { name: "a" }, { name: null });
    expect(p.diffs).toEqual([[{ name: "a" }, {}, "p1"]]);
  });

  it("an operation reaches the adapter's connection", async () => {
    const p = probe();
    const adapter = new DynamicAdapter(p.resource, { settings: { apiKey: "sk_test_probe", apiUrl: "http://127.0.0.1:9" } });
    await adapter.create({ name: "a" });
    const connection = p.contexts[0]?.connection?.();
    expect(connection).toBeInstanceOf(Connection);
    expect(connection?.current().apiUrl).toBe("http://127.0.0.1:9");
  });

  it("without the option, nulls stay as given", async () => {
    const p = probe();
    const { dropsNulls: _drops, ...keeping } = DECL;
    const plain = { ...p.resource, declaration: keeping } as unknown as Resource<unknown, unknown>;
    expect((await new DynamicAdapter(plain).check({}, { name: "a", scope: null })).inputs).toEqual({ name: "a", scope: null });
  });
});
