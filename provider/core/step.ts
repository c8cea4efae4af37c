// The step of an operation a request is made for ("checking for an unfinished create"), so an
// error can say why a request was sent: `creating Agent37 instance "web": checking for an
// unfinished create: Agent37 answered 401: GET .../v1/instances: ...`. The operation itself is put
// in front by explain(); a step is what the operation was doing inside. Steps nest. An
// Agent37Error records the steps current where it is made (errors.ts), so the one place that
// writes the message (explain.ts) needs nothing passed along: a resource marks a step with one
// call around the code, and every request and error inside it is covered.
import { AsyncLocalStorage } from "node:async_hooks";

const current = new AsyncLocalStorage<readonly string[]>();

/** Runs `run` as the step `label` of whatever step (or operation) is current. */
export function step<T>(label: string, run: () => Promise<T>): Promise<T> {
  return current.run([...(current.getStore() ?? []), label], run);
}

/** The steps current here, outermost first (empty outside any step). */
export function currentSteps(): readonly string[] {
  return current.getStore() ?? [];
}
