// Reading a key line and a declared name, apart from schema.ts (which loads the validator): the
// key's error classes use them and load with `pulumi-agent37` (provider/index.ts).
import { parseSshPublicKey, type ParsedSshKey } from "../core/ssh-public-key";

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
