// Generated from provider/domain-verification/fields.ts by scripts/gen-resources.ts: do not edit; a test fails when it drifts.
// The Agent37DomainVerification resource class users write in their programs.
import type * as pulumi from "@pulumi/pulumi";
import { DeclaredResource, declaredProps, type OutputProperties } from "../core/declared-resource";
import type { DomainVerificationOutputs } from "./types";

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
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging -- its outputs are the interface's (below), set by Pulumi's constructor
export class Agent37DomainVerification extends DeclaredResource {
  constructor(name: string, args: Agent37DomainVerificationArgs, opts: pulumi.CustomResourceOptions = {}) {
    super("DomainVerification", "domainVerificationProvider", name, declaredProps(args, ["domain", "timeoutSeconds"], OUTPUT_KEYS), opts);
  }
}

// Its outputs, as properties (see core/declared-resource.ts): Pulumi's constructor sets them.
// eslint-disable-next-line @typescript-eslint/no-empty-object-type, @typescript-eslint/no-unsafe-declaration-merging -- its members are the merged ones
export interface Agent37DomainVerification extends OutputProperties<DomainVerificationOutputs> {}
