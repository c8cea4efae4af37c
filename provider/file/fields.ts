// The one declaration of Agent37File: every input and output once. The zod validation, the
// diff's rules, the preview plan, the plugin's schema and the generated `resource.ts` and
// `types.ts` (scripts/gen-resources.ts) come from it.
import type { Declaration } from "../core/declare";
import { instancePathInput } from "../core/instance-path";

export const FILE: Declaration = {
  name: "File",
  className: "Agent37File",
  entry: "fileProvider",
  description:
    "One file in an Agent37 instance, written through the gateway's Files API: a persona, a prompt, a skill, a config. Its content is hashed at check, so a changed file previews as an update with no network call; an edit made inside the instance shows as drift on refresh and is restored by the next `up`, never silently overwritten. The content is never an output.",
  inputs: {
    instanceId: { type: "string", required: true, onChange: "replace", description: "The instance whose file this is. A change replaces the resource." },
    path: instancePathInput(
      "Where the file goes, as the gateway resolves it: `~/...` is the instance user's home (`/home/user`), a relative path is under the agent workspace (`/home/user/.agent37-gateway/workspace`). Check records the resolved absolute path. A change replaces the resource.",
    ),
    content: {
      type: "string",
      onChange: "update",
      // Compared by its hash: the content itself is never recorded in the outputs.
      comparedAs: "sha256",
      description: "The file's content (UTF-8; may be a Pulumi secret). Exactly one of `content` and `source`.",
    },
    source: {
      type: "string",
      onChange: "update",
      comparedAs: "sha256",
      description: "A local file whose bytes are written, relative to the project folder. Read and hashed at check (no network). Exactly one of `content` and `source`.",
    },
    overwrite: {
      type: "boolean",
      onChange: "none",
      default: false,
      description:
        "Replace a file that already exists at `path` when the resource is created. Without it, a create refuses a file this resource did not write. Read only at create.",
    },
    sha256: { type: "string", computed: true, onChange: "update", description: "SHA-256 of the declared bytes, computed by check." },
  },
  outputs: {
    instanceId: { type: "string", plan: "input", description: "The instance." },
    path: { type: "string", plan: "input", description: "The file's resolved absolute path in the instance." },
    size: { type: "integer", plan: "unknown", description: "Bytes written." },
    modified: { type: "number", plan: "unknown", description: "The file's modification time as the gateway reports it (epoch ms, fractional)." },
    // Secret, always: the dynamic door cannot tell a secret `content` from a plain one (the
    // engine sends it plaintext), and the hash of a short secret gives it away.
    sha256: { type: "string", secret: true, plan: { input: "sha256" }, description: "SHA-256 (hex) of what was written: of the file as it is in the instance after a refresh." },
  },
};
