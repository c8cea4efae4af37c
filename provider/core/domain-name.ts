// Whether a name can be a custom domain of a workspace: a registrable (apex) domain, which is
// what Agent37 delegates whole by NS records. Apex detection uses the public suffix list as the
// `tldts` package ships it (ICANN section only, no network at runtime): `acme.co.uk` is an apex,
// `www.acme.com` and `acme.github.io` are not (github.io is a private-section suffix, which a
// registrar does not delegate). The provider's `check` and the emulator share these rules, so
// a name refused at preview is the name the emulator refuses with `400`.
import type * as tldts from "tldts";

let tldtsModule: typeof tldts | undefined;

/** tldts's `parse`, loaded on the first domain checked (its suffix list is large; most stacks have no domain). */
function parse(...args: Parameters<typeof tldts.parse>): ReturnType<typeof tldts.parse> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on first use, see above
  tldtsModule ??= require("tldts") as typeof tldts;
  return tldtsModule.parse(...args);
}

/** Agent37 serves these itself; a custom domain may not be one of them or under them. */
export const PLATFORM_DOMAINS = ["agent37.app", "agent37.com"] as const;

/**
 * Top-level names that never resolve on the public internet (RFC 2606, RFC 6761, RFC 6762
 * `.local`, ICANN's `.internal`). Not apex detection: a list of reserved names, which the public
 * suffix list leaves out.
 */
export const RESERVED_TLDS: ReadonlySet<string> = new Set(["localhost", "local", "invalid", "test", "example", "internal", "onion"]);

const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;

/** Why a (normalized) name cannot be a custom domain; each caller words its own message. */
export type DomainNameIssue =
  | { kind: "too-long" }
  | { kind: "single-label" }
  | { kind: "ip-address" }
  | { kind: "bad-label"; label: string }
  | { kind: "numeric-tld"; tld: string }
  | { kind: "bad-tld"; tld: string }
  | { kind: "reserved-tld"; tld: string }
  | { kind: "platform"; platform: string }
  | { kind: "public-suffix"; suffix: string }
  | { kind: "subdomain"; apex: string };

/**
 * The first rule `name` (lowercased, no trailing dot) breaks, or undefined when it is an apex
 * domain Agent37 can be given. Assumption (the API docs say only "subdomains, bad hostnames"):
 * a TLD the pinned list does not know is judged by the list's default rule (its apex is two
 * labels), so a new gTLD is not refused before Agent37 sees it.
 */
export function domainNameIssue(name: string): DomainNameIssue | undefined {
  if (name.length > 253) return { kind: "too-long" };
  if (parse(name).isIp === true || /^\[?[0-9a-f]*:[0-9a-f:.]*\]?$/.test(name)) return { kind: "ip-address" };
  const labels = name.split(".");
  if (labels.length < 2) return { kind: "single-label" };
  const bad = labels.find((l) => !LABEL.test(l));
  if (bad !== undefined) return { kind: "bad-label", label: bad };
  const tld = labels[labels.length - 1] ?? "";
  if (/^[0-9]+$/.test(tld)) return { kind: "numeric-tld", tld };
  // Top-level domains are letters, or an internationalized name in its ASCII (xn--) form.
  if (!/^([a-z]{2,63}|xn--[a-z0-9-]{1,59})$/.test(tld)) return { kind: "bad-tld", tld };
  if (RESERVED_TLDS.has(tld)) return { kind: "reserved-tld", tld };
  for (const own of PLATFORM_DOMAINS) if (name === own || name.endsWith(`.${own}`)) return { kind: "platform", platform: own };
  const parsed = parse(name, { allowPrivateDomains: false });
  if (parsed.domain === null) return { kind: "public-suffix", suffix: parsed.publicSuffix ?? name };
  if (parsed.domain !== name) return { kind: "subdomain", apex: parsed.domain };
  return undefined;
}

/** How Agent37 records a name: trimmed, lowercased, without a trailing dot. */
export function normalizeDomainName(name: string): string {
  return name.trim().toLowerCase().replace(/\.$/, "");
}
