// The one declaration of Agent37Directory: every input and output once. The zod validation, the
// diff's rules, the preview plan, the plugin's schema and the generated `resource.ts` and
// `types.ts` (scripts/gen-resources.ts) come from it.
import type { Declaration } from "../core/declare";
import { instancePathInput } from "../core/instance-path";

export const DIRECTORY: Declaration = {
  name: "Directory",
  className: "Agent37Directory",
  entry: "directoryProvider",
  description:
    "A local folder kept in sync with a folder in an Agent37 instance (skills, prompts, knowledge files), through the gateway's Files API. The folder is hashed at check, so a changed file previews as an update with no network call; an update writes exactly the files whose content changed and deletes exactly the files it wrote that are gone locally. It never overwrites or deletes a file it did not write.",
  inputs: {
    instanceId: { type: "string", required: true, onChange: "replace", description: "The instance whose folder this is. A change replaces the resource." },
    source: {
      type: "string",
      required: true,
      onChange: "update",
      // Compared by the tree hash: a moved folder with the same files is no change.
      comparedAs: "sha256",
      description: "The local folder, relative to the project folder. Read and hashed at check (no network): a file's mtime or mode alone is no change.",
    },
    path: instancePathInput(
      "The folder in the instance, as the gateway resolves it (`~/...` under the instance user's home, a relative path under the agent workspace); not `/`, the home or the workspace itself. Check records the resolved absolute path. A change replaces the resource.",
    ),
    ignore: {
      type: "string[]",
      onChange: "update",
      comparedAs: "sha256",
      description: "Patterns of files to leave out, with `.dockerignore`'s rules (the same as Agent37Template's build context): `*`, `**`, `!` exceptions, the last match decides.",
    },
    prune: {
      type: "boolean",
      onChange: "none",
      default: true,
      description: "Delete the files this resource wrote that are gone from `source` (never a file it did not write). Default: true.",
    },
    sha256: { type: "string", computed: true, onChange: "update", description: "The tree hash of the files `source` holds, computed by check." },
  },
  outputs: {
    instanceId: { type: "string", plan: "input", description: "The instance." },
    path: { type: "string", plan: "input", description: "The folder's resolved absolute path in the instance." },
    files: { type: "integer", plan: "unknown", description: "How many files this resource wrote and holds." },
    sha256: { type: "string", plan: { input: "sha256" }, description: "The tree hash of the files it holds (of the files as they are in the instance after a refresh)." },
    manifest: {
      type: "string",
      plan: "unknown",
      description: "What it wrote, one line per file (`path`, a 64-bit content hash, the mtime): what prune and refresh need, about 70 bytes a file.",
    },
  },
};
