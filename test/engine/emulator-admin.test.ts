/**
 * The harness's admin client reads the emulator's admin payloads with the emulator's own types,
 * and its compiled form (dist/test/harness, used by the demo and the benchmarks) still loads
 * without the emulator: the types are imported for type checking only.
 */
import { execFile } from "node:child_process";
import * as path from "node:path";
import { promisify } from "node:util";
import { startEmulator, type RunningEmulator } from "pulumi-agent37/emulator";
import { EmulatorAdmin, REPO_ROOT, type AdminInstance, type AdminRequests } from "../harness";

let emulator: RunningEmulator;
let admin: EmulatorAdmin;
beforeAll(async () => {
  emulator = await startEmulator({ port: 0, quiet: true, provisionMs: 10, bootMs: 0 });
  admin = new EmulatorAdmin(emulator.url);
});
afterAll(async () => emulator?.close());

it("the compiled admin client loads no emulator module", async () => {
  const entry = path.join(REPO_ROOT, "dist", "test", "harness", "emulator-admin.js");
  const emulatorDir = path.join(REPO_ROOT, "dist", "emulator") + path.sep;
  const probe = `require(${JSON.stringify(entry)}); console.log(JSON.stringify(Object.keys(require.cache)));`;
  const { stdout } = await promisify(execFile)(process.execPath, ["-e", probe], { cwd: REPO_ROOT });
  const loaded = JSON.parse(stdout) as string[];
  expect(loaded).toContain(entry);
  expect(loaded.filter((file) => file.startsWith(emulatorDir))).toEqual([]);
});

it("reads an instance without metadata as the emulator lists it: metadata null", async () => {
  const res = await fetch(`${emulator.url}/v1/instances`, {
    method: "POST",
    headers: { authorization: `Bearer ${emulator.keys[0] as string}`, "content-type": "application/json" },
    body: JSON.stringify({ name: "bare" }),
  });
  const { id } = (await res.json()) as { id: string };
  const row: AdminInstance | undefined = await admin.instance(id);
  expect(row).toMatchObject({ id, name: "bare", status: "running", metadata: null, workspace: expect.stringMatching(/^ws_/) });
  expect(typeof row?.healthyAt).toBe("number");

  const requests: AdminRequests = await admin.requests();
  expect(requests.counters["POST /v1/instances"]).toBe(1);
  expect(requests.log.find((e) => e.route === "POST /v1/instances")).toMatchObject({ plane: "api", status: 201, instanceId: id });
});
