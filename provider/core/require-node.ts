// Imported first by every library entry point (`pulumi-agent37`, `pulumi-agent37/dynamic`,
// `pulumi-agent37/emulator`), so a program, the dynamic provider host or a test loading the
// package under an unsupported Node fails here, with one line, before undici or zod is loaded.
import { unsupportedNode } from "./node-support";

const message = unsupportedNode();
if (message !== undefined) throw new Error(message);
