// Building the `sh -c` script Agent37 runs, and keeping environment values out of everything
// the provider reports (messages, stdout/stderr outputs).
import { redact } from "../core/redact";

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
/** Values at least this long are masked wherever they appear, in any of the encodings below. */
export const MIN_MASKED_CHARS = 4;
/**
 * Values this long (3 characters) are masked only as a whole token (not inside a longer word or
 * number), so `abc` goes but `abcdef` stays readable. Shorter values are not masked: masking
 * `1` or `on` would garble ordinary output. Outputs are Pulumi secrets whenever a secret went
 * into the run, so masking is the second line of defence, not the first (docs/exec.md).
 */
export const MIN_TOKEN_MASKED_CHARS = 3;

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

/** Key-like content: a command carrying one is never quoted in a message. */
const LOOKS_SECRET = /sk_(live|test)_|secret|token|passw|api[_-]?key|bearer|credential/i;
const MAX_COMMAND_IN_MESSAGE = 80;

/**
 * How a command is named in an error message. The provider cannot know whether the user marked
 * it secret (the engine sends plaintext), so a command that contains an environment value or
 * looks like it carries a key is not shown at all; any other is shown truncated.
 */
export function describeCommand(command: string, inputs: { environment?: Record<string, string> | undefined; instanceEnv?: Record<string, string> | undefined; secretInputs?: boolean | undefined }): string {
  const mask = masker(inputs.environment, inputs.instanceEnv);
  if (inputs.secretInputs === true || mask(command) !== command || LOOKS_SECRET.test(command)) return "(command not shown: it may carry a secret)";
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
