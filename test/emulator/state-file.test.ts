import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { startEmulator } from "../../emulator";
import { FAST, TestClient, type Json } from "./helpers";

const KEY = "sk_live_stateWorkspace00000000001";
let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "agent37-state-test-"));
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

async function open(statePath: string, extra: object = {}): Promise<TestClient> {
  return new TestClient(await startEmulator({ ...FAST, keys: [KEY], statePath, ...extra }));
}

describe("state file", () => {
  it("survives a restart: instances keep their ids, states, labels and public ports", async () => {
    const statePath = path.join(dir, "state.json");
    const first = await open(statePath);
    const running = await first.create({ name: "keep", metadata: { a: 1 }, public_ports: [{ port: 8644 }] });
    const stopped = await first.create({ name: "stopped" });
    await first.api("POST", `/v1/instances/${stopped.id}/stop`);
    const gone = await first.create({});
    await first.api("DELETE", `/v1/instances/${gone.id}`);
    await first.until(() => first.api("GET", `/v1/instances/${gone.id}`), (r) => r.status === 404);
    await first.close();

    const second = await open(statePath);
    try {
      const got = await second.api("GET", `/v1/instances/${running.id}`);
      expect(got.body).toMatchObject({ id: running.id, status: "running", name: "keep", metadata: { a: 1 } });
      expect(got.body.public_ports[0].url.replace(/:\d+$/, "")).toBe(running.public_ports[0].url.replace(/:\d+$/, ""));
      expect((await second.api("GET", `/v1/instances/${stopped.id}`)).body.status).toBe("stopped");
      expect((await second.api("GET", `/v1/instances/${gone.id}`)).status).toBe(404);
      const rows: Json[] = (await second.admin("GET", "/_emulator/instances")).body.data;
      expect(rows.find((r) => r.id === gone.id).status).toBe("deleted");
      const list = await second.api("GET", "/v1/instances");
      expect(list.body.data.map((i: Json) => i.id)).toEqual([stopped.id, running.id]);
    } finally {
      await second.close();
    }
  });

  it("settles instances caught mid-transition to their terminal state on reload", async () => {
    const statePath = path.join(dir, "state.json");
    const first = await open(statePath, { lifecycleMode: "async", lifecycleMs: 60_000 });
    const inst = await first.create({});
    const ack = await first.api("POST", `/v1/instances/${inst.id}/stop`);
    expect(ack.body.status).toBe("stopping");
    await first.close();
    const second = await open(statePath);
    try {
      expect((await second.api("GET", `/v1/instances/${inst.id}`)).body.status).toBe("stopped");
    } finally {
      await second.close();
    }
  });

  it("reboots the gateway of running instances on reload (unhealthy until the boot completes)", async () => {
    const statePath = path.join(dir, "state.json");
    const first = await open(statePath);
    const inst = await first.create({});
    await first.until(() => first.plane(inst.id, "/v1/health", { headers: { "x-agent37-key": KEY } }), (r) => r.body?.healthy === true);
    await first.close();
    const second = await open(statePath, { bootMs: 1000 });
    try {
      const r = await second.plane(inst.id, "/v1/health", { headers: { "x-agent37-key": KEY } });
      expect(r.body?.healthy).not.toBe(true);
      await second.until(() => second.plane(inst.id, "/v1/health", { headers: { "x-agent37-key": KEY } }), (v) => v.body?.healthy === true);
    } finally {
      await second.close();
    }
  });

  it("keeps a generated key across restarts so the same key keeps working", async () => {
    const statePath = path.join(dir, "state.json");
    const first = await startEmulator({ ...FAST, statePath });
    const key = first.keys[0];
    await first.close();
    const second = await startEmulator({ ...FAST, statePath });
    try {
      expect(second.keys).toEqual([key]);
    } finally {
      await second.close();
    }
  });

  it("writes each mutation to the file without waiting for close", async () => {
    const statePath = path.join(dir, "state.json");
    const e = await open(statePath);
    try {
      const inst = await e.create({});
      const text = await e.until(
        () => Promise.resolve(fs.existsSync(statePath) ? fs.readFileSync(statePath, "utf8") : ""),
        (t) => t.includes(inst.id),
      );
      expect(JSON.parse(text).instances.map((i: Json) => i.id)).toContain(inst.id);
    } finally {
      await e.close();
    }
  });

  it("writes the file atomically as JSON without any API key in it", async () => {
    const statePath = path.join(dir, "nested", "state.json");
    const e = await open(statePath);
    await e.create({ env: { TOKEN: "t" } });
    await e.close();
    const text = fs.readFileSync(statePath, "utf8");
    expect(() => JSON.parse(text)).not.toThrow();
    expect(text).not.toContain(KEY);
    expect(fs.readdirSync(path.dirname(statePath))).toEqual(["state.json"]);
  });
});
