// Agent37Domain on the seam (core/resource.ts): `POST /v1/domains` on create (after a lookup: a
// domain it did not add is never taken over without `adopt`), `GET` on refresh, `DELETE` on
// destroy. The domain object is complete at once (status `pending`, the nameservers to delegate
// to), so a DNS record resource can consume it before verification. Values arrive decoded and
// validated; the front doors' adapters do the wire work.
import { withNormalizedDomain } from "../core/domain-input";
import { Agent37ApiError, NotFoundError } from "../core/errors";
import { Agent37UnconfirmedCreateError, createByNaturalKey, type NaturalCreate } from "../core/natural-create";
import type { OperationContext, Resource } from "../core/resource";
import { DOMAIN_ADVICE, DomainsApi } from "./api";
import { Agent37DomainExistsError, Agent37DomainInitError, Agent37DomainNotOursError, UNCONFIRMED_STATUS } from "./errors";
import { DOMAIN } from "./fields";
import { domainOutputs, normalizeDomain, type DomainObject } from "./schema";
import type { DomainInputs, DomainOutputs } from "./types";

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

const api = (ctx: OperationContext): DomainsApi => new DomainsApi(ctx.client());

/** The name an operation is about: the id (a change of `domain` replaces, so it is the input's too), else the input. */
const nameOf = (id: string | undefined, inputs: DomainInputs | undefined): string => (id === undefined ? "" : normalizeDomain(id)) || (inputs?.domain ?? "");

export const domainResource: Resource<DomainInputs, DomainOutputs> = {
  declaration: DOMAIN,
  advice: DOMAIN_ADVICE,

  // The domain is recorded as Agent37 records it (lowercased), so `Acme.com` and `acme.com` are
  // the same resource.
  complete: withNormalizedDomain,

  // Only an unconfirmed create (an init failure) is updated: what it finds is Agent37's.
  planUpdate: (olds, planned) => (olds.status === UNCONFIRMED_STATUS ? planned : olds),

  operation(kind, { id, inputs }) {
    if (kind === "read") return `refreshing Agent37 domain ${id}`;
    if (kind === "delete") return `deleting Agent37 domain ${id}`;
    if (kind === "update") return `finishing Agent37 domain ${nameOf(id, inputs)}`;
    return `adding Agent37 domain ${inputs?.domain}${inputs?.adopt === true ? " (adopt)" : ""}`;
  },

  initFailure: (explained, inputs) => (explained instanceof Agent37UnconfirmedCreateError ? new Agent37DomainInitError(inputs.domain, explained) : undefined),

  async create(inputs, ctx) {
    const outputs = domainOutputs(await addDomain(api(ctx), inputs.domain, inputs.adopt === true));
    return { id: outputs.domain, outputs };
  },

  /** Refresh: the domain as Agent37 has it now (its status moves to `active` once verified). */
  async read(id, _olds, ctx) {
    try {
      const outputs = domainOutputs(await api(ctx).get(id));
      return { id: outputs.domain, outputs, inputs: { domain: outputs.domain } };
    } catch (err) {
      if (isGone(err)) return undefined;
      throw err;
    }
  },

  /**
   * Nothing updates in place (a new domain replaces), so an update is only ever the engine
   * finishing this resource's unconfirmed create (an init failure): the domain it recorded is
   * looked up, and added if it is missing.
   */
  async update(id, _olds, news, ctx) {
    const name = nameOf(id, news);
    const live = await lookupDomain(api(ctx), name);
    // Recorded by this resource's own create, so the domain found under that name is its own.
    return domainOutputs(live ?? (await addDomain(api(ctx), name, news.adopt === true)));
  },

  /** A domain already gone (deleted out of band) is deleted. */
  async delete(id, _olds, ctx) {
    try {
      await api(ctx).remove(normalizeDomain(id));
    } catch (err) {
      if (!isGone(err)) throw err;
    }
  },
};
