// The provider object stored (closure-serialized) in every resource's state as `__provider`.
/* eslint-disable @typescript-eslint/no-require-imports -- the implementation loads by package name at call time */
import type * as pulumi from "@pulumi/pulumi";
import type * as dynamic from "../dynamic";

const METHODS = ["check", "diff", "create", "read", "update", "delete"] as const;

/** The implementations in `pulumi-agent37/dynamic`; state names them, so names never change. */
export type ProviderEntry = "instanceProvider" | "execProvider" | "domainProvider" | "domainVerificationProvider" | "sshKeyProvider" | "templateProvider" | "fileProvider" | "directoryProvider";

/**
 * A thin provider that captures nothing but the name of its implementation's entry in
 * `pulumi-agent37/dynamic`: no config, no key, no client. It has a single method. The provider
 * host deserializes a provider, then calls its `configure` once before any other method (the
 * contract of dynamic providers since @pulumi/pulumi 3.139; the peer range starts at 3.216, whose
 * host also keeps the inputs `read` returns), so
 * `configure` loads the implementation by package name, installs its methods on this object and
 * configures it. Loading by package name keeps state written today working after the package is
 * upgraded; one serialized function instead of seven keeps `__provider` about 830 bytes, which
 * matters because a preview moves it about six times per resource (docs/bench.md, `providerBytes` and `previewMsPerResource`).
 */
export function thinProvider(entry: ProviderEntry): pulumi.dynamic.ResourceProvider {
  // No comment inside this function: its source text is what lands in state.
  return {
    configure(this: Record<string, unknown>, req: pulumi.dynamic.ConfigureRequest) {
      const impl = (require("pulumi-agent37/dynamic") as typeof dynamic)[entry]() as unknown as Record<string, (...a: unknown[]) => unknown>;
      for (const m of METHODS) if (impl[m]) this[m] = impl[m].bind(impl);
      return impl.configure?.(req);
    },
  } as unknown as pulumi.dynamic.ResourceProvider;
}
