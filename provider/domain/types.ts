// The public types of Agent37Domain, plain TypeScript: the package's declarations name no type of its
// dependencies (core/schema-type.ts). The schemas in schema.ts are pinned to these.

/** The hosting API's domain object: `{domain, status, dns: {type, name, nameservers}, created}` (more fields kept). */
export interface DomainApiObject {
  [field: string]: unknown;
  domain: string;
  status: string;
  dns?:
    | {
        [field: string]: unknown;
        type?: string | undefined;
        name?: string | undefined;
        nameservers?: string[] | undefined;
      }
    | undefined;
  created?: number | undefined;
}

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
