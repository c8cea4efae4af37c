#!/usr/bin/env node
// The provider plugin as two bundled files: dist/plugin/agent37.js, the start the executable
// plugin/pulumi-resource-agent37 runs (the transport, GetPluginInfo and GetSchema), and
// dist/plugin/full.js, the provider it loads at its first call about resources. The engine
// starts a fresh plugin process for every command, twice for a Pulumi YAML stack (once for the schema, once for the resources), so what a start
// costs is paid twice before the first resource. Measured through the real CLI (docs/plugin.md,
// "Start-up"): the plugin as compiled modules spent about 216 ms of CPU in the resource process
// of a one-instance preview, the bundle about 143 ms. The savings are the module system's own
// work (resolving, reading and wrapping some 300 files) and zod's CommonJS build, whose
// re-exports are getters on getters; the bundle takes zod's ES module build, scope-hoisted.
//
// Built from the TypeScript sources (tsc still type-checks them in `npm run build`); esbuild
// reads tsconfig.json, so class fields and imports compile as tsc compiles them. Lazy
// `require()`s stay lazy: esbuild runs a required module when it is first required.
// `@pulumi/pulumi` and what the plugin loads from its folder (google-protobuf, grpc-js: see
// provider/front/grpc/sdk.ts) stay outside, so the plugin keeps using the user's
// @pulumi/pulumi, as the compiled modules do.
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

async function main() {
  // Two files: the start (main.ts: the transport, GetPluginInfo, GetSchema) and the provider it
  // loads at the first call about resources (full.ts), so that the engine's schema process reads
  // and compiles only the first (provider/front/grpc/start.ts).
  const build = (entry, outfile, external) =>
    esbuild.build({
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
  // main.ts requires "./full" at the first call: beside it, dist/plugin/full.js.
  const start = await build("provider/front/plugin/main.ts", "dist/plugin/agent37.js", ["./full"]);
  const full = await build("provider/front/plugin/full.ts", "dist/plugin/full.js", []);
  const result = { warnings: [...start.warnings, ...full.warnings], metafile: { inputs: { ...start.metafile.inputs, ...full.metafile.inputs } } };
  if (result.warnings.length > 0) {
    process.stderr.write(`bundle-plugin: ${result.warnings.length} warning(s) above; the build stops on any\n`);
    process.exit(1);
  }

  // Every package the bundle holds code of, with its licence text: the bundle is a copy of their
  // code, and their licences (MIT) ask that a copy carries the notice.
  const packages = new Map();
  for (const input of Object.keys(result.metafile.inputs)) {
    const m = /(?:^|\/)node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(input);
    if (m) packages.set(m[1], path.join(root, input.slice(0, m.index + m[0].length)));
  }
  const sections = [...packages].sort(([a], [b]) => a.localeCompare(b)).map(([name, dir]) => {
    const pkg = JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8"));
    const file = fs.readdirSync(dir).find((f) => /^licen[cs]e/i.test(f));
    if (file === undefined) throw new Error(`bundle-plugin: ${name} ships no licence file`);
    return `${name}@${pkg.version} (${pkg.license})\n\n${fs.readFileSync(path.join(dir, file), "utf8").trim()}\n`;
  });
  // The package schema, as the provider builds it at GetSchema (the compiled modules tsc wrote
  // just before: the same sources as the bundle), for the plugin's start to answer GetSchema with
  // no declaration loaded (provider/front/grpc/start.ts).
  const { MODULES } = require(path.join(root, "dist", "provider", "front", "plugin", "registry.js"));
  const { buildSchema } = require(path.join(root, "dist", "provider", "core", "schema.js"));
  fs.writeFileSync(path.join(root, "dist", "plugin", "schema.json"), JSON.stringify(buildSchema(MODULES)));

  fs.writeFileSync(
    path.join(root, "dist", "plugin", "THIRD-PARTY-LICENSES.txt"),
    `dist/plugin/agent37.js and dist/plugin/full.js hold code of these packages, under these licences.\n\n${sections.join("\n---\n\n")}`,
  );
}

main().catch((error) => {
  process.stderr.write(`bundle-plugin: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
