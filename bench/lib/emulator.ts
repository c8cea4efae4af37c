// Starting the emulator in this process, so its clock (request log `at`, `healthyAt`) is the
// bench's clock.
import { startEmulator } from "../../emulator";
import { Admin } from "./admin";

/** The emulator options the bench sets (a subset of `EmulatorOptions`, docs/contracts.md). */
export interface BenchEmulatorOptions {
  provisionMs: number;
  bootMs: number;
  lifecycleMs: number;
  deleteMs: number;
  latencyMs: number;
}

export interface BenchEmulator {
  url: string;
  port: number;
  keys: string[];
  admin: Admin;
  close(): Promise<void>;
}

export async function startBenchEmulator(options: BenchEmulatorOptions): Promise<BenchEmulator> {
  const emulator = await startEmulator({ ...options, port: 0, quiet: true });
  return { url: emulator.url, port: emulator.port, keys: emulator.keys, admin: new Admin(emulator.url), close: () => emulator.close() };
}

/** Runs `work` against a fresh emulator and closes it (with all its connections) afterwards. */
export async function withEmulator<T>(options: BenchEmulatorOptions, work: (emulator: BenchEmulator) => Promise<T>): Promise<T> {
  const emulator = await startBenchEmulator(options);
  try {
    return await work(emulator);
  } finally {
    await emulator.close();
  }
}
