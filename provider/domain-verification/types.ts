// The public types of Agent37DomainVerification, plain TypeScript: the package's declarations name
// no type of its dependencies (core/schema-type.ts).

/** What an Agent37DomainVerification resolves to. */
export interface VerificationOutputs {
  domain: string;
  /** `active` after a create; a refresh reads it again. */
  status: string;
  /** Echo of the input (default applied). */
  timeoutSeconds: number;
}
