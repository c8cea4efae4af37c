import * as pulumi from "@pulumi/pulumi";
import { Agent37Instance } from "pulumi-agent37";

const config = new pulumi.Config();
const workerCount = config.getNumber("workers") ?? 3;

const workers = Array.from(
  { length: workerCount },
  (_, i) =>
    new Agent37Instance(`worker-${i}`, {
      template: "agent37-hermes-small",
      name: `worker-${i}`,
      metadata: { role: "worker", fleet: pulumi.getStack() },
    }),
);

// The orchestrator is created only once every worker serves: its env needs their URLs, which
// resolve after each worker passed its health gate.
const orchestrator = new Agent37Instance("orchestrator", {
  template: "agent37-hermes",
  name: "orchestrator",
  metadata: { role: "orchestrator", fleet: pulumi.getStack() },
  env: {
    WORKER_URLS: pulumi.all(workers.map((w) => w.url)).apply((urls) => urls.join(",")),
    WORKER_COUNT: String(workerCount),
  },
});

export const workerUrls = workers.map((w) => w.url);
export const orchestratorUrl = orchestrator.url;
export const orchestratorId = orchestrator.instanceId;
