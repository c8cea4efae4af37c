// Prints the plugin's package schema (what GetSchema answers) as JSON, to stdout or to the file
// named by the first argument. scripts/gen-sdk.sh generates the SDKs under sdk/ from it.
import * as fs from "node:fs";
import { MODULES } from "../provider/front/plugin/registry";
import { buildSchema } from "../provider/core/schema";

const text = `${JSON.stringify(buildSchema(MODULES), null, 2)}\n`;
const out = process.argv[2];
if (out) fs.writeFileSync(out, text);
else process.stdout.write(text);
