// The settings in effect and the one client built from them, shared by both providers.
import type { ClientOptions } from "./http";
import { Agent37Client } from "./http";
import { requireKey, resolveSettings, type ConfigSource, type Settings } from "./settings";

/** What a provider is built with; explicit settings win over configure() and the environment. */
export interface ConnectionOptions {
  /** Explicit settings; they win over configure() and the environment (tests, embedding). */
  settings?: Partial<Settings>;
  env?: NodeJS.ProcessEnv;
  client?: Omit<Partial<ClientOptions>, "apiUrl" | "apiKey">;
}

/**
 * Settings come from `configure` (stack config) or, when the host never configured the provider
 * (a program run under mocks), from the environment. One keep-alive client serves every call
 * while the API URL and key stay the same; a change builds a new one.
 */
export class Connection {
  private settings: Settings | undefined;
  private cached: { id: string; client: Agent37Client } | undefined;

  constructor(private readonly options: ConnectionOptions = {}) {}

  configure(config: ConfigSource | undefined): void {
    this.settings = this.resolve(config);
    this.cached = undefined;
  }

  current(): Settings {
    this.settings ??= this.resolve(undefined);
    return this.settings;
  }

  /** The client for the current settings; `fresh` says it was just built (caches tied to the old one are stale). */
  client(): { client: Agent37Client; fresh: boolean } {
    const s = this.current();
    const key = requireKey(s);
    const id = `${s.apiUrl}\n${key}`;
    if (this.cached?.id === id) return { client: this.cached.client, fresh: false };
    this.cached = { id, client: new Agent37Client({ ...this.options.client, apiUrl: s.apiUrl, apiKey: key }) };
    return { client: this.cached.client, fresh: true };
  }

  private resolve(config: ConfigSource | undefined): Settings {
    const base = resolveSettings(config, this.options.env ?? process.env);
    const s = this.options.settings ?? {};
    return {
      apiKey: s.apiKey ?? base.apiKey,
      apiUrl: s.apiUrl ?? base.apiUrl,
      instanceUrlTemplate: s.instanceUrlTemplate ?? base.instanceUrlTemplate,
    };
  }
}
