import { spawn, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { INSTANCE_ID_PATTERN } from "../ids";

export interface ExecResult {
  exit_code: number;
  stdout: string;
  stderr: string;
  truncated: boolean;
}

/**
 * Keeps the first and last halves of a stream once it exceeds the cap, so memory stays bounded
 * however much a command prints; the middle is replaced by a marker.
 */
class CappedStream {
  private head: Buffer[] = [];
  private headSize = 0;
  private tail: Buffer[] = [];
  private tailSize = 0;
  total = 0;
  constructor(private readonly cap: number) {}

  push(chunk: Buffer): void {
    this.total += chunk.length;
    const half = Math.floor(this.cap / 2);
    if (this.headSize < half) {
      const take = chunk.subarray(0, half - this.headSize);
      this.head.push(take);
      this.headSize += take.length;
      chunk = chunk.subarray(take.length);
    }
    if (chunk.length === 0) return;
    this.tail.push(chunk);
    this.tailSize += chunk.length;
    while (this.tailSize > half && this.tail.length > 1) {
      const first = this.tail[0];
      if (!first || this.tailSize - first.length < half) break;
      this.tail.shift();
      this.tailSize -= first.length;
    }
  }

  get truncated(): boolean {
    return this.total > this.cap;
  }

  text(): string {
    const all = Buffer.concat([...this.head, ...this.tail]);
    if (!this.truncated) return all.toString("utf8");
    const half = Math.floor(this.cap / 2);
    // The marker's own length must fit inside the cap, so measure it with a generous count first.
    const keep = half - Math.ceil(`\n[... ${this.total} bytes truncated ...]\n`.length / 2);
    const marker = `\n[... ${this.total - 2 * keep} bytes truncated ...]\n`;
    const head = Buffer.concat(this.head).subarray(0, keep);
    const tailBuf = Buffer.concat(this.tail);
    const tail = tailBuf.subarray(Math.max(0, tailBuf.length - keep));
    return `${head.toString("utf8")}${marker}${tail.toString("utf8")}`;
  }
}

export class ExecTimeoutError extends Error {
  override readonly name = "ExecTimeoutError";
}

/**
 * Runs exec commands with a real `sh -c` in one working folder per instance, so files written by
 * one call are there for the next. Folders live under one temporary root that is removed on close.
 */
export class ExecRunner {
  private root: string | undefined;
  private readonly children = new Set<ChildProcess>();

  constructor(
    private readonly timeoutMs: number,
    private readonly maxBytes: number,
  ) {}

  /** The instance's folder under the root; an id that is not one the emulator makes never names a path. */
  private dirOf(root: string, instanceId: string): string {
    if (!INSTANCE_ID_PATTERN.test(instanceId)) throw new Error(`refusing exec folder for instance id ${JSON.stringify(instanceId)}`);
    return path.join(root, instanceId);
  }

  folder(instanceId: string): string {
    this.root ??= fs.mkdtempSync(path.join(os.tmpdir(), "agent37-emulator-"));
    const dir = this.dirOf(this.root, instanceId);
    fs.mkdirSync(dir, { recursive: true });
    return dir;
  }

  run(instanceId: string, command: string, env: Record<string, string>): Promise<ExecResult> {
    const cwd = this.folder(instanceId);
    return new Promise((resolve, reject) => {
      const child = spawn("sh", ["-c", command], {
        cwd,
        env: { PATH: process.env["PATH"] ?? "/usr/bin:/bin", HOME: cwd, ...env, AGENT37_INSTANCE_ID: instanceId },
        stdio: ["ignore", "pipe", "pipe"],
        detached: true,
      });
      this.children.add(child);
      const stdout = new CappedStream(this.maxBytes);
      const stderr = new CappedStream(this.maxBytes);
      child.stdout?.on("data", (c: Buffer) => stdout.push(c));
      child.stderr?.on("data", (c: Buffer) => stderr.push(c));
      let timedOut = false;
      const timer = setTimeout(() => {
        timedOut = true;
        killGroup(child);
      }, this.timeoutMs);
      child.on("error", (err) => {
        clearTimeout(timer);
        this.children.delete(child);
        reject(err);
      });
      child.on("close", (code, signal) => {
        clearTimeout(timer);
        this.children.delete(child);
        if (timedOut) {
          reject(new ExecTimeoutError(`command exceeded the ${Math.round(this.timeoutMs / 1000)} s exec limit`));
          return;
        }
        resolve({
          // A signal-killed shell reports 128+n, as a container runtime would.
          exit_code: code ?? (signal ? 128 + (os.constants.signals[signal] ?? 9) : 1),
          stdout: stdout.text(),
          stderr: stderr.text(),
          truncated: stdout.truncated || stderr.truncated,
        });
      });
    });
  }

  remove(instanceId: string): void {
    if (!this.root) return;
    fs.rmSync(this.dirOf(this.root, instanceId), { recursive: true, force: true });
  }

  /** Kills running commands (their whole process group) and removes every folder. */
  close(): void {
    for (const child of this.children) killGroup(child);
    this.children.clear();
    if (this.root) fs.rmSync(this.root, { recursive: true, force: true });
    this.root = undefined;
  }

  reset(): void {
    this.close();
  }
}

function killGroup(child: ChildProcess): void {
  if (child.pid === undefined) return;
  try {
    // detached: the shell leads its own group, so its children die with it.
    process.kill(-child.pid, "SIGKILL");
  } catch {
    child.kill("SIGKILL");
  }
}
