import * as net from "node:net";
import { startEmulator } from "../../emulator";
import { FAST, TestClient } from "./helpers";

const KEY = "sk_live_closeWorkspace00000000001";

describe("close()", () => {
  it("ends idle keep-alive connections instead of waiting for their timeout", async () => {
    const emu = await startEmulator({ ...FAST, keys: [KEY] });
    const socket = net.connect(emu.port, "127.0.0.1");
    const closed = new Promise<void>((resolve) => socket.on("close", () => resolve()));
    let response = "";
    const answered = new Promise<void>((resolve) =>
      socket.on("data", (d) => {
        response += d.toString();
        if (response.includes("\r\n\r\n")) resolve();
      }),
    );
    socket.write(`GET /v1/templates HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${KEY}\r\nConnection: keep-alive\r\n\r\n`);
    await answered;
    expect(response).toMatch(/^HTTP\/1\.1 200/);
    const started = performance.now();
    await emu.close();
    await closed;
    // The server's keep-alive timeout is 5 s; closing must not wait for it.
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it("resolves while a create is still provisioning, and the pending request fails", async () => {
    const c = new TestClient(await startEmulator({ ...FAST, keys: [KEY], provisionMs: 30_000 }));
    const pending = c.api("POST", "/v1/instances", {}).then(
      () => "answered",
      () => "failed",
    );
    await c.until(() => c.admin("GET", "/_emulator/instances"), (r) => r.body.data.length === 1);
    const started = performance.now();
    await c.close();
    expect(performance.now() - started).toBeLessThan(2000);
    expect(await pending).toBe("failed");
  });

  it("can be called twice", async () => {
    const emu = await startEmulator({ ...FAST, keys: [KEY] });
    await Promise.all([emu.close(), emu.close()]);
    await expect(emu.close()).resolves.toBeUndefined();
  });
});

describe("startEmulator options", () => {
  it.each([
    ["a malformed key", { keys: ["sk_test_abc"] }, "`keys`"],
    ["a negative timing", { bootMs: -1 }, "`bootMs`"],
    ["an unknown API generation", { api: "2025-01" as "2026-08" }, "`api`"],
    ["an out-of-range port", { port: 70000 }, "`port`"],
  ])("rejects %s naming the option", async (_label, options, fragment) => {
    await expect(startEmulator({ ...FAST, ...options })).rejects.toThrow(fragment);
  });

  it("rejects a port already in use", async () => {
    const first = await startEmulator({ ...FAST, keys: [KEY] });
    try {
      await expect(startEmulator({ ...FAST, keys: [KEY], port: first.port })).rejects.toThrow(/EADDRINUSE/);
    } finally {
      await first.close();
    }
  });
});
