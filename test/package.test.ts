import * as fs from "node:fs";
import * as path from "node:path";
import * as semver from "semver";

const manifest = JSON.parse(fs.readFileSync(path.resolve(__dirname, "..", "package.json"), "utf8")) as {
  engines: { node: string };
};

describe("package layout", () => {
  it("resolves its own name to the built output, as the serialized provider needs", () => {
    const resolved = require.resolve("pulumi-agent37");
    expect(fs.realpathSync(resolved)).toBe(path.resolve(__dirname, "..", "dist", "provider", "index.js"));
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
