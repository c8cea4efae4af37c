// The one declaration of Agent37Template: every input and output once. The zod validation, the
// plugin's schema and its types come from it. The resource class (resource.ts) and the public
// types (types.ts) stay written by hand, as Agent37Exec's do: the class derives the create key
// from the resource's URN parts, and its doc comments say more than the schema's one line; the
// seam test holds the class to this declaration field by field. The diff, its stable outputs and
// the preview plans are the template's own (diff.ts: which source a template has decides what a
// change does), given to the seam through the resource's hooks (operations.ts).
// No zod at load (the plugin serves its schema before any resource is used): the field schemas
// load with their first validation.
/* eslint-disable @typescript-eslint/no-require-imports -- see above */
import type { Declaration, InputField, ObjectType } from "../core/declare";

/** A field's own rules, from the strict input schema (schema.ts). */
const rules = (name: string): NonNullable<InputField["schema"]> => () => (require("./schema") as typeof import("./schema")).TemplateInputs.shape[name as keyof import("./schema").TemplateInputs];

const BUILD: ObjectType = {
  object: "TemplateBuild",
  description: "The folder a template is built from.",
  properties: {
    context: {
      type: "string",
      required: true,
      description: "The build context: a folder, relative to the Pulumi project (where the program runs) or absolute. Its .dockerignore applies, as with docker build.",
    },
    dockerfile: { type: "string", description: "The Dockerfile's path inside `context` (default `Dockerfile`); uploaded as `Dockerfile` at the root of the archive." },
  },
};

export const TEMPLATE: Declaration = {
  name: "Template",
  className: "Agent37Template",
  entry: "templateProvider",
  description:
    "A workspace template on Agent37: a public image, or an image Agent37 builds from a local folder with a Dockerfile. Each new image is a new revision; give `pinned` to an Instance's `template` so that instances move to each new revision in place. Set exactly one of `imageRef` and `build`.",
  createKeyInput: "createKey",
  // What a change does depends on the template's source (diff.ts): `onChange` says what it is
  // when the source stays, and the template's `changes` hook decides.
  inputs: {
    name: {
      type: "string",
      required: true,
      onChange: "replace",
      description: "The template's name: ^[a-z][a-z0-9-]{1,62}$, not starting with `agent37-`. A change replaces the template.",
      schema: rules("name"),
    },
    imageRef: { type: "string", onChange: "update", description: "A fully qualified public linux/amd64 image (`ghcr.io/acme/agent:1.4.0`). A change adds a revision.", schema: rules("imageRef") },
    build: { type: BUILD, onChange: "update", description: "Build the image on Agent37 from a local folder. A change of the folder's content adds a revision.", schema: rules("build") },
    description: { type: "string", onChange: "update", description: "Shown in the template list. A change keeps the revision.", schema: rules("description") },
    defaultPort: {
      type: "integer",
      onChange: "update",
      description: "The port the instance URL serves: 1-65535, not 7681, 8080, 6080, 7890, 9119 or 22022. Omitted: none (Agent37 falls back to 3737). A change keeps the revision.",
      schema: rules("defaultPort"),
    },
    adoptExisting: {
      type: "boolean",
      onChange: "none",
      description:
        "Take over a template of this name that this resource did not create (another stack's, or one made by hand). Without it such a create fails and the other template is left as it is. Once taken over, its next revision comes from this resource and destroy deletes it. Read at create only.",
      schema: rules("adoptExisting"),
    },
    // Written by check from the build context's content (a value users give is replaced), and
    // read again by an update to tell whether the context changed: internal rather than
    // computed, because computed inputs do not reach the operations.
    contextHash: { type: "string", internal: true, onChange: "update", description: "The build context's content hash, written by check.", schema: rules("contextHash") },
    createKey: { type: "string", internal: true, onChange: "none", description: "The resource's stable create key: set by the resource class, and by the plugin from the URN.", schema: rules("createKey") },
  },
  outputs: {
    name: { type: "string", plan: "input", stable: true, description: "The template's name." },
    revision: { type: "integer", plan: "unknown", description: "The current revision (1, 2, ...)." },
    pinned: { type: "string", plan: "unknown", description: "`name@revision`: the value for an Instance's `template` that follows this template's revisions." },
    imageRef: { type: "string", nullable: true, plan: "input", description: "The image of a registry-born template; absent for a built one." },
    imageDigest: { type: "string", nullable: true, plan: "unknown", description: "Digest of the current revision's image." },
    defaultPort: { type: "integer", nullable: true, plan: "input", description: "The port the instance URL serves, if set." },
    description: { type: "string", nullable: true, plan: "input", description: "The description, if set." },
    build: { type: BUILD, nullable: true, plan: "unknown", description: "The build input, for a built template." },
    buildId: { type: "string", nullable: true, plan: "unknown", description: "The build that produced the current revision (builds only)." },
    contextHash: { type: "string", nullable: true, plan: "unknown", description: "Content hash of the context the current revision was built from (builds only)." },
  },
};
