// The Agent37Instance resource class users write in their programs. Written by hand (fields.ts
// says why); test/seam/instance-declaration.test.ts holds it to the declaration field by field.
import * as pulumi from "@pulumi/pulumi";
import { DeclaredResource, givenProps } from "../core/declared-resource";
import { createKeyOf } from "../core/create-key";
import type { BudgetOutput, HealthCheckOutput, HealthOutput, PortOutput, PublicPortOutput, StatusReasonOutput } from "./types";

export { createKeyOf };

/**
 * Inputs of {@link Agent37Instance}. All optional: an omitted input is not managed (the API
 * default applies at create, and the provider never changes it or reports drift on it later),
 * except `state`, `env` and `ports`, which are owned completely. `check` validates them all
 * before any API call (see the README, "Inputs reference").
 */
export interface Agent37InstanceArgs {
  /**
   * Template `name` or `name@version` (a dated tag or a workspace template's revision); not an
   * image reference, and no `@latest`. A change updates in place, keeping the id and URLs, and
   * re-runs the readiness gate.
   * @default "agent37-hermes" (the API's default)
   */
  template?: pulumi.Input<string>;
  /**
   * Shape and disk. Growing resizes in place (and re-runs the readiness gate); any shrink replaces.
   */
  resources?: pulumi.Input<{
    /** vCPUs: 2, 4 or 8, set together with `memory` as one shape (2/4, 4/8, 8/16). */
    cpu?: pulumi.Input<number>;
    /** Memory in GB: 4, 8 or 16, set together with `cpu` as one shape. */
    memory?: pulumi.Input<number>;
    /** Disk in whole GB: 2-12 for the 2/4 shape, 2-20 for 4/8, 2-40 for 8/16. */
    disk?: pulumi.Input<number>;
  }>;
  /**
   * `dedicated` or `shared` hosting. A change replaces.
   * @default "dedicated"
   */
  type?: pulumi.Input<"dedicated" | "shared">;
  /** Label, at most 60 characters. A change updates in place. */
  name?: pulumi.Input<string>;
  /** Opaque attribution tag, at most 200 characters. A change updates in place. */
  user?: pulumi.Input<string>;
  /**
   * Your key/values, at most 4 KB serialized (less what the provider's create marker takes);
   * keys starting `pulumi-agent37:` are reserved. A change replaces the map in place.
   */
  metadata?: pulumi.Input<Record<string, pulumi.Input<unknown>>>;
  /**
   * Container environment: at most 32 names of `^[A-Z][A-Z0-9_]*$`, values at most 4096
   * characters, Agent37's reserved names refused. Write-only on the API and a secret here. A
   * change replaces the instance.
   */
  env?: pulumi.Input<Record<string, pulumi.Input<string>>>;
  /**
   * Whether the instance goes to sleep after `idleTimeoutSeconds` without traffic. A change
   * updates in place.
   * @default false
   */
  autoSleep?: pulumi.Input<boolean>;
  /**
   * Idle seconds before auto-sleep, 60..86400. A change updates in place.
   * @default 300
   */
  idleTimeoutSeconds?: pulumi.Input<number>;
  /**
   * Ports exposed at permanent, unauthenticated URLs: at most 20, one entry per port and per
   * prefix. Changes update in place (removed ports deleted, new ones added).
   */
  publicPorts?: pulumi.Input<
    pulumi.Input<{
      /** The port, 1-65535; not 3737, 9119, 7681, 8080, 6080, 7890 or 22022. */
      port: pulumi.Input<number>;
      /** Names the host `{prefix}-{id}`: 1-30 of `a-z0-9-`, no hyphen at either end. */
      prefix?: pulumi.Input<string>;
      /** Label, at most 64 characters. */
      label?: pulumi.Input<string>;
    }>[]
  >;
  /** Spend ceilings, in micros (millionths of a dollar). */
  budget?: pulumi.Input<{
    /** Monthly spend cap; a change updates in place. */
    monthlyCapMicros?: pulumi.Input<number>;
    /** One-time credit given at create; a change replaces the instance. */
    creditMicros?: pulumi.Input<number>;
  }>;
  /**
   * Desired run state; a change stops or starts the instance in place.
   * @default "running"
   */
  state?: pulumi.Input<"running" | "stopped">;
  /** Extra ports whose URLs to resolve into `ports` and `portUrls` (1-65535, no duplicates; no API call). */
  ports?: pulumi.Input<pulumi.Input<number>[]>;
  /**
   * Readiness gate, run after create and after anything that recreates the container. System
   * templates: the gateway's `/v1/health` until healthy. Workspace templates: the URL until the
   * app itself answers (the edge's transport errors do not count); none when the template has
   * no `default_port`, unless `path` or `status` is set. See the README, "Readiness".
   */
  health?: pulumi.Input<{
    /** Readiness endpoint to wait on, starting with `/`. */
    path?: pulumi.Input<string>;
    /**
     * The answer to wait for at `path`: an HTTP status (`204`), a class (`"2xx"`) or a
     * non-empty list of them.
     * @default "2xx" with `path` on a workspace template
     */
    status?: pulumi.Input<number | string | pulumi.Input<number | string>[]>;
    /**
     * How long the gate waits before the operation fails.
     * @default 600
     */
    timeoutSeconds?: pulumi.Input<number>;
    /** Skip the gate: outputs resolve once the instance is `running`. */
    disabled?: pulumi.Input<boolean>;
  }>;
  /**
   * Take over an existing instance (its 10-character id) instead of creating one. A change
   * replaces; while it names the instance the resource holds, a change that would replace is refused.
   */
  adoptInstanceId?: pulumi.Input<string>;
}

// Outputs the engine fills (registered as `undefined`), and the secret ones: the declaration's
// (fields.ts), written out so that loading the class loads no declaration
// (test/index-loading.test.ts); test/seam/instance-declaration.test.ts holds them to it.
const OUTPUT_KEYS = ["instanceId", "url", "ports", "portUrls", "status", "state", "statusReason", "template", "templateRevision", "imageRef", "imageDigest", "resources", "publicPorts", "domainUrls", "name", "user", "metadata", "autoSleep", "idleTimeoutSeconds", "created", "health", "type", "env", "budget", "requestedPorts", "adoptInstanceId", "healthCheck"];
const SECRET_OUTPUTS = ["env"];

/** The create key input of the resource `name` (an Output when a parent's URN is part of it). */
function createKeyInput(name: string, parent: pulumi.Resource | undefined): pulumi.Input<string> {
  const base = { project: pulumi.getProject(), stack: pulumi.getStack(), name };
  if (parent === undefined) return createKeyOf(base);
  return parent.urn.apply((parentUrn) => createKeyOf({ ...base, parentUrn }));
}

/**
 * The organization the stack belongs to, when it tells this stack from one of the same project
 * and stack name elsewhere: file backends all say "organization" (and nothing then goes into
 * the inputs, as in 0.1.0); a program run outside an engine (mocks) may have none.
 */
function createScopeInput(): string | undefined {
  try {
    const org = pulumi.getOrganization();
    return org === "" || org === "organization" ? undefined : `organization:${org}`;
  } catch {
    return undefined;
  }
}

/**
 * An Agent37 instance. `pulumi up` creates it and resolves once it is running and its gateway
 * answers healthy; `refresh` sees drift; `destroy` deletes it (already gone is fine).
 */
export class Agent37Instance extends DeclaredResource {
  /** The instance id (10 lowercase alphanumerics), also the resource id. */
  declare readonly instanceId: pulumi.Output<string>;
  /**
   * Default-port URL. On API 2026-08 the instance's own `url`, always; on 2026-06 `""` when the
   * template exposes no port.
   */
  declare readonly url: pulumi.Output<string>;
  /** Exposed ports with their URLs (the API's list on 2026-06, derived on 2026-08). */
  declare readonly ports: pulumi.Output<PortOutput[]>;
  /** Port number (as a string key) to URL, for the same ports as `ports`. */
  declare readonly portUrls: pulumi.Output<Record<string, string>>;
  /** Lifecycle status as the API reports it: `running` once `pulumi up` returns, `stopped`, `sleeping`, `failed`, ... */
  declare readonly status: pulumi.Output<string>;
  /** The run state in the terms of the `state` input: "running", "stopped", or null when failed. */
  declare readonly state: pulumi.Output<"running" | "stopped" | null>;
  /** Why the instance is in its status (code and message), when the API says; null otherwise. */
  declare readonly statusReason: pulumi.Output<StatusReasonOutput | null>;
  /** The template the instance runs, as the API reports it. */
  declare readonly template: pulumi.Output<string>;
  /** The workspace template revision the instance runs; null when the API reports none. */
  declare readonly templateRevision: pulumi.Output<number | null>;
  /** The image the instance runs, when the API reports it. */
  declare readonly imageRef: pulumi.Output<string | null>;
  /** Digest of the image the instance runs, when the API reports it. */
  declare readonly imageDigest: pulumi.Output<string | null>;
  /** The shape and disk the instance has: vCPUs, memory GB, disk GB. */
  declare readonly resources: pulumi.Output<{ cpu: number; memory: number; disk: number } | null>;
  /** Public ports with their URLs, custom-domain mirror URLs, prefixes, labels and creation times. */
  declare readonly publicPorts: pulumi.Output<PublicPortOutput[]>;
  /**
   * Mirror URLs on active custom domains (`https://{id}.{domain}`, oldest domain first); an
   * instance made before its domain turned active shows them after `pulumi refresh`.
   */
  declare readonly domainUrls: pulumi.Output<string[]>;
  /** The instance's label. */
  declare readonly name: pulumi.Output<string | null>;
  /** The instance's attribution tag. */
  declare readonly user: pulumi.Output<string | null>;
  /** Your metadata keys (the provider's own markers left out). */
  declare readonly metadata: pulumi.Output<Record<string, unknown>>;
  /** Whether auto-sleep is on. */
  declare readonly autoSleep: pulumi.Output<boolean>;
  /** Idle seconds before auto-sleep. */
  declare readonly idleTimeoutSeconds: pulumi.Output<number>;
  /** Creation time, epoch seconds. */
  declare readonly created: pulumi.Output<number | null>;
  /**
   * The answer that ended the readiness gate (`status` holds its HTTP status for gates that wait
   * for an app); null when no gate ran (no port to wait on, `health.disabled`, stopped).
   */
  declare readonly health: pulumi.Output<HealthOutput | null>;
  /** The `type` input as given (write-only on the API), kept so that a change can be diffed. */
  declare readonly type: pulumi.Output<string | null>;
  /** The env given at create. A secret. */
  declare readonly env: pulumi.Output<Record<string, string>>;
  /** The `budget` input as given, kept so that a change can be diffed. */
  declare readonly budget: pulumi.Output<BudgetOutput | null>;
  /** The `ports` input as given. */
  declare readonly requestedPorts: pulumi.Output<number[]>;
  /** The `adoptInstanceId` input as given; null when the instance was created by this resource. */
  declare readonly adoptInstanceId: pulumi.Output<string | null>;
  /** Echo of the `health` input without what means the default; null for the default gate. */
  declare readonly healthCheck: pulumi.Output<HealthCheckOutput | null>;

  constructor(name: string, args: Agent37InstanceArgs = {}, opts: pulumi.CustomResourceOptions = {}) {
    const props = givenProps(args, OUTPUT_KEYS);
    if (args.env !== undefined) props.env = pulumi.secret(args.env);
    props.createKey = createKeyInput(name, opts.parent);
    const scope = createScopeInput();
    if (scope !== undefined) props.createScope = scope;
    super("Instance", "instanceProvider", name, props, opts, SECRET_OUTPUTS);
  }

  /** URL of `port` on this instance; "" when the port is not exposed (see docs/provider.md). */
  urlForPort(port: pulumi.Input<number>): pulumi.Output<string> {
    return pulumi.all([this.portUrls, port]).apply(([urls, p]) => urls?.[String(p)] ?? "");
  }
}
