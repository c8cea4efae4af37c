/**
 * A resource's own diff on the seam (core/resource.ts `changes`, `stables`, `planCreate`): both
 * doors take the changes from the hook instead of the declaration's rules (decoded values, secrets
 * unwrapped), the dynamic door's `stables` from `stables`, and the plugin's create plan from
 * `planCreate`. Without the hooks the declaration decides, as before.
 */
import { UNKNOWN, asSecret } from "../../provider/core/check";
import type { Declaration } from "../../provider/core/declare";
import type { ChangeKind } from "../../provider/core/kinds";
import type { Resource } from "../../provider/core/resource";
import { DynamicAdapter } from "../../provider/front/dynamic/adapter";
import { pluginModule } from "../../provider/front/plugin/adapter";

const DECL: Declaration = {
  name: "HookProbe",
  className: "Agent37HookProbe",
  entry: "hookProbeProvider",
  description: "A probe.",
  inputs: {
    name: { type: "string", required: true, onChange: "replace", description: "A name." },
    label: { type: "string", onChange: "update", description: "A label." },
  },
  outputs: {
    name: { type: "string", plan: "input", stable: true, description: "The name." },
    label: { type: "string", nullable: true, plan: "input", description: "The label." },
    serial: { type: "integer", plan: "unknown", description: "Assigned." },
  },
};
const TOKEN = "agent37:index:HookProbe";

const seen: [unknown, unknown][] = [];
const hooked = {
  declaration: DECL,
  // A label change replaces here, whatever the declaration says.
  changes(olds: Record<string, unknown>, news: Record<string, unknown>): Record<string, ChangeKind> {
    seen.push([olds, news]);
    return olds.label === news.label ? {} : { label: "replace" };
  },
  stables: (changes: Readonly<Record<string, ChangeKind>>) => (Object.keys(changes).length === 0 ? ["name", "label", "serial"] : ["serial"]),
  planCreate: (planned: Record<string, unknown>) => ({ ...planned, serial: 0 }),
} as unknown as Resource<unknown, unknown>;
const plain = { declaration: DECL } as unknown as Resource<unknown, unknown>;

const olds = { name: "a", label: "x", serial: 1 };

describe("with the hooks", () => {
  it("the dynamic door's diff: the hook's changes, given decoded values, and its stables", async () => {
    seen.length = 0;
    const diff = await new DynamicAdapter(hooked).diff("id", olds, { name: "a", label: asSecret("y") });
    expect(diff).toEqual({ changes: true, replaces: ["label"], stables: ["serial"], deleteBeforeReplace: false });
    expect(seen).toEqual([[olds, { name: "a", label: "y" }]]);
    expect((await new DynamicAdapter(hooked).diff("id", olds, { name: "b", label: "x" })).stables).toEqual(["name", "label", "serial"]);
  });

  it("the plugin: the hook's changes, and its create plan over the declaration's", async () => {
    const ops = pluginModule(DECL, () => hooked).instantiate().resources[TOKEN]!;
    expect([...(await ops.changes("id", olds, { name: "a", label: "y" })).changes]).toEqual([["label", "replace"]]);
    expect(await ops.planCreate({ name: "a" })).toEqual({ name: "a", label: UNKNOWN, serial: 0 });
  });
});

describe("without them", () => {
  it("the declaration's rules, stable outputs and plan", async () => {
    const diff = await new DynamicAdapter(plain).diff("id", olds, { name: "a", label: "y" });
    expect(diff).toEqual({ changes: true, replaces: [], stables: ["name"], deleteBeforeReplace: false });
    const ops = pluginModule(DECL, () => plain).instantiate().resources[TOKEN]!;
    expect([...(await ops.changes("id", olds, { name: "a", label: "y" })).changes]).toEqual([["label", "update"]]);
    expect(await ops.planCreate({ name: "a" })).toEqual({ name: "a", label: UNKNOWN, serial: UNKNOWN });
  });
});
