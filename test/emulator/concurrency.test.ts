import { Pool } from "undici";
import { startTest, type Json, type TestClient } from "./helpers";

const KEY = "sk_live_loadWorkspace000000000001";
let c: TestClient;
let pool: Pool;
beforeAll(async () => {
  c = await startTest({ keys: [KEY], provisionMs: 5, bootMs: 5 });
  pool = new Pool(c.emu.url, { connections: 50, pipelining: 1, keepAliveTimeout: 10_000 });
});
afterAll(async () => {
  await pool.close();
  await c.close();
});

describe("500 concurrent requests over keep-alive", () => {
  it("answers them all without error, on both planes, over reused connections", async () => {
    const inst = await c.create({});
    await c.until(() => c.plane(inst.id, "/v1/health", { headers: { "x-agent37-key": KEY } }), (r) => r.body?.healthy === true);
    await c.admin("DELETE", "/_emulator/requests");
    let connects = 0;
    pool.on("connect", () => connects++);

    const one = async (i: number): Promise<number> => {
      const instancePlane = i % 2 === 1;
      const r = await pool.request({
        method: "GET",
        path: instancePlane ? "/v1/health" : `/v1/instances/${inst.id}`,
        headers: instancePlane ? { host: `${inst.id}.localhost:${c.emu.port}`, "x-agent37-key": KEY } : { authorization: `Bearer ${KEY}` },
      });
      const body = (await r.body.json()) as Json;
      if (instancePlane ? body.healthy !== true : body.id !== inst.id) throw new Error(`unexpected body ${JSON.stringify(body)}`);
      return r.statusCode;
    };
    const statuses = await Promise.all(Array.from({ length: 500 }, (_, i) => one(i)));
    expect(statuses.filter((s) => s !== 200)).toEqual([]);
    expect(connects).toBeLessThanOrEqual(50);
    const counters = (await c.admin("GET", "/_emulator/requests")).body.counters;
    expect(counters).toEqual({ "GET /v1/instances/:id": 250, "GET instance:/v1/health": 250 });
  });

  it("creates 50 instances concurrently with 50 distinct ids", async () => {
    const created = await Promise.all(
      Array.from({ length: 50 }, async () => {
        const r = await pool.request({ method: "POST", path: "/v1/instances", headers: { authorization: `Bearer ${KEY}`, "content-type": "application/json" }, body: "{}" });
        expect(r.statusCode).toBe(201);
        return ((await r.body.json()) as Json).id as string;
      }),
    );
    expect(new Set(created).size).toBe(50);
  });
});
