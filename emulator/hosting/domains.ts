import { createHash } from "node:crypto";
import { z } from "zod";
import { epochSeconds, now } from "../clock";
import { api } from "../errors";
import { json, type Reply } from "../http";
import type { DomainRecord } from "../model";
import type { Store } from "../state";
import type { ApiContext } from "./context";
import { parseWith } from "./validate";
import { domainNameIssue } from "../../provider/core/domain-name";

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
 * Why `name` (already lowercased) cannot be a custom domain, or undefined when it can. The rules
 * are the provider's (provider/core/domain-name.ts: apex by the public suffix list, as Agent37
 * documents "subdomains, bad hostnames, names under agent37.app/agent37.com -> 400"), so the
 * emulator refuses exactly what the provider's `check` refuses; only the words are the API's.
 */
export function domainProblem(name: string): string | undefined {
  const issue = domainNameIssue(name);
  if (issue === undefined) return undefined;
  switch (issue.kind) {
    case "too-long":
      return "is longer than 253 characters";
    case "single-label":
      return "is not a domain name (expected an apex domain such as `acme-agents.com`)";
    case "ip-address":
      return "is an IP address, not a domain name";
    case "bad-label":
      return `has an invalid label ${JSON.stringify(issue.label)} (labels are 1-63 letters, digits or hyphens, not starting or ending with a hyphen)`;
    case "numeric-tld":
    case "bad-tld":
      return `has an invalid top-level domain ${JSON.stringify(issue.tld)}`;
    case "reserved-tld":
      return `is under the reserved top-level domain .${issue.tld}`;
    case "platform":
      return `is under ${issue.platform}, which Agent37 itself serves`;
    case "public-suffix":
      return "is a public suffix, not a domain you can hold";
    case "subdomain":
      return `is a subdomain; add the apex domain ${issue.apex} instead (the whole domain is delegated)`;
  }
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
