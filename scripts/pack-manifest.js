#!/usr/bin/env node
// `prepack` / `postpack`: the packed package.json leaves out the `prepare` script. It sets up the
// repository's own Node (scripts/supported-node.js, not shipped) and means nothing to a consumer,
// whose npm would otherwise list it as an install script to review when the package is installed
// from a tarball or git, and could run it there, where its file does not exist.
// `prepack` moves package.json aside and writes the trimmed copy; `postpack --restore` (also run
// by `prepack` first, in case an earlier pack stopped in between) puts the original back.
"use strict";
const fs = require("node:fs");
const path = require("node:path");

const file = path.resolve(__dirname, "..", "package.json");
const saved = `${file}.prepack`;

// Every change is a rename, so a process reading package.json meanwhile (a test, another pack)
// sees either the whole original or the whole trimmed copy, never a half-written file.
if (fs.existsSync(saved)) fs.renameSync(saved, file);
if (process.argv[2] !== "--restore") {
  const pkg = JSON.parse(fs.readFileSync(file, "utf8"));
  delete pkg.scripts.prepare;
  const trimmed = `${file}.trimmed-${process.pid}`;
  fs.writeFileSync(trimmed, `${JSON.stringify(pkg, null, 2)}\n`);
  fs.copyFileSync(file, saved);
  fs.renameSync(trimmed, file);
}
