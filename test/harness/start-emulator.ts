// How every suite that needs an emulator of its own starts one: on a free port and quiet, with
// the suite's timings, keys or state on top. The rig, the shared fixture (emulator-fixture.ts),
// the emulator's contract tests and the plugin suites start theirs here; loading this loads the
// emulator and nothing of the provider.
import { startEmulator, type EmulatorOptions, type RunningEmulator } from "../../emulator";

/** Starts an emulator on a free port, printing nothing, with `options` on top. */
export function startTestEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  return startEmulator({ port: 0, quiet: true, ...options });
}
