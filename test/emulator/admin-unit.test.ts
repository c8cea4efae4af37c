import type { IncomingMessage } from "node:http";
import { Readable } from "node:stream";
import { handleAdmin } from "../../emulator/admin";
import { AppRegistry } from "../../emulator/app";
import { EmulatorError } from "../../emulator/errors";
import { Faults } from "../../emulator/faults";
import { ExecRunner } from "../../emulator/hosting/exec";
import { normalizeOptions } from "../../emulator/options";
import { RequestLog } from "../../emulator/requests";
import type { Runtime } from "../../emulator/runtime";
import { Store } from "../../emulator/state";

function runtime(): Runtime {
  const opts = normalizeOptions({ quiet: true });
  return {
    opts,
    store: new Store(opts.workspaces, undefined),
    view: { api: opts.api, port: 4737 },
    faults: new Faults(),
    requests: new RequestLog(),
    signal: new AbortController().signal,
    loopback: true,
    exec: new ExecRunner(1000, 1024),
    inflight: new Map(),
    sessions: new Map(),
    traffic: new Map(),
    apps: new AppRegistry([]),
  };
}

function fakeRequest(remoteAddress: string, method = "GET"): IncomingMessage {
  return Object.assign(Readable.from([]), { method, headers: {}, socket: { remoteAddress } }) as unknown as IncomingMessage;
}

describe("admin surface reachability", () => {
  it("refuses a client that is not on loopback with 403", async () => {
    const err = await handleAdmin(runtime(), fakeRequest("10.1.2.3"), "/_emulator/instances").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EmulatorError);
    expect((err as EmulatorError).status).toBe(403);
  });

  it.each(["127.0.0.1", "::1", "::ffff:127.0.0.1"])("answers a loopback client at %s", async (address) => {
    const reply = await handleAdmin(runtime(), fakeRequest(address), "/_emulator/instances");
    expect(reply.status).toBe(200);
    expect(reply.body).toEqual({ data: [] });
  });
});
