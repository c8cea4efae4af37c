// The plugin's provider configuration: `apiKey`, `apiUrl` and `instanceUrlTemplate`, as inputs
// of the provider resource (stack config `agent37:*` for the default provider, arguments of an
// explicit `new agent37.Provider(...)`). The rules are the dynamic door's (settings.ts); this
// module only maps the provider resource's inputs onto them.
import { unwrapSecrets } from "../../core/check";
import { registerSecret } from "../../core/redact";
import { jsonEqual } from "../../core/json";
import { resolveSettings, type ConfigSource } from "../../core/settings";
import type { Properties } from "./wire";

export const CONFIG_KEYS = ["apiKey", "apiUrl", "instanceUrlTemplate"] as const;
export type ConfigKey = (typeof CONFIG_KEYS)[number];

/** Keys the engine itself puts in a provider's inputs. */
const ENGINE_KEYS = new Set(["version", "pluginDownloadURL"]);

/**
 * The provider's create scope: a random value CheckConfig adds to the provider's inputs the
 * first time, kept from the recorded inputs ever after. The engine stores it with the stack's
 * state, so it tells this stack's unfinished creates from those of a stack of the same project
 * and stack name in another backend or organization, which the engine never tells a provider
 * (docs/reliability.md, "The ambiguity rule", step 9). Never a change of the provider. The
 * leading `_` marks it internal to the engine's plan checks: a preview of a new stack draws
 * another scope than its `up --plan` does, and must not fail the plan.
 */
export const CREATE_SCOPE_KEY = "_createScope";
const CREATE_SCOPE_PATTERN = /^[0-9a-f]{32}$/;

/** The create scope for the checked inputs: the recorded one, else one given, else a new one. */
export function createScopeOf(oldsRaw: Properties, newsRaw: Properties, fresh: () => string): string {
  for (const v of [unwrapSecrets(oldsRaw ?? {})[CREATE_SCOPE_KEY], unwrapSecrets(newsRaw ?? {})[CREATE_SCOPE_KEY]]) {
    if (typeof v === "string" && CREATE_SCOPE_PATTERN.test(v)) return v;
  }
  return fresh();
}

export interface ConfigFailure {
  property: string;
  reason: string;
}

/**
 * A `ConfigSource` over the provider inputs (`args` of Configure). The deprecated `variables`
 * map (`agent37:config:apiKey`) is read when `args` lacks a key, for engines that send only it.
 */
export function configSource(args: Properties, variables?: Map<string, string>): ConfigSource {
  const plainArgs = unwrapSecrets(args ?? {});
  return {
    get(key: string): string | undefined {
      const name = key.startsWith("agent37:") ? key.slice("agent37:".length) : key;
      const v = plainArgs[name];
      if (typeof v === "string") return v;
      return variables?.get(`agent37:config:${name}`);
    },
  };
}

/**
 * `CheckConfig`: each property is checked by the same rules the settings apply, one at a time,
 * so a failure names the property it is about. The key may be absent (AGENT37_API_KEY then
 * supplies it at Configure); a value still unknown at preview is not checked.
 */
export function checkConfig(newsRaw: Properties, unknown: (v: unknown) => boolean): ConfigFailure[] {
  const news = unwrapSecrets(newsRaw ?? {});
  const failures: ConfigFailure[] = [];
  for (const [key, value] of Object.entries(news)) {
    if (ENGINE_KEYS.has(key) || key.startsWith("__") || value === null || value === undefined || unknown(value)) continue;
    if (key === CREATE_SCOPE_KEY) {
      if (typeof value !== "string" || !CREATE_SCOPE_PATTERN.test(value)) failures.push({ property: key, reason: `${CREATE_SCOPE_KEY} is set by the provider (32 lowercase hex digits): leave it unset` });
      continue;
    }
    if (!(CONFIG_KEYS as readonly string[]).includes(key)) {
      failures.push({ property: key, reason: `unknown configuration key "${key}" (agent37 takes ${CONFIG_KEYS.join(", ")})` });
      continue;
    }
    if (typeof value !== "string") {
      failures.push({ property: key, reason: `${key} must be a string` });
      continue;
    }
    if (key === "apiKey") {
      registerSecret(value);
      if (value.trim() === "") failures.push({ property: key, reason: "apiKey must not be empty (or leave it unset to use AGENT37_API_KEY)" });
      continue;
    }
    try {
      resolveSettings({ get: (k) => (k === `agent37:${key}` ? value : undefined) }, {});
    } catch (err) {
      failures.push({ property: key, reason: (err as Error).message.replace(`agent37:${key}`, key) });
    }
  }
  return failures;
}

/**
 * `DiffConfig`: the changed keys. None of them replaces the provider: a new key or URL manages
 * the same resources from then on, so no resource is replaced because of it.
 */
export function diffConfig(oldsRaw: Properties, newsRaw: Properties): string[] {
  const olds = unwrapSecrets(oldsRaw ?? {});
  const news = unwrapSecrets(newsRaw ?? {});
  return CONFIG_KEYS.filter((k) => !jsonEqual(olds[k] ?? null, news[k] ?? null));
}
