/**
 * A declaration's `createKeyInput`: the plugin adapter fills it at check from the URN, from the
 * same parts the dynamic door's classes derive it from (project, stack, type, name), and leaves a
 * key the program gave as it is. A declaration without it gets no such input.
 */
import { pluginModule } from "../../provider/front/plugin/adapter";
import { createKeyOf, createKeyOfUrn } from "../../provider/core/create-key";
import type { Declaration } from "../../provider/core/declare";
import type { Resource } from "../../provider/core/resource";

const BASE: Declaration = {
  name: "KeyProbe",
  className: "Agent37KeyProbe",
  entry: "keyProbeProvider",
  description: "A probe.",
  inputs: {
    name: { type: "string", description: "A name.", required: true, onChange: "replace" },
    createKey: { type: "string", description: "The create key.", internal: true, onChange: "none" },
  },
  outputs: { name: { type: "string", description: "The name.", plan: "input" } },
};

const TOKEN = "agent37:index:KeyProbe";
const URN = `urn:pulumi:dev::shop::${TOKEN}::web`;

function checkOf(decl: Declaration) {
  const ops = pluginModule(decl, () => ({ declaration: decl }) as unknown as Resource<unknown, unknown>).instantiate().resources[TOKEN]!;
  return async (news: Record<string, unknown>, urn = URN) => (await ops.check({}, news, { urn, secret: false })).inputs;
}

describe("createKeyInput: the plugin's create key from the URN", () => {
  const check = checkOf({ ...BASE, createKeyInput: "createKey" });

  it("an absent key is the URN's: project, stack, qualified type and name", async () => {
    const inputs = await check({ name: "a" });
    expect(inputs.createKey).toBe(createKeyOf({ project: "shop", stack: "dev", type: TOKEN, name: "web" }));
    expect(inputs.createKey).toMatch(/^[0-9a-f]{32}$/);
  });

  it("another stack, project, name or parent type gives another key; the same URN the same one", async () => {
    const key = (await check({ name: "a" })).createKey;
    expect((await check({ name: "b" })).createKey).toBe(key);
    const others = [`urn:pulumi:prod::shop::${TOKEN}::web`, `urn:pulumi:dev::mall::${TOKEN}::web`, `urn:pulumi:dev::shop::${TOKEN}::api`, `urn:pulumi:dev::shop::my:Comp$${TOKEN}::web`];
    const keys = await Promise.all(others.map(async (urn) => (await check({ name: "a" }, urn)).createKey));
    expect(new Set([key, ...keys]).size).toBe(others.length + 1);
  });

  it("a name holding `::` is kept whole", async () => {
    expect((await check({ name: "a" }, `urn:pulumi:dev::shop::${TOKEN}::we::b`)).createKey).toBe(createKeyOf({ project: "shop", stack: "dev", type: TOKEN, name: "we::b" }));
    expect(createKeyOfUrn(`urn:pulumi:dev::shop::${TOKEN}::we::b`, "unused")).toBe(createKeyOf({ project: "shop", stack: "dev", type: TOKEN, name: "we::b" }));
  });

  it("a key the program gave stays", async () => {
    expect((await check({ name: "a", createKey: "given" })).createKey).toBe("given");
  });
});

describe("without createKeyInput", () => {
  it("check adds no create key", async () => {
    expect((await checkOf(BASE)({ name: "a" })).createKey).toBeUndefined();
  });
});
