// Records the 0.1.0 compatibility fixture (test/compat/fixtures/0.1.0/): a stack holding one
// resource of every type, made by the released 0.1.0 code through both of its doors, as the
// engine stored it (inputs, outputs, the serialized `__provider`), plus the emulator's state file.
// test/compat/replay-0.1.0.test.ts replays it through today's code.
//
// Usage, from a build of this checkout (the released code is commit 93048d6):
//   git worktree add /tmp/v010 93048d6 && (cd /tmp/v010 && npm ci && npm run build)
//   npm run build && node dist/scripts/record-compat-0.1.0.js /tmp/v010
//
// Everything that runs the resources is loaded from the 0.1.0 checkout: its emulator, its
// harness (so the program's `@pulumi/pulumi` is the one its resource classes use), its dynamic
// provider host's working directory (which resolves `pulumi-agent37/dynamic`) and its plugin.
/* eslint-disable @typescript-eslint/no-require-imports -- the recorded code is loaded from the checkout named on the command line */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type * as Emulator from "../emulator";
import type * as Harness from "../test/harness";
import type * as Provider from "../provider";
import { dynamicProgram, FIXTURE_KEY, PLUGIN_DECLARATIONS, PROJECT, STACK } from "./compat-stack";

async function main(): Promise<void> {
  const checkout = path.resolve(process.argv[2] ?? "");
  if (!fs.existsSync(path.join(checkout, "dist", "test", "harness", "index.js"))) {
    throw new Error("usage: node dist/scripts/record-compat-0.1.0.js <built 0.1.0 checkout>");
  }
  const version = (JSON.parse(fs.readFileSync(path.join(checkout, "package.json"), "utf8")) as { version: string }).version;
  const out = path.join(__dirname, "..", "..", "test", "compat", "fixtures", version);
  const harness = require(path.join(checkout, "dist", "test", "harness")) as typeof Harness;
  const { startEmulator } = require(path.join(checkout, "dist", "emulator")) as typeof Emulator;
  const lib = require(path.join(checkout, "dist", "provider")) as typeof Provider;

  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "agent37-compat-"));
  const statePath = path.join(scratch, "emulator-state.json");
  const emulator = await startEmulator({ port: 0, quiet: true, keys: [FIXTURE_KEY], statePath, provisionMs: 20, bootMs: 20, lifecycleMs: 20, deleteMs: 20 });
  const config = harness.emulatorConfig(emulator, FIXTURE_KEY);
  const host = await harness.startProviderHost({ cwd: checkout });
  const plugin = await harness.startPluginHost({ cwd: checkout, pluginDir: path.join(checkout, "plugin") });
  try {
    await host.configure(config);
    await plugin.configure(config);

    // The dynamic door: one program declaring every resource, run as `pulumi up` would.
    const dynamic = new harness.Engine(host, { project: PROJECT, stack: STACK });
    await harness.runProgram(dynamic, dynamicProgram(lib));

    // The plugin door: the same declarations under the plugin's tokens, as the engine registers them.
    const native = new harness.Engine(plugin, { project: PROJECT, stack: STACK });
    const done = new Map<string, { id: string; outputs: Record<string, unknown> }>();
    for (const d of PLUGIN_DECLARATIONS) {
      done.set(d.name, await native.register(d.type, d.name, d.inputs((name) => done.get(name) as { id: string; outputs: Record<string, unknown> })));
    }

    // A refresh of each, as a user's next `pulumi refresh` would: the recorded state is what 0.1.0
    // read back once both doors' resources existed (a domain verified after its Domain was created
    // reads as active, and instances list its URLs), so a replay compares like with like.
    await dynamic.refresh();
    await native.refresh();

    const stack = {
      recordedWith: `pulumi-agent37 ${version}`,
      emulator: { key: FIXTURE_KEY, port: emulator.port },
      dynamic: [...dynamic.state.values()],
      plugin: [...native.state.values()],
    };
    fs.mkdirSync(out, { recursive: true });
    fs.writeFileSync(path.join(out, "stack.json"), `${JSON.stringify(stack, null, 2)}\n`);
  } finally {
    await plugin.close();
    await host.close();
    await emulator.close();
  }
  // Written by the emulator as it closes.
  fs.copyFileSync(statePath, path.join(out, "emulator-state.json"));
  fs.rmSync(scratch, { recursive: true, force: true });
  process.stdout.write(`recorded ${out}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
