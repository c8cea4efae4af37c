// Agent37Directory's sync (docs/bench.md): the first sync of a 1,000-file, 50 MB folder against
// the same files sent one PUT at a time (ratio, same run), a resync after one changed file
// (requests sent, wall time against one PUT), and this process's RSS growth while syncing
// (target < 32 MB: files stream, 8 at a time). Ours only: the baseline has no such resource.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { request } from "undici";
import { createDirectoryProvider } from "../../provider";
import { withEmulator } from "../lib/emulator";
import { round } from "../lib/stats";
import type { Measure } from "./types";

export const DIRECTORY_BENCH = { files: 1000, bytesPerFile: 50_000, emulator: { provisionMs: 20, bootMs: 20, lifecycleMs: 20, deleteMs: 20, latencyMs: 0 } };

export interface DirectoryFigures {
  firstSyncMs: number;
  onePutAtATimeMs: number;
  ratio: number;
  resyncRequests: number;
  resyncMs: number;
  onePutMs: number;
  rssGrowthMb: number;
}

export const measureDirectory: Measure = async (subject, side, log) => {
  if (subject.side !== "ours") return;
  const src = fs.mkdtempSync(path.join(os.tmpdir(), "a37-bench-dir-"));
  try {
    for (let i = 0; i < DIRECTORY_BENCH.files; i++) {
      fs.mkdirSync(path.join(src, `g${i % 20}`), { recursive: true });
      fs.writeFileSync(path.join(src, `g${i % 20}`, `f${i}.bin`), Buffer.alloc(DIRECTORY_BENCH.bytesPerFile, i % 251));
    }
    await withEmulator(DIRECTORY_BENCH.emulator, async (emu) => {
      const key = emu.keys[0] as string;
      const api = async (method: string, p: string, body?: unknown) => {
        const r = await request(`${emu.url}${p}`, { method: method as "GET", headers: { authorization: `Bearer ${key}`, "content-type": "application/json" }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
        return JSON.parse((await r.body.text()) || "null") as Record<string, unknown>;
      };
      const id = (await api("POST", "/v1/instances", { template: "agent37-hermes-small" }))["id"] as string;
      for (;;) {
        const r = await request(`${emu.url}/v1/health`, { headers: { host: `${id}.localhost:${emu.port}`, "x-agent37-key": key } });
        await r.body.text();
        if (r.statusCode === 200) break;
        await new Promise((res) => setTimeout(res, 20));
      }
      const put = async (file: string, bytes: Buffer) => {
        const r = await request(`${emu.url}/v1/files/content?path=${encodeURIComponent(file)}`, { method: "PUT", headers: { host: `${id}.localhost:${emu.port}`, "x-agent37-key": key }, body: bytes });
        await r.body.text();
      };
      // One PUT at a time, each file read whole: what a hand-written loop does.
      let t0 = performance.now();
      for (let i = 0; i < DIRECTORY_BENCH.files; i++) await put(`/home/user/serial/g${i % 20}/f${i}.bin`, fs.readFileSync(path.join(src, `g${i % 20}`, `f${i}.bin`)));
      const onePutAtATimeMs = performance.now() - t0;

      const provider = createDirectoryProvider({ settings: { apiKey: key, apiUrl: emu.url, instanceUrlTemplate: `http://{host}.localhost:${emu.port}` } });
      const news = { instanceId: id, source: src, path: "~/synced" };
      const rss0 = process.memoryUsage().rss;
      let peak = rss0;
      const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 5);
      t0 = performance.now();
      const checked = (await provider.check!({}, news)).inputs;
      const made = await provider.create!(checked);
      const firstSyncMs = performance.now() - t0;
      clearInterval(sampler);

      fs.writeFileSync(path.join(src, "g7", "f7.bin"), Buffer.alloc(DIRECTORY_BENCH.bytesPerFile, 1));
      await emu.admin.clearRequests();
      t0 = performance.now();
      const again = (await provider.check!(checked, news)).inputs;
      await provider.update!(made.id, made.outs, again);
      const resyncMs = performance.now() - t0;
      const resyncRequests = (await emu.admin.requests()).log.length;
      t0 = performance.now();
      await put("/home/user/one.bin", Buffer.alloc(DIRECTORY_BENCH.bytesPerFile));
      const onePutMs = performance.now() - t0;

      const figures: DirectoryFigures = {
        firstSyncMs: round(firstSyncMs, 0),
        onePutAtATimeMs: round(onePutAtATimeMs, 0),
        ratio: round(firstSyncMs / onePutAtATimeMs, 2),
        resyncRequests,
        resyncMs: round(resyncMs, 1),
        onePutMs: round(onePutMs, 1),
        rssGrowthMb: round((peak - rss0) / 1e6, 1),
      };
      side.details["directory"] = figures;
      log(`directory: first sync ${figures.firstSyncMs} ms vs ${figures.onePutAtATimeMs} ms one PUT at a time (ratio ${figures.ratio}); resync after one change: ${resyncRequests} requests, ${figures.resyncMs} ms (one PUT: ${figures.onePutMs} ms); RSS growth ${figures.rssGrowthMb} MB (target < 32)`);
    });
  } finally {
    fs.rmSync(src, { recursive: true, force: true });
  }
};
