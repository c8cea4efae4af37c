// Experiment (not part of `npm run bench`): a `__provider` that is a single `require()`.
//
// Pulumi's closure serializer captures an object that is the `module.exports` of a package in
// node_modules as `require("<package>/<subpath>")`, mapping the file back through the package's
// `exports` map to its public subpath. So if the provider object handed to
// `pulumi.dynamic.Resource` were the exports of a public entry (say `pulumi-agent37/provider`),
// `__provider` would shrink from a closure of seven method wrappers to one `require` of a stable
// entry. This script builds that layout in a temporary project (a probe package whose entry's
// exports delegate to `pulumi-agent37/dynamic`, the other packages linked from this repository),
// serializes it in a child process as a user's program would (`--preserve-symlinks`, so the links
// count as node_modules), and times preview Check + Diff through one host for the current
// `__provider` and the one-require form, alternating.
//
//   npm run build && node dist/bench/experiments/module-provider.js
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { startProviderHost } from "../../test/harness";
import { up, destroy } from "../lib/engine";
import { withEmulator } from "../lib/emulator";
import { median, round } from "../lib/stats";
import { oursSubject, type Subject } from "../lib/subjects";
import { buildCases, timedRun, PREVIEW } from "../measure/preview";

const ROOT = path.resolve(__dirname, "..", "..", "..");
const PROBE = "agent37-probe";

/** A temporary project whose node_modules hold the probe package and links to this repository's packages. */
function makeProject(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "agent37-module-provider-"));
  const modules = path.join(dir, "node_modules");
  fs.mkdirSync(path.join(modules, PROBE, "dist"), { recursive: true });
  for (const entry of fs.readdirSync(path.join(ROOT, "node_modules"))) {
    if (entry === ".bin" || entry === "pulumi-agent37") continue;
    fs.symlinkSync(path.join(ROOT, "node_modules", entry), path.join(modules, entry));
  }
  fs.symlinkSync(ROOT, path.join(modules, "pulumi-agent37"));
  // The serializer finds the package by resolving its bare name, so the probe needs a "." entry
  // too (as pulumi-agent37 has).
  fs.writeFileSync(path.join(modules, PROBE, "package.json"), JSON.stringify({ name: PROBE, version: "0.0.0", exports: { ".": "./dist/index.js", "./provider": "./dist/provider.js" } }));
  fs.writeFileSync(path.join(modules, PROBE, "dist", "index.js"), "module.exports = {};\n");
  const methods = ["configure", "check", "diff", "create", "read", "update", "delete"];
  fs.writeFileSync(
    path.join(modules, PROBE, "dist", "provider.js"),
    `const impl = () => require("pulumi-agent37/dynamic").instanceProvider();\nmodule.exports = {\n${methods.map((m) => `  ${m}: (...a) => impl().${m}(...a),`).join("\n")}\n};\n`,
  );
  fs.writeFileSync(
    path.join(dir, "serialize.js"),
    `const pulumi = require("@pulumi/pulumi");\nconst provider = require("${PROBE}/provider");\npulumi.runtime.serializeFunction(() => provider, { allowSecrets: true }).then((sf) => process.stdout.write(sf.text));\n`,
  );
  return dir;
}

async function main(): Promise<void> {
  const subject: Subject = await oursSubject();
  const project = makeProject();
  try {
    const onRequire = execFileSync(process.execPath, ["--preserve-symlinks", "serialize.js"], { cwd: project, encoding: "utf8" });
    process.stdout.write(`current __provider: ${Buffer.byteLength(subject.provider)} bytes\none-require __provider: ${Buffer.byteLength(onRequire)} bytes\n${onRequire}\n`);
    const variants = [
      { name: "current", subject },
      { name: "one-require", subject: { ...subject, provider: onRequire, inputs: (spec: Parameters<Subject["inputs"]>[0]) => ({ ...subject.inputs(spec), __provider: onRequire }) } },
    ];
    await withEmulator(PREVIEW.emulator, async (emulator) => {
      const key = emulator.keys[0] ?? "";
      const host = await startProviderHost({ cwd: project });
      try {
        await host.configure({ "agent37:apiKey": key, "agent37:apiUrl": emulator.url, "agent37:instanceUrlTemplate": `http://{host}.localhost:${emulator.port}` });
        const template = await up(host, variants[1]?.subject ?? subject, { name: "template", user: "template" });
        const samples: Record<string, number[]> = { current: [], "one-require": [] };
        for (const v of variants) await timedRun(host, buildCases(v.subject, template, `warm-${v.name}`, PREVIEW.warmup), PREVIEW.concurrency, {});
        for (let rep = 0; rep < PREVIEW.repetitions; rep++) {
          for (const v of variants) {
            (samples[v.name] as number[]).push(await timedRun(host, buildCases(v.subject, template, `r${rep}-${v.name}`, PREVIEW.resources), PREVIEW.concurrency, {}));
          }
        }
        for (const v of variants) process.stdout.write(`${v.name}: ${round(median(samples[v.name] as number[]), 3)} ms per resource (Check + Diff, ${PREVIEW.concurrency} in flight, median of ${PREVIEW.repetitions})\n`);
        await destroy(host, template);
      } finally {
        await host.close();
      }
    });
  } finally {
    fs.rmSync(project, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
