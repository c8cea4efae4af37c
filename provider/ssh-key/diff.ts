// The diff of Agent37SshKey, as data (see kinds.ts). There is no PATCH on SSH keys, so any
// change replaces. The key is compared by fingerprint: a new comment on the same key is no
// change. `name` is compared only when declared (absent or blank: whatever name the key has).
import { isUnknown } from "../core/check";
import { dynamicDiff, propertyChanges, type ChangeKind, type DiffRules } from "../core/kinds";
import { declaredName } from "./schema";

export const SSH_KEY_DIFF_RULES: DiffRules = {
  fingerprint: { kind: "replace" },
  name: { kind: "replace" },
};

/** Outputs an update never changes (all: there is no update). */
export const SSH_KEY_STABLE_OUTPUTS = ["keyId", "publicKey", "fingerprint", "type", "name", "created"] as const;

/** Changed inputs and the kind of each change. Pure. */
export function sshKeyChanges(olds: Record<string, unknown>, news: Record<string, unknown>): Record<string, ChangeKind> {
  const declared = isUnknown(news["name"]) || declaredName(news["name"]) !== undefined;
  const rules: DiffRules = declared ? SSH_KEY_DIFF_RULES : { fingerprint: SSH_KEY_DIFF_RULES["fingerprint"]! };
  return propertyChanges(rules, olds, news);
}

/**
 * A workspace holds a key once (by fingerprint): replacing a key by itself under another name
 * must delete the old one first; a different key is created before the old one goes.
 */
export function diffSshKey(olds: Record<string, unknown>, news: Record<string, unknown>) {
  const changes = sshKeyChanges(olds, news);
  return dynamicDiff(changes, { stables: SSH_KEY_STABLE_OUTPUTS, deleteBeforeReplace: changes["fingerprint"] === undefined });
}
