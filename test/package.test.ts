import * as fs from "node:fs";
import * as path from "node:path";
import * as semver from "semver";

const manifest = JSON.parse(fs.readFileSync(path.resolve(__dirname, "..", "package.json"), "utf8")) as {
  engines: { node: string };
  types: string;
  exports: Record<string, string | { types?: string; default: string }>;
  typesVersions: Record<string, Record<string, string[]>>;
  files: string[];
};

describe("package layout", () => {
  it("resolves its own name to the built output, as the serialized provider needs", () => {
    const resolved = require.resolve("pulumi-agent37");
    expect(fs.realpathSync(resolved)).toBe(path.resolve(__dirname, "..", "dist", "provider", "index.js"));
  });
});

describe("subpath exports under moduleResolution node10", () => {
  // node10 ignores `exports`: each subpath needs a typesVersions entry naming the same types.
  const subpaths = Object.entries(manifest.exports).filter(([k, v]) => k !== "." && typeof v === "object");
  it.each(subpaths)("%s has a typesVersions entry for the types its export names", (subpath, target) => {
    const types = (target as { types?: string }).types;
    expect(types).toBeDefined();
    expect(manifest.typesVersions["*"]?.[subpath.slice(2)]).toEqual([String(types).replace(/^\.\//, "")]);
  });

  it("the root's types are the main entry's", () => {
    expect((manifest.exports["."] as { types: string }).types).toBe(`./${manifest.types}`);
  });

  it("ships the LICENSE", () => {
    expect(manifest.files).toContain("LICENSE");
    expect(fs.readFileSync(path.resolve(__dirname, "..", "LICENSE"), "utf8")).toContain("Apache License\n                           Version 2.0, January 2004");
  });
});

describe("supported Node versions", () => {
  // Node 22 and 24 are the LTS lines; 22.19 is the oldest 22 that undici 8 runs on.
  it.each(["22.19.0", "22.23.5", "24.0.0", "24.22.3"])("engines.node admits %s", (v) => {
    expect(semver.satisfies(v, manifest.engines.node)).toBe(true);
  });

  it.each(["20.19.0", "22.18.0", "23.11.0", "25.0.0", "26.1.0"])("engines.node refuses %s", (v) => {
    expect(semver.satisfies(v, manifest.engines.node)).toBe(false);
  });

  it(`admits the Node running the tests (${process.version})`, () => {
    expect(semver.satisfies(process.version, manifest.engines.node)).toBe(true);
  });
});
