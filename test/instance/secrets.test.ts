// The API key never leaves the provider: not in outputs, read inputs, errors or their causes.
import { createInstanceProvider } from "../../provider/front/dynamic/instance";
import { EmulatorFixture, type Json } from "../harness/emulator-fixture";

const KEY = "sk_live_secretprobe9x8y7z6w5v4u3t2s";
const WRONG_KEY = "sk_live_wrongprobe1a2b3c4d5e6f7g8h";

/** Every string reachable from an error: message, stack, own properties and the cause chain. */
function errorText(err: unknown, depth = 0): string {
  if (!(err instanceof Error) || depth > 5) return JSON.stringify(err) ?? "";
  const own = Object.fromEntries(Object.getOwnPropertyNames(err).map((k) => [k, (err as unknown as Record<string, unknown>)[k]]));
  return [err.message, err.stack ?? "", JSON.stringify(own, (_k, v) => (v instanceof Error ? undefined : v)), errorText(err.cause, depth + 1)].join("\n");
}

describe("the API key appears nowhere", () => {
  let fx: EmulatorFixture;
  beforeAll(async () => {
    fx = await EmulatorFixture.start({ keys: [KEY] });
  });
  afterAll(async () => fx.close());
  beforeEach(async () => fx.clearFaults());

  it("not in create, update or read results", async () => {
    const p = fx.provider();
    const c = await p.create({ name: "s", ports: [9119], publicPorts: [{ port: 8644 }] });
    const u = await p.update(c.id, c.outs, { name: "s2", ports: [9119], publicPorts: [{ port: 8644 }] });
    const r = await p.read(c.id, u.outs);
    expect(JSON.stringify([c, u, r])).not.toContain(KEY);
  });

  it("not in the error for a key the API rejects", async () => {
    const p = fx.provider({ settings: { apiKey: WRONG_KEY } });
    const err = await p.create({}).catch((e: unknown) => e);
    expect((err as Json).code).toBe("invalid_api_key");
    expect(errorText(err)).not.toContain(WRONG_KEY);
  });

  it("not in the initialization failure when the instance rejects the key", async () => {
    await fx.faults([{ plane: "instance", path: "/v1/health", kind: "status", status: 401, code: "invalid_api_key", message: `key ${KEY} is not valid here` }]);
    const err = await fx.provider().create({}).catch((e: unknown) => e);
    expect((err as Json).id).toMatch(/^[a-z0-9]{10}$/);
    expect(errorText(err)).not.toContain(KEY);
    // The instance's message did carry the key: it was replaced, not dropped.
    expect((err as Error).message).toContain("key [REDACTED] is not valid here");
  });

  it("not in a transport failure", async () => {
    const p = createInstanceProvider({ env: {}, settings: { apiUrl: "http://127.0.0.1:1", apiKey: KEY }, client: { retryPolicy: { maxAttempts: 1 } } });
    const err = await p.read("ab12cd34ef", {}).catch((e: unknown) => e);
    expect((err as Json).transportCode).toBe("ECONNREFUSED");
    expect(errorText(err)).not.toContain(KEY);
  });
});
