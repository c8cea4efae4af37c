// One emulator and one provider host configured for it: the fixture most engine-level tests,
// the demo's kin and the benchmarks start from.
import type { EmulatorOptions, RunningEmulator } from "../../emulator";
import { EmulatorAdmin, emulatorConfig } from "./emulator-admin";
import { startProviderHost, type ProviderHost } from "./host";
import { startTestEmulator } from "./start-emulator";

export interface Rig {
  emulator: RunningEmulator;
  admin: EmulatorAdmin;
  host: ProviderHost;
  /** The key the host was configured with. */
  key: string;
  close(): Promise<void>;
}

/**
 * Starts an emulator (on a free port, quiet, unless `options` say otherwise) and a provider
 * host configured for it with `key` (default: the emulator's first), as the engine configures
 * before anything else. On failure nothing is left running.
 */
export async function startRig(options: EmulatorOptions = {}, key?: string): Promise<Rig> {
  const emulator = await startTestEmulator(options);
  let host: ProviderHost | undefined;
  try {
    host = await startProviderHost();
    const k = key ?? (emulator.keys[0] as string);
    await host.configure(emulatorConfig(emulator, k));
    const started = host;
    return {
      emulator,
      admin: new EmulatorAdmin(emulator.url),
      host: started,
      key: k,
      close: async () => {
        await started.close();
        await emulator.close();
      },
    };
  } catch (error) {
    await host?.close();
    await emulator.close();
    throw error;
  }
}
