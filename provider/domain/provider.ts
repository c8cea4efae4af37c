// What Agent37DomainVerification shares with the domain (its advice and the 404 rule), at the
// path the verification imports it from until it, too, is on the seam (core/resource.ts).
export { DOMAIN_ADVICE } from "./errors";
export { isGone } from "./operations";
