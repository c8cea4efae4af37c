// A resource class registers itself with Pulumi without the stack traces Pulumi's constructor
// captures for each of its properties. The constructor wraps every property of a dynamic resource
// (each input and each output the class declares) in four promises, and captures and formats a
// stack trace for each (`debuggablePromise`, kept for its report of promises left unresolved at
// exit): about 120 for an Agent37Instance, each formatted by the program's `prepareStackTrace`
// (source-mapped under ts-node). Measured: 100 instances constructed in 0.9 to 1.4 s, against
// 0.2 to 0.3 s with these captures off (docs/bench.md, "The real engine"). What is lost: the
// promise's stack in that exit report (its context line still names the resource and the property).
// Kept: the source position Pulumi records for the resource (its own capture lifts the limit),
// and the stack of an error the constructor throws (captured again, from the class's caller up).

/**
 * Turns stack traces off until the returned function is called: the resource classes' base
 * (core/declared-resource.ts) calls this just before `super(...)` and the returned function in a
 * `finally` (and with the error in a `catch`). Given an error whose stack was taken while they were off, it gives it the stack of
 * the place it is called from, so that the error still says where the resource was declared.
 */
export function pauseStackTraces(): (error?: unknown) => unknown {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  const resume = (error?: unknown): unknown => {
    Error.stackTraceLimit = limit;
    if (error instanceof Error && !/\n\s+at /.test(error.stack ?? "")) Error.captureStackTrace(error, resume);
    return error;
  };
  return resume;
}
