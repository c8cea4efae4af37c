// Agent37DomainVerification on the seam (core/resource.ts): create waits until Agent37 sees the
// domain's NS records (`POST /v1/domains/{domain}/verify`, documented as idempotent and safe to
// poll), with backoff (core/poll.ts), within `timeoutSeconds`. Nothing exists on Agent37's side,
// so delete does nothing; refresh reads the domain's status again. Values arrive decoded and
// validated; the front doors' adapters do the wire work.
import { withNormalizedDomain } from "../core/domain-input";
import { declaredChanges } from "../core/declare";
import { NotFoundError } from "../core/errors";
import { poll } from "../core/poll";
import type { OperationContext, Resource } from "../core/resource";
import { withTimings } from "../core/timings";
import { DomainsApi } from "../domain/api";
import { Agent37DomainVerificationError, VERIFICATION_ADVICE } from "./errors";
import { DEFAULT_VERIFY_TIMEOUT_SECONDS, DOMAIN_VERIFICATION } from "./fields";
import type { DomainVerificationInputs, DomainVerificationOutputs } from "./types";

export interface VerificationTimings {
  /** Wait before the second verify. @default 500 (ms) */
  firstPollMs: number;
  /** Each later wait is this much longer. @default 1.5 */
  backoff: number;
  /** Cap of the wait between verifies. @default 30000 (ms) */
  maxPollMs: number;
}

const DEFAULT_TIMINGS: VerificationTimings = { firstPollMs: 500, backoff: 1.5, maxPollMs: 30_000 };

const timeoutOf = (inputs: DomainVerificationInputs): number => inputs.timeoutSeconds ?? DEFAULT_VERIFY_TIMEOUT_SECONDS;

function outputsOf(inputs: DomainVerificationInputs, status: string): DomainVerificationOutputs {
  return { domain: inputs.domain, status, timeoutSeconds: timeoutOf(inputs) };
}

/** Verifies until `active` or the deadline; the last verify is made at the deadline. */
async function waitActive(ctx: OperationContext, inputs: DomainVerificationInputs, timings: VerificationTimings): Promise<DomainVerificationOutputs> {
  const api = new DomainsApi(ctx.client());
  const timeoutSeconds = timeoutOf(inputs);
  await poll(
    () => api.verify(inputs.domain),
    (ack) => ack.status === "active",
    {
      intervalMs: timings.firstPollMs,
      factor: timings.backoff,
      maxIntervalMs: timings.maxPollMs,
      timeoutMs: timeoutSeconds * 1000,
      lastProbeAtDeadline: true,
      what: () => `domain ${inputs.domain} to verify`,
      progress: { what: `domain ${inputs.domain} to verify`, state: (ack) => ack.status },
      expired: async () => {
        const nameservers = (await api.get(inputs.domain).catch(() => undefined))?.dns?.nameservers ?? [];
        return new Agent37DomainVerificationError(inputs.domain, nameservers, timeoutSeconds);
      },
    },
  );
  return outputsOf(inputs, "active");
}

/** Agent37DomainVerification with its waits paced by `timings` (tests shorten them). */
export const verificationResource = withTimings(DEFAULT_TIMINGS, (paced): Resource<DomainVerificationInputs, DomainVerificationOutputs> => {
  return {
    declaration: DOMAIN_VERIFICATION,
    advice: VERIFICATION_ADVICE,

    // The domain is recorded as Agent37 records it (lowercased), as the Agent37Domain's is.
    complete: withNormalizedDomain,

    // The recorded outputs with each changed input's new value (a new timeout), the rest as it was.
    planUpdate(olds, planned, news) {
      const out: Record<string, unknown> = { ...olds };
      for (const k of Object.keys(declaredChanges(DOMAIN_VERIFICATION, olds, news))) if (k in planned) out[k] = planned[k];
      return out;
    },

    operation(kind, { id, inputs, olds }) {
      if (kind === "read") return `refreshing the verification of Agent37 domain ${typeof olds?.domain === "string" ? olds.domain : id}`;
      if (kind === "delete") return `deleting the verification of Agent37 domain ${id}`;
      return `verifying Agent37 domain ${inputs?.domain}`;
    },

    async create(inputs, ctx) {
      return { id: inputs.domain, outputs: await waitActive(ctx, inputs, paced) };
    },

    /** A new timeout is recorded; a verification refresh found pending waits again. */
    async update(_id, olds, news, ctx) {
      if (olds.status === "active") return outputsOf(news, "active");
      return waitActive(ctx, news, paced);
    },

    async read(id, olds, ctx) {
      const domain = typeof olds.domain === "string" ? olds.domain : id;
      try {
        const live = await new DomainsApi(ctx.client()).get(domain);
        return { outputs: { domain: live.domain, status: live.status, timeoutSeconds: olds.timeoutSeconds ?? DEFAULT_VERIFY_TIMEOUT_SECONDS } };
      } catch (err) {
        if (err instanceof NotFoundError) return undefined;
        throw err;
      }
    },

    /** Nothing to undo: the verification is a wait, not a thing on Agent37's side. */
    async delete() {},
  };
});

/** The verification as the host serves it (default timings). */
export const domainVerificationResource = verificationResource();
