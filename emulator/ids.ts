import { createHash, randomBytes, randomInt } from "node:crypto";

const LOWER_ALNUM = "abcdefghijklmnopqrstuvwxyz0123456789";
const ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

function randomFrom(alphabet: string, length: number): string {
  let out = "";
  for (let i = 0; i < length; i++) out += alphabet[randomInt(alphabet.length)];
  return out;
}

/** Instance ids, public-port slugs and Gen-B port handles are lowercase alphanumerics. */
export function lowerAlnum(length: number): string {
  return randomFrom(LOWER_ALNUM, length);
}

/** Session and response ids of the Agent API: 32 lowercase hex (a UUID without dashes). */
export function hex32(): string {
  return randomBytes(16).toString("hex");
}

/** A fresh workspace key in the documented `sk_live_` form. */
export function newApiKey(): string {
  return `sk_live_${randomFrom(ALNUM, 32)}`;
}

/** `sk_live_` (Agent37's form) and the emulator's own rule for the rest; see `KEY_RULE`. */
export const API_KEY_PATTERN = /^sk_live_[A-Za-z0-9_-]+$/;

/** Instance ids as the emulator makes them; they name exec folders and instance-plane hosts. */
export const INSTANCE_ID_PATTERN = /^[a-z0-9]{10}$/;

/** Workspace ids as `workspaceId` makes them. */
export const WORKSPACE_ID_PATTERN = /^ws_[0-9a-f]{12}$/;

export const TEMPLATE_NAME_PATTERN = /^[a-z][a-z0-9-]{1,62}$/;

/**
 * Workspaces are named by a hash of their key, so the admin listing and the state file can
 * say which workspace owns an instance without ever containing a key.
 */
export function workspaceId(key: string): string {
  return `ws_${createHash("sha256").update(key).digest("hex").slice(0, 12)}`;
}

/** A stable, realistic-looking digest for an image reference. */
export function digestOf(imageRef: string): string {
  return `sha256:${createHash("sha256").update(imageRef).digest("hex")}`;
}
