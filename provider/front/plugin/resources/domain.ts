// agent37:index:DomainVerification in the plugin: its schema, and its operations from the same
// provider the dynamic door runs. (agent37:index:Domain is on the seam: adapter.ts.)
/* eslint-disable @typescript-eslint/no-require-imports -- the implementation loads when the plugin first serves this module (registry.ts) */
import { changesOf, echoedUpdate, opsFromProvider } from "../ops";
import type { PluginModule, PropertySpec } from "../spec";

export const DOMAIN_VERIFICATION = "agent37:index:DomainVerification";

const str = (description: string): PropertySpec => ({ type: "string", description });

/** The wait for a custom domain's delegation. */
export const domainModule: PluginModule = {
  resources: {
    [DOMAIN_VERIFICATION]: {
      description:
        "Waits until Agent37 sees a custom domain's NS records: create polls the verify call with backoff until the domain is `active`, and fails with the nameservers to check when `timeoutSeconds` pass first. Delete does nothing (delete the Domain to remove the domain).",
      inputProperties: {
        domain: { ...str("The domain to wait for, usually a Domain's `domain`. A change replaces."), willReplaceOnChanges: true },
        timeoutSeconds: { type: "integer", description: "How long create waits for the NS records (1..86400, default 3600). A change is recorded without waiting again." },
      },
      requiredInputs: ["domain"],
      properties: {
        domain: str("The verified domain."),
        status: str("`active` once verified."),
        timeoutSeconds: { type: "integer", description: "The timeout in effect." },
      },
      required: ["domain", "status", "timeoutSeconds"],
    },
  },
  instantiate() {
    const { plannedVerificationOutputs } = require("../../../domain/plan") as typeof import("../../../domain/plan");
    const { Agent37DomainVerificationProvider } = require("../../../domain-verification/provider") as typeof import("../../../domain-verification/provider");
    const { verificationChanges } = require("../../../domain-verification/diff") as typeof import("../../../domain-verification/diff");
    const verification = new Agent37DomainVerificationProvider();
    return {
      configure(config) {
        verification.configure({ config } as never);
      },
      resources: {
        [DOMAIN_VERIFICATION]: opsFromProvider(verification, {
          changes: (olds, news) => changesOf(verificationChanges(olds, news)),
          planCreate: (news) => plannedVerificationOutputs(news),
          planUpdate: (olds, news, changes) => echoedUpdate(olds, plannedVerificationOutputs(news), changes),
        }),
      },
    };
  },
};
