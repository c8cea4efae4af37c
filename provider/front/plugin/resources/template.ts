// agent37:index:Template in the plugin: its schema, and its operations from the same
// Agent37TemplateProvider the dynamic door runs. A build context folder is read relative to the
// project folder, which is the plugin's working directory as it is the dynamic host's.
import { createKeyOf } from "../../../core/create-key";
/* eslint-disable @typescript-eslint/no-require-imports -- the implementation loads when the plugin first serves this module (registry.ts) */
import { opsFromProvider, unknownUnlessPlanned } from "../ops";
import type { PluginModule, PropertySpec, ResourceOps } from "../spec";

export const TEMPLATE = "agent37:index:Template";

const str = (description: string): PropertySpec => ({ type: "string", description });
const int = (description: string): PropertySpec => ({ type: "integer", description });
const build = (description: string): PropertySpec => ({ $ref: "#/types/agent37:index:TemplateBuild", description });

const OUTPUT_KEYS = ["name", "revision", "pinned", "imageRef", "imageDigest", "defaultPort", "description", "build", "buildId", "contextHash"] as const;

/** Workspace templates: a public image, or an image Agent37 builds from a local folder. */
export const templateModule: PluginModule = {
  resources: {
    [TEMPLATE]: {
      description:
        "A workspace template on Agent37: a public image, or an image Agent37 builds from a local folder with a Dockerfile. Each new image is a new revision; give `pinned` to an Instance's `template` so that instances move to each new revision in place. Set exactly one of `imageRef` and `build`.",
      inputProperties: {
        name: { ...str("The template's name: ^[a-z][a-z0-9-]{1,62}$, not starting with `agent37-`. A change replaces the template."), willReplaceOnChanges: true },
        imageRef: str("A fully qualified public linux/amd64 image (`ghcr.io/acme/agent:1.4.0`). A change adds a revision."),
        build: build("Build the image on Agent37 from a local folder. A change of the folder's content adds a revision."),
        description: str("Shown in the template list. A change keeps the revision."),
        defaultPort: int("The port the instance URL serves: 1-65535, not 7681, 8080, 6080, 7890, 9119 or 22022. Omitted: none (Agent37 falls back to 3737). A change keeps the revision."),
        adoptExisting: {
          type: "boolean",
          description:
            "Take over a template of this name that this resource did not create (another stack's, or one made by hand). Without it such a create fails and the other template is left as it is. Once taken over, its next revision comes from this resource and destroy deletes it. Read at create only.",
        },
      },
      requiredInputs: ["name"],
      properties: {
        name: str("The template's name."),
        revision: int("The current revision (1, 2, ...)."),
        pinned: str("`name@revision`: the value for an Instance's `template` that follows this template's revisions."),
        imageRef: str("The image of a registry-born template; absent for a built one."),
        imageDigest: str("Digest of the current revision's image."),
        defaultPort: int("The port the instance URL serves, if set."),
        description: str("The description, if set."),
        build: build("The build input, for a built template."),
        buildId: str("The build that produced the current revision (builds only)."),
        contextHash: str("Content hash of the context the current revision was built from (builds only)."),
      },
      required: ["name", "revision", "pinned"],
    },
  },
  types: {
    "agent37:index:TemplateBuild": {
      type: "object",
      description: "The folder a template is built from.",
      properties: {
        context: str("The build context: a folder, relative to the Pulumi project (where the program runs) or absolute. Its .dockerignore applies, as with docker build."),
        dockerfile: str("The Dockerfile's path inside `context` (default `Dockerfile`); uploaded as `Dockerfile` at the root of the archive."),
      },
      required: ["context"],
    },
  },
  instantiate() {
    const { plannedOutputs, templateChanges } = require("../../../template/diff") as typeof import("../../../template/diff");
    const { Agent37TemplateProvider } = require("../../../template/provider") as typeof import("../../../template/provider");
    const provider = new Agent37TemplateProvider();
    return {
      configure(config) {
        provider.configure({ config } as never);
      },
      resources: {
        [TEMPLATE]: withCreateKey(
          opsFromProvider(provider, {
            changes: (olds, news) => templateChanges(olds, news),
            planCreate: (news) => unknownUnlessPlanned(OUTPUT_KEYS, plannedOutputs({}, news)),
            planUpdate: (olds, news) => unknownUnlessPlanned(OUTPUT_KEYS, plannedOutputs(olds, news)),
          }),
        ),
      },
    };
  },
};

/**
 * The template's create key comes from its URN, as the resource class derives it in the dynamic
 * door: a run can then recognise the template an earlier run of this resource began to create
 * (and tell it from another stack's template of the same name).
 */
function withCreateKey(ops: ResourceOps): ResourceOps {
  return {
    ...ops,
    check(olds, news, ctx) {
      // urn:pulumi:<stack>::<project>::<qualified type>::<name>
      const [head = "", project = "", type = TEMPLATE, ...name] = ctx.urn.split("::");
      const key = createKeyOf({ project, stack: head.replace(/^urn:pulumi:/, ""), type, name: name.join("::") });
      return ops.check(olds, news.createKey === undefined ? { ...news, createKey: key } : news, ctx);
    },
  };
}
