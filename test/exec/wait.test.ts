// waitForRunning against a scripted hosting API (the emulator never auto-sleeps, and its
// transitions are too quick to hold a state): the provider waits through transitional states,
// wakes a sleeping instance with start before exec, and never execs before `running`.
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { createExecProvider } from "../../provider";

interface Scripted {
  url: string;
  log: string[];
  close(): Promise<void>;
}

/** Answers GET with the next status of `statuses` (the last one repeats); start wakes; exec answers 0. */
async function scriptedApi(statuses: string[], onStart: () => void): Promise<Scripted> {
  const log: string[] = [];
  let reads = 0;
  const server = http.createServer((req, res) => {
    log.push(`${req.method} ${req.url}`);
    req.resume();
    req.on("end", () => {
      res.setHeader("content-type", "application/json");
      if (req.method === "GET") {
        const status = statuses[Math.min(reads++, statuses.length - 1)];
        res.end(JSON.stringify({ id: "ab12cd34ef", status }));
      } else if (req.url?.endsWith("/start")) {
        onStart();
        res.end(JSON.stringify({ id: "ab12cd34ef", status: "running" }));
      } else {
        res.end(JSON.stringify({ exit_code: 0, stdout: "ok\n", stderr: "", truncated: false }));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    log,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const providerFor = (url: string) =>
  createExecProvider({ settings: { apiUrl: url, apiKey: "sk_live_waitprobe0123456789" }, env: {}, timings: { pollIntervalMs: 5, maxPollIntervalMs: 10 } });

describe("waitForRunning", () => {
  it("wakes a sleeping instance with start, then execs once it reads running", async () => {
    const statuses = ["sleeping"];
    const api = await scriptedApi(statuses, () => statuses.push("running"));
    try {
      const out = await providerFor(api.url).create({ instanceId: "ab12cd34ef", create: "true" });
      expect(out.outs.stdout).toBe("ok\n");
      expect(api.log).toEqual([
        "GET /v1/instances/ab12cd34ef",
        "POST /v1/instances/ab12cd34ef/start",
        "GET /v1/instances/ab12cd34ef",
        "POST /v1/instances/ab12cd34ef/exec",
      ]);
    } finally {
      await api.close();
    }
  });

  it("waits through transitional states and sends exec only after running", async () => {
    const api = await scriptedApi(["provisioning", "starting", "updating", "running"], () => undefined);
    try {
      await providerFor(api.url).create({ instanceId: "ab12cd34ef", create: "true" });
      expect(api.log.filter((l) => l.startsWith("GET"))).toHaveLength(4);
      expect(api.log[api.log.length - 1]).toBe("POST /v1/instances/ab12cd34ef/exec");
      expect(api.log.filter((l) => l.endsWith("/exec"))).toHaveLength(1);
    } finally {
      await api.close();
    }
  });

  it("gives up on an instance that never runs within the bound, naming its state, without exec", async () => {
    const api = await scriptedApi(["restarting"], () => undefined);
    try {
      const provider = createExecProvider({
        settings: { apiUrl: api.url, apiKey: "sk_live_waitprobe0123456789" },
        env: {},
        timings: { pollIntervalMs: 5, maxPollIntervalMs: 10, waitTimeoutMs: 100 },
      });
      await expect(provider.create({ instanceId: "ab12cd34ef", create: "true" })).rejects.toThrow(/waiting for instance ab12cd34ef to be running \(it is restarting\)/);
      expect(api.log.filter((l) => l.endsWith("/exec"))).toHaveLength(0);
    } finally {
      await api.close();
    }
  });
});
