/**
 * A seam resource's one declaration (provider/<resource>/fields.ts: Agent37SshKey, Agent37Domain,
 * Agent37DomainVerification, Agent37Exec, Agent37File, Agent37Directory) drives both doors: the
 * generated files are what the declaration renders (no drift), the dynamic door's emitted types
 * name no zod type, and the plugin's schema and the dynamic door's types and behaviour agree field
 * by field: names, types, required, secret, and which changes replace. (Agent37Exec's class is
 * written by hand, exec/fields.ts says why: it is held to the same agreement.)
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as ts from "typescript";
import { UNKNOWN } from "../../provider/core/check";
import { DynamicAdapter } from "../../provider/front/dynamic/adapter";
import { pluginModule } from "../../provider/front/plugin/adapter";
import { MODULES } from "../../provider/front/plugin/registry";
import { buildSchema } from "../../provider/core/schema";
import type { PropertySpec, ResourceSpec } from "../../provider/core/schema";
import type { Resource } from "../../provider/core/resource";
import { plannedOutputs, type Declaration } from "../../provider/core/declare";
import { domainResource } from "../../provider/domain/operations";
import { domainVerificationResource } from "../../provider/domain-verification/operations";
import { sshKeyResource } from "../../provider/ssh-key/operations";
import { execResource } from "../../provider/exec/operations";
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

/** The TypeScript type a schema property stands for: as an output (`plain`), or inside an input, where each nested value is an input too. */
const tsOf = (prop: PropertySpec, input = false): string => {
  const inner = (p: PropertySpec): string => (input ? `pulumi.Input<${tsOf(p, true)}>` : tsOf(p));
  if (prop.$ref === "pulumi.json#/Any") return "unknown";
  if (prop.type === "array") return `${inner(prop.items as PropertySpec)}[]`;
  if (prop.type === "object" && prop.additionalProperties !== undefined) return `Record<string, ${inner(prop.additionalProperties)}>`;
  return TS_OF[prop.type as string] as string;
};

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
  { folder: "domain-verification", resource: domainVerificationResource as Resource<unknown, unknown>, values: { domain: ["acme.com", "other.com"], timeoutSeconds: [600, 60] }, recorded: { status: "active" } },
  {
    folder: "exec",
    resource: execResource as Resource<unknown, unknown>,
    values: {
      instanceId: ["ab12cd34ef", "zz99zz99zz"],
      create: ["echo 1", "echo 2"],
      update: ["echo u", "echo v"],
      delete: ["echo d", "echo e"],
      triggers: [["1"], ["2"]],
      environment: [{ A: "1" }, { A: "2" }],
      expectExitCode: [0, 1],
      waitForRunning: [true, false],
    },
    recorded: { exitCode: 0, stdout: "", stderr: "", truncated: false, ranAt: "2026-12-01T00:00:00.000Z" },
  },
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
  // Outputs the resource records for its own use are not in the schema.
  const outputs = Object.fromEntries(Object.entries(members(dts, className)).filter(([k]) => c.resource.declaration.outputs[k]?.internal !== true));

  it("the emitted types name no zod type", () => {
    expect(Object.keys(args).length).toBeGreaterThan(0);
    expect(dts).not.toMatch(/zod|Zod/);
  });

  it("inputs: the same names, types and required ones", () => {
    expect(Object.keys(args).sort()).toEqual(Object.keys(spec.inputProperties).sort());
    for (const [name, prop] of Object.entries(spec.inputProperties)) {
      expect([name, args[name]?.type]).toEqual([name, `pulumi.Input<${tsOf(prop, true)}>`]);
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
    const registered = /const (?:SECRET_OUTPUTS|secretOutputs) = \[(.*)\];/.exec(source)?.[1];
    const internal = (k: string): boolean => c.resource.declaration.outputs[k]?.internal === true;
    expect(registered === undefined ? [] : (JSON.parse(`[${registered}]`) as string[]).filter((k) => !internal(k)).sort()).toEqual(declared);
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

describe("nested field types: objects, maps and lists of any type, from the declaration alone", () => {
  const BUILD = {
    object: "TemplateBuild",
    description: "The folder a template is built from.",
    properties: {
      context: { type: "string", required: true, description: "The build context." },
      dockerfile: { type: "string", description: "The Dockerfile's path inside `context`." },
    },
  } as const;
  const DECL: Declaration = {
    name: "Probe",
    className: "Agent37Probe",
    entry: "probeProvider",
    description: "A probe of nested types.",
    inputs: {
      build: { type: BUILD, onChange: "update", description: "Build input." },
      environment: { type: { map: "string" }, secret: true, onChange: "update", default: {}, description: "Exported variables." },
      triggers: { type: { array: "any" }, onChange: "update", default: [], description: "Any values." },
      stages: { type: { array: BUILD }, onChange: "update", description: "More builds." },
    },
    outputs: {
      build: { type: BUILD, nullable: true, plan: "input", description: "The build input." },
      environment: { type: { map: "string" }, plan: "input", description: "The variables." },
      triggers: { type: { array: "any" }, plan: "input", description: "The triggers." },
    },
  };
  const today = buildSchema(MODULES) as { types: Record<string, unknown>; resources: Record<string, ResourceSpec> };

  it("the schema: an object type goes to `types` under agent37:index:<object>, as the hand-written TemplateBuild; maps and lists inline", () => {
    const module = pluginModule(DECL, () => {
      throw new Error("not loaded for the schema");
    });
    expect(Object.keys(module.types ?? {})).toEqual(["agent37:index:TemplateBuild"]);
    expect(module.types?.["agent37:index:TemplateBuild"]).toEqual({ ...(today.types["agent37:index:TemplateBuild"] as object), properties: { context: { type: "string", description: "The build context." }, dockerfile: { type: "string", description: "The Dockerfile's path inside `context`." } } });
    const spec = module.resources["agent37:index:Probe"]!;
    expect(spec.inputProperties.build).toEqual({ $ref: "#/types/agent37:index:TemplateBuild", description: "Build input." });
    // As today's hand-written Exec schema writes `environment` and `triggers`.
    const exec = today.resources["agent37:index:Exec"]!;
    expect(spec.inputProperties.environment).toEqual({ ...exec.inputProperties.environment, description: "Exported variables." });
    expect(spec.inputProperties.triggers).toEqual({ ...exec.inputProperties.triggers, description: "Any values." });
    expect(spec.inputProperties.stages).toEqual({ type: "array", items: { $ref: "#/types/agent37:index:TemplateBuild" }, description: "More builds." });
    expect(module.secretOutputs?.["agent37:index:Probe"]).toEqual(["environment"]);
  });

  it("validation: each nested rule names the field, and the path of the value that breaks it", () => {
    const dynamic = new DynamicAdapter({ declaration: DECL } as unknown as Resource<unknown, unknown>);
    const failures = async (news: Record<string, unknown>) => (await dynamic.check({}, news)).failures;
    return Promise.all([
      expect(failures({ build: { context: "app" }, environment: { A: "1" }, triggers: [1, "x", { a: 1 }], stages: [{ context: "b", dockerfile: "D" }] })).resolves.toEqual([]),
      expect(failures({ build: { dockerfile: "D" } })).resolves.toEqual([{ property: "build.context", reason: "build.context must be a string" }]),
      expect(failures({ build: { context: "a", extra: 1 } })).resolves.toEqual([{ property: "build.extra", reason: 'unknown field "extra" (not an input of Agent37Probe)' }]),
      expect(failures({ environment: { A: 1 } })).resolves.toEqual([{ property: "environment.A", reason: "environment values must be a string" }]),
      expect(failures({ stages: [{ context: 2 }] })).resolves.toEqual([{ property: "stages[0].context", reason: "stages entries.context must be a string" }]),
      expect(failures({ triggers: "x" })).resolves.toEqual([{ property: "triggers", reason: "triggers must be a list" }]),
      // A nested value still unknown at preview is not validated.
      expect(failures({ build: { context: UNKNOWN }, environment: { A: UNKNOWN } })).resolves.toEqual([]),
    ]);
  });

  it("TypeScript: plain interfaces in types.ts, inputs all the way down in the Args, doc comments from the declaration", () => {
    const types = typesSource(DECL, "probe");
    expect(types).toContain("/** The folder a template is built from. */\nexport interface TemplateBuild {");
    expect(types).toContain("  context: string;\n");
    expect(types).toContain("  build?: TemplateBuild;\n  /** Exported variables. */\n  environment?: Record<string, string>;\n  /** Any values. */\n  triggers?: unknown[];\n");
    expect(types).toContain("  stages?: TemplateBuild[];\n");
    const resource = resourceSource(DECL, "probe");
    expect(resource).toContain("export interface Agent37TemplateBuildArgs {\n  /** The build context. */\n  context: pulumi.Input<string>;");
    expect(resource).toContain("  build?: pulumi.Input<Agent37TemplateBuildArgs>;\n");
    expect(resource).toContain("  environment?: pulumi.Input<Record<string, pulumi.Input<string>>>;\n");
    expect(resource).toContain("  triggers?: pulumi.Input<pulumi.Input<unknown>[]>;\n");
    expect(resource).toContain("  stages?: pulumi.Input<pulumi.Input<Agent37TemplateBuildArgs>[]>;\n");
    expect(resource).toContain("  declare readonly build: pulumi.Output<TemplateBuild | null>;");
    // The class's output types name the plain interface, imported from types.ts.
    expect(resource).toContain('import type { TemplateBuild } from "./types";');
  });

  it("enums: a string of closed values goes to `types` as an enum type, TypeScript as the union, validation names the values", async () => {
    const PLACEMENT = { enum: "Placement", description: "Where it runs.", values: [{ value: "here", description: "Here." }, { value: "there", description: "There." }] } as const;
    const decl: Declaration = {
      ...DECL,
      inputs: { placement: { type: PLACEMENT, onChange: "replace", description: "Placement input." } },
      outputs: { placement: { type: PLACEMENT, nullable: true, plan: "input", description: "The placement." } },
    };
    const module = pluginModule(decl, () => {
      throw new Error("not loaded for the schema");
    });
    expect(module.types).toEqual({ "agent37:index:Placement": { type: "string", description: "Where it runs.", enum: [{ value: "here", description: "Here." }, { value: "there", description: "There." }] } });
    expect(module.resources["agent37:index:Probe"]?.inputProperties.placement).toEqual({ $ref: "#/types/agent37:index:Placement", description: "Placement input.", willReplaceOnChanges: true });
    // No input is required: the fragment says nothing of required inputs.
    expect(module.resources["agent37:index:Probe"]).not.toHaveProperty("requiredInputs");
    expect(resourceSource(decl, "probe")).toContain('  placement?: pulumi.Input<"here" | "there">;\n');
    expect(typesSource(decl, "probe")).toContain('  placement: "here" | "there" | null;\n');
    const dynamic = new DynamicAdapter({ declaration: decl } as unknown as Resource<unknown, unknown>);
    expect((await dynamic.check({}, { placement: "there" })).failures).toEqual([]);
    expect((await dynamic.check({}, { placement: "nowhere" })).failures).toEqual([{ property: "placement", reason: 'placement must be one of "here", "there"' }]);
  });

  it("the preview plan: an omitted input with a default is planned as the default", () => {
    expect(plannedOutputs(DECL, {}, UNKNOWN)).toEqual({ build: UNKNOWN, environment: {}, triggers: [] });
  });
});
