// The domain object of the hosting API (parsed tolerantly), and Agent37Domain's outputs recorded
// from it. The name rules of the input (declared in fields.ts) are core/domain-input.ts's: the
// verification shares them.
import * as z from "zod";
import type { DomainOutputs } from "./types";

export { PLATFORM_DOMAINS } from "../core/domain-name";
export { DomainName, domainNameProblem, normalizeDomain } from "../core/domain-input";

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

export function domainOutputs(d: DomainObject): DomainOutputs {
  return { domain: d.domain, status: d.status, nameservers: d.dns?.nameservers ?? [], dnsName: d.dns?.name ?? d.domain, created: d.created ?? null };
}
