// The Agent37Instance resource class users write in their programs.
import { createHash } from "node:crypto";
import * as pulumi from "@pulumi/pulumi";
import { thinProvider } from "../core/serialized";
import type { BudgetOutput, HealthOutput, PortOutput, PublicPortOutput, StatusReasonOutput } from "./outputs";

// Captures nothing but the name of the implementation entry: see core/serialized.ts.
const serializedProvider = thinProvider("instanceProvider");

/** Inputs of {@link Agent37Instance}. All optional; an omitted input is not managed (see docs). */
export interface Agent37InstanceArgs {
  /** Template `name` or `name@version`. Changing it updates in place (keeps id and URLs). @default "agent37-hermes" (API default) */
  template?: pulumi.Input<string>;
  /** Shape (cpu/memory GB: 2/4, 4/8, 8/16) and disk (GB). Growing resizes in place; any shrink replaces. */
  resources?: pulumi.Input<{ cpu?: pulumi.Input<number>; memory?: pulumi.Input<number>; disk?: pulumi.Input<number> }>;
  /** `dedicated` or `shared`; a change replaces. @default "dedicated" */
  type?: pulumi.Input<"dedicated" | "shared">;
  /** Label, at most 60 characters. */
  name?: pulumi.Input<string>;
  /** Opaque attribution tag, at most 200 characters. */
  user?: pulumi.Input<string>;
  /** Your key/values, at most 4 KB serialized. */
  metadata?: pulumi.Input<Record<string, pulumi.Input<unknown>>>;
  /** Container environment (write-only on the API, secret here). A change replaces. */
  env?: pulumi.Input<Record<string, pulumi.Input<string>>>;
  /** Opt into auto-sleep. @default false */
  autoSleep?: pulumi.Input<boolean>;
  /** Idle seconds before sleeping, 60..86400. @default 300 */
  idleTimeoutSeconds?: pulumi.Input<number>;
  /** Ports exposed at permanent unauthenticated URLs. */
  publicPorts?: pulumi.Input<pulumi.Input<{ port: pulumi.Input<number>; prefix?: pulumi.Input<string>; label?: pulumi.Input<string> }>[]>;
  /** Spend ceilings in micros: the monthly cap updates in place; the one-time credit is create-only (a change replaces). */
  budget?: pulumi.Input<{ monthlyCapMicros?: pulumi.Input<number>; creditMicros?: pulumi.Input<number> }>;
  /** Desired run state. @default "running" */
  state?: pulumi.Input<"running" | "stopped">;
  /** Extra ports whose URLs to resolve into `ports`/`portUrls` (no API call). */
  ports?: pulumi.Input<pulumi.Input<number>[]>;
  /**
   * Readiness gate, run after create and after anything that recreates the container. System
   * templates: the gateway's `/v1/health` until healthy. Workspace templates: the URL until the
   * app itself answers (the edge's transport errors do not count); none when the template has
   * no `default_port`, unless `path` or `status` is set. `path` points the gate at a readiness
   * endpoint; `status` is the answer to wait for there: a code (`204`), a class (`"2xx"`, the
   * default with `path` on a workspace template) or a list of them. See the README, "Readiness".
   */
  health?: pulumi.Input<{
    path?: pulumi.Input<string>;
    status?: pulumi.Input<number | string | pulumi.Input<number | string>[]>;
    timeoutSeconds?: pulumi.Input<number>;
    disabled?: pulumi.Input<boolean>;
  }>;
  /** Take over an existing instance instead of creating one; a change replaces. */
  adoptInstanceId?: pulumi.Input<string>;
}

const OUTPUT_KEYS = [
  "instanceId",
  "url",
  "ports",
  "portUrls",
  "status",
  "statusReason",
  "template",
  "templateRevision",
  "imageRef",
  "imageDigest",
  "resources",
  "publicPorts",
  "domainUrls",
  "name",
  "user",
  "metadata",
  "autoSleep",
  "idleTimeoutSeconds",
  "created",
  "health",
  "type",
  "env",
  "budget",
  "requestedPorts",
  "adoptInstanceId",
] as const;

const TYPE_TOKEN = "pulumi-nodejs:dynamic/agent37:Instance";

/**
 * A resource's create key: the same for the same resource of the same stack on every run (from
 * project, stack, type, parent and name, what makes its URN), so a run can find an instance whose
 * create an earlier run started but never saw finish. 32 hex digits: names can be long, and the
 * key travels in the instance's metadata.
 */
export function createKeyOf(parts: { project: string; stack: string; type?: string; parentUrn?: string | undefined; name: string }): string {
  const text = [parts.project, parts.stack, parts.type ?? TYPE_TOKEN, parts.parentUrn ?? "", parts.name].join("\u0000");
  return createHash("sha256").update(text).digest("hex").slice(0, 32);
}

/** The create key input of the resource `name` (an Output when a parent's URN is part of it). */
function createKeyInput(name: string, parent: pulumi.Resource | undefined): pulumi.Input<string> {
  const base = { project: pulumi.getProject(), stack: pulumi.getStack(), name };
  if (parent === undefined) return createKeyOf(base);
  return parent.urn.apply((parentUrn) => createKeyOf({ ...base, parentUrn }));
}

/**
 * An Agent37 instance. `pulumi up` creates it and resolves once it is running and its gateway
 * answers healthy; `refresh` sees drift; `destroy` deletes it (already gone is fine).
 */
export class Agent37Instance extends pulumi.dynamic.Resource {
  /** The instance id (10 lowercase alphanumerics), also the resource id. */
  declare readonly instanceId: pulumi.Output<string>;
  /** Default-port URL; "" for a private sandbox (no exposed port). */
  declare readonly url: pulumi.Output<string>;
  /** Exposed ports with their URLs (API list on 2026-06, derived on 2026-08). */
  declare readonly ports: pulumi.Output<PortOutput[]>;
  /** Port number (as a string key) → URL. */
  declare readonly portUrls: pulumi.Output<Record<string, string>>;
  declare readonly status: pulumi.Output<string>;
  declare readonly statusReason: pulumi.Output<StatusReasonOutput | null>;
  declare readonly template: pulumi.Output<string>;
  declare readonly templateRevision: pulumi.Output<number | null>;
  declare readonly imageRef: pulumi.Output<string | null>;
  declare readonly imageDigest: pulumi.Output<string | null>;
  declare readonly resources: pulumi.Output<{ cpu: number; memory: number; disk: number } | null>;
  declare readonly publicPorts: pulumi.Output<PublicPortOutput[]>;
  declare readonly domainUrls: pulumi.Output<string[]>;
  declare readonly name: pulumi.Output<string | null>;
  declare readonly user: pulumi.Output<string | null>;
  declare readonly metadata: pulumi.Output<Record<string, unknown>>;
  declare readonly autoSleep: pulumi.Output<boolean>;
  declare readonly idleTimeoutSeconds: pulumi.Output<number>;
  /** Creation time, epoch seconds. */
  declare readonly created: pulumi.Output<number | null>;
  /** Result of the readiness gate; null when no gate ran (private sandbox, disabled, stopped). */
  declare readonly health: pulumi.Output<HealthOutput | null>;
  declare readonly type: pulumi.Output<string | null>;
  /** The env given at create (secret). */
  declare readonly env: pulumi.Output<Record<string, string>>;
  declare readonly budget: pulumi.Output<BudgetOutput | null>;
  declare readonly requestedPorts: pulumi.Output<number[]>;
  declare readonly adoptInstanceId: pulumi.Output<string | null>;

  constructor(name: string, args: Agent37InstanceArgs = {}, opts: pulumi.CustomResourceOptions = {}) {
    const props: Record<string, unknown> = {};
    for (const key of OUTPUT_KEYS) props[key] = undefined;
    for (const [key, value] of Object.entries(args)) if (value !== undefined) props[key] = value;
    if (args.env !== undefined) props.env = pulumi.secret(args.env);
    props.createKey = createKeyInput(name, opts.parent);
    super(
      serializedProvider,
      name,
      props,
      { ...opts, additionalSecretOutputs: [...(opts.additionalSecretOutputs ?? []), "env"] },
      "agent37",
      "Instance",
    );
  }

  /** URL of `port` on this instance; "" when the port is not exposed (see docs/provider.md). */
  urlForPort(port: pulumi.Input<number>): pulumi.Output<string> {
    return pulumi.all([this.portUrls, port]).apply(([urls, p]) => urls?.[String(p)] ?? "");
  }
}
