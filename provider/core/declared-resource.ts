// The base of the resource classes users write in their programs: it registers a class's props
// with Pulumi through the thin serialized provider of the class's entry (core/serialized.ts), with
// the class's secret outputs, and without Pulumi's per-property stack traces
// (core/stack-traces.ts). A class says only what is its own: its type, its entry and its props.
import * as pulumi from "@pulumi/pulumi";
import { thinProvider, type ProviderEntry } from "./serialized";
import { pauseStackTraces } from "./stack-traces";

/**
 * A resource's outputs (its plain output type, `types.ts`) as the properties of its class: each an
 * Output of the same type, with the same doc comment. A class gets them by declaration merging,
 * `interface Agent37X extends OutputProperties<XOutputs> {}`: the engine sets them (Pulumi's
 * constructor makes an Output of each prop), as a `declare readonly` member would say.
 */
export type OutputProperties<T> = { readonly [K in keyof T]: pulumi.Output<T[K]> };

// One provider object per entry: Pulumi serializes a provider once per object (its cache is keyed
// by the object), so every resource of a class reuses the first one's `__provider`.
const providers = new Map<ProviderEntry, pulumi.dynamic.ResourceProvider>();

function providerOf(entry: ProviderEntry): pulumi.dynamic.ResourceProvider {
  let provider = providers.get(entry);
  if (provider === undefined) providers.set(entry, (provider = thinProvider(entry)));
  return provider;
}

/**
 * The props of a generated class: each declared input as given (an absent one too, so that the
 * resource has its Output), then each output that is no input, for the engine to fill.
 */
export function declaredProps(args: object, inputs: readonly string[], outputs: readonly string[]): Record<string, unknown> {
  const given = args as Record<string, unknown>;
  const props: Record<string, unknown> = {};
  for (const key of inputs) props[key] = given[key];
  for (const key of outputs) props[key] = undefined;
  return props;
}

/** The props of a hand-written class: each of its outputs, for the engine to fill, then every input given. */
export function givenProps(args: object, outputs: readonly string[]): Record<string, unknown> {
  const props: Record<string, unknown> = {};
  for (const key of outputs) props[key] = undefined;
  for (const [key, value] of Object.entries(args)) if (value !== undefined) props[key] = value;
  return props;
}

/** A dynamic resource of type `pulumi-nodejs:dynamic/agent37:<type>`, served by the entry `entry`. */
export abstract class DeclaredResource extends pulumi.dynamic.Resource {
  protected constructor(type: string, entry: ProviderEntry, name: string, props: Record<string, unknown>, opts: pulumi.CustomResourceOptions, secretOutputs: readonly string[] = []) {
    const registered = secretOutputs.length === 0 ? opts : { ...opts, additionalSecretOutputs: [...(opts.additionalSecretOutputs ?? []), ...secretOutputs] };
    const provider = providerOf(entry);
    // Without Pulumi's per-property stack traces: see core/stack-traces.ts.
    const resume = pauseStackTraces();
    try {
      super(provider, name, props, registered, "agent37", type);
    } catch (error) {
      throw resume(error);
    } finally {
      resume();
    }
  }
}
