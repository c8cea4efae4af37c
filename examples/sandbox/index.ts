import * as pulumi from "@pulumi/pulumi";
import { Agent37Exec, Agent37Instance } from "pulumi-agent37";

const config = new pulumi.Config();

// `sandbox` is a port-less workspace template: nothing listens behind its URL (it answers the
// edge's 502), no readiness gate runs, and it is driven only by exec. Set
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

// Bootstrap the sandbox the only way it can be reached: exec. `create` runs once, again when
// `seedVersion` changes (a trigger), and `delete` cleans up on destroy. The token is exported
// (single-quoted) into the command's environment: it is a secret output, and masked in stdout,
// stderr and error messages. Bootstrapping needs the sandbox running: a re-run while `state`
// is `stopped` fails, naming the state.
const bootstrap = new Agent37Exec("bootstrap", {
  instanceId: sandbox.instanceId,
  create: "mkdir -p app && (umask 077 && printf '%s' \"$SEED_TOKEN\" > app/token) && echo bootstrapped > app/status && cat app/status",
  delete: "rm -rf app",
  environment: { SEED_TOKEN: config.getSecret("seedToken") ?? "sandbox-demo-token" },
  triggers: [config.get("seedVersion") ?? "1"],
});

export const bootstrapStatus = bootstrap.stdout;
export const bootstrappedAt = bootstrap.ranAt;
