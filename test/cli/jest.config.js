// The end-to-end tests through the real `pulumi` CLI (test/cli/). They need `pulumi` and
// `pulumi-language-yaml` on PATH (or in .ci/pulumi/bin, where .ci/run builds them), so the
// default jest run leaves them out and .ci/run's engine leg runs them with this config:
// `npx jest -c test/cli/jest.config.js`.
const base = require("../../jest.config.js");

/** @type {import('jest').Config} */
module.exports = {
  ...base,
  rootDir: "../..",
  roots: ["<rootDir>/test/cli"],
  testPathIgnorePatterns: ["/node_modules/"],
  // Each test drives whole `pulumi` commands, a few seconds each on a shared machine.
  testTimeout: 300000,
  // The files start engines, plugins and emulators of their own; one at a time keeps timings sane.
  maxWorkers: 1,
};
