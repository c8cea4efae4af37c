import * as pulumi from "@pulumi/pulumi";
import { Agent37Instance } from "pulumi-agent37";

const config = new pulumi.Config();

// The Hermes dashboard listens on 9119 inside every agent37-hermes instance.
const DASHBOARD_PORT = 9119;

const agent = new Agent37Instance("support-bot", {
  template: config.get("template") ?? "agent37-hermes",
  resources: { cpu: 2, memory: 4 },
  name: config.get("name") ?? "support-bot",
  env: { SUPPORT_QUEUE: config.get("supportQueue") ?? "tier-1" },
  ports: [DASHBOARD_PORT],
});

export const instanceId = agent.instanceId;
export const url = agent.url;
export const portUrls = agent.portUrls;
export const dashboardUrl = agent.urlForPort(DASHBOARD_PORT);
export const status = agent.status;
