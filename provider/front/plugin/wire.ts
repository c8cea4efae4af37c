// Property values on the wire. The plugin accepts secrets (Configure says so), so the engine
// sends secret values as signed envelopes and expects secret outputs back the same way; unknown
// values (preview) travel as the engine's sentinel string.
import type { Struct } from "google-protobuf/google/protobuf/struct_pb";
import { plain } from "../../core/json";
import { structpb } from "./sdk";

export type Properties = Record<string, unknown>;

/** Signature key of a special value and the signature of a secret (Pulumi's `rpc.specialSigKey`, `specialSecretSig`). */
export const SIG_KEY = "4dabf18193072939515e22adb298388d";
export const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";

export function isSecret(v: unknown): boolean {
  return v !== null && typeof v === "object" && (v as Properties)[SIG_KEY] === SECRET_SIG;
}

export function secret(value: unknown): Properties {
  return isSecret(value) ? (value as Properties) : { [SIG_KEY]: SECRET_SIG, value };
}

export function fromStruct(s: Struct | undefined): Properties {
  return s ? (s.toJavaScript() as Properties) : {};
}

export function toStruct(value: Properties): Struct {
  return structpb.Struct.fromJavaScript(plain(value) as Record<string, never>);
}

/** Whether `v` is a secret or holds one anywhere inside. */
export function containsSecret(v: unknown): boolean {
  if (isSecret(v)) return true;
  if (Array.isArray(v)) return v.some(containsSecret);
  if (v !== null && typeof v === "object") return Object.values(v).some(containsSecret);
  return false;
}

/** Top-level keys whose value arrived as, or holding, a secret: the whole value stays secret. */
export function secretKeys(props: Properties): string[] {
  return Object.keys(props ?? {}).filter((k) => containsSecret(props[k]));
}

/**
 * Marks `keys` of `outs` secret: the resource's always-secret outputs plus every output whose
 * input came in secret, so a value that was secret going in stays secret coming out.
 */
export function withSecrets(outs: Properties, keys: Iterable<string>): Properties {
  const out = { ...outs };
  for (const k of keys) if (k in out && out[k] !== undefined) out[k] = secret(out[k]);
  return out;
}
