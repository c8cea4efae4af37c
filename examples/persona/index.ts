import * as pulumi from "@pulumi/pulumi";
import { Agent37Directory, Agent37Exec, Agent37File, Agent37Instance } from "pulumi-agent37";

const config = new pulumi.Config();

const agent = new Agent37Instance("ada", {
  template: config.get("template") ?? "agent37-hermes",
  name: "ada",
});

// The persona Hermes reads, from a file of this project (a changed file previews as an update of
// exactly this resource; an edit made inside the instance shows on `pulumi refresh` and is
// restored by the next `pulumi up`).
const soul = new Agent37File("soul", {
  instanceId: agent.instanceId,
  path: "SOUL.md", // under the agent workspace
  source: "persona/SOUL.md",
});

// The skills folder, kept in sync: only changed files are sent, files removed here are removed
// there, and files the agent wrote itself in that folder are never touched.
const skills = new Agent37Directory("skills", {
  instanceId: agent.instanceId,
  source: "skills",
  path: "skills",
  ignore: ["*.draft.md"],
});

// A dependent that waits for both: it runs once the persona and every skill are in place.
const ready = new Agent37Exec(
  "persona-ready",
  {
    instanceId: agent.instanceId,
    create: "cd .agent37-gateway/workspace && head -n 1 SOUL.md && find skills -type f | sort",
    triggers: [soul.sha256, skills.sha256],
  },
  { dependsOn: [soul, skills] },
);

export const instanceId = agent.instanceId;
export const personaPath = soul.path;
export const skillFiles = skills.files;
export const check = ready.stdout;
