// The failure of Agent37DomainVerification that is its own (the domain stayed pending), and what
// to do about the codes its calls meet.
import { Agent37Error } from "../core/errors";
import { DOMAIN_ADVICE } from "../domain/advice";

/** The domain's advice, but a missing domain is one to declare, not one to refresh away. */
export const VERIFICATION_ADVICE: Readonly<Record<string, string>> = {
  ...DOMAIN_ADVICE,
  not_found: "The domain is not in this workspace: declare it with an Agent37Domain and pass that resource's `domain` output, so the verification waits for it.",
};

/** The domain stayed `pending` for the whole `timeoutSeconds`. */
export class Agent37DomainVerificationError extends Agent37Error {
  override name = "Agent37DomainVerificationError";
  constructor(
    readonly domain: string,
    readonly nameservers: string[],
    readonly timeoutSeconds: number,
  ) {
    const ns = nameservers.length > 0 ? nameservers.join(" and ") : "the nameservers the Agent37Domain resource lists";
    super(
      `Agent37 domain ${domain} is still pending after ${timeoutSeconds} s: Agent37 does not see its delegation yet. ` +
        `The NS records of ${domain} must name ${ns}, set at the domain's registrar or DNS provider ` +
        `(check with \`dig NS ${domain} +short\`). DNS changes can take hours to spread: run the Pulumi command again later, ` +
        `or raise timeoutSeconds.`,
    );
  }
}
