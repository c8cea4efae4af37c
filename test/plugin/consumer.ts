// A fresh user project with this package installed from its packed tarball, as a user gets it
// from the registry: `npm pack`, then `npm install <tarball> @pulumi/pulumi` in an empty folder.
// Dependencies come from npm's cache where it has them (a CI run that did `npm ci` has them all).
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { REPO_ROOT } from "../harness";

/**
 * JavaScript for a script run inside a consumer project: `plain(v)` turns the project SDK's
 * secret envelopes into their values, as the engine sends inputs to the dynamic provider host.
 */
export const PLAIN_JS = `
const SECRET_SIG = "4dabf18193072939515e22adb298388d";
const plain = (v) =>
  Array.isArray(v) ? v.map(plain)
  : v !== null && typeof v === "object" ? (v[SECRET_SIG] !== undefined ? plain(v.value) : Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plain(x)])))
  : v;
`;

export interface Consumer {
  /** The project folder. */
  dir: string;
  /** The installed package's plugin folder, `node_modules/pulumi-agent37/plugin`. */
  pluginDir: string;
  remove(): void;
}

const npm = (args: string[], cwd: string): string =>
  execFileSync("npm", args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, npm_config_update_notifier: "false" } });

export interface ConsumerOptions {
  /** The project's `package.json` before the install (as `pulumi new` leaves it). */
  manifest?: Record<string, unknown>;
  /**
   * What to install, given the tarball's file name in the project folder.
   * @defaultValue the tarball and the `@pulumi/pulumi` this repository tests with
   */
  packages?: (tarball: string) => string[];
}

export function installConsumer(opts: ConsumerOptions = {}): Consumer {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "agent37-consumer-"));
  try {
    const tarball = npm(["pack", "--silent", "--pack-destination", dir], REPO_ROOT).trim().split("\n").pop() as string;
    const sdk = (JSON.parse(fs.readFileSync(require.resolve("@pulumi/pulumi/package.json"), "utf8")) as { version: string }).version;
    fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify(opts.manifest ?? { name: "consumer", private: true }));
    const packages = opts.packages?.(tarball) ?? [path.join(dir, tarball), `@pulumi/pulumi@${sdk}`];
    npm(["install", "--prefer-offline", "--no-audit", "--no-fund", "--ignore-scripts", ...packages], dir);
  } catch (error) {
    fs.rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    dir,
    pluginDir: path.join(dir, "node_modules", "pulumi-agent37", "plugin"),
    remove: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}
