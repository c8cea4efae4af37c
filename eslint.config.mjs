import js from "@eslint/js";
import tseslint from "typescript-eslint";

// The direction of imports inside provider/: the shared core depends on nothing else; a
// resource depends on the core and on at most another resource's API module; the front doors
// (provider/front/) sit on top of both. A resource never reaches into a front door.
const RESOURCES = ["instance", "exec", "template", "domain", "domain-verification", "ssh-key", "file", "directory"];
// Beyond another resource's API, what a resource may use of another, and why.
const ALSO_ALLOWED = {
  // rollingFleet composes Agent37Instance, the public class.
  template: { instance: ["resource"] },
  // A domain's verification is the domain's own second step: it shares the domain's schema,
  // check, API and error handling.
  "domain-verification": { domain: ["*"] },
  // A domain plans the verification's default timeout into its outputs.
  domain: { "domain-verification": ["schema"] },
};
const API_MODULES = ["api", "api-schema"];
// The provider ships without the emulator's code paths: what both need (the OpenSSH key parser,
// the domain-name rules) lives in provider/core, and the emulator imports it from there.
const NO_EMULATOR = { group: ["**/emulator", "**/emulator/*"], message: "provider/ imports nothing from emulator/: put the shared piece in provider/core, which the emulator may import." };
const layering = [
  {
    files: ["provider/core/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              // `../dynamic` names the entries the serialized provider loads (a type import).
              group: ["../*", "!../dynamic", "../../*"],
              message: "provider/core depends on nothing else in the package: move the shared piece into core, or the caller out of it.",
            },
            NO_EMULATOR,
          ],
        },
      ],
    },
  },
  ...RESOURCES.map((resource) => ({
    files: [`provider/${resource}/**/*.ts`],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            { group: ["../front/*", "../../front/*"], message: "A resource never imports a front door; front doors import resources." },
            NO_EMULATOR,
            ...RESOURCES.filter((other) => other !== resource && !(ALSO_ALLOWED[resource]?.[other] ?? []).includes("*")).map((other) => ({
              group: [`../${other}/*`, ...[...API_MODULES, ...(ALSO_ALLOWED[resource]?.[other] ?? [])].map((m) => `!../${other}/${m}`)],
              message: `A resource uses the core and at most another resource's API module (${API_MODULES.join(", ")}); share the rest through provider/core.`,
            })),
          ],
        },
      ],
    },
  })),
  {
    files: ["provider/*.ts", "provider/front/**/*.ts"],
    rules: { "no-restricted-imports": ["error", { patterns: [NO_EMULATOR] }] },
  },
];

export default tseslint.config(
  { ignores: ["dist/**", "node_modules/**", "sdk/**", "examples/*/node_modules/**", "bench/results/**", "coverage/**"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ["**/*.js", "**/*.cjs"],
    languageOptions: { sourceType: "commonjs", globals: { require: "readonly", module: "writable", process: "readonly", __dirname: "readonly", console: "readonly" } },
    rules: { "@typescript-eslint/no-require-imports": "off" },
  },
  ...layering,
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
    },
  },
);
