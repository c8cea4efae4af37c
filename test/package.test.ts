import * as fs from "node:fs";
import * as path from "node:path";

describe("package layout", () => {
  it("resolves its own name to the built output, as the serialized provider needs", () => {
    const resolved = require.resolve("pulumi-agent37");
    expect(fs.realpathSync(resolved)).toBe(path.resolve(__dirname, "..", "dist", "provider", "index.js"));
  });
});
