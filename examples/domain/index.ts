import * as pulumi from "@pulumi/pulumi";
import { Agent37Domain, Agent37DomainVerification, Agent37Instance } from "pulumi-agent37";

const config = new pulumi.Config();

// 1. The domain. Its outputs are known as soon as it exists: the NS records to create
//    (`dnsName`, `nameservers`). Needs top-ups totalling $100 on the workspace.
const domain = new Agent37Domain("brand", { domain: config.require("domain") });

// 2. Delegate the domain to those nameservers. With a DNS provider's resource, this is where it
//    goes, and the verification below `dependsOn` it (see README.md: Route 53, Cloudflare).
//    This runnable program leaves it to you: the nameservers are a stack output.
export const dnsName = domain.dnsName;
export const nameservers = domain.nameservers;

// 3. Wait until Agent37 sees the delegation (polls `verify`, fails after `verifyTimeoutSeconds`
//    naming the nameservers to check; run `pulumi up` again once DNS has caught up).
const verification = new Agent37DomainVerification("brand-verified", {
  domain: domain.domain,
  timeoutSeconds: config.getNumber("verifyTimeoutSeconds") ?? 3600,
});
export const domainStatus = verification.status;

// 4. The agent, created once the domain is active, so its first outputs already carry the
//    mirror URL (`https://{id}.{domain}`). Instances created earlier show it after a refresh.
const agent = new Agent37Instance("agent", { template: config.get("template") ?? "agent37-hermes", name: "branded-agent" }, { dependsOn: [verification] });

export const instanceId = agent.instanceId;
export const url = agent.url;
export const domainUrls = agent.domainUrls;
