/**
 * A seam resource's one declaration (provider/<resource>/fields.ts: Agent37SshKey, Agent37Domain,
 * Agent37DomainVerification, Agent37Exec, Agent37File, Agent37Directory) drives both doors: the
 * generated files are what the declaration renders (no drift), the dynamic door's emitted types
 * name no zod type, and the plugin's schema and the dynamic door's types and behaviour agree field
 * by field: names, types, required, secret, and which changes replace. (Agent37Exec's class is
 * written by hand, exec/fields.ts says why: it is held to the same agreement; so are the
 * hand-written classes of Agent37Template and Agent37Instance, whose fields are nested objects
 * and enums of the schema's `types` section, compared member by member.)
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
import type { PropertySpec, ResourceSpec, TypeSpec } from "../../provider/core/schema";
import type { Resource } from "../../provider/core/resource";
import { plannedOutputs, type Declaration } from "../../provider/core/declare";
import { domainResource } from "../../provider/domain/operations";
import { domainVerificationResource } from "../../provider/domain-verification/operations";
import { sshKeyResource } from "../../provider/ssh-key/operations";
import { execResource } from "../../provider/exec/operations";
import { fileResource } from "../../provider/file/operations";
import { directoryResource } from "../../provider/directory/operations";
import { templateResource } from "../../provider/template/operations";
import { instanceResourceWith } from "../../provider/instance/provider";
import { healthCheckEcho } from "../../provider/instance/outputs";
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

/** The emitted declaration file of a module of the dynamic door's resource (its class by default). */
function emittedTypes(folder: string, module = "resource"): string {
  const file = path.join(ROOT, "provider", folder, `${module}.ts`);
  return ts.transpileDeclaration(fs.readFileSync(file, "utf8"), { fileName: file, compilerOptions: { strict: true } }).outputText;
}

interface Member {
  optional: boolean;
  type: string;
}

/**
 * The members of an interface or class in `source`, by name, with their type text. A class's
 * outputs merged in from its plain output type (`interface X extends OutputProperties<XOutputs>`,
 * core/declared-resource.ts) are that type's members in `types` (the emitted `types.ts`), each
 * as the `pulumi.Output` of its type.
 */
function members(source: string, name: string, types?: string): Record<string, Member> {
  const sf = ts.createSourceFile("x.d.ts", source, ts.ScriptTarget.ES2022, true);
  const out: Record<string, Member> = {};
  const visit = (node: ts.Node): void => {
    if ((ts.isInterfaceDeclaration(node) || ts.isClassDeclaration(node)) && node.name?.text === name) {
      for (const m of node.members) {
        if ((ts.isPropertySignature(m) || ts.isPropertyDeclaration(m)) && m.type !== undefined) {
          out[(m.name as ts.Identifier).text] = { optional: m.questionToken !== undefined, type: m.type.getText(sf) };
        }
      }
      for (const base of node.heritageClauses?.flatMap((c) => c.types) ?? []) {
        if (!ts.isInterfaceDeclaration(node) || base.expression.getText(sf) !== "OutputProperties" || types === undefined) continue;
        const plain = members(types, base.typeArguments?.[0]?.getText(sf) ?? "");
        for (const [k, m] of Object.entries(plain)) out[k] = { optional: m.optional, type: `pulumi.Output<${m.type}>` };
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return out;
}

it("OutputProperties makes each member of a plain output type a readonly pulumi.Output of its type (a homomorphic mapped type: doc comments and optional marks kept)", () => {
  const alias = /export type OutputProperties<T> = (\{[^;]*;\s*\});/.exec(emittedTypes("core", "declared-resource"))?.[1]?.replace(/\s+/g, " ");
  expect(alias).toBe("{ readonly [K in keyof T]: pulumi.Output<T[K]>; }");
});

const TS_OF: Record<string, string> = { string: "string", integer: "number", number: "number", boolean: "boolean" };

/** The TypeScript type a schema property stands for: as an output (`plain`), or inside an input, where each nested value is an input too. */
const tsOf = (prop: PropertySpec, input = false): string => {
  const inner = (p: PropertySpec): string => (input ? `pulumi.Input<${tsOf(p, true)}>` : tsOf(p));
  if (prop.$ref === "pulumi.json#/Any") return "unknown";
  if (prop.type === "array") return `${inner(prop.items as PropertySpec)}[]`;
  if (prop.type === "object" && prop.additionalProperties !== undefined) return `Record<string, ${inner(prop.additionalProperties)}>`;
  return TS_OF[prop.type as string] as string;
};

/** The token a property refers to in the schema's `types` section (`#/types/agent37:index:X`), if it does. */
const refOf = (prop: PropertySpec): string | undefined => /^#\/types\/(agent37:index:.+)$/.exec(prop.$ref ?? "")?.[1];

/** Whether a property is, or holds, a type of the schema's `types` section: `tsOf` cannot render it. */
const refers = (prop: PropertySpec): boolean => refOf(prop) !== undefined || (prop.items !== undefined && refers(prop.items)) || (prop.additionalProperties !== undefined && refers(prop.additionalProperties));

/** A type written as text, parsed. */
function parseType(text: string): ts.TypeNode {
  const sf = ts.createSourceFile("t.ts", `type T = ${text};`, ts.ScriptTarget.ES2022, true);
  return (sf.statements[0] as ts.TypeAliasDeclaration).type;
}

const isNullType = (t: ts.TypeNode): boolean => ts.isLiteralTypeNode(t) && t.literal.kind === ts.SyntaxKind.NullKeyword;

/** `X | null` / `X | undefined` as X's text, and whether `null` was there. */
function nonNull(text: string): { text: string; nullable: boolean } {
  const node = parseType(text);
  if (!ts.isUnionTypeNode(node)) return { text, nullable: false };
  const rest = node.types.filter((t) => !isNullType(t) && t.kind !== ts.SyntaxKind.UndefinedKeyword);
  return { text: rest.map((t) => t.getText()).join(" | "), nullable: node.types.some(isNullType) };
}

/** `W<X>` as X's text (W being `pulumi.Input` or `pulumi.Output`), or undefined when the type is no `W<...>`. */
function unwrapped(text: string, wrapper: string): string | undefined {
  const node = parseType(text);
  return ts.isTypeReferenceNode(node) && node.typeName.getText() === wrapper && node.typeArguments?.length === 1 ? node.typeArguments[0]!.getText() : undefined;
}

/** What a schema type is compared with: the schema's named types, the emitted declarations that name the TypeScript ones, and the narrower types a case accepts. */
interface Scope {
  types: Record<string, TypeSpec>;
  /** The emitted declaration texts in which a named interface (`Agent37TemplateBuildArgs`, `PortOutput`) is looked up. */
  sources: string[];
  narrowed: Record<string, string>;
}

/**
 * Where the TypeScript type `text` of the member at `where` disagrees with the schema property
 * `prop` (empty: they agree). For an input (`input`) each value is a `pulumi.Input` of its type, all
 * the way down. A reference to the schema's `types` is resolved there: an enum is the union of its
 * values (as core/declare.ts and the hand-written classes render it); an object is an inline
 * object literal or a named interface of `scope.sources`, member by member. An input member is
 * optional exactly where the object type does not require it; an output member the type requires
 * is present and never null, and one it does not require may be either (the schema's object
 * types say nothing of null: the TypeScript may say more). A scalar is `tsOf`'s text, or the
 * case's narrower type at that path.
 */
function typeProblems(where: string, text: string, prop: PropertySpec, input: boolean, scope: Scope): string[] {
  const narrowed = scope.narrowed[where];
  if (narrowed !== undefined || !refers(prop)) {
    const plain = narrowed ?? tsOf(prop, input);
    const want = input ? `pulumi.Input<${plain}>` : plain;
    return text === want ? [] : [`${where}: ${text}, the schema says ${want}`];
  }
  const inner = input ? unwrapped(text, "pulumi.Input") : text;
  if (inner === undefined) return [`${where}: ${text}, not a pulumi.Input`];
  const node = parseType(inner);
  const ref = refOf(prop);
  if (ref === undefined) {
    // A list or a map of a named type.
    if (prop.type === "array") return ts.isArrayTypeNode(node) ? typeProblems(`${where}[]`, node.elementType.getText(), prop.items!, input, scope) : [`${where}: ${inner}, the schema says a list`];
    const map = ts.isTypeReferenceNode(node) && node.typeName.getText() === "Record" && node.typeArguments?.length === 2 && node.typeArguments[0]!.getText() === "string";
    return map ? typeProblems(`${where}{}`, node.typeArguments![1]!.getText(), prop.additionalProperties!, input, scope) : [`${where}: ${inner}, the schema says a map`];
  }
  const type = scope.types[ref];
  if (type === undefined) return [`${where}: the schema has no type ${ref}`];
  if ("enum" in type) {
    const want = type.enum.map((v) => JSON.stringify(v.value)).join(" | ");
    return inner === want ? [] : [`${where}: ${inner}, the schema's ${ref} says ${want}`];
  }
  let found: Record<string, Member> | undefined;
  if (ts.isTypeLiteralNode(node)) {
    found = Object.fromEntries(node.members.filter(ts.isPropertySignature).map((m) => [(m.name as ts.Identifier).text, { optional: m.questionToken !== undefined, type: m.type!.getText() }]));
  } else if (ts.isTypeReferenceNode(node)) {
    found = scope.sources.map((source) => members(source, node.typeName.getText())).find((m) => Object.keys(m).length > 0);
  }
  if (found === undefined) return [`${where}: ${inner}, the schema says the object ${ref}`];
  const problems: string[] = [];
  const names = (keys: string[]): string => [...keys].sort().join();
  if (names(Object.keys(found)) !== names(Object.keys(type.properties))) problems.push(`${where}: members ${names(Object.keys(found))}, the schema's ${ref} has ${names(Object.keys(type.properties))}`);
  for (const [k, p] of Object.entries(type.properties)) {
    const m = found[k];
    if (m === undefined) continue;
    const required = (type.required ?? []).includes(k);
    if (input) {
      if (m.optional === required) problems.push(`${where}.${k}: optional ${m.optional}, the schema's ${ref} requires it ${required}`);
      problems.push(...typeProblems(`${where}.${k}`, m.type, p, true, scope));
      continue;
    }
    const value = nonNull(m.type);
    if (required && (m.optional || value.nullable)) problems.push(`${where}.${k}: may be absent or null, the schema's ${ref} requires it`);
    problems.push(...typeProblems(`${where}.${k}`, value.text, p, false, scope));
  }
  return problems;
}

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
  /** Inputs given only when they are the input under test (Instance's `adoptInstanceId`: a resource that adopts the instance it holds refuses any replace). */
  alone?: string[];
  /**
   * Where the class names a narrower TypeScript type than the schema can say, among the inputs
   * and among the outputs: the member's path (`health.status`) and the type it names (inside its
   * `pulumi.Input`/`pulumi.Output`, without the null of an optional output). Exactly that type is
   * then required there.
   */
  narrowed?: { inputs?: Record<string, string>; outputs?: Record<string, string> };
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
// Agent37Template's `build.context`: two build contexts with different content (check hashes them).
const CONTEXTS = [0, 1].map((i) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "a37-seam-ctx-"));
  fs.writeFileSync(path.join(dir, "Dockerfile"), `FROM alpine:3.20\nRUN echo ${i}\n`);
  return dir;
});
afterAll(() => {
  for (const f of SOURCES) fs.rmSync(path.dirname(f), { recursive: true, force: true });
  for (const d of [...FOLDERS, ...CONTEXTS]) fs.rmSync(d, { recursive: true, force: true });
});

// Agent37Instance's inputs: two valid values each (system templates of the catalog,
// system-templates.ts; a grown shape; a budget whose monthly cap alone changes).
const INSTANCE_VALUES: Record<string, [unknown, unknown]> = {
  template: ["agent37-hermes", "agent37-openclaw"],
  resources: [
    { cpu: 2, memory: 4, disk: 10 },
    { cpu: 4, memory: 8, disk: 20 },
  ],
  type: ["dedicated", "shared"],
  name: ["box", "crate"],
  user: ["team-a", "team-b"],
  metadata: [{ team: "a" }, { team: "b" }],
  env: [{ APP_MODE: "a" }, { APP_MODE: "b" }],
  autoSleep: [false, true],
  idleTimeoutSeconds: [300, 600],
  publicPorts: [[{ port: 3000 }], [{ port: 3001 }]],
  budget: [{ monthlyCapMicros: 1_000_000 }, { monthlyCapMicros: 2_000_000 }],
  state: ["running", "stopped"],
  ports: [[3000], [4000]],
  health: [{ path: "/v1/health" }, { path: "/ready" }],
  adoptInstanceId: ["ab12cd34ef", "zz12cd34ef"],
};

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
  {
    folder: "template",
    resource: templateResource as Resource<unknown, unknown>,
    values: {
      name: ["web-app", "api-app"],
      imageRef: ["ghcr.io/acme/agent:1.4.0", "ghcr.io/acme/agent:1.5.0"],
      build: [{ context: CONTEXTS[0] }, { context: CONTEXTS[1] }],
      description: ["one", "two"],
      defaultPort: [3000, 4000],
      adoptExisting: [false, true],
    },
    recorded: { revision: 1, pinned: "web-app@1", imageDigest: "sha256:00", buildId: null },
    oneOf: ["imageRef", "build"],
  },
  {
    folder: "instance",
    resource: instanceResourceWith() as Resource<unknown, unknown>,
    values: INSTANCE_VALUES,
    // As a record holds them: `ports`, `health` and `publicPorts` are the outputs of those names, beside the echoes the diff reads.
    recorded: {
      instanceId: "ab12cd34ef",
      url: "https://ab12cd34ef.agent37.app",
      ports: [{ port: 3737, default: true, url: "https://ab12cd34ef.agent37.app" }],
      portUrls: { "3737": "https://ab12cd34ef.agent37.app" },
      status: "running",
      statusReason: null,
      templateRevision: null,
      imageRef: null,
      imageDigest: null,
      publicPorts: [{ port: 3000, url: "https://p-ab12cd34ef.agent37.app", domainUrls: [], prefix: null, label: null, created: 1 }],
      domainUrls: [],
      created: 1,
      health: { ok: true, healthy: true, agent: "hermes", version: "1", checkedAt: "2026-12-01T00:00:00.000Z" },
      requestedPorts: INSTANCE_VALUES.ports![0],
      healthCheck: healthCheckEcho(INSTANCE_VALUES.health![0] as Parameters<typeof healthCheckEcho>[0]),
    },
    alone: ["adoptInstanceId"],
    narrowed: {
      // The schema's `any`: an HTTP status, a class of them, or a list.
      inputs: { "health.status": "number | string | pulumi.Input<number | string>[]" },
      outputs: {
        "healthCheck.status": "HealthStatus",
        // A string output the class names the values of (the declaration says `string`, not the InstanceState enum).
        state: '"running" | "stopped"',
      },
    },
  },
];

describe.each(CASES.map((c) => [c.resource.declaration.className, c] as const))("%s: plugin schema and dynamic door from one declaration", (className, c) => {
  const TOKEN = `agent37:index:${c.resource.declaration.name}`;
  const schema = buildSchema(MODULES) as { resources: Record<string, ResourceSpec> };
  const spec = schema.resources[TOKEN] as ResourceSpec;
  const dts = emittedTypes(c.folder);
  const args = members(dts, `${className}Args`);
  // Outputs the resource records for its own use are not in the schema.
  const typesDts = emittedTypes(c.folder, "types");
  const outputs = Object.fromEntries(Object.entries(members(dts, className, typesDts)).filter(([k]) => c.resource.declaration.outputs[k]?.internal !== true));
  const types = (schema as { types?: Record<string, TypeSpec> }).types ?? {};
  const inputScope: Scope = { types, sources: [dts, typesDts], narrowed: c.narrowed?.inputs ?? {} };
  const outputScope: Scope = { types, sources: [dts, typesDts], narrowed: c.narrowed?.outputs ?? {} };

  it("the emitted types name no zod type", () => {
    expect(Object.keys(args).length).toBeGreaterThan(0);
    expect(dts).not.toMatch(/zod|Zod/);
  });

  it("inputs: the same names, types and required ones", () => {
    expect(Object.keys(args).sort()).toEqual(Object.keys(spec.inputProperties).sort());
    for (const [name, prop] of Object.entries(spec.inputProperties)) {
      // A named type of the schema (or a narrower type the case names), member by member.
      if (refers(prop) || inputScope.narrowed[name] !== undefined) expect(typeProblems(name, args[name]?.type ?? "(none)", prop, true, inputScope)).toEqual([]);
      else expect([name, args[name]?.type]).toEqual([name, `pulumi.Input<${tsOf(prop, true)}>`]);
      expect([name, args[name]?.optional]).toEqual([name, !(spec.requiredInputs ?? []).includes(name)]);
    }
  });

  it("outputs: the same names, types, and null where the schema does not require them", () => {
    expect(Object.keys(outputs).sort()).toEqual(Object.keys(spec.properties).sort());
    for (const [name, prop] of Object.entries(spec.properties)) {
      const nullable = !(spec.required ?? []).includes(name);
      if (refers(prop) || outputScope.narrowed[name] !== undefined) {
        const value = nonNull(unwrapped(outputs[name]?.type ?? "", "pulumi.Output") ?? "(not a pulumi.Output)");
        expect([name, value.nullable]).toEqual([name, nullable]);
        expect(typeProblems(name, value.text, prop, false, outputScope)).toEqual([]);
      } else expect([name, outputs[name]?.type]).toEqual([name, `pulumi.Output<${tsOf(prop)}${nullable ? " | null" : ""}>`]);
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
      const base = Object.fromEntries(Object.entries(VALUES).filter(([k]) => (!c.oneOf?.includes(k) || k === given) && (!c.alone?.includes(k) || k === field)).map(([k, v]) => [k, v[0]]));
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

// willReplaceOnChanges is one mark per field, replacing always or never; Agent37Template and
// Agent37Instance replace on some changes of a field that otherwise updates (template/diff.ts:
// switching between `imageRef` and `build`; instance/diff.ts: a shrink of `resources`, a new
// `budget.creditMicros`). The schema cannot say these, and says the field updates: here both doors
// are held to the same replace, each to the other and to the change's kind.
describe("replace where the value decides (the schema's willReplaceOnChanges cannot say it): both doors agree", () => {
  const schema = buildSchema(MODULES) as { resources: Record<string, ResourceSpec> };
  const template = CASES.find((c) => c.folder === "template")!;
  const instance = CASES.find((c) => c.folder === "instance")!;

  /** What each door replaces when `given` (checked, with `recorded`) becomes `next` (checked). */
  async function replacesInBoth(c: Case, given: Record<string, unknown>, next: Record<string, unknown>): Promise<{ dynamic: string[]; plugin: string[] }> {
    const token = `agent37:index:${c.resource.declaration.name}`;
    const dynamic = new DynamicAdapter(c.resource);
    const plugin = pluginModule(c.resource.declaration, () => c.resource).instantiate().resources[token]!;
    const checked = await dynamic.check({}, given);
    expect(checked.failures).toEqual([]);
    const olds = { ...checked.inputs, ...c.recorded };
    const after = await dynamic.check(olds, next);
    expect(after.failures).toEqual([]);
    const kinds = (await plugin.changes("id_1", olds, after.inputs)).changes;
    return { dynamic: [...((await dynamic.diff("id_1", olds, after.inputs)).replaces ?? [])].sort(), plugin: [...kinds].filter(([, k]) => k === "replace").map(([k]) => k).sort() };
  }

  const T = template.values;
  const I = instance.values;
  it.each([
    ["Agent37Template: an image template given a build", template, { name: T.name![0], imageRef: T.imageRef![0] }, { name: T.name![0], build: T.build![0] }, ["build"]],
    ["Agent37Template: a built template given an image", template, { name: T.name![0], build: T.build![0] }, { name: T.name![0], imageRef: T.imageRef![0] }, ["imageRef"]],
    ["Agent37Instance: a shrink of resources", instance, { resources: I.resources![1] }, { resources: I.resources![0] }, ["resources"]],
    ["Agent37Instance: a shrink of the disk alone", instance, { resources: { cpu: 4, memory: 8, disk: 20 } }, { resources: { cpu: 4, memory: 8, disk: 12 } }, ["resources"]],
    ["Agent37Instance: a new budget.creditMicros", instance, { budget: { monthlyCapMicros: 1_000_000 } }, { budget: { monthlyCapMicros: 1_000_000, creditMicros: 5_000_000 } }, ["budget"]],
  ] as const)("%s replaces in both doors", async (_, c, given, next, replaced) => {
    const spec = schema.resources[`agent37:index:${c.resource.declaration.name}`]!;
    // The schema marks none of these fields as replacing (their other changes update).
    for (const field of replaced) expect([field, spec.inputProperties[field]?.willReplaceOnChanges]).toEqual([field, undefined]);
    const both = await replacesInBoth(c, given, next);
    expect(both.plugin).toEqual(both.dynamic);
    expect(both.dynamic).toEqual(replaced);
  });

  it.each([
    ["Agent37Instance: a grown shape", instance, { resources: I.resources![0] }, { resources: I.resources![1] }],
    ["Agent37Instance: a new monthly cap, the credit kept", instance, { budget: { monthlyCapMicros: 1, creditMicros: 5 } }, { budget: { monthlyCapMicros: 2, creditMicros: 5 } }],
    ["Agent37Template: a new image", template, { name: T.name![0], imageRef: T.imageRef![0] }, { name: T.name![0], imageRef: T.imageRef![1] }],
  ] as const)("%s updates in both doors, as the schema says", async (_, c, given, next) => {
    expect(await replacesInBoth(c, given, next)).toEqual({ dynamic: [], plugin: [] });
  });
});

it("the type comparison finds a disagreement: a member missing or of another type, an optional mark, an enum's values, a named interface", () => {
  const types: Record<string, TypeSpec> = {
    "agent37:index:B": { type: "object", properties: { context: { type: "string" }, dockerfile: { type: "string" } }, required: ["context"] },
    "agent37:index:E": { type: "string", enum: [{ value: "x" }, { value: "y" }] },
  };
  const scope: Scope = { types, sources: ["interface BArgs { context?: pulumi.Input<string>; dockerfile?: pulumi.Input<number>; }", "interface BOut { context: string | null; }"], narrowed: {} };
  const b: PropertySpec = { $ref: "#/types/agent37:index:B" };
  expect(typeProblems("b", "pulumi.Input<BArgs>", b, true, scope)).toEqual(["b.context: optional true, the schema's agent37:index:B requires it true", "b.dockerfile: pulumi.Input<number>, the schema says pulumi.Input<string>"]);
  expect(typeProblems("b", "BOut", b, false, scope)).toEqual(["b: members context, the schema's agent37:index:B has context,dockerfile", "b.context: may be absent or null, the schema's agent37:index:B requires it"]);
  expect(typeProblems("b", "{ context: string; dockerfile?: string }", b, false, scope)).toEqual([]);
  expect(typeProblems("b", "BArgs", b, true, scope)).toEqual(["b: BArgs, not a pulumi.Input"]);
  expect(typeProblems("e", 'pulumi.Input<"x">', { $ref: "#/types/agent37:index:E" }, true, scope)).toEqual(['e: "x", the schema\'s agent37:index:E says "x" | "y"']);
  expect(typeProblems("e", "string", { $ref: "#/types/agent37:index:E" }, false, scope)).toEqual(['e: string, the schema\'s agent37:index:E says "x" | "y"']);
  expect(typeProblems("l", "pulumi.Input<pulumi.Input<{ context: pulumi.Input<string>; dockerfile?: pulumi.Input<string> }>[]>", { type: "array", items: b }, true, scope)).toEqual([]);
  expect(typeProblems("l", "pulumi.Input<Record<string, pulumi.Input<BArgs>>>", { type: "array", items: b }, true, scope)).toEqual(["l: Record<string, pulumi.Input<BArgs>>, the schema says a list"]);
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
    // The class's outputs are the plain output type's, imported from types.ts: `build` as the plain interface.
    expect(types).toContain("  build: TemplateBuild | null;\n");
    expect(resource).toContain("export interface Agent37Probe extends OutputProperties<ProbeOutputs> {}\n");
    expect(resource).toContain('import type { ProbeOutputs } from "./types";');
    expect(members(resource, "Agent37Probe", types).build).toEqual({ optional: false, type: "pulumi.Output<TemplateBuild | null>" });
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
