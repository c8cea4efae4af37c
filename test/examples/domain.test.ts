/**
 * examples/domain as a program test: run as written under `setMocks`, its dynamic resources
 * provisioned through Pulumi's provider host (started in the example's folder) against an
 * emulator whose domains turn active 300 ms after they were added.
 */
import * as path from "node:path";
import { startEmulator, type RunningEmulator } from "pulumi-agent37/emulator";
import { EmulatorAdmin, emulatorConfig, Engine, getFromInstance, projectName, REPO_ROOT, runProgram, startProviderHost, type ProviderHost } from "../harness";

let emulator: RunningEmulator;
let host: ProviderHost;

beforeAll(async () => {
  emulator = await startEmulator({ port: 0, provisionMs: 50, bootMs: 150, lifecycleMs: 50, deleteMs: 30, verifyMs: 300, quiet: true });
  host = await startProviderHost({ cwd: path.join(REPO_ROOT, "examples", "domain") });
  await host.configure(emulatorConfig(emulator));
});
afterAll(async () => {
  await host?.close();
  await emulator?.close();
});

describe("examples/domain", () => {
  it("adds the domain, waits for it, and creates an instance whose domainUrls hold the mirror, which answers", async () => {
    const dir = path.join(REPO_ROOT, "examples", "domain");
    const engine = new Engine(host, { project: projectName(dir), stack: "dev" });
    const { outputs } = await runProgram(engine, dir, { config: { "agent37-domain:domain": "Acme-Agents.com", "agent37-domain:template": "agent37-hermes-small" } });
    const id = outputs.instanceId as string;
    const mirror = `http://${id}.acme-agents.com.localhost:${emulator.port}`;
    expect(outputs).toMatchObject({ dnsName: "acme-agents.com", domainStatus: "active", domainUrls: [mirror] });
    expect(outputs.nameservers).toHaveLength(2);
    const health = await getFromInstance(mirror, "/v1/health", emulator.keys[0] as string);
    expect(health.status).toBe(200);

    await engine.destroy();
    const admin = new EmulatorAdmin(emulator.url);
    expect(await admin.live()).toEqual([]);
    const res = await fetch(`${emulator.url}/v1/domains`, { headers: { authorization: `Bearer ${emulator.keys[0] as string}` } });
    expect(((await res.json()) as { data: unknown[] }).data).toEqual([]);
  });

});
