import * as net from "node:net";
import { startEmulator } from "../../emulator";
import { FAST, TestClient } from "./helpers";

const KEY = "sk_live_slowBodyWorkspace0000001";

interface Slow {
  /** Everything the server sent back. */
  received: () => string;
  /** Resolves when the server closed the connection. */
  closed: Promise<void>;
  destroy: () => void;
}

/**
 * A client that announces a 1 MB body and sends one byte every 100 ms: it would need more than
 * a day to finish, so only the server can end the connection.
 */
function slowClient(port: number, head: string): Slow {
  const socket = net.connect(port, "127.0.0.1");
  let data = "";
  socket.on("data", (d: Buffer) => (data += d.toString("latin1")));
  let trickle: NodeJS.Timeout | undefined;
  socket.on("connect", () => {
    socket.write(`${head}Content-Length: 1000000\r\n\r\n{`);
    trickle = setInterval(() => {
      if (!socket.destroyed) socket.write("x");
    }, 100);
  });
  const closed = new Promise<void>((resolve) => {
    socket.on("close", () => {
      clearInterval(trickle);
      resolve();
    });
    socket.on("error", () => undefined);
  });
  return { received: () => data, closed, destroy: () => socket.destroy() };
}

/** Fails (instead of hanging the run) if the server keeps the connections open much longer than its limit. */
async function allClosed(clients: Slow[], boundMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const bound = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${clients.filter((s) => s.received() === "").length} slow connections still open after ${boundMs} ms`)), boundMs);
  });
  try {
    await Promise.race([Promise.all(clients.map((s) => s.closed)), bound]);
  } finally {
    clearTimeout(timer);
  }
}

describe("slow request bodies", () => {
  it("cuts 200 connections that trickle their bodies (hosting API and instance plane) with 408, while others are served", async () => {
    const c = new TestClient(await startEmulator({ ...FAST, keys: [KEY], requestTimeoutMs: 500 }));
    const clients: Slow[] = [];
    try {
      const inst = await c.create({});
      // A healthy gateway reads the body of /v1/responses (before that it answers at once).
      await c.until(() => c.plane(inst.id, "/v1/health", { headers: { "x-agent37-key": KEY } }), (r) => r.body?.healthy === true);
      const host = `127.0.0.1:${c.emu.port}`;
      for (let i = 0; i < 100; i++) {
        clients.push(slowClient(c.emu.port, `POST /v1/instances HTTP/1.1\r\nHost: ${host}\r\nAuthorization: Bearer ${KEY}\r\nContent-Type: application/json\r\n`));
        clients.push(slowClient(c.emu.port, `POST /v1/responses HTTP/1.1\r\nHost: ${inst.id}.localhost:${c.emu.port}\r\nX-Agent37-Key: ${KEY}\r\nContent-Type: application/json\r\n`));
      }
      // The emulator keeps serving while they trickle.
      expect((await c.api("GET", `/v1/instances/${inst.id}`)).status).toBe(200);
      await allClosed(clients, 15_000);
      for (const s of clients) expect(s.received()).toMatch(/^HTTP\/1\.1 408 /);
      // None of the trickled creates went through.
      expect((await c.api("GET", "/v1/instances")).body.data).toHaveLength(1);
    } finally {
      for (const s of clients) s.destroy();
      await c.close();
    }
  });

  it("does not cut an answer that takes longer than the request timeout once the request has arrived", async () => {
    const c = new TestClient(await startEmulator({ ...FAST, keys: [KEY], requestTimeoutMs: 200 }));
    try {
      const inst = await c.create({ template: "sandbox" });
      const r = await c.api("POST", `/v1/instances/${inst.id}/exec`, { command: "sleep 1; echo done" });
      expect(r.status).toBe(200);
      expect(r.body.stdout).toBe("done\n");
    } finally {
      await c.close();
    }
  });

  it("rejects a request timeout that is not positive, naming the option", async () => {
    await expect(startEmulator({ ...FAST, requestTimeoutMs: 0 })).rejects.toThrow("`requestTimeoutMs` must be a positive number");
  });
});
