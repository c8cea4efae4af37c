// agent37:index:Domain and agent37:index:DomainVerification in the plugin: their schemas, and
// their operations from the same providers the dynamic door runs.
/* eslint-disable @typescript-eslint/no-require-imports -- the implementation loads when the plugin first serves this module (registry.ts) */
import { changesOf, echoedUpdate, opsFromProvider } from "../ops";
import type { PluginModule, PropertySpec } from "../spec";

export const DOMAIN = "agent37:index:Domain";
export const DOMAIN_VERIFICATION = "agent37:index:DomainVerification";

const str = (description: string): PropertySpec => ({ type: "string", description });

const domainInput: PropertySpec = {
  ...str("The apex domain to delegate to Agent37 (`acme-agents.com`: a name registered under a public suffix, not a subdomain, not an IP address, not under agent37.app or agent37.com). Recorded lowercased. A change replaces the resource."),
  willReplaceOnChanges: true,
};

/** Custom domains of the workspace, and the wait for their delegation. */
export const domainModule: PluginModule = {
  resources: {
    [DOMAIN]: {
      description:
        "A custom domain of the workspace, never one it did not add unless `adopt` is set. Its outputs are known as soon as it is created: point the domain's NS records (`dnsName`) at `nameservers` with your DNS provider, then let a DomainVerification wait until Agent37 sees them. The resource id is the domain. Needs top-ups totalling $100 on the workspace.",
      inputProperties: {
        domain: domainInput,
        adopt: {
          type: "boolean",
          description:
            "Take over the domain when the workspace already holds it (another stack's, added by hand, or left by an interrupted update) instead of failing. Without it, the resource never takes over or deletes a domain it did not add; once taken over, destroying the resource deletes the domain. Read only at create.",
        },
      },
      requiredInputs: ["domain"],
      properties: {
        domain: str("The domain, lowercased."),
        status: str("`pending` at create; `active` once verified (a refresh shows the change)."),
        nameservers: { type: "array", items: { type: "string" }, description: "The two nameservers the domain's NS records must name." },
        dnsName: str("The record name of those NS records (the domain itself)."),
        created: { type: "integer", description: "Creation time, epoch seconds." },
      },
      required: ["domain", "status", "nameservers", "dnsName"],
    },
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
    const { Agent37DomainProvider, UNCONFIRMED_STATUS } = require("../../../domain/provider") as typeof import("../../../domain/provider");
    const { domainChanges } = require("../../../domain/diff") as typeof import("../../../domain/diff");
    const { plannedDomainOutputs, plannedVerificationOutputs } = require("../../../domain/plan") as typeof import("../../../domain/plan");
    const { Agent37DomainVerificationProvider } = require("../../../domain-verification/provider") as typeof import("../../../domain-verification/provider");
    const { verificationChanges } = require("../../../domain-verification/diff") as typeof import("../../../domain-verification/diff");
    const domain = new Agent37DomainProvider();
    const verification = new Agent37DomainVerificationProvider();
    return {
      configure(config) {
        domain.configure({ config } as never);
        verification.configure({ config } as never);
      },
      resources: {
        [DOMAIN]: opsFromProvider(domain, {
          changes: (olds, news) => changesOf(domainChanges(olds, news)),
          planCreate: (news) => plannedDomainOutputs(news),
          // Only an unconfirmed create (an init failure) is updated: what it finds is Agent37's.
          planUpdate: (olds, news) => (olds["status"] === UNCONFIRMED_STATUS ? plannedDomainOutputs(news) : olds),
        }),
        [DOMAIN_VERIFICATION]: opsFromProvider(verification, {
          changes: (olds, news) => changesOf(verificationChanges(olds, news)),
          planCreate: (news) => plannedVerificationOutputs(news),
          planUpdate: (olds, news, changes) => echoedUpdate(olds, plannedVerificationOutputs(news), changes),
        }),
      },
    };
  },
};
