#!/usr/bin/env node
// Runs as this repository's `prepare` script, so `npm ci` (or `npm install`) in a clone makes the
// project's npm scripts run on a supported Node whatever Node the machine has. `prepare` runs for
// the repository itself, never when the published package is installed from a tarball.
//
// On a supported Node (the same rule as the package: 22.19 or later) it does nothing. On an older
// one it fetches Node PINNED from the npm registry's node-linux-<arch> package (a release as
// bin/node, the same way .ci/run gets its Nodes) into node_modules/.cache, and links it as
// node_modules/.bin/node. npm puts node_modules/.bin first on PATH for every script, so `node`,
// and every tool started with `#!/usr/bin/env node` (npm itself, tsc, jest, the Pulumi hosts the
// tests start), then runs on it. `npm ci` empties node_modules, so it is redone at each install;
// npm's cache makes a refetch local.
//
// Where no release can be fetched (not Linux x64/arm64, or the registry unreachable), it prints one
// line saying what to install and fails the install.
//
// Plain CommonJS with no dependency: it must run on any Node 18+.
"use strict";
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const { execFileSync } = require("node:child_process");

/** The release fetched for an unsupported machine Node: the one CI's Node 22 leg runs. */
const PINNED = "22.23.5";
const root = path.resolve(__dirname, "..");

/** The same rule as provider/core/node-support.ts (which is TypeScript, so not loadable here). */
function supported(version) {
  const [major = 0, minor = 0] = version.split(".").map((part) => Number.parseInt(part, 10));
  return major > 22 || (major === 22 && minor >= 19);
}

function needs(version, why) {
  return `pulumi-agent37 needs Node.js 22.19+ or 24 (this is ${version})${why ? `; ${why}` : ""}: install one (https://nodejs.org/en/download) and run npm ci again`;
}

/** npm as this install runs it (npm_execpath is set in lifecycle scripts), else the one on PATH. */
function npm(args, cwd) {
  const cli = process.env.npm_execpath;
  if (cli && cli.endsWith(".js")) return execFileSync(process.execPath, [cli, ...args], { cwd, encoding: "utf8" });
  return execFileSync("npm", args, { cwd, encoding: "utf8" });
}

/**
 * The path of bin/node of `node-linux-<arch>@<version>`, unpacked under `dir` (once: a later call
 * finds it). Throws with a readable message when it cannot.
 */
function fetchNode(version, dir) {
  const arch = { x64: "x64", arm64: "arm64" }[process.arch];
  if (process.platform !== "linux" || !arch) throw new Error(`no Node package to fetch for ${process.platform}-${process.arch}`);
  const dest = path.join(dir, `node-v${version}-linux-${arch}`);
  const bin = path.join(dest, "bin", "node");
  if (fs.existsSync(bin)) return bin;
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "agent37-node-"));
  try {
    npm(["pack", `node-linux-${arch}@${version}`, "--silent", "--prefer-offline"], tmp);
    const tgz = fs.readdirSync(tmp).find((f) => f.endsWith(".tgz"));
    if (!tgz) throw new Error(`npm pack node-linux-${arch}@${version} left no tarball`);
    const part = `${dest}.partial`;
    fs.rmSync(part, { recursive: true, force: true });
    fs.mkdirSync(part, { recursive: true });
    execFileSync("tar", ["-xzf", path.join(tmp, tgz), "-C", part, "--strip-components=1", "package/bin/node", "package/LICENSE"]);
    fs.rmSync(dest, { recursive: true, force: true });
    fs.renameSync(part, dest);
    return bin;
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

function main() {
  const version = process.versions.node;
  const link = path.join(root, "node_modules", ".bin", "node");
  // On a supported Node nothing is done, and a link an earlier install made is left alone: npm
  // also runs prepare for `npm pack`, with the linked Node when the machine's is older, and
  // dropping the link there would leave every later script on the machine's old Node. The link
  // points at a supported Node anyway, and `npm ci` empties node_modules.
  if (supported(version)) return;
  let bin;
  try {
    bin = fetchNode(PINNED, path.join(root, "node_modules", ".cache", "pulumi-agent37"));
  } catch (err) {
    console.error(needs(version, `fetching Node ${PINNED} failed (${String(err.message).split("\n")[0]})`));
    process.exit(1);
  }
  fs.mkdirSync(path.dirname(link), { recursive: true });
  fs.rmSync(link, { force: true });
  fs.symlinkSync(path.relative(path.dirname(link), bin), link);
  console.error(`pulumi-agent37: Node.js ${version} is older than 22.19; the npm scripts here run on Node ${PINNED} (node_modules/.bin/node, fetched from the npm registry)`);
}

if (require.main === module) main();

module.exports = { supported, fetchNode, PINNED };
