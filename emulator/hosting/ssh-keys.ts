import { z } from "zod";
import { epochSeconds } from "../clock";
import { api } from "../errors";
import { json, type Reply } from "../http";
import { lowerAlnum } from "../ids";
import type { SshKeyRecord } from "../model";
import { parseSshPublicKey } from "../ssh";
import type { ApiContext } from "./context";
import { parseWith } from "./validate";

/**
 * Workspace SSH keys (agent37-api: SSH keys). The key line is parsed as OpenSSH does and the
 * fingerprint is OpenSSH's own `SHA256:` form. There is no PATCH: a key is added or deleted.
 */

export const MAX_SSH_KEYS = 20;

const SshKeyBody = z
  .object({
    public_key: z.string({ error: "is required and must be a string (one OpenSSH public key line)" }),
    name: z.string({ error: "must be a string or null" }).max(100, { error: "must be at most 100 characters" }).nullable().optional(),
  })
  .strict();

function keyObject(k: SshKeyRecord): Record<string, unknown> {
  return { id: k.id, name: k.name, fingerprint: k.fingerprint, type: k.type, created: k.created };
}

export async function sshKeyCreate(ctx: ApiContext): Promise<Reply> {
  const body = parseWith(SshKeyBody, await ctx.body());
  const parsed = parseSshPublicKey(body.public_key);
  if (!parsed.ok) throw api.invalidRequest(`Invalid request: \`public_key\` ${parsed.reason}.`);
  const { store } = ctx.rt;
  const own = store.sshKeysOf(ctx.ws.id);
  const same = own.find((k) => k.fingerprint === parsed.key.fingerprint);
  if (same) throw api.conflict("ssh_key_exists", `This workspace already has the key ${parsed.key.fingerprint} (id ${same.id}).`);
  if (own.length >= MAX_SSH_KEYS) throw api.invalidRequest(`Invalid request: this workspace already has the maximum of ${MAX_SSH_KEYS} SSH keys.`);
  const name = body.name === undefined || body.name === null || body.name.trim() === "" ? parsed.key.comment : body.name;
  const rec: SshKeyRecord = {
    id: `key_${lowerAlnum(16)}`,
    workspace: ctx.ws.id,
    seq: store.nextSeq(),
    name,
    type: parsed.key.type,
    fingerprint: parsed.key.fingerprint,
    publicKey: `${parsed.key.type} ${parsed.key.blob.toString("base64")}`,
    created: epochSeconds(),
  };
  store.sshKeys.set(rec.id, rec);
  store.changed();
  return json(201, keyObject(rec));
}

export function sshKeyList(ctx: ApiContext): Promise<Reply> {
  return Promise.resolve(json(200, { data: ctx.rt.store.sshKeysOf(ctx.ws.id).map(keyObject) }));
}

export function sshKeyDelete(ctx: ApiContext): Promise<Reply> {
  const id = ctx.params["id"] ?? "";
  const rec = ctx.rt.store.sshKeys.get(id);
  if (!rec || rec.workspace !== ctx.ws.id) throw api.notFound(`No SSH key ${id} in this workspace.`);
  ctx.rt.store.sshKeys.delete(id);
  ctx.rt.store.changed();
  return Promise.resolve(json(200, { id, deleted: true }));
}
