// Secrets known to the process (the API key) are replaced before any text leaves the client:
// error messages, error properties and request descriptions all pass through here.
const secrets = new Set<string>();

/** Registers a value that must never appear in messages, errors or outputs. */
export function registerSecret(value: string | undefined): void {
  // Very short values would redact ordinary words; real keys are long.
  if (value !== undefined && value.length >= 8) secrets.add(value);
}

/** Returns `text` with every registered secret replaced by a fixed marker. */
export function redact(text: string): string {
  return redactValues(text, secrets);
}

/**
 * Returns `text` with each of `values` replaced by the same marker. The caller decides which
 * values are secret (an operation's env values, for example); in order, so a value holding
 * another should come first.
 */
export function redactValues(text: string, values: Iterable<string>): string {
  let out = text;
  for (const value of values) {
    if (out.includes(value)) out = out.split(value).join("[REDACTED]");
  }
  return out;
}

/** Deep copy of a JSON-like value with every string redacted. */
export function redactDeep<T>(value: T): T {
  if (typeof value === "string") return redact(value) as T;
  if (Array.isArray(value)) return value.map((v) => redactDeep(v)) as T;
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = redactDeep(v);
    return out as T;
  }
  return value;
}

// ---- masking the values of an operation's own secrets (Agent37Exec's environment) -----------

/** Replacement for a masked value. */
export const MASK = "***";
/** Values at least this long are masked wherever they appear, in any of the encodings below. */
export const MIN_MASKED_CHARS = 4;
/**
 * Values this long (3 characters) are masked only as a whole token (not inside a longer word or
 * number), so `abc` goes but `abcdef` stays readable. Shorter values are not masked: masking
 * `1` or `on` would garble ordinary output. Outputs are Pulumi secrets whenever a secret went
 * into the run, so masking is the second line of defence, not the first (docs/exec.md).
 */
export const MIN_TOKEN_MASKED_CHARS = 3;

/** Single-quotes `value` for POSIX sh: inside '...' nothing is special except the quote itself. */
export function shellQuote(value: string): string {
  return `'${value.split("'").join(`'\\''`)}'`;
}

/** bash's `$'...'` quoting, which `set -x` uses for values holding control characters. */
function ansiCQuote(value: string): string {
  const escapes: Record<string, string> = { "\n": "\\n", "\t": "\\t", "\r": "\\r", "\\": "\\\\", "'": "\\'" };
  let out = "";
  for (const ch of value) {
    const code = ch.charCodeAt(0);
    out += escapes[ch] ?? (code < 0x20 || code === 0x7f ? `\\${code.toString(8).padStart(3, "0")}` : ch);
  }
  return `$'${out}'`;
}

/** `value` inside a JSON string; `asciiOnly` as `jq -a` and many loggers write it (`\\uXXXX`). */
function jsonEscaped(value: string, asciiOnly: boolean): string {
  const inner = JSON.stringify(value).slice(1, -1);
  return asciiOnly ? inner.replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`) : inner;
}

/**
 * The forms a value takes in output: as is; single-quoted for sh (`set -x`, `export -p`);
 * `$'...'` (bash `set -x` with control characters); JSON-escaped (`jq --arg`, JSON logs), also
 * ASCII-only; percent-encoded (URLs in `curl -v`).
 */
export function encodingsOf(value: string): string[] {
  const forms = [value, shellQuote(value), ansiCQuote(value), jsonEscaped(value, false), jsonEscaped(value, true), encodeURIComponent(value)];
  return [...new Set(forms)];
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/**
 * Returns a function that replaces every secret value (and registered secret) in text: values of
 * 4+ characters in every encoding above, 3-character values as whole tokens.
 */
export function masker(...environments: (Record<string, string> | undefined)[]): (text: string) => string {
  const values = environments.flatMap((e) => Object.values(e ?? {})).filter((v): v is string => typeof v === "string");
  // Longest first, so a value (or encoding) containing another is masked whole.
  const forms = [...new Set(values.filter((v) => v.length >= MIN_MASKED_CHARS).flatMap(encodingsOf))].sort((a, b) => b.length - a.length);
  const tokens = [...new Set(values.filter((v) => v.length === MIN_TOKEN_MASKED_CHARS))];
  const tokenPattern = tokens.length === 0 ? undefined : new RegExp(`(?<![A-Za-z0-9_])(?:${tokens.map(escapeRegExp).join("|")})(?![A-Za-z0-9_])`, "g");
  return (text: string) => {
    let out = text;
    for (const v of forms) if (out.includes(v)) out = out.split(v).join(MASK);
    if (tokenPattern !== undefined) out = out.replace(tokenPattern, MASK);
    return redact(out);
  };
}

/**
 * A copy of `err` (same class and properties, so callers can still branch on it) with `mask`
 * applied to its message, its stack (the dynamic host prints `${e}` and `e.stack`), its string
 * properties and its causes. The original is left as it is: one failure may reach several
 * operations.
 */
export function maskError<T>(err: T, mask: (text: string) => string, depth = 0): T {
  if (!(err instanceof Error)) return err;
  const descriptors = Object.getOwnPropertyDescriptors(err) as Record<string, PropertyDescriptor>;
  for (const d of Object.values(descriptors)) if (typeof d.value === "string") d.value = mask(d.value);
  // Read from the original: V8 may keep `stack` behind an accessor bound to it (core/explain.ts).
  if (typeof err.stack === "string") descriptors["stack"] = { value: mask(err.stack), writable: true, enumerable: false, configurable: true };
  const cause = descriptors["cause"];
  if (depth < 4 && err.cause instanceof Error && cause !== undefined && "value" in cause) cause.value = maskError(err.cause, mask, depth + 1);
  return Object.create(Object.getPrototypeOf(err) as object, descriptors) as T;
}
