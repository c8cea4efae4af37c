// The waits of a resource that tests shorten (Agent37Instance, Agent37Exec,
// Agent37DomainVerification, Agent37Template): the resource is made from its default timings with
// the given ones over them, so a test states only the waits it shortens.

/** Makes the resource from `defaults` with the given timings over them (called with none: the defaults). */
export function withTimings<T extends object, R>(defaults: T, make: (timings: T) => R): (timings?: Partial<T>) => R {
  return (timings = {}) => make({ ...defaults, ...timings });
}
