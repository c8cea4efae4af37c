import { createHash } from "node:crypto";
import { z } from "zod";
import { epochSeconds, now } from "../clock";
import { api } from "../errors";
import { json, type Reply } from "../http";
import type { DomainRecord } from "../model";
import type { Store } from "../state";
import type { ApiContext } from "./context";
import { parseWith } from "./validate";

/**
 * Custom domains (agent37-api: custom domains). A whole apex domain is delegated to Agent37 by NS
 * records; verify checks the delegation. DNS cannot be observed offline, so a domain turns
 * active at its first verify at least `verifyMs` after it was added, unless the admin surface
 * holds it pending. POST answers 201 (the docs give no status, as for public ports).
 */

/** Total top-ups a workspace needs before it may add a domain ($100, in micros). */
export const DOMAIN_TIER_MICROS = 100_000_000;
export const MAX_DOMAINS = 10;

/**
 * Second-level suffixes under which the apex has three labels (`acme.co.uk`). The emulator has
 * no public suffix list; these are the common ones, and every other name's apex is two labels.
 */
const MULTI_LABEL_SUFFIXES = new Set([
  "co.uk", "org.uk", "me.uk", "ac.uk", "gov.uk", "ltd.uk", "plc.uk",
  "com.au", "net.au", "org.au", "co.nz", "org.nz", "co.jp", "ne.jp", "or.jp",
  "com.br", "com.mx", "com.ar", "com.cn", "com.tw", "com.hk", "com.sg", "co.in", "co.za", "co.kr", "com.tr",
]);
/** Names that never resolve on the public internet (RFC 2606, RFC 6761, mDNS). */
const RESERVED_TLDS = new Set(["localhost", "local", "invalid", "test", "example", "internal"]);
const PLATFORM_DOMAINS = ["agent37.app", "agent37.com"];
const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;

/** Why `name` (already lowercased) cannot be a custom domain, or undefined when it can. */
export function domainProblem(name: string): string | undefined {
  if (name.length > 253) return "is longer than 253 characters";
  const labels = name.split(".");
  if (labels.length < 2) return "is not a domain name (expected an apex domain such as `acme-agents.com`)";
  const bad = labels.find((l) => !LABEL.test(l));
  if (bad !== undefined) return `has an invalid label ${JSON.stringify(bad)} (labels are 1-63 letters, digits or hyphens, not starting or ending with a hyphen)`;
  const tld = labels[labels.length - 1] ?? "";
  if (!/^([a-z]{2,63}|xn--[a-z0-9-]{1,59})$/.test(tld)) return `has an invalid top-level domain ${JSON.stringify(tld)}`;
  if (RESERVED_TLDS.has(tld)) return `is under the reserved top-level domain .${tld}`;
  for (const own of PLATFORM_DOMAINS) {
    if (name === own || name.endsWith(`.${own}`)) return `is under ${own}, which Agent37 itself serves`;
  }
  const apexLabels = MULTI_LABEL_SUFFIXES.has(labels.slice(-2).join(".")) ? 3 : 2;
  if (labels.length < apexLabels) return "is a public suffix, not a domain you can hold";
  if (labels.length > apexLabels) return `is a subdomain; add the apex domain ${labels.slice(-apexLabels).join(".")} instead (the whole domain is delegated)`;
  return undefined;
}

/** Two nameservers out of the platform's pool, fixed per domain so repeated adds agree. */
function nameserversFor(domain: string): string[] {
  const h = createHash("sha256").update(domain).digest();
  const first = (h[0] ?? 0) % 8;
  const second = (first + 1 + ((h[1] ?? 0) % 7)) % 8;
  return [`ns${first + 1}.dns.agent37.com`, `ns${second + 1}.dns.agent37.com`];
}

function domainObject(d: DomainRecord): Record<string, unknown> {
  return { domain: d.domain, status: d.status, dns: { type: "NS", name: d.domain, nameservers: [...d.nameservers] }, created: d.created };
}

const DomainBody = z.object({ domain: z.string({ error: "is required and must be a string" }) }).strict();

/** The workspace's domain named by the path (any case), or the uniform 404. */
function requireDomain(ctx: ApiContext): DomainRecord {
  const name = (ctx.params["domain"] ?? "").toLowerCase();
  const rec = ctx.rt.store.domains.get(name);
  if (!rec || rec.workspace !== ctx.ws.id) throw api.notFound(`No domain ${name} in this workspace.`);
  return rec;
}

export async function domainCreate(ctx: ApiContext): Promise<Reply> {
  const body = parseWith(DomainBody, await ctx.body());
  const { store } = ctx.rt;
  if (ctx.ws.topUpsMicros < DOMAIN_TIER_MICROS) {
    throw api.tierLimit(`Custom domains need top-ups totalling at least $100 on this workspace (so far $${(Math.floor(ctx.ws.topUpsMicros / 10_000) / 100).toFixed(2)}).`);
  }
  const name = body.domain.trim().toLowerCase().replace(/\.$/, "");
  const problem = domainProblem(name);
  if (problem) throw api.invalidRequest(`Invalid request: \`domain\` ${JSON.stringify(name.slice(0, 260))} ${problem}.`);
  if (store.domains.has(name)) throw api.conflict("domain_exists", `The domain ${name} is already added to a workspace.`);
  if (store.domainsOf(ctx.ws.id).length >= MAX_DOMAINS) {
    throw api.invalidRequest(`Invalid request: this workspace already has the maximum of ${MAX_DOMAINS} custom domains.`);
  }
  const t = now();
  const rec: DomainRecord = {
    domain: name,
    workspace: ctx.ws.id,
    seq: store.nextSeq(),
    status: "pending",
    nameservers: nameserversFor(name),
    created: epochSeconds(t),
    addedAt: t,
    held: false,
  };
  store.domains.set(name, rec);
  store.changed();
  return json(201, domainObject(rec));
}

export function domainList(ctx: ApiContext): Promise<Reply> {
  return Promise.resolve(json(200, { data: ctx.rt.store.domainsOf(ctx.ws.id).map(domainObject) }));
}

export function domainGet(ctx: ApiContext): Promise<Reply> {
  return Promise.resolve(json(200, domainObject(requireDomain(ctx))));
}

export function domainVerify(ctx: ApiContext): Promise<Reply> {
  const rec = requireDomain(ctx);
  if (rec.status === "pending" && !rec.held && now() - rec.addedAt >= ctx.rt.opts.verifyMs) {
    rec.status = "active";
    ctx.rt.store.changed();
  }
  return Promise.resolve(json(200, { domain: rec.domain, status: rec.status }));
}

export function domainDelete(ctx: ApiContext): Promise<Reply> {
  const rec = requireDomain(ctx);
  ctx.rt.store.domains.delete(rec.domain);
  ctx.rt.store.changed();
  return Promise.resolve(json(200, { domain: rec.domain, deleted: true }));
}

/** Active domains of a workspace, oldest first: the suffixes of its mirror URLs. */
export function activeDomains(store: Store, workspace: string): string[] {
  return store.domainsOf(workspace).filter((d) => d.status === "active").map((d) => d.domain);
}
