// The `pulumi.dynamic.ResourceProvider` for Agent37Domain: `POST /v1/domains` on create, `GET`
// on refresh, `DELETE` on destroy. The domain object is complete at once (status `pending`, the
// nameservers to delegate to), so a DNS record resource can consume it before verification.
import type * as pulumi from "@pulumi/pulumi";
import { parseAgainst } from "../core/check";
import { Agent37ApiError, Agent37Error, NotFoundError } from "../core/errors";
import type { ConnectionOptions } from "../core/connection";
import { plain } from "../core/wire";
import { ConnectedProvider } from "../core/resource-provider";
import { DomainsApi } from "./api";
import { checkWithDomain } from "./check";
import { diffDomain } from "./diff";
import { DomainInputs, domainOutputs, normalizeDomain, type DomainObject, type DomainOutputs } from "./schema";

type Loose = Record<string, unknown>;

/** What to do about the codes a domain call meets (the instance-centred advice would mislead). */
export const DOMAIN_ADVICE: Readonly<Record<string, string>> = {
  tier_limit: "Custom domains need top-ups totalling at least $100 on the workspace: top up in the Agent37 dashboard, then run the Pulumi command again.",
  domain_exists: "Another workspace holds this domain: delete it there or declare another domain, then run the Pulumi command again.",
  invalid_request:
    "Agent37 refused the domain: declare the apex domain (acme.com, not www.acme.com; the whole domain is delegated), and keep to 10 domains per workspace, then run the Pulumi command again.",
  not_found: "The domain is no longer in this workspace: `pulumi refresh` drops it from the stack's state.",
};

/** The domain is held by another workspace (`409 domain_exists`, and not found in this one). */
export class Agent37DomainExistsError extends Agent37Error {
  override name = "Agent37DomainExistsError";
  constructor(
    readonly domain: string,
    cause: unknown,
  ) {
    super(`the domain ${domain} is held by another Agent37 workspace (409 domain_exists)\nWhat to do: ${DOMAIN_ADVICE["domain_exists"]}`, { cause });
  }
}

/** A 404 means the domain is gone: refresh drops it, delete is done. */
export function isGone(err: unknown): boolean {
  return err instanceof NotFoundError;
}

/**
 * Adds the domain; `409 domain_exists` for a domain this workspace already holds (a lost answer
 * of an earlier create, or state lost) adopts it rather than failing.
 */
export async function addDomain(api: DomainsApi, domain: string): Promise<DomainObject> {
  try {
    return await api.create(domain);
  } catch (err) {
    if (!(err instanceof Agent37ApiError) || err.code !== "domain_exists") throw err;
    try {
      return await api.get(domain);
    } catch (lookup) {
      if (isGone(lookup)) throw new Agent37DomainExistsError(domain, err);
      throw lookup;
    }
  }
}

export class Agent37DomainProvider extends ConnectedProvider implements pulumi.dynamic.ResourceProvider {
  private api(): DomainsApi {
    return new DomainsApi(this.client());
  }

  async check(_olds: Loose, news: Loose): Promise<pulumi.dynamic.CheckResult> {
    return checkWithDomain(DomainInputs, "Agent37Domain", news);
  }

  async diff(_id: string, olds: Loose, news: Loose): Promise<pulumi.dynamic.DiffResult> {
    return diffDomain(olds, news);
  }

  async create(raw: Loose): Promise<pulumi.dynamic.CreateResult> {
    const { domain } = parseAgainst(DomainInputs, "Agent37Domain", raw);
    return this.explained(
      async () => {
        const outs = domainOutputs(await addDomain(this.api(), domain));
        return { id: outs.domain, outs: plain(outs) };
      },
      `adding Agent37 domain ${domain}`,
      DOMAIN_ADVICE,
    );
  }

  /** Refresh: the domain as Agent37 has it now (its status moves to `active` once verified). */
  async read(id: string, _props: Loose): Promise<pulumi.dynamic.ReadResult> {
    return this.explained(
      async () => {
        try {
          const outs: DomainOutputs = domainOutputs(await this.api().get(id));
          return { id: outs.domain, props: plain(outs), inputs: { domain: outs.domain } };
        } catch (err) {
          if (isGone(err)) return { id: "" };
          throw err;
        }
      },
      `refreshing Agent37 domain ${id}`,
      DOMAIN_ADVICE,
    );
  }

  /** A domain already gone (deleted out of band) is deleted. */
  async delete(id: string): Promise<void> {
    await this.explained(
      async () => {
        try {
          await this.api().remove(normalizeDomain(id));
        } catch (err) {
          if (!isGone(err)) throw err;
        }
      },
      `deleting Agent37 domain ${id}`,
      DOMAIN_ADVICE,
    );
  }
}

/** A provider with explicit options (tests, embedding). The host uses `domainProvider()`. */
export function createDomainProvider(options?: ConnectionOptions): Agent37DomainProvider {
  return new Agent37DomainProvider(options);
}
