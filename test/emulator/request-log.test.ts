import { RequestLog } from "../../emulator/requests";

/**
 * A clear forgets every request that arrived before it, also one still being answered then: a
 * streamed answer's last bytes can reach the client before the server's write ends, so a test
 * that read a file, then cleared the log, must not find that read logged afterwards.
 */
describe("the request log", () => {
  const arrive = (log: RequestLog, path: string) => log.begin({ at: Date.now(), method: "GET", path, route: `GET instance:${path}`, plane: "instance" });

  it("does not log a request that arrived before a clear and finished after it", () => {
    const log = new RequestLog();
    const before = arrive(log, "/v1/files/content");
    log.clear();
    log.finish(before, 200);
    const after = arrive(log, "/v1/health");
    log.finish(after, 200);
    expect(log.snapshot().log.map((e) => e.path)).toEqual(["/v1/health"]);
    // Counters count arrivals, so the one after the clear counts.
    expect(log.snapshot().counters).toEqual({ "GET instance:/v1/health": 1 });
  });

  it("logs every finished request when nothing is cleared", () => {
    const log = new RequestLog();
    const a = arrive(log, "/a");
    const b = arrive(log, "/b");
    log.finish(b, 200);
    log.finish(a, 404);
    expect(log.snapshot().log.map((e) => [e.path, e.status])).toEqual([
      ["/a", 404],
      ["/b", 200],
    ]);
  });
});
