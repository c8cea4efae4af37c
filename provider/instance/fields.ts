// The one declaration of Agent37Instance: every input and output once, with the nested object and
// enum types. The plugin's schema, its secret outputs and the `getInstance` invoke's outputs come
// from it; the input validation too (each field's own rules from inputs.ts). The resource class
// (resource.ts) and the public types (types.ts, outputs.ts) stay written by hand: the class derives
// `createKey` and `createScope` from the program (project, stack, parent, name, organization) and
// offers `urlForPort`, and its doc comments say more than the schema's one-line descriptions. A
// test (test/seam/instance-declaration.test.ts) holds them to this declaration field by field.
// The diff (diff.ts) and the preview plans (plan.ts) stay the instance's own: a shrink of
// `resources` or a new `budget.creditMicros` replaces where the schema says neither (the schema
// marks only what always replaces), and `onChange` here is what the schema says.
// No zod at load (the plugin serves its schema before any resource is used): the field schemas
// load with their first validation.
/* eslint-disable @typescript-eslint/no-require-imports -- see above */
import type { Declaration, EnumType, FieldType, InputField, ObjectType } from "../core/declare";

/** A field's own rules, from the strict input schema (inputs.ts). */
const rules = (name: string): NonNullable<InputField["schema"]> => () => (require("./inputs") as typeof import("./inputs")).InstanceInputs.shape[name as keyof (typeof import("./inputs"))["InstanceInputs"]["shape"]];

/** An object type from its properties, each `[type, description]` (and `true` when required). */
function object(name: string, description: string, properties: Record<string, [FieldType, string, true?]>): ObjectType {
  const props = Object.entries(properties).map(([k, [type, text, required]]) => [k, { type, description: text, ...(required ? { required } : {}) }] as const);
  return { object: name, description, properties: Object.fromEntries(props) };
}

const enumOf = (name: string, description: string, values: Record<string, string>): EnumType => ({ enum: name, description, values: Object.entries(values).map(([value, text]) => ({ value, description: text })) });

const INSTANCE_RESOURCES = object("InstanceResources", "Shape and disk of an instance.", {
  cpu: ["integer", "vCPUs: 2, 4 or 8 (set together with memory)."],
  memory: ["integer", "Memory GB: 4, 8 or 16 (set together with cpu)."],
  disk: ["integer", "Disk GB, within the shape's range."],
});
const INSTANCE_TYPE = enumOf("InstanceType", "Instance placement.", { dedicated: "A dedicated machine.", shared: "A shared machine." });
const INSTANCE_STATE = enumOf("InstanceState", "Desired run state.", { running: "Running (a sleeping instance counts as running).", stopped: "Stopped." });
const PUBLIC_PORT = object("PublicPort", "A port exposed at a permanent unauthenticated URL.", {
  port: ["integer", "Port number (not a reserved one).", true],
  prefix: ["string", "URL prefix, 1-30 lowercase letters, digits or hyphens."],
  label: ["string", "Label, at most 64 characters."],
});
const PUBLIC_PORT_STATUS = object("PublicPortStatus", "A public port as Agent37 reports it.", {
  port: ["integer", "Port number."], url: ["string", "Public URL."], domainUrls: ["string[]", "Custom-domain URLs of the port."],
  prefix: ["string", "URL prefix."], label: ["string", "Label."], created: ["integer", "When the port was made public, epoch seconds."],
});
const BUDGET = object("Budget", "Spend ceilings in micros.", {
  monthlyCapMicros: ["integer", "Monthly spend cap; updates in place."],
  creditMicros: ["integer", "One-time credit at create; a change replaces the instance."],
});
const HEALTH_CHECK = object("HealthCheck", "The readiness gate.", {
  path: ["string", "Path polled on the instance URL (default /v1/health for system templates, / for workspace templates)."],
  status: ["any", 'Status to wait for at `path`: an HTTP status (204), a class ("2xx"), or a list of them. Default: any answer of the app at /, a 2xx at a given path.'],
  timeoutSeconds: ["number", "How long to wait for healthy (default 600)."],
  disabled: ["boolean", "Skip the gate (default false)."],
});
const HEALTH = object("Health", "The gateway's answer that ended the readiness gate.", {
  ok: ["boolean", "Gateway answered ok."], healthy: ["boolean", "Agent reported healthy."], agent: ["string", "Agent name."], version: ["string", "Agent version."],
  checkedAt: ["string", "ISO 8601 time of the answer."], status: ["integer", "HTTP status of that answer, for gates that wait for an app."],
});
const PORT = object("Port", "An exposed port.", { port: ["integer", "Port number."], default: ["boolean", "Whether the bare instance URL routes to it."], url: ["string", "Its URL."] });
const STATUS_REASON = object("StatusReason", "Why an instance is in its status.", {
  code: ["string", "Reason code."], message: ["string", "Human-readable reason."], detail: ["string", "More detail."],
  operation: ["string", "The operation it concerns."], at: ["number", "When, epoch seconds."],
});

export const INSTANCE_DECL: Declaration = {
  name: "Instance",
  className: "Agent37Instance",
  entry: "instanceProvider",
  description:
    "An Agent37 instance. Create resolves once it is running and its gateway answers healthy; refresh sees drift; delete removes it (already gone is fine).",
  // The class registers `env` as a secret output itself; outputs leave as 0.1.0 recorded them.
  classMarksSecrets: true,
  createKeyInput: "createKey",
  createScopeInput: "createScope",
  dropsNulls: true,
  // All inputs optional: an omitted one is not managed (diff.ts), except `state`, `env`, `ports`
  // and `health`, which the resource owns completely (their defaults below).
  inputs: {
    template: { type: "string", onChange: "update", schema: rules("template"), description: "Template `name` or `name@version` (default: the API's, `agent37-hermes`). A change updates in place and keeps the id and URLs." },
    resources: {
      type: INSTANCE_RESOURCES,
      onChange: "update",
      schema: rules("resources"),
      description: "Shape (cpu/memory GB: 2/4, 4/8, 8/16) and disk (GB). Growing resizes in place; any shrink replaces the instance.",
    },
    type: { type: INSTANCE_TYPE, onChange: "replace", default: "dedicated", schema: rules("type"), description: "`dedicated` (default) or `shared`. A change replaces the instance." },
    name: { type: "string", onChange: "update", schema: rules("name"), description: "Label, at most 60 characters." },
    user: { type: "string", onChange: "update", schema: rules("user"), description: "Opaque attribution tag, at most 200 characters." },
    metadata: { type: { map: "any" }, onChange: "update", schema: rules("metadata"), description: "Your key/values, at most 4 KB serialized. Keys starting with `pulumi-agent37:` are reserved." },
    env: { type: { map: "string" }, secret: true, onChange: "replace", default: {}, schema: rules("env"), description: "Container environment (write-only on the API). A change replaces the instance." },
    autoSleep: { type: "boolean", onChange: "update", default: false, schema: rules("autoSleep"), description: "Opt into auto-sleep (default false)." },
    idleTimeoutSeconds: { type: "integer", onChange: "update", default: 300, schema: rules("idleTimeoutSeconds"), description: "Idle seconds before sleeping, 60..86400 (default 300)." },
    publicPorts: { type: { array: PUBLIC_PORT }, onChange: "update", schema: rules("publicPorts"), description: "Ports exposed at permanent unauthenticated URLs, at most 20." },
    budget: {
      type: BUDGET,
      onChange: "update",
      schema: rules("budget"),
      description: "Spend ceilings in micros: the monthly cap updates in place; the one-time credit is create-only (a change replaces).",
    },
    state: { type: INSTANCE_STATE, onChange: "update", default: "running", schema: rules("state"), description: "Desired run state: `running` (default) or `stopped`." },
    ports: { type: { array: "integer" }, onChange: "update", default: [], schema: rules("ports"), description: "Extra ports whose URLs to resolve into `ports` and `portUrls` (no API call)." },
    health: {
      type: HEALTH_CHECK,
      onChange: "update",
      schema: rules("health"),
      description:
        "Readiness gate: create and update wait until what runs in the instance is ready (the gateway's health for system templates; the app's own answer for workspace templates).",
    },
    adoptInstanceId: {
      type: "string",
      onChange: "replace",
      schema: rules("adoptInstanceId"),
      description: "Take over this existing instance (10 lowercase alphanumerics) instead of creating one. A change replaces.",
    },
    createKey: {
      type: "string",
      internal: true,
      onChange: "none",
      schema: rules("createKey"),
      description: "The resource's stable create key (see createKeyOf): set by the resource class, or by the plugin from the URN.",
    },
    createScope: {
      type: "string",
      internal: true,
      onChange: "none",
      schema: rules("createScope"),
      description:
        "What tells this stack from one of the same project and stack name elsewhere: set by the resource class (the organization) or the plugin (its provider's scope). Only a new create uses it.",
    },
  },
  outputs: {
    instanceId: { type: "string", plan: "unknown", description: "The instance id (10 lowercase alphanumerics), also the resource id." },
    url: { type: "string", plan: "unknown", description: "Default-port URL: the instance's own URL (2026-08); empty on 2026-06 for a template with no exposed port." },
    ports: { type: { array: PORT }, plan: "unknown", description: "Exposed ports with their URLs." },
    portUrls: { type: { map: "string" }, plan: "unknown", description: "Port number (as a string key) to URL." },
    status: { type: "string", plan: "unknown", description: "Lifecycle status: provisioning, starting, running, sleeping, stopping, stopped, failed, deleting, deleted." },
    state: {
      type: "string",
      nullable: true,
      plan: "input",
      description: "The run state in the terms of the `state` input: `running` (also sleeping or starting), `stopped` (also stopping); absent when failed.",
    },
    statusReason: { type: STATUS_REASON, nullable: true, plan: "unknown", description: "Why the instance is in its status, when Agent37 says." },
    template: { type: "string", plan: "input", description: "The template the instance runs." },
    templateRevision: { type: "integer", nullable: true, plan: "unknown", description: "Revision of the template the image was built from." },
    imageRef: { type: "string", nullable: true, plan: "unknown", description: "Image reference the instance runs." },
    imageDigest: { type: "string", nullable: true, plan: "unknown", description: "Digest of that image." },
    resources: { type: INSTANCE_RESOURCES, nullable: true, plan: "unknown", description: "Current shape and disk." },
    publicPorts: { type: { array: PUBLIC_PORT_STATUS }, plan: "unknown", description: "Public ports with their URLs." },
    domainUrls: { type: "string[]", plan: "unknown", description: "URLs of custom domains routed to the instance." },
    name: { type: "string", nullable: true, plan: "input", description: "Label." },
    user: { type: "string", nullable: true, plan: "input", description: "Attribution tag." },
    metadata: { type: { map: "any" }, plan: "input", description: "Your key/values." },
    autoSleep: { type: "boolean", plan: "input", description: "Whether auto-sleep is on." },
    idleTimeoutSeconds: { type: "integer", plan: "input", description: "Idle seconds before sleeping." },
    created: { type: "integer", nullable: true, plan: "unknown", description: "Creation time, epoch seconds." },
    health: { type: HEALTH, nullable: true, plan: "unknown", description: "Answer of the readiness gate; absent when no gate ran (private sandbox, disabled, stopped)." },
    type: { type: "string", nullable: true, plan: "input", description: "The `type` given at create." },
    env: { type: { map: "string" }, secret: true, plan: "input", description: "The env given at create." },
    budget: { type: BUDGET, nullable: true, plan: "input", description: "The budget given." },
    requestedPorts: { type: { array: "integer" }, plan: { input: "ports" }, description: "The extra ports whose URLs were requested (`ports` input)." },
    adoptInstanceId: { type: "string", nullable: true, plan: "input", description: "The adopted instance, when adopting." },
    healthCheck: {
      type: HEALTH_CHECK,
      nullable: true,
      plan: "unknown",
      description: "The readiness gate's settings (`health` input) without what means the default; absent for the default gate.",
    },
  },
};
