// The Agent37Template resource class users write in their programs.
import * as pulumi from "@pulumi/pulumi";
import { createKeyOf } from "../core/create-key";
import { DeclaredResource, givenProps } from "../core/declared-resource";

const TYPE_TOKEN = "pulumi-nodejs:dynamic/agent37:Template";

/**
 * The create key of the template resource `name`: the same on every run of the same stack, so
 * a run can recognise the template an earlier run of this resource began to create (and only
 * that one) by the marker its create leaves in the template's description until it finishes.
 */
function createKeyInput(name: string, parent: pulumi.Resource | undefined): pulumi.Input<string> {
  const base = { project: pulumi.getProject(), stack: pulumi.getStack(), type: TYPE_TOKEN, name };
  if (parent === undefined) return createKeyOf(base);
  return parent.urn.apply((parentUrn) => createKeyOf({ ...base, parentUrn }));
}

/** The folder a template is built from. */
export interface Agent37TemplateBuildArgs {
  /**
   * The build context: a folder, relative to the Pulumi project (where the program runs) or
   * absolute. Its `.dockerignore` applies, as with `docker build`.
   */
  context: pulumi.Input<string>;
  /**
   * The Dockerfile's path inside `context`. It is uploaded as `Dockerfile` at the root of the
   * archive, whatever its path here.
   * @default "Dockerfile"
   */
  dockerfile?: pulumi.Input<string>;
}

/** Inputs of {@link Agent37Template}. Set exactly one of `imageRef` and `build`. */
export interface Agent37TemplateArgs {
  /**
   * The template's name: `^[a-z][a-z0-9-]{1,62}$`, not starting with `agent37-`. A change
   * replaces the template.
   */
  name: pulumi.Input<string>;
  /** A fully qualified public `linux/amd64` image (`ghcr.io/acme/agent:1.4.0`). A change adds a revision. */
  imageRef?: pulumi.Input<string>;
  /** Build the image on Agent37 from a local folder. A change of the folder's content adds a revision. */
  build?: pulumi.Input<Agent37TemplateBuildArgs>;
  /** Shown in `GET /v1/templates`. A change keeps the revision. */
  description?: pulumi.Input<string>;
  /**
   * The port the instance URL serves: 1-65535, not 7681, 8080, 6080, 7890, 9119 or 22022.
   * Omitted: none (Agent37 falls back to 3737). A change keeps the revision.
   */
  defaultPort?: pulumi.Input<number>;
  /**
   * Take over a template of this `name` that this resource did not create: one another stack
   * manages, or one made by hand. Without it such a create fails, naming this input, and the
   * other template is left as it is. Once taken over, the template is this resource's: its next
   * revision is built or set from these inputs and `destroy` deletes it. Read at create only
   * (a change later plans nothing).
   * @default false
   */
  adoptExisting?: pulumi.Input<boolean>;
}

const OUTPUT_KEYS = ["revision", "pinned", "imageDigest", "buildId", "contextHash", "imageRef", "build", "description", "defaultPort"] as const;

/**
 * A workspace template on Agent37: a public image, or an image Agent37 builds from a local folder
 * with a Dockerfile. Each new image is a new revision; give `pinned` to
 * `Agent37Instance.template` so that instances move to each new revision in place.
 */
export class Agent37Template extends DeclaredResource {
  /** The template's name. */
  declare readonly name: pulumi.Output<string>;
  /** The current revision (1, 2, ...). */
  declare readonly revision: pulumi.Output<number>;
  /** `name@revision`: the value for `Agent37Instance.template` that follows this template's revisions. */
  declare readonly pinned: pulumi.Output<string>;
  /** The image of a registry-born template; null for a built one. */
  declare readonly imageRef: pulumi.Output<string | null>;
  /** Digest of the current revision's image. */
  declare readonly imageDigest: pulumi.Output<string | null>;
  /** The port the instance URL serves; null when none is set (Agent37 falls back to 3737). */
  declare readonly defaultPort: pulumi.Output<number | null>;
  /** The description shown in the template list. */
  declare readonly description: pulumi.Output<string | null>;
  /** The `build` input as given (context folder and Dockerfile path); null for a registry image. */
  declare readonly build: pulumi.Output<{ context: string; dockerfile: string } | null>;
  /** The build that produced the current revision (builds only). */
  declare readonly buildId: pulumi.Output<string | null>;
  /** Content hash of the context the current revision was built from (builds only). */
  declare readonly contextHash: pulumi.Output<string | null>;

  constructor(name: string, args: Agent37TemplateArgs, opts: pulumi.CustomResourceOptions = {}) {
    const props = givenProps(args, OUTPUT_KEYS);
    props.createKey = createKeyInput(name, opts.parent);
    super("Template", "templateProvider", name, props, opts);
  }
}
