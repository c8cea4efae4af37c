#!/usr/bin/env node
// The bundles `npm run build` makes with esbuild from the TypeScript sources, for the processes
// the Pulumi engine starts afresh for every command, where loading some 300 compiled modules and
// zod's CommonJS build was a large part of a start on the way to the first resource:
// - dist/plugin/agent37.js, the plugin's start, which the executable plugin/pulumi-resource-agent37
//   runs (the transport, GetPluginInfo and GetSchema), and dist/plugin/full.js, the provider it
//   loads at its first call about resources; the engine starts the plugin twice for a Pulumi YAML
//   stack (once for the schema, once for the resources);
// - dist/dynamic/index.js, `pulumi-agent37/dynamic` (package.json `exports`), which the serialized
//   provider in every dynamic resource's state loads in Pulumi's dynamic provider host.
// Measured through the real CLI (docs/plugin.md, "Start-up"; docs/bench.md): the plugin as
// compiled modules spent about 216 ms of CPU in the resource process of a one-instance preview,
// as a bundle about 143 ms; the dynamic host loaded the instance implementation in about 65 ms
// from compiled modules and about 22 ms from the bundle. The savings are the module system's own
// work (resolving, reading and wrapping the files) and zod's CommonJS build, whose re-exports are
// getters on getters; a bundle takes zod's ES module build, scope-hoisted, and keeps only what
// the provider calls (zod is imported as a namespace).
//
// tsc still compiles and type-checks the same sources (dist/provider, for the package's main
// entry and its type declarations); esbuild reads tsconfig.json, so class fields and imports
// compile as tsc compiles them. Lazy `require()`s stay lazy: esbuild runs a required module when
// it is first required. `@pulumi/pulumi`, undici and tldts stay outside, so the user's copies
// load, the last two only when first used.
"use strict";
const fs = require("node:fs");
const path = require("node:path");
const esbuild = require("esbuild");

const root = path.resolve(__dirname, "..");

// zod's translations of its messages (`z.locales`, about 40 modules) load with zod and cost a
// start several milliseconds; the provider never uses them (its messages are English, the
// locale zod itself installs, which stays). The bundle gets an empty module in their place.
const noZodLocales = {
  name: "no-zod-locales",
  setup(build) {
    build.onResolve({ filter: /\/locales\/index\.js$/ }, (args) => (args.importer.includes(`${path.sep}zod${path.sep}`) ? { path: args.path, namespace: "no-zod-locales" } : undefined));
    build.onLoad({ filter: /.*/, namespace: "no-zod-locales" }, () => ({ contents: "export {};", loader: "js" }));
  },
};

/** One bundle of `entry`, with `external` left to load at run time beside the always-external packages. */
function build(entry, outfile, external) {
  return esbuild.build({
    absWorkingDir: root,
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: "node",
    format: "cjs",
    target: "node22",
    // zod's ES module build (see above); packages without one keep their CommonJS.
    mainFields: ["module", "main"],
    external: ["@pulumi/pulumi", "@pulumi/pulumi/*", "google-protobuf", "google-protobuf/*", "@grpc/grpc-js", "undici", "tldts", ...external],
    // The licences of what the bundle holds go beside it (below), whole.
    legalComments: "none",
    metafile: true,
    plugins: [noZodLocales],
    logLevel: "warning",
    // A warning (say, a require esbuild cannot follow that should have been bundled) fails the build.
    logOverride: {},
  });
}

/**
 * Every package the bundles hold code of, with its licence text, in `folder`: a bundle is a copy
 * of their code, and their licences (MIT) ask that a copy carries the notice.
 */
function writeLicences(folder, files, results) {
  const packages = new Map();
  for (const r of results) {
    for (const input of Object.keys(r.metafile.inputs)) {
      const m = /(?:^|\/)node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(input);
      if (m) packages.set(m[1], path.join(root, input.slice(0, m.index + m[0].length)));
    }
  }
  const sections = [...packages].sort(([a], [b]) => a.localeCompare(b)).map(([name, dir]) => {
    const pkg = JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8"));
    const file = fs.readdirSync(dir).find((f) => /^licen[cs]e/i.test(f));
    if (file === undefined) throw new Error(`${name} ships no licence file`);
    return `${name}@${pkg.version} (${pkg.license})\n\n${fs.readFileSync(path.join(dir, file), "utf8").trim()}\n`;
  });
  fs.writeFileSync(path.join(root, folder, "THIRD-PARTY-LICENSES.txt"), `${files.join(" and ")} hold code of these packages, under these licences.\n\n${sections.join("\n---\n\n")}`);
}

async function main() {
  // The plugin in two files: the start (main.ts) and the provider it loads at the first call
  // about resources (full.ts), so that the engine's schema process reads and compiles only the
  // first (provider/front/grpc/start.ts). main.ts requires "./full": beside it, dist/plugin/full.js.
  const start = await build("provider/front/plugin/main.ts", "dist/plugin/agent37.js", ["./full"]);
  const full = await build("provider/front/plugin/full.ts", "dist/plugin/full.js", []);
  // `pulumi-agent37/dynamic`: every entry, each implementation still made at its first call.
  const dynamic = await build("provider/dynamic.ts", "dist/dynamic/index.js", []);
  const warnings = [start, full, dynamic].reduce((n, r) => n + r.warnings.length, 0);
  if (warnings > 0) throw new Error(`${warnings} warning(s) above; the build stops on any`);
  writeLicences("dist/plugin", ["dist/plugin/agent37.js", "dist/plugin/full.js"], [start, full]);
  writeLicences("dist/dynamic", ["dist/dynamic/index.js"], [dynamic]);

  // The package schema, as the provider builds it at GetSchema (the compiled modules tsc wrote
  // just before: the same sources as the bundle), for the plugin's start to answer GetSchema with
  // no declaration loaded (provider/front/grpc/start.ts).
  const { MODULES } = require(path.join(root, "dist", "provider", "front", "plugin", "registry.js"));
  const { buildSchema } = require(path.join(root, "dist", "provider", "core", "schema.js"));
  fs.writeFileSync(path.join(root, "dist", "plugin", "schema.json"), JSON.stringify(buildSchema(MODULES)));
}

main().catch((error) => {
  process.stderr.write(`bundle: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
