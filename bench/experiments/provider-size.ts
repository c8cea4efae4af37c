// Experiment (not part of `npm run bench`): how the size of `__provider` alone changes the cost
// of a provider call through the host. The baseline's serialized provider is padded with a
// trailing comment (still valid JavaScript, same behaviour) to several sizes, and `Check` is
// timed through one host for each; the sizes alternate over several rounds so machine load
// falls on all alike.
//
//   npm run build && node dist/bench/experiments/provider-size.js
import { baselineSubject, urnOf } from "../lib/subjects";
import { now } from "../lib/admin";
import { withEmulator } from "../lib/emulator";
import { median, round } from "../lib/stats";

const PADDING = [0, 2_000, 8_000, 32_000, 128_000];
const CALLS = 200;
const ROUNDS = 5;

async function main(): Promise<void> {
  const subject = await baselineSubject();
  await withEmulator({ provisionMs: 0, bootMs: 0, lifecycleMs: 0, deleteMs: 0, latencyMs: 0 }, async (emulator) => {
    const host = await subject.startHost(emulator);
    try {
      const base = subject.inputs({ name: "size", user: "size" });
      const variants = PADDING.map((pad) => {
        const provider = pad === 0 ? subject.provider : `${subject.provider}\n//${"x".repeat(pad)}`;
        return { bytes: Buffer.byteLength(provider), news: { ...base, __provider: provider }, samples: [] as number[] };
      });
      for (const v of variants) for (let i = 0; i < 50; i++) await host.check(urnOf(subject, `warm-${v.bytes}-${i}`), {}, v.news);
      for (let round_ = 0; round_ < ROUNDS; round_++) {
        for (const v of variants) {
          const start = now();
          for (let i = 0; i < CALLS; i++) await host.check(urnOf(subject, `r${round_}-${v.bytes}-${i}`), {}, v.news);
          v.samples.push((now() - start) / CALLS);
        }
      }
      process.stdout.write("__provider bytes  Check ms (median of rounds)\n");
      for (const v of variants) process.stdout.write(`${String(v.bytes).padStart(16)}  ${round(median(v.samples), 3)}\n`);
    } finally {
      await host.close();
    }
  });
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
