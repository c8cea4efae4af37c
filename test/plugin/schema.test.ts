/**
 * The plugin launched from a fresh user project exactly as Pulumi's Node language host launches
 * it (run-plugin located from the plugin folder, the project as working directory, the package
 * installed from its tarball), answering GetPluginInfo and GetSchema. The schema is valid against
 * Pulumi's metaschema and every `$ref` in it resolves.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { PLUGIN_EXECUTABLE, startPluginHost, type PluginHost } from "../harness";
import { installConsumer, type Consumer } from "./consumer";
import { metaschemaErrors, unresolvedRefs } from "./schema-check";

let consumer: Consumer;
let plugin: PluginHost;
let executable: PluginHost;
let schema: Record<string, unknown>;

beforeAll(async () => {
  consumer = installConsumer();
  plugin = await startPluginHost({ pluginDir: consumer.pluginDir, cwd: consumer.dir });
  executable = await startPluginHost({ pluginDir: consumer.pluginDir, cwd: consumer.dir, launch: "executable" });
  schema = await plugin.client.getSchema();
}, 300_000);
afterAll(async () => {
  await plugin?.close();
  await executable?.close();
  consumer?.remove();
});

const manifest = JSON.parse(fs.readFileSync(path.join(__dirname, "..", "..", "package.json"), "utf8")) as { version: string; homepage: string; repository: { url: string } };
const version = manifest.version;

describe("the plugin from a tarball install, launched as the Node language host does", () => {
  it("runs from the installed package with the project as its working directory and run-plugin from the project's @pulumi/pulumi", () => {
    expect(fs.realpathSync(`/proc/${plugin.pid}/cwd`)).toBe(fs.realpathSync(consumer.dir));
    const cmdline = fs.readFileSync(`/proc/${plugin.pid}/cmdline`, "utf8").split("\0");
    expect(cmdline[1]).toBe(path.join(fs.realpathSync(consumer.dir), "node_modules", "@pulumi", "pulumi", "cmd", "run-plugin", "index.js"));
    expect(cmdline[2]).toBe(consumer.pluginDir);
    expect(fs.readFileSync(path.join(consumer.pluginDir, "PulumiPlugin.yaml"), "utf8")).toMatch(/^runtime: nodejs$/m);
  });

  it("prints nothing but its port on stdout", () => {
    expect(plugin.output().stdout.trim()).toBe(plugin.address.split(":")[1]);
  });

  it("reports the package version", async () => {
    expect(await plugin.client.getPluginInfo()).toBe(version);
  });

  it("answers a schema that is valid against Pulumi's metaschema", () => {
    expect(metaschemaErrors(schema)).toEqual([]);
    expect(schema.name).toBe("agent37");
    expect(schema.version).toBe(version);
  });

  it("names the project's repository and homepage as package.json does, and every language's package", () => {
    expect(schema.homepage).toBe(manifest.homepage);
    expect(`git+${String(schema.repository)}.git`).toBe(manifest.repository.url);
    expect(schema.publisher).toBe("pulumi-agent37");
    expect((schema.meta as { supportPack?: boolean }).supportPack).toBe(true);
    const language = schema.language as Record<string, Record<string, unknown>>;
    expect(Object.keys(language).sort()).toEqual(["csharp", "go", "java", "nodejs", "python"]);
    expect(language.python?.packageName).toBe("pulumi_agent37");
    expect(language.go?.importBasePath).toBe("github.com/pulumi-agent37/pulumi-agent37/sdk/go/agent37");
    // Never the npm package's own name: a generated SDK linked under it would replace the package that holds the plugin.
    expect(language.nodejs?.packageName).not.toBe("pulumi-agent37");
    expect(language.nodejs?.packageName).toBe("@pulumi-agent37/agent37");
    expect(language.csharp?.rootNamespace).toBe("PulumiAgent37");
    expect(language.java?.basePackage).toBe("io.github.pulumiagent37");
  });

  it("has no $ref that does not resolve", () => {
    expect(unresolvedRefs(schema)).toEqual([]);
  });

  it("lists the resources, the invokes and the provider configuration, apiKey secret", () => {
    expect(Object.keys(schema.resources as object)).toEqual(expect.arrayContaining(["agent37:index:Instance", "agent37:index:Exec", "agent37:index:Domain", "agent37:index:DomainVerification", "agent37:index:SshKey", "agent37:index:Template"]));
    expect(Object.keys(schema.functions as object)).toEqual(expect.arrayContaining(["agent37:index:getInstance", "agent37:index:getTemplate"]));
    const config = (schema.config as { variables: Record<string, { secret?: boolean }> }).variables;
    expect(Object.keys(config).sort()).toEqual(["apiKey", "apiUrl", "instanceUrlTemplate"]);
    expect(config.apiKey?.secret).toBe(true);
  });

  it("describes every resource, input and output, and marks env and environment secret", () => {
    const undescribed: string[] = [];
    const resources = schema.resources as Record<string, { description?: string; inputProperties: Record<string, { description?: string }>; properties: Record<string, { description?: string }> }>;
    for (const [token, r] of Object.entries(resources)) {
      if (!r.description) undescribed.push(token);
      for (const [k, p] of Object.entries({ ...r.inputProperties, ...r.properties })) if (!p.description) undescribed.push(`${token}.${k}`);
    }
    expect(undescribed).toEqual([]);
    const instance = resources["agent37:index:Instance"] as { properties: Record<string, { secret?: boolean }> };
    const exec = resources["agent37:index:Exec"] as { properties: Record<string, { secret?: boolean }> };
    expect(instance.properties.env?.secret).toBe(true);
    expect(exec.properties.environment?.secret).toBe(true);
  });

  it("is caught by the checks when broken: a dangling $ref and a bad token", () => {
    const broken = JSON.parse(JSON.stringify(schema)) as Record<string, unknown>;
    const instance = (broken.resources as Record<string, { inputProperties: Record<string, unknown> }>)["agent37:index:Instance"];
    (instance as { inputProperties: Record<string, unknown> }).inputProperties.resources = { $ref: "#/types/agent37:index:Nope" };
    expect(unresolvedRefs(broken)).toEqual(["schema.resources.agent37:index:Instance.inputProperties.resources: #/types/agent37:index:Nope"]);
    (broken.resources as Record<string, unknown>)["not a token"] = { description: "x" };
    expect(metaschemaErrors(broken).length).toBeGreaterThan(0);
  });
});

describe("the plugin as an executable from a tarball install, started directly as the engine starts a plugin binary", () => {
  it("is an executable file in the plugin folder, and the package's bin", () => {
    const file = path.join(consumer.pluginDir, PLUGIN_EXECUTABLE);
    expect(fs.statSync(file).mode & 0o111).toBe(0o111);
    expect(fs.readFileSync(file, "utf8")).toMatch(/^#!\/usr\/bin\/env node\n/);
    expect(fs.realpathSync(path.join(consumer.dir, "node_modules", ".bin", PLUGIN_EXECUTABLE))).toBe(fs.realpathSync(file));
  });

  it("runs with no language host: the process is the executable itself, in the project folder", () => {
    const cmdline = fs.readFileSync(`/proc/${executable.pid}/cmdline`, "utf8").split("\0");
    expect(cmdline[1]).toBe(path.join(consumer.pluginDir, PLUGIN_EXECUTABLE));
    expect(cmdline.some((arg) => arg.includes("run-plugin"))).toBe(false);
    expect(fs.realpathSync(`/proc/${executable.pid}/cwd`)).toBe(fs.realpathSync(consumer.dir));
  });

  it("prints nothing but its port on stdout, and answers as the plugin", async () => {
    expect(executable.output().stdout.trim()).toBe(executable.address.split(":")[1]);
    expect(await executable.client.getPluginInfo()).toBe(version);
    expect(JSON.stringify(await executable.client.getSchema())).toBe(JSON.stringify(schema));
  });

  it("starts without @pulumi/pulumi's program runtime or TypeScript: its module graph holds neither", () => {
    // What the provider loads (full.js): the registry and the server.
    const dist = path.join(consumer.pluginDir, "..", "dist", "provider", "front", "plugin");
    const script = `require(${JSON.stringify(path.join(dist, "registry.js"))}); require(${JSON.stringify(path.join(dist, "server.js"))}); console.log(JSON.stringify(Object.keys(require.cache)))`;
    const loaded = JSON.parse(execFileSync(process.execPath, ["-e", script], { cwd: consumer.dir, encoding: "utf8" })) as string[];
    // The messages are the plugin's own (provider/front/grpc/messages.ts): no generated stub, no google-protobuf.
    expect(loaded.filter((f) => f.endsWith("_pb.js") || f.includes(`${path.sep}google-protobuf${path.sep}`))).toEqual([]);
    expect(loaded.filter((f) => f.includes(`${path.sep}typescript${path.sep}`) || f.endsWith(path.join("@pulumi", "pulumi", "index.js")))).toEqual([]);
    // The resources' implementations (zod's schemas with them) load on first use (Configure for
    // instances), the HTTP client on the first API call, the public suffix list on the first domain.
    expect(loaded.filter((f) => /[\\/]node_modules[\\/](undici|tldts|zod)[\\/]/.test(f))).toEqual([]);
    // The server is the plugin's own over node:http2; grpc-js loads with the first progress line only.
    expect(loaded.filter((f) => /[\\/]node_modules[\\/]@grpc[\\/]/.test(f))).toEqual([]);
    expect(loaded.filter((f) => /[\\/]dist[\\/]provider[\\/](instance|template|domain|exec)[\\/](provider|api)\.js$/.test(f))).toEqual([]);
  });
});
