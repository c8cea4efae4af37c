// Checks of a Pulumi package schema: the metaschema (a copy of Pulumi's, see fixtures/README.md)
// and what the metaschema cannot see, that every `$ref` resolves as Pulumi's binder requires.
import * as fs from "node:fs";
import * as path from "node:path";
import Ajv2020 from "ajv/dist/2020";

const METASCHEMA = JSON.parse(fs.readFileSync(path.join(__dirname, "fixtures", "pulumi-package-metaschema.json"), "utf8")) as object;

/** Metaschema violations, as `path: message` lines (empty when valid). */
export function metaschemaErrors(schema: unknown): string[] {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  ajv.addFormat("regex", (s: string) => {
    try {
      new RegExp(s);
      return true;
    } catch {
      return false;
    }
  });
  ajv.addFormat("uri-reference", true);
  const validate = ajv.compile(METASCHEMA);
  if (validate(schema)) return [];
  return (validate.errors ?? []).map((e) => `${e.instancePath || "/"}: ${e.message ?? "invalid"}`);
}

/** Built-in types every package may reference. */
const BUILTINS = new Set(["pulumi.json#/Any", "pulumi.json#/Archive", "pulumi.json#/Asset", "pulumi.json#/Json"]);

/** Every `$ref` in `schema` that names no type, resource or built-in of the package. */
export function unresolvedRefs(schema: Record<string, unknown>): string[] {
  const types = (schema.types ?? {}) as Record<string, unknown>;
  const resources = (schema.resources ?? {}) as Record<string, unknown>;
  const bad: string[] = [];
  const visit = (v: unknown, at: string): void => {
    if (Array.isArray(v)) return v.forEach((x, i) => visit(x, `${at}[${i}]`));
    if (v === null || typeof v !== "object") return;
    for (const [k, x] of Object.entries(v)) {
      if (k === "$ref" && typeof x === "string") {
        const ok =
          BUILTINS.has(x) ||
          (x.startsWith("#/types/") && decodeURIComponent(x.slice("#/types/".length)) in types) ||
          (x.startsWith("#/resources/") && decodeURIComponent(x.slice("#/resources/".length)) in resources) ||
          x === "#/provider";
        if (!ok) bad.push(`${at}: ${x}`);
      } else visit(x, `${at}.${k}`);
    }
  };
  visit(schema, "schema");
  return bad;
}
