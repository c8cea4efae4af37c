// Imported first by the command-line entry points (the emulator CLI, the provider plugin): under
// an unsupported Node they print the one line and exit 1 instead of a stack trace.
import { unsupportedNode } from "./node-support";

const message = unsupportedNode();
if (message !== undefined) {
  process.stderr.write(`${message}\n`);
  process.exit(1);
}
