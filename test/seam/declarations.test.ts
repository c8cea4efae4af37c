/**
 * A seam resource's one declaration (provider/<resource>/fields.ts: Agent37SshKey, Agent37Domain, Agent37File, Agent37Directory)
 * drives both doors: the generated
 * files are what the declaration renders (no drift), the dynamic door's emitted types name no
 * zod type, and the plugin's schema and the dynamic door's types and behaviour agree field by
 * field: names, types, required, secret, and which changes replace.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as ts from "typescript";
import { UNKNOWN } from "../../provider/core/check";
import { DynamicAdapter } from "../../provider/front/dynamic/adapter";
import { pluginModule } from "../../provider/front/plugin/adapter";
import { MODULES } from "../../provider/front/plugin/registry";
import { buildSchema } from "../../provider/front/plugin/schema";
import type { PropertySpec, ResourceSpec } from "../../provider/front/plugin/spec";
import type { Resource } from "../../provider/core/resource";
import { domainResource } from "../../provider/domain/operations";
import { sshKeyResource } from "../../provider/ssh-key/operations";
import { fileResource } from "../../provider/file/operations";
import { directoryResource } from "../../provider/directory/operations";
import { DECLARED } from "../../scripts/declared";
import { resourceSource, typesSource } from "../../scripts/resource-source";
import { SSH_KEY_VECTORS } from "../harness/fixtures/ssh-keys";

const ROOT = path.resolve(__dirname, "..", "..");

describe("generated files", () => {
  it.each(DECLARED.map((d) => [d.folder, d] as const))("%s: types.ts and resource.ts are what the declaration renders (run scripts/gen-resources.ts after a change)", (folder, d) => {
    expect(fs.readFileSync(path.join(ROOT, "provider", folder, "types.ts"), "utf8")).toBe(typesSource(d.declaration, folder));
    expect(fs.readFileSync(path.join(ROOT, "provider", folder, "resource.ts"), "utf8")).toBe(resourceSource(d.declaration, folder));
  });
});

/** The emitted declaration file of the dynamic door's resource module. */
function emittedTypes(folder: string): string {
  const file = path.join(ROOT, "provider", folder, "resource.ts");
  return ts.transpileDeclaration(fs.readFileSync(file, "utf8"), { fileName: file, compilerOptions: { strict: true } }).outputText;
}

interface Member {
  optional: boolean;
  type: string;
}

/** The members of an interface or class in `source`, by name, with their type text. */
function members(source: string, name: string): Record<string, Member> {
  const sf = ts.createSourceFile("x.d.ts", source, ts.ScriptTarget.ES2022, true);
  const out: Record<string, Member> = {};
  const visit = (node: ts.Node): void => {
    if ((ts.isInterfaceDeclaration(node) || ts.isClassDeclaration(node)) && node.name?.text === name) {
      for (const m of node.members) {
        if ((ts.isPropertySignature(m) || ts.isPropertyDeclaration(m)) && m.type !== undefined) {
          out[(m.name as ts.Identifier).text] = { optional: m.questionToken !== undefined, type: m.type.getText(sf) };
        }
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return out;
}

const TS_OF: Record<string, string> = { string: "string", integer: "number", number: "number", boolean: "boolean" };

/** The TypeScript type a schema property stands for. */
const tsOf = (prop: PropertySpec): string => (prop.type === "array" ? `${tsOf(prop.items as PropertySpec)}[]` : (TS_OF[prop.type as string] as string));

const [ED, RSA] = [SSH_KEY_VECTORS[0]!, SSH_KEY_VECTORS[1]!];

interface Case {
  folder: string;
  resource: Resource<unknown, unknown>;
  /** One value and another for every input; an input missing here fails the test. */
  values: Record<string, [unknown, unknown]>;
  /** Outputs that are not inputs, as a record would hold them. */
  recorded: Record<string, unknown>;
  /** Inputs of which exactly one is given: the first, unless the input under test is another. */
  oneOf?: string[];
}

// Agent37File's `source`: two local files with different bytes (check reads and hashes them).
const SOURCES = [0, 1].map((i) => {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "a37-seam-")), `s${i}.md`);
  fs.writeFileSync(file, `source ${i}\n`);
  return file;
});
// Agent37Directory's `source`: two local folders with different files (`ignore` changes which count).
const FOLDERS = [0, 1].map((i) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "a37-seam-dir-"));
  fs.writeFileSync(path.join(dir, `a${i}.md`), `folder ${i}\n`);
  fs.writeFileSync(path.join(dir, "b.log"), "log\n");
  return dir;
});
afterAll(() => {
  for (const f of SOURCES) fs.rmSync(path.dirname(f), { recursive: true, force: true });
  for (const d of FOLDERS) fs.rmSync(d, { recursive: true, force: true });
});

const CASES: Case[] = [
  { folder: "ssh-key", resource: sshKeyResource as Resource<unknown, unknown>, values: { publicKey: [ED.line, RSA.line], name: ["laptop", "desk"], adopt: [false, true] }, recorded: { keyId: "id_1", created: 1 } },
  { folder: "domain", resource: domainResource as Resource<unknown, unknown>, values: { domain: ["acme.com", "other.com"], adopt: [false, true] }, recorded: { status: "pending", nameservers: ["ns1.dns.agent37.com"], dnsName: "acme.com", created: 1 } },
  {
    folder: "file",
    resource: fileResource as Resource<unknown, unknown>,
    values: { instanceId: ["ab12cd34ef", "zz12cd34ef"], path: ["SOUL.md", "skills/a.md"], content: ["calm", "curious"], source: [SOURCES[0], SOURCES[1]], overwrite: [false, true] },
    recorded: { size: 4, modified: 1 },
    oneOf: ["content", "source"],
  },
  {
    folder: "directory",
    resource: directoryResource as Resource<unknown, unknown>,
    values: { instanceId: ["ab12cd34ef", "zz12cd34ef"], source: [FOLDERS[0], FOLDERS[1]], path: ["skills", "prompts"], ignore: [["*.log"], ["*.md"]], prune: [true, false] },
    recorded: { files: 1, manifest: "" },
  },
];

describe.each(CASES.map((c) => [c.resource.declaration.className, c] as const))("%s: plugin schema and dynamic door from one declaration", (className, c) => {
  const TOKEN = `agent37:index:${c.resource.declaration.name}`;
  const schema = buildSchema(MODULES) as { resources: Record<string, ResourceSpec> };
  const spec = schema.resources[TOKEN] as ResourceSpec;
  const dts = emittedTypes(c.folder);
  const args = members(dts, `${className}Args`);
  const outputs = members(dts, className);

  it("the emitted types name no zod type", () => {
    expect(Object.keys(args).length).toBeGreaterThan(0);
    expect(dts).not.toMatch(/zod|Zod/);
  });

  it("inputs: the same names, types and required ones", () => {
    expect(Object.keys(args).sort()).toEqual(Object.keys(spec.inputProperties).sort());
    for (const [name, prop] of Object.entries(spec.inputProperties)) {
      expect([name, args[name]?.type]).toEqual([name, `pulumi.Input<${tsOf(prop)}>`]);
      expect([name, args[name]?.optional]).toEqual([name, !(spec.requiredInputs ?? []).includes(name)]);
    }
  });

  it("outputs: the same names, types, and null where the schema does not require them", () => {
    expect(Object.keys(outputs).sort()).toEqual(Object.keys(spec.properties).sort());
    for (const [name, prop] of Object.entries(spec.properties)) {
      const nullable = !(spec.required ?? []).includes(name);
      expect([name, outputs[name]?.type]).toEqual([name, `pulumi.Output<${tsOf(prop)}${nullable ? " | null" : ""}>`]);
    }
  });

  it("secret: the schema's secret properties are the outputs both doors mark secret", () => {
    const secretInSchema = (props: Record<string, PropertySpec>): string[] => Object.keys(props).filter((k) => props[k]?.secret === true);
    const declared = [...secretInSchema(spec.inputProperties), ...secretInSchema(spec.properties)].filter((k, i, a) => a.indexOf(k) === i).sort();
    expect(pluginModule(c.resource.declaration, () => c.resource).secretOutputs?.[TOKEN] ?? []).toEqual(declared);
    // The dynamic class registers them as additional secret outputs.
    const source = fs.readFileSync(path.join(ROOT, "provider", c.folder, "resource.ts"), "utf8");
    const registered = /const SECRET_OUTPUTS = \[(.*)\];/.exec(source)?.[1];
    expect(registered === undefined ? [] : (JSON.parse(`[${registered}]`) as string[]).sort()).toEqual(declared);
  });

  describe("replace: a change of an input replaces in both doors exactly when the schema says willReplaceOnChanges", () => {
    const VALUES = c.values;
    const dynamic = new DynamicAdapter(c.resource);
    const plugin = pluginModule(c.resource.declaration, () => c.resource).instantiate().resources[TOKEN]!;

    it.each(Object.keys(spec.inputProperties))("%s", async (field) => {
      const pair = VALUES[field];
      expect(pair).toBeDefined();
      const given = c.oneOf?.includes(field) ? field : c.oneOf?.[0];
      const base = Object.fromEntries(Object.entries(VALUES).filter(([k]) => !c.oneOf?.includes(k) || k === given).map(([k, v]) => [k, v[0]]));
      const checked = await dynamic.check({}, base);
      expect(checked.failures).toEqual([]);
      const olds = { ...checked.inputs, ...c.recorded };
      const news = (await dynamic.check(olds, { ...base, [field]: pair![1] })).inputs;
      const replaces = spec.inputProperties[field]?.willReplaceOnChanges === true;
      const diff = await dynamic.diff("id_1", olds, news);
      expect(diff.replaces?.length !== 0).toBe(replaces);
      const kinds = [...(await plugin.changes("id_1", olds, news)).changes.values()];
      expect(kinds.includes("replace")).toBe(replaces);
      // A value still unknown at preview replaces as a known change would.
      if (replaces) expect((await dynamic.diff("id_1", olds, (await dynamic.check(olds, { ...base, [field]: UNKNOWN })).inputs)).replaces?.length).toBeGreaterThan(0);
    });
  });
});
