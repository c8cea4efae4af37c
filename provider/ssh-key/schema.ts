// The key object of the hosting API (parsed tolerantly), and reading a key line by OpenSSH's
// rules. The inputs and outputs are declared in fields.ts.
import * as z from "zod";
import { parseSshPublicKey, SSH_KEY_TYPES } from "../core/ssh-public-key";

export { SSH_KEY_TYPES };
// Apart, in a module that loads no validator: the key's error classes load with `pulumi-agent37`.
export { declaredName, readPublicKey } from "./key-line";

/** The `publicKey` input: one OpenSSH public key line, by OpenSSH's rules. */
export const PublicKeyLine = z.string({ error: "publicKey must be a string (one OpenSSH public key line)" }).superRefine((line, ctx) => {
  const r = parseSshPublicKey(line);
  if (!r.ok) ctx.addIssue({ code: "custom", message: `publicKey ${r.reason}` });
});

/** `POST /v1/ssh-keys` -> 201, and the entries of `GET /v1/ssh-keys`. */
export const SshKeyObject = z
  .object({
    id: z.string().min(1),
    name: z.string().nullable().optional(),
    fingerprint: z.string(),
    type: z.string().optional(),
    created: z.number().optional(),
  })
  .loose();
export type SshKeyObject = z.infer<typeof SshKeyObject>;

export const SshKeyList = z.object({ data: z.array(SshKeyObject) }).loose();
