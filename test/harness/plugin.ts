/**
 * Starts the Agent37 provider plugin exactly as Pulumi's Node language host runs a plugin folder
 * holding `PulumiPlugin.yaml` with `runtime: nodejs` (`RunPlugin` in pulumi-language-nodejs):
 * it resolves `@pulumi/pulumi/cmd/run-plugin` from the plugin folder, then runs
 * `node <run-plugin> <plugin dir> <engine address>` with the project folder as working
 * directory, and reads the gRPC port from the first line of stdout.
 */
import { execFileSync } from "node:child_process";
import * as path from "node:path";
import type { CallOptions, ConfigureOptions, ConfigureResult, ProviderClient } from "./client";
import { launchProvider, REPO_ROOT, type ProviderHost } from "./host";

export const PLUGIN_PACKAGE = "agent37";

export interface PluginHostOptions {
  /** The plugin folder (`<package>/plugin`). @default this repository's `plugin/` */
  pluginDir?: string;
  /** The project folder the engine runs in (the plugin's working directory). @default the repository root */
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  callTimeoutMs?: number;
  startTimeoutMs?: number;
  /**
   * How the engine starts the plugin: `run-plugin` as the Node language host does (a folder whose
   * `PulumiPlugin.yaml` says `runtime: nodejs`), or `executable`: the folder's
   * `pulumi-resource-agent37` run directly, as the engine runs any plugin binary it finds there.
   * @defaultValue "run-plugin"
   */
  launch?: "run-plugin" | "executable";
  /** The engine address passed on (progress lines go there). @default `127.0.0.1:1`, never answered */
  engineAddress?: string;
}

/** The plugin's executable in a plugin folder: the file the engine looks for (`pulumi-resource-<name>`). */
export const PLUGIN_EXECUTABLE = `pulumi-resource-${PLUGIN_PACKAGE}`;

/** A running plugin: the engine-side calls of a `ProviderHost` plus the native-provider ones. */
export interface PluginHost extends ProviderHost {
  readonly client: ProviderClient;
  readonly pluginDir: string;
  readonly cwd: string;
  /**
   * `Configure` with the provider's inputs (`apiKey`, `apiUrl`, `instanceUrlTemplate`). Keys in
   * stack-config form (`agent37:apiKey`, as `emulatorConfig` gives them) are taken as well.
   */
  configure(config: Record<string, string>, opts?: ConfigureOptions & CallOptions): Promise<void>;
  /** What the last `Configure` answered. */
  readonly configured: ConfigureResult | undefined;
}

/** `require.resolve("@pulumi/pulumi/cmd/run-plugin")` run from the plugin folder, as the language host's `locateModule` does. */
export function locateRunPlugin(pluginDir: string): string {
  return execFileSync(process.execPath, ["-e", "console.log(require.resolve('@pulumi/pulumi/cmd/run-plugin'))"], {
    cwd: pluginDir,
    encoding: "utf8",
  }).trim();
}

export async function startPluginHost(opts: PluginHostOptions = {}): Promise<PluginHost> {
  const pluginDir = opts.pluginDir ?? path.join(REPO_ROOT, "plugin");
  const cwd = opts.cwd ?? REPO_ROOT;
  // The engine address is passed on (run-plugin hands it to the plugin); only progress lines dial it.
  const engine = opts.engineAddress ?? "127.0.0.1:1";
  const proc =
    opts.launch === "executable"
      ? await launchProvider([engine], cwd, opts, 60_000, path.join(pluginDir, PLUGIN_EXECUTABLE))
      : await launchProvider([locateRunPlugin(pluginDir), pluginDir, engine], cwd, opts, 60_000);
  let configured: ConfigureResult | undefined;
  return {
    ...proc,
    pluginDir,
    cwd,
    get configured() {
      return configured;
    },
    get supportsPreview() {
      return configured?.supportsPreview ?? false;
    },
    configure: async (config, o) => {
      const inputs = Object.fromEntries(Object.entries(config).map(([k, v]) => [k.replace(/^agent37:/, ""), v]));
      configured = await proc.client.configureProvider(PLUGIN_PACKAGE, inputs, o);
    },
  };
}
