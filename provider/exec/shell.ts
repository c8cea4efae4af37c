// Building the `sh -c` script Agent37 runs, and naming a command in a message without its
// secrets. The masking of environment values in everything the provider reports (messages,
// stdout/stderr outputs) is the core's one scrubber (core/redact.ts), re-exported here.
import { masker, shellQuote } from "../core/redact";

export { encodingsOf, MASK, maskError, masker, MIN_MASKED_CHARS, MIN_TOKEN_MASKED_CHARS, shellQuote } from "../core/redact";

/**
 * The script sent as `command`: each environment entry exported (safely quoted), then the
 * user's command. Keys are validated by `check` (shell variable names), so they need no quoting.
 */
export function buildScript(command: string, environment: Record<string, string> = {}): string {
  const exports = Object.entries(environment).map(([k, v]) => `export ${k}=${shellQuote(v)}`);
  return exports.length === 0 ? command : `${exports.join("; ")}; ${command}`;
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
