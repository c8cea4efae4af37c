/**
 * Wire-level constants and value conversions shared by the engine side of the provider protocol.
 *
 * The values here are the ones Pulumi's engine and SDK use on the wire (see
 * `@pulumi/pulumi/runtime/rpc.js`); they are copied rather than imported because the SDK does
 * not export them in its typings.
 */
import { Struct } from "google-protobuf/google/protobuf/struct_pb";

/** The string the engine sends in place of a value that is not known yet (preview). */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** The property under which a dynamic resource carries its serialized provider. */
export const PROVIDER_KEY = "__provider";

/** Signature key and secret marker of a secret envelope (`{[SIG_KEY]: SECRET_SIG, value}`). */
export const SIG_KEY = "4dabf18193072939515e22adb298388d";
export const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";

/** Wraps a value in the secret envelope the engine uses for secret config values. */
export function secretEnvelope(value: unknown): Record<string, unknown> {
  return { [SIG_KEY]: SECRET_SIG, value };
}

/** True when `value` is a secret envelope. */
export function isSecretEnvelope(value: unknown): value is { value: unknown } {
  return typeof value === "object" && value !== null && (value as Record<string, unknown>)[SIG_KEY] === SECRET_SIG;
}

/**
 * Converts a property map to the `Struct` the engine would send.
 *
 * The engine never sends `undefined`: an absent property is simply not in the map. Dropping
 * `undefined` keys here mirrors that; `Struct.fromJavaScript` would otherwise throw.
 */
export function toStruct(value: object): Struct {
  return Struct.fromJavaScript(dropUndefined(value) as Record<string, never>);
}

/** Converts a `Struct` from a response back to plain JavaScript (`{}` when absent). */
export function fromStruct(struct: Struct | undefined): Record<string, unknown> {
  return struct ? (struct.toJavaScript() as Record<string, unknown>) : {};
}

function dropUndefined(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(dropUndefined);
  if (typeof value === "object" && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      if (v !== undefined) out[k] = dropUndefined(v);
    }
    return out;
  }
  return value;
}

/** The type token and resource name encoded in a URN (`urn:pulumi:stack::project::type::name`). */
export function parseUrn(urn: string): { type: string; name: string } {
  const parts = urn.split("::");
  const qualifiedType = parts[2] ?? "";
  return { type: qualifiedType.split("$").pop() ?? "", name: parts.slice(3).join("::") };
}

/** Builds a URN the way the engine does for a top-level resource. */
export function makeUrn(stack: string, project: string, type: string, name: string): string {
  return `urn:pulumi:${stack}::${project}::${type}::${name}`;
}
