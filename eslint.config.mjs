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
  // The verification words its errors with the domain's advice, kept apart from the domain's API
  // module so that error classes load no validator (provider/domain/advice.ts).
  "domain-verification": { domain: ["advice"] },
};
const API_MODULES = ["api", "api-schema"];
// The provider ships without the emulator's code paths: what both need (the OpenSSH key parser,
// the domain-name rules) lives in provider/core, and the emulator imports it from there.
const NO_EMULATOR = { group: ["**/emulator", "**/emulator/*"], message: "provider/ imports nothing from emulator/: put the shared piece in provider/core, which the emulator may import." };
// The emulator stands beside the provider, not on it: it may use only the provider's neutral
// modules, which it shares on purpose (the Node version gate, the OpenSSH key parser, the
// domain-name rules, the type-equality check of its schemas, the package's own version). The core's other modules carry the
// provider's own behaviour (its client, its errors, its validation); the resources and the front
// doors are the provider itself. An emulator that imported them would agree with the provider by
// construction, not by contract.
const SHARED_WITH_EMULATOR = ["require-node", "exit-on-old-node", "ssh-public-key", "domain-name", "schema-type", "package-version"];
const EMULATOR_OWN = {
  regex: `^(\\.\\./)+provider/(?!core/(${SHARED_WITH_EMULATOR.join("|")})$)|^pulumi-agent37(/|$)`,
  message: `emulator/ imports nothing from provider/ but its neutral modules (provider/core/{${SHARED_WITH_EMULATOR.join(",")}}): give the emulator its own copy, or make the piece neutral and add it to SHARED_WITH_EMULATOR in eslint.config.mjs.`,
};
const layering = [
  {
    files: ["emulator/**/*.ts"],
    rules: { "no-restricted-imports": ["error", { patterns: [EMULATOR_OWN] }] },
  },
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
