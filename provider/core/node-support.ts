// Which Node.js the package runs on, checked before anything loads a dependency. undici 8 (all
// HTTP) needs Node 22.19 and fails deep inside itself on older releases ("Cannot read properties
// of undefined (reading 'bind')"); this check turns that into one line that says what to install.
// Written for any Node 18+: no dependency, nothing newer than what Node 18 has.

/** The releases the package is built and tested on (package.json `engines`). */
export const SUPPORTED_NODE = "22.19+ or 24";

/**
 * The one-line message for an unsupported Node, or undefined when `version` (default: this
 * process's) can run the package. Anything from 22.19 on loads: 22.19+ and 24 are what CI runs
 * (`engines` says so, and npm warns on the others); a newer release is let through rather than
 * refused, since nothing the package uses is known to break there.
 */
export function unsupportedNode(version: string = process.versions.node): string | undefined {
  const [major = 0, minor = 0] = version.split(".").map((part) => Number.parseInt(part, 10));
  if (major > 22 || (major === 22 && minor >= 19)) return undefined;
  return `pulumi-agent37 needs Node.js ${SUPPORTED_NODE} (this is ${version})`;
}
