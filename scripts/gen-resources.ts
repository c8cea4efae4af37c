// Writes every seam resource's generated files from its declaration (scripts/resource-source.ts):
//   npm run build && node dist/scripts/gen-resources.js
// test/seam/declarations.test.ts fails when a committed file differs from what this writes.
import * as fs from "node:fs";
import * as path from "node:path";
import { DECLARED } from "./declared";
import { resourceSource, typesSource } from "./resource-source";

const ROOT = path.join(__dirname, "..", "..");

for (const { folder, declaration } of DECLARED) {
  fs.writeFileSync(path.join(ROOT, "provider", folder, "types.ts"), typesSource(declaration, folder));
  fs.writeFileSync(path.join(ROOT, "provider", folder, "resource.ts"), resourceSource(declaration, folder));
  process.stdout.write(`wrote provider/${folder}/{types,resource}.ts\n`);
}
