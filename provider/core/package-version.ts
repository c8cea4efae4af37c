// This package's version, read from its own package.json (found by walking up from this file, so
// it holds from dist/, from the plugin's bundle and from an installed package alike). Neutral:
// the plugin reports it (GetPluginInfo, the schema's `version`) and the emulator's CLI prints it
// (`--version`).
import * as fs from "node:fs";
import * as path from "node:path";

/** What the walk found, once per process (`null`: no manifest of this package above this file). */
let found: string | null | undefined;

/** The version in pulumi-agent37's package.json, or `fallback` when none is found above this file. */
export function packageVersion(fallback: string): string {
  if (found === undefined) found = findVersion();
  return found ?? fallback;
}

function findVersion(): string | null {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    const manifest = path.join(dir, "package.json");
    if (fs.existsSync(manifest)) {
      const pkg = JSON.parse(fs.readFileSync(manifest, "utf8")) as { name?: string; version?: string };
      if (pkg.name === "pulumi-agent37" && pkg.version) return pkg.version;
    }
    if (path.dirname(dir) === dir) return null;
  }
}
