#!/usr/bin/env node
// The serialized provider stored in Pulumi state loads the implementation by package name
// (`require("pulumi-agent37/dynamic")`), exactly as it does in a user's project where the
// package sits in node_modules. Inside this repository the package is not its own dependency,
// so after each build we link node_modules/pulumi-agent37 to the repository root. The link is
// relative, so a fresh clone in any folder gets a working one.
const fs = require("node:fs");
const path = require("node:path");

const root = path.resolve(__dirname, "..");
const link = path.join(root, "node_modules", "pulumi-agent37");
fs.mkdirSync(path.dirname(link), { recursive: true });
try {
  const current = fs.readlinkSync(link);
  if (current === "..") process.exit(0);
  fs.rmSync(link, { recursive: true, force: true });
} catch {
  fs.rmSync(link, { recursive: true, force: true });
}
fs.symlinkSync("..", link, "dir");
