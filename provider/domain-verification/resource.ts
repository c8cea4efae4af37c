// Generated from provider/domain-verification/fields.ts by scripts/gen-resources.ts: do not edit; a test fails when it drifts.
// The Agent37DomainVerification resource class users write in their programs.
import * as pulumi from "@pulumi/pulumi";
import { thinProvider } from "../core/serialized";
import { pauseStackTraces } from "../core/stack-traces";

// Captures nothing but the name of the implementation entry: see core/serialized.ts.
const serializedProvider = thinProvider("domainVerificationProvider");

/** Inputs of {@link Agent37DomainVerification}. */
export interface Agent37DomainVerificationArgs {
  /**
   * The domain to wait for, usually `domain` of an Agent37Domain. Recorded lowercased. A change
   * replaces.
   */
  domain: pulumi.Input<string>;
  /**
   * How long create waits for Agent37 to see the NS records (1..86400, default 3600). A change is
   * recorded without waiting again (unless the last refresh found the domain pending).
   */
  timeoutSeconds?: pulumi.Input<number>;
}

const OUTPUT_KEYS = ["status"] as const;

/**
 * Waits until Agent37 sees a custom domain's NS records: create polls `POST
 * /v1/domains/{domain}/verify` with backoff until the domain is `active`, and fails with the
 * nameservers to check when `timeoutSeconds` pass first. Put your DNS provider's NS record between
 * the Agent37Domain and this resource (`dependsOn`), so the wait starts after the record exists.
 * Delete does nothing (the domain stays; delete the Agent37Domain for that).
 */
export class Agent37DomainVerification extends pulumi.dynamic.Resource {
  /** The verified domain, lowercased. */
  declare readonly domain: pulumi.Output<string>;
  /** `active` once verified; a refresh reads it again. */
  declare readonly status: pulumi.Output<string>;
  /** How long create waited at most, in seconds (the input, default applied). */
  declare readonly timeoutSeconds: pulumi.Output<number>;

  constructor(name: string, args: Agent37DomainVerificationArgs, opts: pulumi.CustomResourceOptions = {}) {
    const props: Record<string, unknown> = { domain: args.domain, timeoutSeconds: args.timeoutSeconds };
    for (const key of OUTPUT_KEYS) props[key] = undefined;
    // Without Pulumi's per-property stack traces: see core/stack-traces.ts.
    const resume = pauseStackTraces();
    try {
      super(serializedProvider, name, props, opts, "agent37", "DomainVerification");
    } catch (error) {
      throw resume(error);
    } finally {
      resume();
    }
  }
}
