/**
 * Starts Pulumi's dynamic provider host (`@pulumi/pulumi/cmd/dynamic-provider`), the process
 * the engine talks to for every `pulumi.dynamic.Resource`, and drives it over gRPC.
 */
import { spawn, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { ProviderClient, type CallOptions, type ConfigureOptions } from "./client";
import type { CheckResult, CreateResult, DiffResult, ReadResult, UpdateResult } from "./client";

/** The repository root: the project directory the engine would start the host in. */
export const REPO_ROOT = findRepoRoot(__dirname);

/** The nearest folder holding this package's `package.json`: works from sources and from `dist/`. */
function findRepoRoot(start: string): string {
  for (let dir = start; ; dir = path.dirname(dir)) {
    const manifest = path.join(dir, "package.json");
    if (fs.existsSync(manifest) && (JSON.parse(fs.readFileSync(manifest, "utf8")) as { name?: string }).name === "pulumi-agent37") return dir;
    if (path.dirname(dir) === dir) throw new Error(`no pulumi-agent37 package.json above ${start}`);
  }
}

export interface ProviderHostOptions {
  /**
   * Working directory of the host. The engine starts plugins in the project directory, and
   * the host's `require-from-string` resolves the serialized provider's `require()` calls from
   * there. @default the repository root
   */
  cwd?: string;
  /** Environment of the host process. @default `process.env` */
  env?: NodeJS.ProcessEnv;
  /** Deadline of every RPC unless a call passes its own, in milliseconds. @default 60000 */
  callTimeoutMs?: number;
  /** How long to wait for the host to print its port, in milliseconds. @default 30000 */
  startTimeoutMs?: number;
  /** The engine address passed on the command line (progress lines go there). @default `127.0.0.1:1`, never answered */
  engineAddress?: string;
}

/** A running provider host and the engine-side calls to it. Results are decoded to plain JS. */
export interface ProviderHost {
  /** `127.0.0.1:PORT` of the host's gRPC server. */
  readonly address: string;
  /** Process id of the host. */
  readonly pid: number;
  configure(config: Record<string, string>, opts?: ConfigureOptions & CallOptions): Promise<void>;
  check(urn: string, olds: object, news: object, opts?: CallOptions): Promise<CheckResult>;
  /** `olds` = old outputs, `news` = checked new inputs, `oldInputs` = old inputs (defaults to `olds`). */
  diff(urn: string, id: string, olds: object, news: object, oldInputs?: object, opts?: CallOptions): Promise<DiffResult>;
  /** Rejects with `HostError`; `initFailure` is set for "created but failed to initialize". */
  create(urn: string, properties: object, opts?: CallOptions): Promise<CreateResult>;
  read(urn: string, id: string, properties: object, inputs?: object, opts?: CallOptions): Promise<ReadResult>;
  update(urn: string, id: string, olds: object, news: object, oldInputs?: object, opts?: CallOptions): Promise<UpdateResult>;
  delete(urn: string, id: string, properties: object, oldInputs?: object, opts?: CallOptions): Promise<void>;
  /**
   * True when the provider answered `Configure` with `supportsPreview` (a native plugin): the
   * engine then asks `Create`/`Update` with `preview: true` for planned outputs. The dynamic
   * host does not, and the engine plans with the inputs instead.
   */
  readonly supportsPreview?: boolean;
  /** Everything the host wrote so far (the engine shows this as provider diagnostics). */
  output(): { stdout: string; stderr: string };
  /** Closes the client, stops the host and waits for it to exit. Idempotent. */
  close(): Promise<void>;
}

/** Resolves the host entry the way the engine's `pulumi-resource-pulumi-nodejs` shim does: from the project. */
export function resolveHostEntry(cwd: string): string {
  try {
    return require.resolve("@pulumi/pulumi/cmd/dynamic-provider", { paths: [cwd] });
  } catch {
    // A folder without its own @pulumi/pulumi (e.g. a scratch directory): use ours.
    return require.resolve("@pulumi/pulumi/cmd/dynamic-provider");
  }
}

export async function startProviderHost(opts: ProviderHostOptions = {}): Promise<ProviderHost> {
  const cwd = opts.cwd ?? REPO_ROOT;
  // The engine address is required by the host's argument check; only progress lines dial it.
  const proc = await launchProvider([resolveHostEntry(cwd), opts.engineAddress ?? "127.0.0.1:1"], cwd, opts, 30_000);
  return { ...proc, configure: (config, o) => proc.client.configure(config, o) };
}

/** A provider process that printed its port, and the engine-side calls to it (Configure aside). */
export interface LaunchedProvider extends Omit<ProviderHost, "configure"> {
  readonly client: ProviderClient;
}

/**
 * Runs `node <args>` (or `command <args>`) in `cwd`, reads the gRPC port from the first stdout
 * line and connects a client, as the engine does with every provider plugin. On failure nothing
 * is left running.
 */
export async function launchProvider(
  args: string[],
  cwd: string,
  opts: Pick<ProviderHostOptions, "env" | "callTimeoutMs" | "startTimeoutMs">,
  defaultStartTimeoutMs: number,
  command: string = process.execPath,
): Promise<LaunchedProvider> {
  const child = spawn(command, args, {
    cwd,
    env: opts.env ?? process.env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  const out = { stdout: "", stderr: "" };
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => (out.stdout += chunk));
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => (out.stderr += chunk));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));

  let port: number;
  try {
    port = await readPort(child, out, opts.startTimeoutMs ?? defaultStartTimeoutMs);
  } catch (error) {
    await stop(child, exited);
    throw error;
  }
  const address = `127.0.0.1:${port}`;
  const client = new ProviderClient(address, opts.callTimeoutMs === undefined ? {} : { callTimeoutMs: opts.callTimeoutMs });
  let closing: Promise<void> | undefined;

  return {
    address,
    pid: child.pid ?? -1,
    client,
    check: (urn, olds, news, o) => client.check(urn, olds, news, o),
    diff: (urn, id, olds, news, oldInputs, o) => client.diff(urn, id, olds, news, oldInputs, o),
    create: (urn, properties, o) => client.create(urn, properties, o),
    read: (urn, id, properties, inputs, o) => client.read(urn, id, properties, inputs, o),
    update: (urn, id, olds, news, oldInputs, o) => client.update(urn, id, olds, news, oldInputs, o),
    delete: (urn, id, properties, oldInputs, o) => client.delete(urn, id, properties, oldInputs, o),
    output: () => ({ ...out }),
    close: () => {
      closing ??= (async () => {
        client.close();
        await stop(child, exited);
      })();
      return closing;
    },
  };
}

/** The host prints its port as the first stdout line, then keeps the gRPC server running. */
function readPort(child: ChildProcess, out: { stdout: string; stderr: string }, timeoutMs: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => finish(new Error(`provider host printed no port within ${timeoutMs} ms; stderr: ${out.stderr}`)), timeoutMs);
    const onData = (): void => {
      const newline = out.stdout.indexOf("\n");
      if (newline < 0) return;
      const port = Number(out.stdout.slice(0, newline).trim());
      if (Number.isInteger(port) && port > 0) finish(undefined, port);
      else finish(new Error(`provider host printed ${JSON.stringify(out.stdout.slice(0, newline))} instead of a port`));
    };
    const onExit = (code: number | null): void =>
      finish(new Error(`provider host exited (code ${code}) before printing its port; stderr: ${out.stderr}`));
    const finish = (error?: Error, port?: number): void => {
      clearTimeout(timer);
      child.stdout?.off("data", onData);
      child.off("exit", onExit);
      if (error) reject(error);
      else resolve(port as number);
    };
    // Registered after the capture listener, so `out.stdout` already holds the chunk.
    child.stdout?.on("data", onData);
    child.once("exit", onExit);
  });
}

async function stop(child: ChildProcess, exited: Promise<void>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
  await exited;
  clearTimeout(timer);
}
