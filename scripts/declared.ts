// The resources built on the seam (provider/core/resource.ts), each with the folder of its
// declaration: scripts/gen-resources.ts generates their files, and the drift test checks them.
import type { Declaration } from "../provider/core/declare";
import { DOMAIN } from "../provider/domain/fields";
import { DOMAIN_VERIFICATION } from "../provider/domain-verification/fields";
import { DIRECTORY } from "../provider/directory/fields";
import { FILE } from "../provider/file/fields";
import { SSH_KEY } from "../provider/ssh-key/fields";

export const DECLARED: readonly { folder: string; declaration: Declaration }[] = [
  { folder: "ssh-key", declaration: SSH_KEY },
  { folder: "domain", declaration: DOMAIN },
  { folder: "domain-verification", declaration: DOMAIN_VERIFICATION },
  { folder: "file", declaration: FILE },
  { folder: "directory", declaration: DIRECTORY },
];
