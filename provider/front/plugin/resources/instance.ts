// agent37:index:Instance in the plugin: its schema (from its declaration), and its operations from the same
// Agent37InstanceProvider the dynamic door runs. Also the invokes that read instances and
// templates (`getInstance`, `getTemplate`).
/* eslint-disable @typescript-eslint/no-require-imports -- the implementation loads when the plugin first serves this module (registry.ts) */
import { opsFromProvider } from "../ops";
import { createKeyOf } from "../../../core/create-key";
import { CREATE_SCOPE_KEY } from "../config";
import { INSTANCE_DECL } from "../../../instance/fields";
import { declaredModule, tokenOf } from "../adapter";
import type { ObjectTypeSpec, PluginModule, PropertySpec, ResourceOps, ResourceSpec } from "../spec";

export const INSTANCE = tokenOf(INSTANCE_DECL);
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

const DECLARED = declaredModule(INSTANCE_DECL);
const OUTPUTS = (DECLARED.resources[INSTANCE] as ResourceSpec).properties;

/** Agent37Instance (its schema from its declaration, instance/fields.ts) and the instance and template invokes. */
export const instanceModule: PluginModule = {
  ...DECLARED,
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
    const { changedInputs } = require("../../../instance/diff") as typeof import("../../../instance/diff");
    const { Connection } = require("../../../core/connection") as typeof import("../../../core/connection");
    const { InstancesApi } = require("../../../instance/api") as typeof import("../../../instance/api");
    const { plannedCreateOutputs, plannedUpdateOutputs } = require("../../../instance/plan") as typeof import("../../../instance/plan");
    const { Agent37InstanceProvider } = require("../../../instance/provider") as typeof import("../../../instance/provider");
    const provider = new Agent37InstanceProvider();
    const connection = new Connection();
    // The provider's create scope (config.ts), from Configure; none before it or in 0.1.0 state.
    let scope: string | undefined;
    return {
      configure(config) {
        provider.configure({ config } as never);
        connection.configure(config);
        scope = config.get(`agent37:${CREATE_SCOPE_KEY}`);
      },
      resources: {
        [INSTANCE]: withCreateKey(
          () => scope,
          opsFromProvider(provider, {
            changes: (olds, news) => changedInputs(olds, news),
            planCreate: (news) => plannedCreateOutputs(news),
            planUpdate: (olds, news, changes) => plannedUpdateOutputs(olds, news, changes),
          }),
        ),
      },
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

/**
 * The instance's create key comes from its URN, as the resource class derives it from the same
 * parts in the dynamic door: a run can then find an instance whose create an earlier run started
 * but never saw finish, instead of making a second one.
 */
function withCreateKey(scope: () => string | undefined, ops: ResourceOps): ResourceOps {
  return {
    ...ops,
    check(olds, news, ctx) {
      // urn:pulumi:<stack>::<project>::<qualified type>::<name>
      const [head = "", project = "", type = INSTANCE, ...name] = ctx.urn.split("::");
      const key = createKeyOf({ project, stack: head.replace(/^urn:pulumi:/, ""), type, name: name.join("::") });
      return ops.check(olds, news.createKey === undefined ? { ...news, createKey: key } : news, ctx);
    },
    // The URN names project and stack only; the provider's scope tells this stack's creates from
    // those of a same-named stack in another backend or organization. Given to the create alone,
    // not kept in the inputs: a preview may have drawn another scope (a new stack's first run).
    create(news) {
      const createScope = scope();
      return ops.create(news.createScope === undefined && createScope !== undefined ? { ...news, createScope } : news);
    },
  };
}
