// Provider settings, normalized once: stack config (`agent37:*`, set by `configure`) first,
// then the environment. The key is kept here only; nothing else stores it. The same rules check
// an explicit provider's configuration key by key (`configFailures`, the plugin's CheckConfig).
import { CREATE_SCOPE_KEY, isCreateScope } from "./create-key";
import { Agent37ConfigError } from "./errors";
import { registerSecret } from "./redact";

export const DEFAULT_API_URL = "https://api.agent37.com";

export interface Settings {
  apiKey: string | undefined;
  apiUrl: string;
  /** Unset: per-port URLs are derived from each instance's own URL. */
  instanceUrlTemplate: string | undefined;
}

export const MISSING_KEY_MESSAGE =
  "Missing credentials: set the `agent37:apiKey` secret config (`pulumi config set --secret agent37:apiKey sk_live_...`) " +
  "or the AGENT37_API_KEY environment variable";

/** Minimal view of Pulumi's provider config (`ConfigureRequest.config`). */
export interface ConfigSource {
  get(key: string): string | undefined;
}

function nonEmpty(v: string | undefined): string | undefined {
  return v === undefined || v.trim() === "" ? undefined : v.trim();
}

function safeGet(config: ConfigSource | undefined, key: string): string | undefined {
  if (config === undefined) return undefined;
  try {
    // The host builds its Config over whatever Configure delivered; when Configure never ran
    // its lookup throws. Absent config then means "use the environment".
    return nonEmpty(config.get(key));
  } catch {
    return undefined;
  }
}

/**
 * Why `key` cannot be sent in an HTTP header, or undefined when it can. The message never
 * quotes the key, only where the offending character is.
 */
function keyProblem(key: string): string | undefined {
  for (let i = 0; i < key.length; i++) {
    const c = key.charCodeAt(i);
    if (c === 0x0a || c === 0x0d) return `holds a line break at character ${i + 1} (a copy-paste with a newline?)`;
    if (c < 0x20 || c === 0x7f) return `holds a control character at character ${i + 1}`;
    if (c > 0xff) return `holds a character outside Latin-1 at character ${i + 1} (a typographic quote or dash?)`;
  }
  return undefined;
}

/** The provider's configuration keys (`agent37:<key>`): what an explicit provider takes. */
export const CONFIG_KEYS = ["apiKey", "apiUrl", "instanceUrlTemplate"] as const;

/** Keys the engine itself puts in a provider's inputs. */
const ENGINE_KEYS = new Set(["version", "pluginDownloadURL"]);

/**
 * A provider's configuration values (an explicit provider's inputs, secrets unwrapped) checked
 * by the rules `resolveSettings` applies, one key at a time, so that a failure names the key it
 * is about (the plugin's CheckConfig). The API key may be absent (AGENT37_API_KEY then supplies
 * it), and its characters are checked when it is used; a value still `unknown` (a preview's) is
 * not checked. The create scope is the provider's own (core/create-key.ts).
 */
export function configFailures(values: Record<string, unknown>, unknown: (v: unknown) => boolean): { property: string; reason: string }[] {
  const failures: { property: string; reason: string }[] = [];
  const fail = (property: string, reason: string): void => void failures.push({ property, reason });
  for (const [key, value] of Object.entries(values)) {
    if (ENGINE_KEYS.has(key) || key.startsWith("__") || value === null || value === undefined || unknown(value)) continue;
    if (key === CREATE_SCOPE_KEY) {
      if (!isCreateScope(value)) fail(key, `${CREATE_SCOPE_KEY} is set by the provider (32 lowercase hex digits): leave it unset`);
    } else if (!(CONFIG_KEYS as readonly string[]).includes(key)) {
      fail(key, `unknown configuration key "${key}" (agent37 takes ${CONFIG_KEYS.join(", ")})`);
    } else if (typeof value !== "string") {
      fail(key, `${key} must be a string`);
    } else if (key === "apiKey") {
      registerSecret(value);
      if (value.trim() === "") fail(key, "apiKey must not be empty (or leave it unset to use AGENT37_API_KEY)");
    } else {
      try {
        resolveSettings({ get: (k) => (k === `agent37:${key}` ? value : undefined) }, {});
      } catch (err) {
        fail(key, (err as Error).message.replace(`agent37:${key}`, key));
      }
    }
  }
  return failures;
}

export function resolveSettings(config: ConfigSource | undefined, env: NodeJS.ProcessEnv = process.env): Settings {
  const fromConfig = safeGet(config, "agent37:apiKey");
  const apiKey = fromConfig ?? nonEmpty(env.AGENT37_API_KEY);
  registerSecret(apiKey);
  const problem = apiKey === undefined ? undefined : keyProblem(apiKey);
  if (problem !== undefined) {
    // Refused here, at configure: such a key cannot go into an Authorization header, and every
    // request would fail as if the network were down.
    const where = fromConfig !== undefined ? "agent37:apiKey" : "AGENT37_API_KEY (used because agent37:apiKey is not set)";
    throw new Agent37ConfigError(
      `${where} ${problem}: API keys are plain ASCII (sk_live_...). Set it again: \`pulumi config set --secret agent37:apiKey sk_live_...\``,
    );
  }
  const apiUrl = safeGet(config, "agent37:apiUrl") ?? nonEmpty(env.AGENT37_API_URL) ?? DEFAULT_API_URL;
  let parsed: URL;
  try {
    parsed = new URL(apiUrl);
  } catch {
    throw new Agent37ConfigError(`agent37:apiUrl is not a URL: ${apiUrl}`);
  }
  if (parsed.protocol !== "https:" && parsed.protocol !== "http:") {
    throw new Agent37ConfigError(`agent37:apiUrl must be an http(s) URL: ${apiUrl}`);
  }
  const instanceUrlTemplate =
    safeGet(config, "agent37:instanceUrlTemplate") ?? nonEmpty(env.AGENT37_INSTANCE_URL_TEMPLATE);
  if (instanceUrlTemplate !== undefined && !instanceUrlTemplate.includes("{host}") && !instanceUrlTemplate.includes("{id}")) {
    throw new Agent37ConfigError(
      `agent37:instanceUrlTemplate must contain {host} (e.g. https://{host}.agent37.app): ${instanceUrlTemplate}`,
    );
  }
  return { apiKey, apiUrl: apiUrl.replace(/\/+$/, ""), instanceUrlTemplate };
}

export function requireKey(settings: Settings): string {
  if (settings.apiKey === undefined) throw new Agent37ConfigError(MISSING_KEY_MESSAGE);
  return settings.apiKey;
}
