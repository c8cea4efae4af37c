// The `pulumi.dynamic.ResourceProvider` for Agent37Domain: `POST /v1/domains` on create (after
// a lookup: a domain it did not add is never taken over without `adopt`), `GET` on refresh,
// `DELETE` on destroy. The domain object is complete at once (status `pending`, the
// nameservers to delegate to), so a DNS record resource can consume it before verification.
import type * as pulumi from "@pulumi/pulumi";
import { parseAgainst } from "../core/check";
import { Agent37ApiError, Agent37Error, Agent37ResourceInitError, NotFoundError, reasonOf } from "../core/errors";
import { Agent37UnconfirmedCreateError, createByNaturalKey, type NaturalCreate } from "../core/natural-create";
import type { ConnectionOptions } from "../core/connection";
import { plain } from "../core/wire";
import { ConnectedProvider } from "../core/resource-provider";
import { DomainsApi } from "./api";
import { checkWithDomain } from "./check";
import { diffDomain } from "./diff";
import { DomainInputs, domainOutputs, normalizeDomain } from "./schema";
import type { DomainApiObject as DomainObject, DomainOutputs } from "./types";

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

/**
 * The workspace holds the domain, and this resource did not add it: another stack's, added by
 * hand, or left by an earlier `pulumi up` of this resource that was killed before Pulumi
 * recorded it. Taken over only with `adopt: true`.
 */
export class Agent37DomainNotOursError extends Agent37Error {
  override name = "Agent37DomainNotOursError";
  constructor(readonly domain: string) {
    super(
      `the domain ${domain} is already in this workspace, and this resource did not add it (another stack manages it, it was added by hand, ` +
        "or an earlier `pulumi up` of this resource was interrupted before Pulumi recorded it)\n" +
        `What to do: Agent37Domain never takes over or deletes a domain it did not add. To take ${domain} over, set \`adopt: true\` on this resource ` +
        "(it then manages the domain, and destroying it deletes the domain); otherwise declare another domain, then run the Pulumi command again.",
    );
  }
}

/**
 * The create's outcome stayed unknown (its answer was lost, and so was the lookup that would
 * tell). Reported as an init failure under the domain's name, so Pulumi records the resource
 * and the next `up` finishes it (looks the domain up, adds it if it is missing).
 */
export class Agent37DomainInitError extends Agent37ResourceInitError {
  override name = "Agent37DomainInitError";
  constructor(domain: string, cause: unknown) {
    super(
      `Agent37 domain ${domain} may have been added, but that could not be confirmed: ${reasonOf(cause)}\n` +
        "It is kept in the stack's state under its name: run `pulumi up` again to finish it (the domain is looked up, and added if it is missing), " +
        "or `pulumi destroy` to delete it.",
      domain,
      unconfirmedOutputs(domain),
      cause,
    );
  }
}

/** What an unconfirmed create records: the name, and nothing Agent37 has not said. */
export function unconfirmedOutputs(domain: string): DomainOutputs {
  return { domain, status: UNCONFIRMED_STATUS, nameservers: [], dnsName: domain, created: null };
}

/** `status` of a domain whose create was not confirmed (the next `up` or a refresh replaces it). */
export const UNCONFIRMED_STATUS = "unconfirmed";

/** A 404 means the domain is gone: refresh drops it, delete is done. */
export function isGone(err: unknown): boolean {
  return err instanceof NotFoundError;
}

/** The domain as this workspace holds it, or undefined (another workspace's domain is a 404 too). */
export async function lookupDomain(api: DomainsApi, domain: string): Promise<DomainObject | undefined> {
  try {
    return await api.get(domain);
  } catch (err) {
    if (isGone(err)) return undefined;
    throw err;
  }
}

const isDomainExists = (err: unknown): boolean => err instanceof Agent37ApiError && err.code === "domain_exists";

/**
 * Adds the domain exactly once (core/natural-create.ts): a domain the workspace held before this
 * create is refused unless `adopt` says to take it over; this create's own lost answer is found
 * and taken; `409 domain_exists` for a domain no lookup finds means another workspace holds it.
 */
export async function addDomain(api: DomainsApi, domain: string, adopt = false, timing?: Pick<NaturalCreate<DomainObject>, "backoffMs">): Promise<DomainObject> {
  let outcome;
  try {
    outcome = await createByNaturalKey<DomainObject>({
      lookup: () => lookupDomain(api, domain),
      post: () => api.create(domain),
      isExists: isDomainExists,
      ...timing,
    });
  } catch (err) {
    if (isDomainExists(err)) throw new Agent37DomainExistsError(domain, err);
    throw err;
  }
  if (!outcome.made && !adopt) throw new Agent37DomainNotOursError(domain);
  return outcome.object;
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
    const { domain, adopt } = parseAgainst(DomainInputs, "Agent37Domain", raw);
    const outs = await this.add(domain, adopt === true, `adding Agent37 domain ${domain}${adopt === true ? " (adopt)" : ""}`);
    return { id: outs.domain, outs: plain(outs) };
  }

  /**
   * Nothing updates in place (a new domain replaces), so an update is only ever the engine
   * finishing this resource's unconfirmed create (an init failure): the domain it recorded is
   * looked up, and added if it is missing.
   */
  async update(id: string, _olds: Loose, news: Loose): Promise<pulumi.dynamic.UpdateResult> {
    const { domain, adopt } = parseAgainst(DomainInputs, "Agent37Domain", news);
    // The id is the domain (a change of `domain` replaces, so it is the input's too).
    const name = normalizeDomain(id) || domain;
    const live = await this.explained(() => lookupDomain(this.api(), name), `finishing Agent37 domain ${name}`, DOMAIN_ADVICE);
    // Recorded by this resource's own create, so the domain found under that name is its own.
    if (live !== undefined) return { outs: plain(domainOutputs(live)) };
    return { outs: plain(await this.add(name, adopt === true, `finishing Agent37 domain ${name}`)) };
  }

  private async add(domain: string, adopt: boolean, operation: string): Promise<DomainOutputs> {
    try {
      return await this.explained(async () => domainOutputs(await addDomain(this.api(), domain, adopt)), operation, DOMAIN_ADVICE);
    } catch (err) {
      if (err instanceof Agent37UnconfirmedCreateError) throw new Agent37DomainInitError(domain, err);
      throw err;
    }
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
