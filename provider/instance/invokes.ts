// Agent37Instance's invokes, `getInstance` and `getTemplate`: their schema, and their
// implementation over the seam's operation context (core/resource.ts), which the plugin's adapter
// gives them (front/plugin/adapter.ts, `invokesModule`). `getInstance` reads as the resource does
// (its own read, its outputs' schema from its declaration, fields.ts).
/* eslint-disable @typescript-eslint/no-require-imports -- the implementation loads at the first invoke, not with the schema at the plugin's start */
import type { Loose } from "../core/declare";
import { plain } from "../core/json";
import type { OperationContext } from "../core/resource";
import { resourceSpec, type FunctionSpec, type ObjectTypeSpec, type PropertySpec } from "../core/schema";
import { INSTANCE_DECL } from "./fields";

export const GET_INSTANCE = "agent37:index:getInstance";
export const GET_TEMPLATE = "agent37:index:getTemplate";

const str = (description: string): PropertySpec => ({ type: "string", description });
const int = (description: string): PropertySpec => ({ type: "integer", description });

const object = (description: string, properties: Record<string, PropertySpec>, required?: string[]): ObjectTypeSpec => ({
  type: "object",
  description,
  properties,
  ...(required ? { required } : {}),
});

const TEMPLATE_OUTPUTS = object(
  "An Agent37 template.",
  {
    name: str("Template name."),
    scope: str("`system` or `workspace`."),
    agents: { type: "array", items: { type: "string" }, description: "Agents the template runs." },
    defaultPort: int("Port served by the bare instance URL; absent for a private sandbox."),
  },
  ["name"],
);

/** The outputs of Agent37Instance's schema (from its declaration, instance/fields.ts). */
const OUTPUTS = resourceSpec(INSTANCE_DECL).properties;

/** The invokes' part of the package schema. */
export const INSTANCE_FUNCTIONS: Record<string, FunctionSpec> = {
  [GET_INSTANCE]: {
    description: "Reads an existing Agent37 instance of the configured workspace by id.",
    inputs: object("", { instanceId: str("The instance id.") }, ["instanceId"]),
    outputs: object(
      "The instance as the Instance resource would record it (without the write-only env).",
      Object.fromEntries(Object.entries(OUTPUTS).filter(([k]) => k !== "env")),
      ["instanceId", "url", "ports", "portUrls", "status", "template"],
    ),
  },
  [GET_TEMPLATE]: {
    description: "Reads an Agent37 template (system or of the configured workspace) by name.",
    inputs: object("", { name: str("Template name.") }, ["name"]),
    outputs: TEMPLATE_OUTPUTS,
  },
};

/** The invokes in one plugin process, over its connection (`ctx`); decoded values in and out. */
export function instanceInvokes(ctx: OperationContext): Record<string, (args: Loose) => Promise<Loose>> {
  const { InstancesApi } = require("./api") as typeof import("./api");
  const { instanceResourceWith } = require("./provider") as typeof import("./provider");
  const resource = instanceResourceWith();
  return {
    async [GET_INSTANCE](args) {
      const id = args.instanceId;
      if (typeof id !== "string" || id === "") throw new Error("getInstance: instanceId is required (an Agent37 instance id)");
      // As the resource's read answers a refresh: its own errors, its outputs as it records them.
      const read = await resource.read(id, {}, ctx);
      if (read === undefined || (read.id ?? id) === "") throw new Error(`getInstance: no instance ${id} in this workspace`);
      const { env: _env, ...outs } = plain(read.outputs) as unknown as Loose;
      return outs;
    },
    async [GET_TEMPLATE](args) {
      const name = args.name;
      if (typeof name !== "string" || name === "") throw new Error("getTemplate: name is required (a template name)");
      const t = await new InstancesApi(ctx.client()).template(name);
      return { name: t.name, scope: t.scope ?? null, agents: t.agents ?? [], defaultPort: t.default_port ?? null };
    },
  };
}
