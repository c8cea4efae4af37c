// Generated from provider/domain-verification/fields.ts by scripts/gen-resources.ts: do not edit; a test fails when it drifts.
// The plain values Agent37DomainVerification's operations take and give.

/** The inputs of Agent37DomainVerification, as check validated them. */
export interface DomainVerificationInputs {
  /**
   * The domain to wait for, usually `domain` of an Agent37Domain. Recorded lowercased. A change
   * replaces.
   */
  domain: string;
  /**
   * How long create waits for Agent37 to see the NS records (1..86400, default 3600). A change is
   * recorded without waiting again (unless the last refresh found the domain pending).
   */
  timeoutSeconds?: number;
}

/** What an Agent37DomainVerification resolves to. */
export interface DomainVerificationOutputs {
  /** The verified domain, lowercased. */
  domain: string;
  /** `active` once verified; a refresh reads it again. */
  status: string;
  /** How long create waited at most, in seconds (the input, default applied). */
  timeoutSeconds: number;
}
