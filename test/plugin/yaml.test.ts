/**
 * examples/yaml against the schema the plugin answers: every type token, property, invoke and
 * reference the Pulumi YAML program uses exists, with the right types. The checker itself is
 * shown to catch each kind of mistake.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import * as yaml from "js-yaml";
import { REPO_ROOT, startPluginHost } from "../harness";
import { checkYamlProgram } from "./yaml-check";

type Program = Parameters<typeof checkYamlProgram>[0];
type Schema = Parameters<typeof checkYamlProgram>[1];

let schema: Schema;
let program: Program;

beforeAll(async () => {
  const plugin = await startPluginHost();
  try {
    schema = (await plugin.client.getSchema()) as unknown as Schema;
  } finally {
    await plugin.close();
  }
  program = yaml.load(fs.readFileSync(path.join(REPO_ROOT, "examples", "yaml", "Pulumi.yaml"), "utf8")) as Program;
});

const mutated = (change: (p: Program) => void): Program => {
  const copy = JSON.parse(JSON.stringify(program)) as Program;
  change(copy);
  return copy;
};

describe("examples/yaml", () => {
  it("is a YAML program that loads the agent37 plugin from the installed package", () => {
    expect((program as { runtime?: string }).runtime).toBe("yaml");
    expect((program as { packages?: Record<string, string> }).packages).toEqual({ agent37: "./node_modules/pulumi-agent37/plugin" });
  });

  it("uses Instance, Exec, Template, SshKey, an explicit provider and both invokes", () => {
    const types = Object.values(program.resources ?? {}).map((r) => r.type);
    expect(new Set(types)).toEqual(
      new Set(["agent37:index:Instance", "agent37:index:Exec", "agent37:index:Template", "agent37:index:SshKey", "pulumi:providers:agent37"]),
    );
    const fns = Object.values(program.variables ?? {}).map((v) => (v as { "fn::invoke": { function: string } })["fn::invoke"].function);
    expect(fns.sort()).toEqual(["agent37:index:getInstance", "agent37:index:getTemplate"]);
  });

  it("is valid against the plugin's schema", () => {
    expect(checkYamlProgram(program, schema)).toEqual([]);
  });

  it("would be caught with an unknown type, property, invoke or output, or a value of the wrong type", () => {
    expect(checkYamlProgram(mutated((p) => (p.resources!.api!.type = "agent37:index:Instanse")), schema)).toContain(
      "resources.api: no resource type agent37:index:Instanse in the schema",
    );
    expect(checkYamlProgram(mutated((p) => (p.resources!.api!.properties!.idleTimeout = 600)), schema)[0]).toMatch(/^resources\.api\.properties\.idleTimeout: not a property/);
    expect(checkYamlProgram(mutated((p) => (p.resources!.api!.properties!.autoSleep = "yes")), schema)).toEqual(["resources.api.properties.autoSleep: expected a boolean"]);
    expect(checkYamlProgram(mutated((p) => (p.resources!.api!.properties!.state = "paused")), schema)).toEqual([
      'resources.api.properties.state: "paused" is not one of running, stopped',
    ]);
    expect(checkYamlProgram(mutated((p) => ((p.resources!.api!.properties!.resources as Record<string, unknown>).cpu = "2")), schema)).toEqual([
      "resources.api.properties.resources.cpu: expected an integer",
    ]);
    expect(checkYamlProgram(mutated((p) => (p.resources!.worker!.properties!.name = "${api.autoSleep}")), schema)).toEqual([
      "resources.worker.properties.name: ${api.autoSleep} is boolean, expected string",
    ]);
    expect(checkYamlProgram(mutated((p) => ((p.resources!.warmup!.properties!.environment as Record<string, unknown>).AGENT37_KEY = "${agent37:apikey}")), schema)).toEqual([
      "resources.warmup.properties.environment.AGENT37_KEY: ${agent37:apikey} is no configuration variable of the package",
    ]);
    expect(checkYamlProgram(mutated((p) => delete p.resources!.warmup!.properties!.create), schema)).toEqual([
      "resources.warmup.properties: required property create is missing",
    ]);
    expect(checkYamlProgram(mutated((p) => (p.outputs!.apiUrl = "${api.uri}")), schema)).toEqual(["outputs.apiUrl: ${api.uri}: no property uri"]);
    expect(checkYamlProgram(mutated((p) => ((p.variables!.hermes as Record<string, { function: string }>)["fn::invoke"]!.function = "agent37:index:getTemplates")), schema)).toEqual([
      "variables.hermes: no function agent37:index:getTemplates in the schema",
      "outputs.hermesDefaultPort: ${hermes.defaultPort} names no config value, resource or variable",
    ]);
    expect(checkYamlProgram(mutated((p) => (p.resources!.stagingApi!.options!.provider = "${api}")), schema)).toEqual([
      "resources.stagingApi.options.provider: not a pulumi:providers:agent37 resource of this program",
    ]);
  });
});
