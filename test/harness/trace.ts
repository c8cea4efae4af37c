/**
 * A recording wrapper around a `ProviderHost`: which RPCs the engine side made, in order.
 */
import type { ProviderHost } from "./host";
import { parseUrn } from "./protocol";

export interface TracedCall {
  method: "Configure" | "Check" | "Diff" | "Create" | "Read" | "Update" | "Delete";
  /** Resource name from the URN (empty for Configure). */
  name: string;
  /** The request's property maps, as sent. */
  args: unknown[];
  /** `performance.now()` when the call was made and when it settled (undefined while in flight). */
  startedAt: number;
  endedAt?: number;
}

/** Returns a host that records every call into `calls` and forwards it unchanged. */
export function traceHost(host: ProviderHost): { host: ProviderHost; calls: TracedCall[] } {
  const calls: TracedCall[] = [];
  const rec = <T>(method: TracedCall["method"], urn: string, args: unknown[], run: () => Promise<T>): Promise<T> => {
    const call: TracedCall = { method, name: urn === "" ? "" : parseUrn(urn).name, args, startedAt: performance.now() };
    calls.push(call);
    const result = run();
    void result.then(
      () => (call.endedAt = performance.now()),
      () => (call.endedAt = performance.now()),
    );
    return result;
  };
  const traced: ProviderHost = {
    address: host.address,
    pid: host.pid,
    configure: (config, o) => rec("Configure", "", [Object.keys(config)], () => host.configure(config, o)),
    check: (urn, olds, news, o) => rec("Check", urn, [olds, news], () => host.check(urn, olds, news, o)),
    diff: (urn, id, olds, news, oldInputs, o) => rec("Diff", urn, [id, olds, news, oldInputs], () => host.diff(urn, id, olds, news, oldInputs, o)),
    create: (urn, props, o) => rec("Create", urn, [props], () => host.create(urn, props, o)),
    read: (urn, id, props, inputs, o) => rec("Read", urn, [id, props, inputs], () => host.read(urn, id, props, inputs, o)),
    update: (urn, id, olds, news, oldInputs, o) => rec("Update", urn, [id, olds, news, oldInputs], () => host.update(urn, id, olds, news, oldInputs, o)),
    delete: (urn, id, props, oldInputs, o) => rec("Delete", urn, [id, props, oldInputs], () => host.delete(urn, id, props, oldInputs, o)),
    get supportsPreview() {
      return host.supportsPreview ?? false;
    },
    output: () => host.output(),
    close: () => host.close(),
  };
  return { host: traced, calls };
}
