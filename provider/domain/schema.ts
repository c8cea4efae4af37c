// Schemas of Agent37Domain: the input (parsed strictly), the domain object of the hosting API
// (parsed tolerantly) and the outputs the provider records.
import { z } from "zod";

/** Agent37 serves these itself; a custom domain may not be one of them or under them. */
export const PLATFORM_DOMAINS = ["agent37.app", "agent37.com"] as const;

const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;

/**
 * Why `name` (lowercased) cannot be a custom domain, or undefined. Syntax and the platform's own
 * domains only: whether a name is an apex (`acme.co.uk` is, `www.acme.com` is not) needs the
 * public suffix list, so that rule is left to Agent37, which answers `400` with the reason.
 */
export function domainNameProblem(name: string): string | undefined {
  if (name.length > 253) return "domain must be at most 253 characters";
  const labels = name.split(".");
  if (labels.length < 2) return "domain must be an apex domain name such as acme-agents.com";
  const bad = labels.find((l) => !LABEL.test(l));
  if (bad !== undefined) return `domain has an invalid label ${JSON.stringify(bad)}: labels are 1-63 letters, digits or hyphens, not starting or ending with a hyphen`;
  for (const own of PLATFORM_DOMAINS) {
    if (name === own || name.endsWith(`.${own}`)) return `domain must not be ${own} or under it (Agent37 serves it itself)`;
  }
  return undefined;
}

/** How Agent37 records a name: trimmed, lowercased, without a trailing dot. */
export function normalizeDomain(name: string): string {
  return name.trim().toLowerCase().replace(/\.$/, "");
}

/** A domain name as users write it, normalized before the rules apply. */
export const DomainName = z
  .string({ error: "domain must be a string" })
  .transform(normalizeDomain)
  .superRefine((name, ctx) => {
    const problem = domainNameProblem(name);
    if (problem !== undefined) ctx.addIssue({ code: "custom", message: problem });
  });

export const DomainInputs = z.strictObject({ domain: DomainName });
export type DomainInputs = z.infer<typeof DomainInputs>;

/** The hosting API's domain object: `{domain, status, dns: {type, name, nameservers}, created}`. */
export const DomainObject = z
  .object({
    domain: z.string().min(1),
    status: z.string(),
    dns: z.object({ type: z.string().optional(), name: z.string().optional(), nameservers: z.array(z.string()).optional() }).loose().optional(),
    created: z.number().optional(),
  })
  .loose();
export type DomainObject = z.infer<typeof DomainObject>;

export const DomainList = z.object({ data: z.array(DomainObject) }).loose();

/** `POST /v1/domains/{domain}/verify`: `{domain, status: "active" | "pending"}`. */
export const VerifyAck = z.object({ domain: z.string().optional(), status: z.string() }).loose();

/** What an Agent37Domain resolves to. */
export interface DomainOutputs {
  domain: string;
  /** `pending` until the NS records are in place and verified, then `active`. */
  status: string;
  /** The two nameservers to delegate the domain to (NS records at its registrar or DNS provider). */
  nameservers: string[];
  /** The name the NS records are for (the domain itself). */
  dnsName: string;
  /** Epoch seconds. */
  created: number | null;
}

export function domainOutputs(d: DomainObject): DomainOutputs {
  return { domain: d.domain, status: d.status, nameservers: d.dns?.nameservers ?? [], dnsName: d.dns?.name ?? d.domain, created: d.created ?? null };
}
