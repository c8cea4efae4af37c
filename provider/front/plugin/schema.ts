// The package schema `GetSchema` answers: the provider configuration, every module's resources,
// functions and types. SDKs for other languages are generated from it (`pulumi package add`)
// and Pulumi YAML reads it directly.
import * as fs from "node:fs";
import * as path from "node:path";
import type { PluginModule, PropertySpec, ResourceSpec } from "./spec";

export const PACKAGE = "agent37";

/** This package's version (the plugin's version too). */
export function packageVersion(): string {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    const manifest = path.join(dir, "package.json");
    if (fs.existsSync(manifest)) {
      const pkg = JSON.parse(fs.readFileSync(manifest, "utf8")) as { name?: string; version?: string };
      if (pkg.name === "pulumi-agent37" && pkg.version) return pkg.version;
    }
    if (path.dirname(dir) === dir) return "0.0.0";
  }
}

const CONFIG: Record<string, PropertySpec> = {
  apiKey: {
    type: "string",
    secret: true,
    description: "Agent37 API key of the workspace to manage. Falls back to the AGENT37_API_KEY environment variable of the plugin.",
  },
  apiUrl: {
    type: "string",
    description: "Agent37 API base URL (http or https). Falls back to AGENT37_API_URL, then https://api.agent37.com.",
  },
  instanceUrlTemplate: {
    type: "string",
    description:
      "Template of per-port instance URLs, with `{host}` (e.g. `https://{host}.agent37.app`). Falls back to AGENT37_INSTANCE_URL_TEMPLATE; unset, port URLs derive from each instance's own URL.",
  },
};

/**
 * Configuration keys the engine must store encrypted: the schema's secret ones (`apiKey`).
 * CheckConfig marks them secret however they arrive, so a key given in plain text (an explicit
 * provider's argument, a YAML literal) never lands unencrypted in the provider's state.
 */
export const SECRET_CONFIG_KEYS: readonly string[] = Object.entries(CONFIG)
  .filter(([, spec]) => spec.secret === true)
  .map(([k]) => k);

const PROVIDER: ResourceSpec = {
  description:
    "The provider type for Agent37. An explicit provider (one per workspace key) lets one stack manage several workspaces; a change of key or URL replaces nothing.",
  inputProperties: CONFIG,
  properties: { apiUrl: CONFIG.apiUrl as PropertySpec, instanceUrlTemplate: CONFIG.instanceUrlTemplate as PropertySpec },
};

// Where the project lives, as package.json says (a test keeps them equal).
const REPOSITORY = "https://github.com/pulumi-agent37/pulumi-agent37";
const HOMEPAGE = "https://github.com/pulumi-agent37/pulumi-agent37#readme";

/**
 * What Pulumi's code generators need per language. The Python and Go SDKs under `sdk/` are
 * generated from these (scripts/gen-sdk.sh); `pulumi package add` uses them too.
 * `meta.supportPack` (below) makes every generator take the version from the schema and
 * write a self-contained package (Go: its own go.mod in `sdk/go`).
 */
export const LANGUAGE = {
  nodejs: {
    // Not `pulumi-agent37`: that is this npm package, which holds the plugin folder itself. An
    // SDK of the same name, linked into a project, would take its place in node_modules and
    // the plugin folder would be gone.
    packageName: "@pulumi-agent37/agent37",
    packageDescription: "Agent37 instances (AI-agent hosting) through the agent37 provider plugin.",
    respectSchemaVersion: true,
  },
  python: {
    packageName: "pulumi_agent37",
    // The floor Pulumi's Python generator (v3.274.1) states for the code it writes: every
    // resource calls `pulumi.runtime.exists_resource`, new in 3.269.0.
    requires: { pulumi: ">=3.269.0,<4.0.0" },
    respectSchemaVersion: true,
    pyproject: { enabled: true },
  },
  go: {
    importBasePath: "github.com/pulumi-agent37/pulumi-agent37/sdk/go/agent37",
    respectSchemaVersion: true,
    generateResourceContainerTypes: true,
  },
  csharp: {
    rootNamespace: "PulumiAgent37",
    packageReferences: { Pulumi: "3.*" },
    respectSchemaVersion: true,
  },
  java: {
    basePackage: "io.github.pulumiagent37",
    buildFiles: "gradle",
  },
} as const;

export function buildSchema(modules: readonly PluginModule[]): Record<string, unknown> {
  const resources: Record<string, unknown> = {};
  const functions: Record<string, unknown> = {};
  const types: Record<string, unknown> = {};
  for (const m of modules) {
    Object.assign(resources, m.resources);
    Object.assign(functions, m.functions ?? {});
    Object.assign(types, m.types ?? {});
  }
  return {
    name: PACKAGE,
    displayName: "Agent37",
    version: packageVersion(),
    description: "Manage Agent37 instances (AI-agent hosting) and the commands run in them.",
    keywords: ["pulumi", "agent37", "category/infrastructure", "kind/native"],
    license: "Apache-2.0",
    homepage: HOMEPAGE,
    repository: REPOSITORY,
    publisher: "pulumi-agent37",
    meta: { moduleFormat: "(.*)", supportPack: true },
    config: { variables: CONFIG },
    provider: PROVIDER,
    resources,
    functions,
    types,
    language: LANGUAGE,
  };
}
