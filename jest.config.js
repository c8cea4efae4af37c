/** @type {import('jest').Config} */
module.exports = {
  roots: ["<rootDir>/test"],
  testMatch: ["**/*.test.ts"],
  // test/cli/ needs the real pulumi CLI: .ci/run's engine leg runs it (test/cli/jest.config.js).
  testPathIgnorePatterns: ["/node_modules/", "<rootDir>/test/cli/"],
  transform: { "^.+\\.tsx?$": ["@swc/jest", { jsc: { target: "es2022" } }] },
  testEnvironment: "node",
  // Fails a test during which the Pulumi runtime printed a warning (test/setup/runtime-warnings.ts).
  setupFilesAfterEnv: ["<rootDir>/test/setup/runtime-warnings.ts"],
  // Engine-protocol and emulator suites start real servers and child processes.
  testTimeout: 60000,
  maxWorkers: 2,
  reporters: ["default", "<rootDir>/test/summary-reporter.js"],
};
