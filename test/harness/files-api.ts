/**
 * What the Agent37File and Agent37Directory tests share: an agent instance on the emulator,
 * its gateway's Files API reached directly (to edit a file "inside the instance" as a user
 * would), and the request log filtered to the Files API.
 */
import { request } from "undici";
import type { RunningEmulator } from "../../emulator";
import { EmulatorAdmin, emulatorConfig, type EmulatorEndpoint } from "./emulator-admin";
import { startPluginHost, type PluginHost } from "./plugin";
import { startTestEmulator } from "./start-emulator";

export interface Target {
  url: string;
  port: number;
  key: string;
  admin: EmulatorAdmin;
}

/** The Files API of `emulator`'s workspace of `key` (its first key unless given). */
export function filesTarget(emulator: EmulatorEndpoint, key = emulator.keys[0] as string): Target {
  return { url: emulator.url, port: emulator.port, key, admin: new EmulatorAdmin(emulator.url) };
}

/** What the plugin-door suites of File and Directory start from: an emulator with short waits, the plugin configured for it, one agent instance. */
export async function startFilesOverPlugin(): Promise<{ emulator: RunningEmulator; plugin: PluginHost; t: Target; instanceId: string }> {
  const emulator = await startTestEmulator({ provisionMs: 50, bootMs: 50, lifecycleMs: 50, deleteMs: 30 });
  const t = filesTarget(emulator);
  const plugin = await startPluginHost();
  await plugin.configure(emulatorConfig(emulator));
  return { emulator, plugin, t, instanceId: await agentInstance(t) };
}

export const WORKSPACE = "/home/user/.agent37-gateway/workspace";

async function call(t: Target, method: string, p: string, init: { body?: string | Buffer; host?: string; headers?: Record<string, string> } = {}): Promise<{ status: number; text: string }> {
  const r = await request(`${t.url}${p}`, {
    method: method as "GET",
    headers: { ...(init.host === undefined ? { authorization: `Bearer ${t.key}` } : { host: init.host, "x-agent37-key": t.key }), ...init.headers },
    ...(init.body !== undefined ? { body: init.body } : {}),
  });
  return { status: r.statusCode, text: await r.body.text() };
}

const api = (t: Target, method: string, p: string, body?: unknown) =>
  request(`${t.url}${p}`, {
    method: method as "GET",
    headers: { authorization: `Bearer ${t.key}`, "content-type": "application/json" },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  }).then(async (r) => ({ status: r.statusCode, body: JSON.parse((await r.body.text()) || "null") as Record<string, unknown> }));

/** Polls `probe` until it says done (the emulator's timers move state). */
export async function until(probe: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** A running Hermes instance whose gateway answers. */
export async function agentInstance(t: Target, extra: Record<string, unknown> = {}): Promise<string> {
  const created = await api(t, "POST", "/v1/instances", { template: "agent37-hermes-small", name: "files", ...extra });
  if (created.status !== 201) throw new Error(`create failed: ${created.status} ${JSON.stringify(created.body)}`);
  const id = created.body["id"] as string;
  await until(async () => (await call(t, "GET", "/v1/health", { host: `${id}.localhost:${t.port}` })).status === 200);
  return id;
}

export async function stopInstance(t: Target, id: string): Promise<void> {
  await api(t, "POST", `/v1/instances/${id}/stop`);
  await until(async () => (await api(t, "GET", `/v1/instances/${id}`)).body["status"] === "stopped");
}

const q = encodeURIComponent;

/** The instance's file, read through its gateway; undefined when missing. */
export async function readFile(t: Target, id: string, file: string): Promise<string | undefined> {
  const r = await call(t, "GET", `/v1/files/content?path=${q(file)}`, { host: `${id}.localhost:${t.port}` });
  return r.status === 200 ? r.text : undefined;
}

/** Writes a file inside the instance, as a user (or the agent) would. */
export async function writeFile(t: Target, id: string, file: string, content: string): Promise<void> {
  const r = await call(t, "PUT", `/v1/files/content?path=${q(file)}&overwrite=true`, { host: `${id}.localhost:${t.port}`, body: content });
  if (r.status !== 200) throw new Error(`write failed: ${r.status} ${r.text}`);
}

export async function removeFile(t: Target, id: string, file: string): Promise<void> {
  await call(t, "DELETE", `/v1/files?path=${q(file)}`, { host: `${id}.localhost:${t.port}` });
}

/** The Files API requests logged since the last clear, as `METHOD path?query`. */
export async function filesRequests(t: Target): Promise<{ method: string; path: string }[]> {
  return (await t.admin.requests()).log.filter((e) => e.plane === "instance" && e.path.startsWith("/v1/files")).map((e) => ({ method: e.method, path: e.path }));
}

export interface Entry {
  name: string;
  path: string;
  type: string;
  size: number | null;
  modified: number;
}

/** One level of a folder inside the instance, as its gateway lists it. */
export async function listFolder(t: Target, id: string, dir: string): Promise<{ entries: Entry[]; truncated: boolean }> {
  const r = await call(t, "GET", `/v1/files?path=${q(dir)}`, { host: `${id}.localhost:${t.port}` });
  if (r.status !== 200) throw new Error(`list failed: ${r.status} ${r.text}`);
  return JSON.parse(r.text) as { entries: Entry[]; truncated: boolean };
}

/** Writes `count` files named `name(i)` into `dir` inside the instance, 16 at a time. */
export async function fillFolder(t: Target, id: string, dir: string, count: number, name: (i: number) => string): Promise<void> {
  for (let i = 0; i < count; i += 16) {
    await Promise.all(Array.from({ length: Math.min(16, count - i) }, (_, j) => writeFile(t, id, `${dir}/${name(i + j)}`, `${i + j}\n`)));
  }
}
