// The invokes that read instances and templates (`getInstance`, `getTemplate`): `getInstance`
// reads as the Agent37Instance resource does (a provider of its own, its outputs' schema from the
// resource's declaration). Agent37Instance itself is on the seam (registry.ts).
/* eslint-disable @typescript-eslint/no-require-imports -- the implementation loads when the plugin first serves this module (registry.ts) */
import { INSTANCE_DECL } from "../../../instance/fields";
import { resourceSpec } from "../adapter";
import type { ObjectTypeSpec, PluginModule, PropertySpec } from "../spec";

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

/** The instance and template invokes (Agent37Instance itself is a seam resource: registry.ts). */
export const instanceModule: PluginModule = {
  resources: {},
  functions: {
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
  },
  instantiate() {
    const { Connection } = require("../../../core/connection") as typeof import("../../../core/connection");
    const { InstancesApi } = require("../../../instance/api") as typeof import("../../../instance/api");
    const { createInstanceProvider } = require("../../dynamic/instance") as typeof import("../../dynamic/instance");
    const provider = createInstanceProvider();
    const connection = new Connection();
    return {
      configure(config) {
        void provider.configure({ config } as never);
        connection.configure(config);
      },
      resources: {},
      functions: {
        async [GET_INSTANCE](args) {
          const id = args.instanceId;
          if (typeof id !== "string" || id === "") throw new Error("getInstance: instanceId is required (an Agent37 instance id)");
          const read = await provider.read(id, {});
          if (!read.id) throw new Error(`getInstance: no instance ${id} in this workspace`);
          const { env: _env, ...outs } = read.props as Record<string, unknown>;
          return outs;
        },
        async [GET_TEMPLATE](args) {
          const name = args.name;
          if (typeof name !== "string" || name === "") throw new Error("getTemplate: name is required (a template name)");
          const t = await new InstancesApi(connection.client().client).template(name);
          return { name: t.name, scope: t.scope ?? null, agents: t.agents ?? [], defaultPort: t.default_port ?? null };
        },
      },
    };
  },
};
