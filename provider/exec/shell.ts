// Building the `sh -c` script Agent37 runs, and keeping environment values out of everything
// the provider reports (messages, stdout/stderr outputs).
import { redact } from "../client/redact";

/** Single-quotes `value` for POSIX sh: inside '...' nothing is special except the quote itself. */
export function shellQuote(value: string): string {
  return `'${value.split("'").join(`'\\''`)}'`;
}

/**
 * The script sent as `command`: each environment entry exported (safely quoted), then the
 * user's command. Keys are validated by `check` (shell variable names), so they need no quoting.
 */
export function buildScript(command: string, environment: Record<string, string> = {}): string {
  const exports = Object.entries(environment).map(([k, v]) => `export ${k}=${shellQuote(v)}`);
  return exports.length === 0 ? command : `${exports.join("; ")}; ${command}`;
}

/** Replacement for a masked value. */
export const MASK = "***";
/**
 * Shorter values are not masked: masking `1` or `on` would garble ordinary output and messages,
 * and values that short are not secrets (docs/exec.md).
 */
export const MIN_MASKED_CHARS = 4;

/** Returns a function that replaces every environment value (and registered secret) in text. */
export function masker(environment: Record<string, string> | undefined): (text: string) => string {
  const values = Object.values(environment ?? {})
    .filter((v) => typeof v === "string" && v.length >= MIN_MASKED_CHARS)
    // Longest first, so a value containing another is masked whole.
    .sort((a, b) => b.length - a.length);
  return (text: string) => {
    let out = text;
    for (const v of values) if (out.includes(v)) out = out.split(v).join(MASK);
    return redact(out);
  };
}

/** Key-like content: a command carrying one is never quoted in a message. */
const LOOKS_SECRET = /sk_(live|test)_|secret|token|passw|api[_-]?key|bearer|credential/i;
const MAX_COMMAND_IN_MESSAGE = 80;

/**
 * How a command is named in an error message. The provider cannot know whether the user marked
 * it secret (the engine sends plaintext), so a command that contains an environment value or
 * looks like it carries a key is not shown at all; any other is shown truncated.
 */
export function describeCommand(command: string, environment: Record<string, string> | undefined): string {
  const mask = masker(environment);
  if (mask(command) !== command || LOOKS_SECRET.test(command)) return "(command not shown: it may carry a secret)";
  const oneLine = command.replace(/\s+/g, " ").trim();
  return oneLine.length > MAX_COMMAND_IN_MESSAGE ? `\`${oneLine.slice(0, MAX_COMMAND_IN_MESSAGE)}…\`` : `\`${oneLine}\``;
}

/** The last `maxBytes` (UTF-8) of `text`, cut at a character boundary. */
export function tail(text: string, maxBytes = 2048): string {
  const buf = Buffer.from(text, "utf8");
  if (buf.length <= maxBytes) return text;
  let start = buf.length - maxBytes;
  // Skip UTF-8 continuation bytes so the cut never splits a character.
  while (start < buf.length && ((buf[start] ?? 0) & 0xc0) === 0x80) start++;
  return `…${buf.subarray(start).toString("utf8")}`;
}

/**
 * Masks environment values in place in an error (message, stack and string properties), keeping
 * its class, so callers can still branch on it. The dynamic host prints `${e}` and `e.stack`.
 */
export function maskError<T>(err: T, mask: (text: string) => string, depth = 0): T {
  if (!(err instanceof Error)) return err;
  if (depth < 4 && err.cause instanceof Error) maskError(err.cause, mask, depth + 1);
  err.message = mask(err.message);
  if (typeof err.stack === "string") err.stack = mask(err.stack);
  const props = err as unknown as Record<string, unknown>;
  for (const key of Object.keys(props)) {
    const v = props[key];
    if (typeof v === "string") props[key] = mask(v);
  }
  return err;
}
