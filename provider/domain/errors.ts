// The failures of Agent37Domain that are its own: a domain another workspace holds, one this
// workspace holds and this resource did not add, and a create whose outcome stayed unknown (an
// init failure that keeps it in state).
import { Agent37Error, Agent37ResourceInitError, reasonOf } from "../core/errors";
import { DOMAIN_ADVICE } from "./advice";
import type { DomainOutputs } from "./types";

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
