import * as pulumi from "@pulumi/pulumi";
import { Agent37Instance } from "pulumi-agent37";

const config = new pulumi.Config();

// `sandbox` is a port-less workspace template: no URL to serve, driven only by exec. Set
// `state` to `stopped` to stop it (billing pauses) and back to `running` to start it again.
const state = config.get("state") ?? "running";
if (state !== "running" && state !== "stopped") {
  throw new Error(`config \`state\` must be "running" or "stopped" (got ${JSON.stringify(state)})`);
}

const sandbox = new Agent37Instance("sandbox", {
  template: config.get("template") ?? "sandbox",
  resources: { cpu: 2, memory: 4 },
  name: "sandbox",
  state,
});

export const instanceId = sandbox.instanceId;
export const status = sandbox.status;
