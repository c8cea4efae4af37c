// The `pulumi.dynamic.ResourceProvider` for Agent37DomainVerification: create waits until Agent37
// sees the domain's NS records (`POST /v1/domains/{domain}/verify`, documented as idempotent and
// safe to poll), with backoff, within `timeoutSeconds`. Nothing exists on Agent37's side, so
// delete does nothing; refresh reads the domain's status again.
import type * as pulumi from "@pulumi/pulumi";
import { parseAgainst, unwrapSecrets } from "../core/check";
import { Agent37Error } from "../core/errors";
import { waitingFor } from "../core/progress";
import { sleep } from "../core/sleep";
import type { ConnectionOptions } from "../core/connection";
import { DomainsApi } from "../domain/api";
import { checkWithDomain } from "../domain/check";
import { DOMAIN_ADVICE, isGone } from "../domain/provider";
import { plain } from "../core/wire";
import { ConnectedProvider } from "../core/resource-provider";
import { diffVerification } from "./diff";
import { DEFAULT_VERIFY_TIMEOUT_SECONDS, VerificationInputs } from "./schema";
import type { VerificationOutputs } from "./types";

type Loose = Record<string, unknown>;

export interface VerificationTimings {
  /** Wait before the second verify. @default 500 (ms) */
  firstPollMs: number;
  /** Each later wait is this much longer. @default 1.5 */
  backoff: number;
  /** Cap of the wait between verifies. @default 30000 (ms) */
  maxPollMs: number;
}

const DEFAULT_TIMINGS: VerificationTimings = { firstPollMs: 500, backoff: 1.5, maxPollMs: 30_000 };

export interface VerificationProviderOptions extends ConnectionOptions {
  timings?: Partial<VerificationTimings>;
}

const ADVICE: Readonly<Record<string, string>> = {
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

export class Agent37DomainVerificationProvider extends ConnectedProvider implements pulumi.dynamic.ResourceProvider {
  private readonly timings: VerificationTimings;

  constructor(options: VerificationProviderOptions = {}) {
    super(options);
    this.timings = { ...DEFAULT_TIMINGS, ...options.timings };
  }

  async check(_olds: Loose, news: Loose): Promise<pulumi.dynamic.CheckResult> {
    return checkWithDomain(VerificationInputs, "Agent37DomainVerification", news);
  }

  async diff(_id: string, olds: Loose, news: Loose): Promise<pulumi.dynamic.DiffResult> {
    return diffVerification(olds, news);
  }

  async create(raw: Loose): Promise<pulumi.dynamic.CreateResult> {
    const inputs = parseAgainst(VerificationInputs, "Agent37DomainVerification", raw);
    const outs = await this.waitActive(inputs);
    return { id: inputs.domain, outs: plain(outs) };
  }

  /** A new timeout is recorded; a verification refresh found pending waits again. */
  async update(_id: string, olds: Loose, news: Loose): Promise<pulumi.dynamic.UpdateResult> {
    const inputs = parseAgainst(VerificationInputs, "Agent37DomainVerification", news);
    const previous = unwrapSecrets(olds ?? {}) as Partial<VerificationOutputs>;
    if (previous.status === "active") return { outs: plain(outputsOf(inputs, "active")) };
    return { outs: plain(await this.waitActive(inputs)) };
  }

  async read(id: string, props: Loose): Promise<pulumi.dynamic.ReadResult> {
    const recorded = unwrapSecrets(props ?? {}) as Partial<VerificationOutputs>;
    const domain = typeof recorded.domain === "string" ? recorded.domain : id;
    return this.explained(
      async () => {
        try {
          const live = await new DomainsApi(this.client()).get(domain);
          return { id, props: plain({ domain: live.domain, status: live.status, timeoutSeconds: recorded.timeoutSeconds ?? DEFAULT_VERIFY_TIMEOUT_SECONDS }) };
        } catch (err) {
          if (isGone(err)) return { id: "" };
          throw err;
        }
      },
      `refreshing the verification of Agent37 domain ${domain}`,
      ADVICE,
    );
  }

  /** Nothing to undo: the verification is a wait, not a thing on Agent37's side. */
  async delete(): Promise<void> {}

  /** Verifies until `active` or the deadline; the last verify is made at the deadline. */
  private async waitActive(inputs: VerificationInputs): Promise<VerificationOutputs> {
    const timeoutSeconds = inputs.timeoutSeconds ?? DEFAULT_VERIFY_TIMEOUT_SECONDS;
    return this.explained(
      () => waitingFor(`domain ${inputs.domain} to verify`, async (observe) => {
        const api = new DomainsApi(this.client());
        const deadline = Date.now() + timeoutSeconds * 1000;
        let wait = this.timings.firstPollMs;
        for (;;) {
          const ack = await api.verify(inputs.domain);
          if (ack.status === "active") return outputsOf(inputs, "active");
          observe(ack.status);
          const left = deadline - Date.now();
          if (left <= 0) {
            const nameservers = (await api.get(inputs.domain).catch(() => undefined))?.dns?.nameservers ?? [];
            throw new Agent37DomainVerificationError(inputs.domain, nameservers, timeoutSeconds);
          }
          await sleep(Math.min(wait, left));
          wait = Math.min(this.timings.maxPollMs, Math.round(wait * this.timings.backoff));
        }
      }),
      `verifying Agent37 domain ${inputs.domain}`,
      ADVICE,
    );
  }
}

function outputsOf(inputs: VerificationInputs, status: string): VerificationOutputs {
  return { domain: inputs.domain, status, timeoutSeconds: inputs.timeoutSeconds ?? DEFAULT_VERIFY_TIMEOUT_SECONDS };
}

/** A provider with explicit options (tests, embedding). The host uses `domainVerificationProvider()`. */
export function createDomainVerificationProvider(options?: VerificationProviderOptions): Agent37DomainVerificationProvider {
  return new Agent37DomainVerificationProvider(options);
}
