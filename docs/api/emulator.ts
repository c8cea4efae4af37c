/**
 * `pulumi-agent37/emulator`: the offline Agent37 emulator, for tests. The command line is
 * `agent37-emulator` (docs/emulator.md, "Running it").
 *
 * ## Example
 *
 * ```ts
 * import { startEmulator } from "pulumi-agent37/emulator";
 *
 * const emulator = await startEmulator({ port: 0, quiet: true });
 * // Point a stack at it: agent37:apiUrl = emulator.url, agent37:apiKey = emulator.keys[0].
 * await emulator.close();
 * ```
 *
 * @module pulumi-agent37/emulator
 */
export * from "../../emulator";
