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
