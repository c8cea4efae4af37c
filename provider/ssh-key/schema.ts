// Schemas of Agent37SshKey: the inputs (parsed strictly, the key line by OpenSSH's rules), the
// key object of the hosting API (parsed tolerantly) and the outputs the provider records.
import { z } from "zod";
import type { Assert, Same } from "../core/schema-type";
import { parseSshPublicKey, SSH_KEY_TYPES, type ParsedSshKey } from "../core/ssh-public-key";
import type { SshKeyApiObject, SshKeyCheckedInputs } from "./types";

export type { SshKeyOutputs } from "./types";

export { SSH_KEY_TYPES };

/** Reads one OpenSSH public key line; undefined when it is not one (see `sshKeyProblem`). */
export function readPublicKey(line: string): ParsedSshKey | undefined {
  const r = parseSshPublicKey(line);
  return r.ok ? r.key : undefined;
}

/**
 * A declared name: empty or blank means none, as omitted (Agent37 then names the key itself,
 * after its comment), so such a name is neither sent, nor planned, nor compared.
 */
export function declaredName(name: unknown): string | undefined {
  return typeof name === "string" && name.trim() !== "" ? name : undefined;
}

export const SshKeyInputs = z.strictObject({
  publicKey: z.string({ error: "publicKey must be a string (one OpenSSH public key line)" }).superRefine((line, ctx) => {
    const r = parseSshPublicKey(line);
    if (!r.ok) ctx.addIssue({ code: "custom", message: `publicKey ${r.reason}` });
  }),
  name: z.string({ error: "name must be a string" }).max(100, "name must be at most 100 characters").optional(),
  adopt: z.boolean({ error: "adopt must be a boolean" }).optional(),
});
export type SshKeyInputs = SshKeyCheckedInputs;
type _SshKeyCheckedInputsIsSshKeyInputs = Assert<Same<z.output<typeof SshKeyInputs>, SshKeyCheckedInputs>>;

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
export type SshKeyObject = SshKeyApiObject;
type _SshKeyApiObjectIsSshKeyObject = Assert<Same<z.output<typeof SshKeyObject>, SshKeyApiObject>>;

export const SshKeyList = z.object({ data: z.array(SshKeyObject) }).loose();

