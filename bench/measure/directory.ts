// Agent37Directory's sync (docs/bench.md, "Agent37Directory"): the first sync of a 1,000-file,
// 50 MB folder (check + create, as `pulumi up` runs them) against the same files sent one PUT at
// a time, in alternating pairs after one warm-up of each (the ratio of the medians, so the
// machine's load falls on both alike); a resync after one changed file (requests sent, wall
// time against one PUT); and this process's RSS growth while syncing (target < 32 MB: at most
// 8 files in flight, each read whole up to 1 MiB, bigger ones streamed). Ours only: the
// baseline has no such resource. The emulator runs in this process, so both sides pay for its
// work on the same event loop.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { request } from "undici";
import { createDirectoryProvider } from "../../provider";
import { withEmulator, type BenchEmulator } from "../lib/emulator";
import { median, round } from "../lib/stats";
import type { Measure } from "./types";

export const DIRECTORY_BENCH = {
  files: 1000,
  bytesPerFile: 50_000,
  /** Alternating pairs after one warm-up of each. */
  pairs: 3,
  targets: { syncRatio: 1, rssGrowthMb: 32 },
  emulator: { provisionMs: 20, bootMs: 20, lifecycleMs: 20, deleteMs: 20, latencyMs: 0 },
};

export interface DirectoryFigures {
  /** Medians over the pairs: check + create of the folder, ours. */
  firstSyncMs: number;
  /** The same files, one PUT at a time, each read whole. */
  onePutAtATimeMs: number;
  /** firstSyncMs ÷ onePutAtATimeMs: below 1, ours is faster. */
  ratio: number;
  /** CPU time of this process (provider and emulator), medians. */
  firstSyncCpuMs: number;
  onePutAtATimeCpuMs: number;
  samples: { firstSyncMs: number[]; onePutAtATimeMs: number[] };
  resyncRequests: number;
  resyncRoutes: string[];
  resyncMs: number;
  onePutMs: number;
  /** Peak RSS over the timed syncs minus the RSS before each, the largest. */
  rssGrowthMb: number;
  pairs: number;
  load: number[];
}

const rel = (i: number): string => `g${i % 20}/f${i}.bin`;

/** One timed run: wall and CPU ms of this process. */
async function timed(work: () => Promise<unknown>): Promise<{ ms: number; cpuMs: number }> {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  await work();
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(c0);
  return { ms, cpuMs: (cpu.user + cpu.system) / 1000 };
}

async function agentOn(emu: BenchEmulator): Promise<{ id: string; files: (method: string, query: string, body?: Buffer) => Promise<number> }> {
  const key = emu.keys[0] as string;
  const r = await request(`${emu.url}/v1/instances`, { method: "POST", headers: { authorization: `Bearer ${key}`, "content-type": "application/json" }, body: JSON.stringify({ template: "agent37-hermes-small" }) });
  const id = (JSON.parse(await r.body.text()) as { id: string }).id;
  const files = async (method: string, query: string, body?: Buffer): Promise<number> => {
    const res = await request(`${emu.url}${query}`, { method: method as "GET", headers: { host: `${id}.localhost:${emu.port}`, "x-agent37-key": key }, ...(body === undefined ? {} : { body }) });
    await res.body.text();
    return res.statusCode;
  };
  while ((await files("GET", "/v1/health")) !== 200) await new Promise((res) => setTimeout(res, 20));
  return { id, files };
}

export const measureDirectory: Measure = async (subject, side, log) => {
  if (subject.side !== "ours") return;
  const src = fs.mkdtempSync(path.join(os.tmpdir(), "a37-bench-dir-"));
  try {
    for (let i = 0; i < DIRECTORY_BENCH.files; i++) {
      fs.mkdirSync(path.join(src, path.dirname(rel(i))), { recursive: true });
      fs.writeFileSync(path.join(src, rel(i)), Buffer.alloc(DIRECTORY_BENCH.bytesPerFile, i % 251));
    }
    await withEmulator(DIRECTORY_BENCH.emulator, async (emu) => {
      const key = emu.keys[0] as string;
      const { id, files } = await agentOn(emu);
      const put = (file: string, bytes: Buffer) => files("PUT", `/v1/files/content?path=${encodeURIComponent(file)}`, bytes);
      const provider = createDirectoryProvider({ settings: { apiKey: key, apiUrl: emu.url, instanceUrlTemplate: `http://{host}.localhost:${emu.port}` } });

      // One PUT at a time, each file read whole: what a hand-written loop does.
      const serial = async (folder: string): Promise<void> => {
        for (let i = 0; i < DIRECTORY_BENCH.files; i++) await put(`/home/user/${folder}/${rel(i)}`, fs.readFileSync(path.join(src, rel(i))));
      };
      let made: { id: string; outs: Record<string, unknown> } | undefined;
      let checked: Record<string, unknown> = {};
      let growth = 0;
      const ours = async (folder: string): Promise<void> => {
        const news = { instanceId: id, source: src, path: `~/${folder}` };
        const rss0 = process.memoryUsage().rss;
        let peak = rss0;
        const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 5);
        try {
          checked = (await provider.check!({}, news)).inputs as Record<string, unknown>;
          made = (await provider.create!(checked)) as { id: string; outs: Record<string, unknown> };
        } finally {
          clearInterval(sampler);
        }
        growth = Math.max(growth, peak - rss0);
      };
      // Each run writes its own folder; it is removed, untimed, before the next run.
      const clear = (folder: string) => files("DELETE", `/v1/files?path=${encodeURIComponent(`/home/user/${folder}`)}`);

      await serial("warm-serial");
      await clear("warm-serial");
      await ours("warm-ours");
      await clear("warm-ours");
      growth = 0;
      const samples = { firstSyncMs: [] as number[], onePutAtATimeMs: [] as number[] };
      const cpu = { ours: [] as number[], serial: [] as number[] };
      const load: number[] = [];
      for (let pair = 0; pair < DIRECTORY_BENCH.pairs; pair++) {
        load.push(round(os.loadavg()[0] ?? 0, 1));
        const last = pair === DIRECTORY_BENCH.pairs - 1;
        const runs = [
          async () => {
            const t = await timed(() => serial(`serial-${pair}`));
            samples.onePutAtATimeMs.push(round(t.ms, 0));
            cpu.serial.push(t.cpuMs);
            await clear(`serial-${pair}`);
          },
          async () => {
            const t = await timed(() => ours(`synced-${pair}`));
            samples.firstSyncMs.push(round(t.ms, 0));
            cpu.ours.push(t.cpuMs);
            // The last sync stays: the resync below updates it.
            if (!last) await clear(`synced-${pair}`);
          },
        ];
        if (pair % 2 === 1) runs.reverse();
        for (const run of runs) await run();
      }

      fs.writeFileSync(path.join(src, "g7", "f7.bin"), Buffer.alloc(DIRECTORY_BENCH.bytesPerFile, 1));
      const news = { instanceId: id, source: src, path: `~/synced-${DIRECTORY_BENCH.pairs - 1}` };
      await emu.admin.clearRequests();
      const resync = await timed(async () => {
        const again = (await provider.check!(checked, news)).inputs;
        await provider.update!(made!.id, made!.outs, again);
      });
      const log1 = (await emu.admin.requests()).log;
      const onePut = await timed(() => put("/home/user/one.bin", Buffer.alloc(DIRECTORY_BENCH.bytesPerFile)));

      const firstSyncMs = median(samples.firstSyncMs);
      const onePutAtATimeMs = median(samples.onePutAtATimeMs);
      const figures: DirectoryFigures = {
        firstSyncMs: round(firstSyncMs, 0),
        onePutAtATimeMs: round(onePutAtATimeMs, 0),
        ratio: round(firstSyncMs / onePutAtATimeMs, 2),
        firstSyncCpuMs: round(median(cpu.ours), 0),
        onePutAtATimeCpuMs: round(median(cpu.serial), 0),
        samples,
        resyncRequests: log1.length,
        resyncRoutes: log1.map((e) => `${e.method} ${e.plane === "instance" ? "instance:" : ""}${e.path}`),
        resyncMs: round(resync.ms, 1),
        onePutMs: round(onePut.ms, 1),
        rssGrowthMb: round(growth / 1e6, 1),
        pairs: DIRECTORY_BENCH.pairs,
        load,
      };
      side.details["directory"] = figures;
      log(
        `directory: first sync ${figures.firstSyncMs} ms vs ${figures.onePutAtATimeMs} ms one PUT at a time (ratio ${figures.ratio}, target <= 1; CPU ${figures.firstSyncCpuMs} vs ${figures.onePutAtATimeCpuMs} ms); ` +
          `resync after one change: ${figures.resyncRequests} requests, ${figures.resyncMs} ms (one PUT: ${figures.onePutMs} ms); RSS growth ${figures.rssGrowthMb} MB (target < 32)`,
      );
    });
  } finally {
    fs.rmSync(src, { recursive: true, force: true });
  }
};

const verdict = (ok: boolean): string => (ok ? "pass" : "FAIL");

/** The section docs/bench.md and bench/results/directory.md carry. */
export function directoryMarkdown(f: DirectoryFigures): string {
  const t = DIRECTORY_BENCH.targets;
  const mb = round((DIRECTORY_BENCH.files * DIRECTORY_BENCH.bytesPerFile) / 1e6, 0);
  const rows = [
    "| Agent37Directory, 1,000 files / 50 MB | ours | against | ratio | target |",
    "| --- | --- | --- | --- | --- |",
    `| first sync (check + create) vs one PUT at a time | ${f.firstSyncMs} ms | ${f.onePutAtATimeMs} ms | ${f.ratio}x | <= ${t.syncRatio} (${verdict(f.ratio <= t.syncRatio)}) |`,
    `| CPU of the bench's process (provider and emulator) | ${f.firstSyncCpuMs} ms | ${f.onePutAtATimeCpuMs} ms | ${round(f.firstSyncCpuMs / f.onePutAtATimeCpuMs, 2)}x | - |`,
    `| resync after one changed file: requests sent | ${f.resyncRequests} (${f.resyncRoutes.join(", ")}) | 1 | - | - |`,
    `| resync after one changed file: wall time vs one PUT | ${f.resyncMs} ms | ${f.onePutMs} ms | ${round(f.resyncMs / f.onePutMs, 0)}x | - |`,
    `| RSS growth while syncing | ${f.rssGrowthMb} MB | | - | < ${t.rssGrowthMb} (${verdict(f.rssGrowthMb < t.rssGrowthMb)}) |`,
  ];
  return `${rows.join("\n")}\n\n${DIRECTORY_BENCH.files} files of ${DIRECTORY_BENCH.bytesPerFile} bytes (${mb} MB) in 20 folders; medians of ${f.pairs} alternating pairs after one warm-up each (samples: ours ${f.samples.firstSyncMs.join(", ")} ms; one PUT at a time ${f.samples.onePutAtATimeMs.join(", ")} ms; load ${f.load.join(", ")}).`;
}
