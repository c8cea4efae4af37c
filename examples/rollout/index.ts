import * as pulumi from "@pulumi/pulumi";
import { Agent37Template, rollingFleet } from "pulumi-agent37";

const config = new pulumi.Config();
const count = config.getNumber("instances") ?? 4;

// The image: built on Agent37 from ./app. Editing a file there makes a new revision.
const app = new Agent37Template("app", {
  name: config.get("templateName") ?? "rollout-app",
  build: { context: config.get("context") ?? "app" },
  defaultPort: 8000,
  description: "The rollout example's app",
});

// The fleet follows the template's revisions, two instances at a time: a batch moves only once
// the previous one runs the new revision and its app answers.
// Config `pin` (e.g. `rollout-app@2`) holds the fleet on that revision instead: the way back from
// a revision that never turned ready.
const pin = config.get("pin");
const fleet = rollingFleet({
  template: pin ?? app.pinned,
  names: Array.from({ length: count }, (_, i) => `web-${i + 1}`),
  batchSize: config.getNumber("batchSize") ?? 2,
  instance: { health: { timeoutSeconds: config.getNumber("readyTimeoutSeconds") ?? 300 } },
});

export const pinned = app.pinned;
export const instanceIds = fleet.instances.map((i) => i.instanceId);
export const revisions = fleet.instances.map((i) => i.templateRevision);
export const urls = fleet.instances.map((i) => i.url);
