// agent37:index:Instance in the plugin: its schema, and its operations from the same
// Agent37InstanceProvider the dynamic door runs. Also the invokes that read instances and
// templates (`getInstance`, `getTemplate`).
/* eslint-disable @typescript-eslint/no-require-imports -- the implementation loads when the plugin first serves this module (registry.ts) */
import { opsFromProvider } from "../ops";
import { createKeyOf } from "../../../core/create-key";
import { CREATE_SCOPE_KEY } from "../config";
import type { ObjectTypeSpec, PluginModule, PropertySpec, ResourceOps } from "../spec";

export const INSTANCE = "agent37:index:Instance";
export const GET_INSTANCE = "agent37:index:getInstance";
export const GET_TEMPLATE = "agent37:index:getTemplate";

const ref = (name: string, description?: string): PropertySpec => ({ $ref: `#/types/agent37:index:${name}`, ...(description ? { description } : {}) });
const str = (description: string): PropertySpec => ({ type: "string", description });
const int = (description: string): PropertySpec => ({ type: "integer", description });
const num = (description: string): PropertySpec => ({ type: "number", description });
const bool = (description: string): PropertySpec => ({ type: "boolean", description });
const list = (items: PropertySpec, description: string): PropertySpec => ({ type: "array", items, description });
const map = (values: PropertySpec, description: string): PropertySpec => ({ type: "object", additionalProperties: values, description });
const any: PropertySpec = { $ref: "pulumi.json#/Any" };

const inputs: Record<string, PropertySpec> = {
  template: str("Template `name` or `name@version` (default: the API's, `agent37-hermes`). A change updates in place and keeps the id and URLs."),
  resources: ref("InstanceResources", "Shape (cpu/memory GB: 2/4, 4/8, 8/16) and disk (GB). Growing resizes in place; any shrink replaces the instance."),
  type: { ...ref("InstanceType", "`dedicated` (default) or `shared`. A change replaces the instance."), willReplaceOnChanges: true },
  name: str("Label, at most 60 characters."),
  user: str("Opaque attribution tag, at most 200 characters."),
  metadata: map(any, "Your key/values, at most 4 KB serialized. Keys starting with `pulumi-agent37:` are reserved."),
  env: { ...map({ type: "string" }, "Container environment (write-only on the API). A change replaces the instance."), secret: true, willReplaceOnChanges: true },
  autoSleep: bool("Opt into auto-sleep (default false)."),
  idleTimeoutSeconds: int("Idle seconds before sleeping, 60..86400 (default 300)."),
  publicPorts: list(ref("PublicPort"), "Ports exposed at permanent unauthenticated URLs, at most 20."),
  budget: ref("Budget", "Spend ceilings in micros: the monthly cap updates in place; the one-time credit is create-only (a change replaces)."),
  state: ref("InstanceState", "Desired run state: `running` (default) or `stopped`."),
  ports: list({ type: "integer" }, "Extra ports whose URLs to resolve into `ports` and `portUrls` (no API call)."),
  health: ref("HealthCheck", "Readiness gate: create and update wait until what runs in the instance is ready (the gateway's health for system templates; the app's own answer for workspace templates)."),
  adoptInstanceId: { ...str("Take over this existing instance (10 lowercase alphanumerics) instead of creating one. A change replaces."), willReplaceOnChanges: true },
};

const outputs: Record<string, PropertySpec> = {
  instanceId: str("The instance id (10 lowercase alphanumerics), also the resource id."),
  url: str("Default-port URL: the instance's own URL (2026-08); empty on 2026-06 for a template with no exposed port."),
  ports: list(ref("Port"), "Exposed ports with their URLs."),
  portUrls: map({ type: "string" }, "Port number (as a string key) to URL."),
  status: str("Lifecycle status: provisioning, starting, running, sleeping, stopping, stopped, failed, deleting, deleted."),
  state: str("The run state in the terms of the `state` input: `running` (also sleeping or starting), `stopped` (also stopping); absent when failed."),
  statusReason: ref("StatusReason", "Why the instance is in its status, when Agent37 says."),
  template: str("The template the instance runs."),
  templateRevision: int("Revision of the template the image was built from."),
  imageRef: str("Image reference the instance runs."),
  imageDigest: str("Digest of that image."),
  resources: ref("InstanceResources", "Current shape and disk."),
  publicPorts: list(ref("PublicPortStatus"), "Public ports with their URLs."),
  domainUrls: list({ type: "string" }, "URLs of custom domains routed to the instance."),
  name: str("Label."),
  user: str("Attribution tag."),
  metadata: map(any, "Your key/values."),
  autoSleep: bool("Whether auto-sleep is on."),
  idleTimeoutSeconds: int("Idle seconds before sleeping."),
  created: int("Creation time, epoch seconds."),
  health: ref("Health", "Answer of the readiness gate; absent when no gate ran (private sandbox, disabled, stopped)."),
  type: str("The `type` given at create."),
  env: { ...map({ type: "string" }, "The env given at create."), secret: true },
  budget: ref("Budget", "The budget given."),
  requestedPorts: list({ type: "integer" }, "The extra ports whose URLs were requested (`ports` input)."),
  adoptInstanceId: str("The adopted instance, when adopting."),
  healthCheck: ref("HealthCheck", "The readiness gate's settings (`health` input) without what means the default; absent for the default gate."),
};

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
    agents: list({ type: "string" }, "Agents the template runs."),
    defaultPort: int("Port served by the bare instance URL; absent for a private sandbox."),
  },
  ["name"],
);

/** Agent37Instance and the instance and template invokes. */
export const instanceModule: PluginModule = {
  resources: {
    [INSTANCE]: {
      description:
        "An Agent37 instance. Create resolves once it is running and its gateway answers healthy; refresh sees drift; delete removes it (already gone is fine).",
      inputProperties: inputs,
      properties: outputs,
      required: ["instanceId", "url", "ports", "portUrls", "status", "template", "publicPorts", "domainUrls", "metadata", "autoSleep", "idleTimeoutSeconds", "env", "requestedPorts"],
    },
  },
  functions: {
    [GET_INSTANCE]: {
      description: "Reads an existing Agent37 instance of the configured workspace by id.",
      inputs: object("", { instanceId: str("The instance id.") }, ["instanceId"]),
      outputs: object(
        "The instance as the Instance resource would record it (without the write-only env).",
        Object.fromEntries(Object.entries(outputs).filter(([k]) => k !== "env")),
        ["instanceId", "url", "ports", "portUrls", "status", "template"],
      ),
    },
    [GET_TEMPLATE]: {
      description: "Reads an Agent37 template (system or of the configured workspace) by name.",
      inputs: object("", { name: str("Template name.") }, ["name"]),
      outputs: TEMPLATE_OUTPUTS,
    },
  },
  types: {
    "agent37:index:InstanceResources": object("Shape and disk of an instance.", {
      cpu: int("vCPUs: 2, 4 or 8 (set together with memory)."),
      memory: int("Memory GB: 4, 8 or 16 (set together with cpu)."),
      disk: int("Disk GB, within the shape's range."),
    }),
    "agent37:index:InstanceType": {
      type: "string",
      description: "Instance placement.",
      enum: [
        { value: "dedicated", description: "A dedicated machine." },
        { value: "shared", description: "A shared machine." },
      ],
    },
    "agent37:index:InstanceState": {
      type: "string",
      description: "Desired run state.",
      enum: [
        { value: "running", description: "Running (a sleeping instance counts as running)." },
        { value: "stopped", description: "Stopped." },
      ],
    },
    "agent37:index:PublicPort": object(
      "A port exposed at a permanent unauthenticated URL.",
      {
        port: int("Port number (not a reserved one)."),
        prefix: str("URL prefix, 1-30 lowercase letters, digits or hyphens."),
        label: str("Label, at most 64 characters."),
      },
      ["port"],
    ),
    "agent37:index:PublicPortStatus": object("A public port as Agent37 reports it.", {
      port: int("Port number."),
      url: str("Public URL."),
      domainUrls: list({ type: "string" }, "Custom-domain URLs of the port."),
      prefix: str("URL prefix."),
      label: str("Label."),
      created: int("When the port was made public, epoch seconds."),
    }),
    "agent37:index:Budget": object("Spend ceilings in micros.", {
      monthlyCapMicros: int("Monthly spend cap; updates in place."),
      creditMicros: int("One-time credit at create; a change replaces the instance."),
    }),
    "agent37:index:HealthCheck": object("The readiness gate.", {
      path: str("Path polled on the instance URL (default /v1/health for system templates, / for workspace templates)."),
      status: { ...any, description: 'Status to wait for at `path`: an HTTP status (204), a class ("2xx"), or a list of them. Default: any answer of the app at /, a 2xx at a given path.' },
      timeoutSeconds: num("How long to wait for healthy (default 600)."),
      disabled: bool("Skip the gate (default false)."),
    }),
    "agent37:index:Health": object("The gateway's answer that ended the readiness gate.", {
      ok: bool("Gateway answered ok."),
      healthy: bool("Agent reported healthy."),
      agent: str("Agent name."),
      version: str("Agent version."),
      checkedAt: str("ISO 8601 time of the answer."),
      status: int("HTTP status of that answer, for gates that wait for an app."),
    }),
    "agent37:index:Port": object("An exposed port.", {
      port: int("Port number."),
      default: bool("Whether the bare instance URL routes to it."),
      url: str("Its URL."),
    }),
    "agent37:index:StatusReason": object("Why an instance is in its status.", {
      code: str("Reason code."),
      message: str("Human-readable reason."),
      detail: str("More detail."),
      operation: str("The operation it concerns."),
      at: num("When, epoch seconds."),
    }),
  },
  secretOutputs: { [INSTANCE]: ["env"] },
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
