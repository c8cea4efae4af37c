import { spawn, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { Writable } from "node:stream";
import { INSTANCE_ID_PATTERN } from "../ids";

/** The folder of an instance's data folder that is its virtual `/`. */
const TREE_FOLDER = "fs";
/** The instance user's home and the agent workspace, as the gateway names them (the docs' "Files" page). */
export const HOME_DIR = "/home/user";
export const WORKSPACE_DIR = "/home/user/.agent37-gateway/workspace";

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
 * The shell's whole command line. The command itself (which carries the `export NAME='value'`
 * lines of a caller's environment) arrives on file descriptor 3, never in argv: a command line
 * is readable by every local user through `/proc/<pid>/cmdline`, a pipe only by this process.
 * `command -p` finds `cat` on the system's default path whatever `PATH` the instance's env sets;
 * the substitution keeps fd 3 to itself and `3<&-` closes it for the command, so nothing the
 * command starts inherits it. `eval` inside `sh -c` keeps `sh -c`'s behaviour (`$0` is `sh`,
 * `exit` ends the shell, a syntax error exits 2); only trailing newlines of the command are
 * dropped, which no shell grammar depends on.
 */
export const SHELL_SCRIPT = 'eval "$(command -p cat <&3)" 3<&-';

/**
 * Runs exec commands with a real `sh -c` in one working folder per instance, so files written by
 * one call are there for the next. Folders live under one temporary root that is removed on close,
 * or, with a state file, in a folder next to it (`kept`) that outlives a restart, as a disk does.
 *
 * Each command runs in a process group of its own (`detached`: the shell leads it), which is
 * kept per instance after the call answers, while anything in it is alive: a command may leave a
 * background process behind (`server &`), as in a container. The group is killed at the time
 * limit, when the instance is deleted, on reset and when the emulator closes. A process that
 * leaves its group on purpose (`setsid`, a daemon's double fork) is beyond reach: there is no
 * container around it; the call still answers at its time limit.
 */
export class ExecRunner {
  private root: string | undefined;
  private readonly children = new Set<ChildProcess>();
  /** Process groups (the leading shell's pid) per instance, kept until the instance goes. */
  private readonly groups = new Map<string, Set<number>>();

  /** `kept`: the folder that holds the instances' folders across restarts (next to the state file); none: a temporary one. */
  constructor(
    private readonly timeoutMs: number,
    private readonly maxBytes: number,
    private readonly kept?: string,
  ) {}

  private rootDir(): string {
    if (this.root !== undefined) return this.root;
    if (this.kept === undefined) this.root = fs.mkdtempSync(path.join(os.tmpdir(), "agent37-emulator-"));
    else {
      // Instances' files may be private: owner only, also over a folder that was more open.
      fs.mkdirSync(this.kept, { recursive: true, mode: 0o700 });
      fs.chmodSync(this.kept, 0o700);
      this.root = this.kept;
    }
    return this.root;
  }

  /** With a kept folder: removes the folders of instances that are gone (deleted, or unknown to the state file). */
  prune(live: (instanceId: string) => boolean): void {
    if (this.kept === undefined || !fs.existsSync(this.kept)) return;
    for (const name of fs.readdirSync(this.kept)) {
      // Only names the emulator makes; anything else in the folder is left alone.
      if (INSTANCE_ID_PATTERN.test(name) && !live(name)) fs.rmSync(path.join(this.kept, name), { recursive: true, force: true });
    }
  }

  /** The instance's folder under the root; an id that is not one the emulator makes never names a path. */
  private dirOf(root: string, instanceId: string): string {
    if (!INSTANCE_ID_PATTERN.test(instanceId)) throw new Error(`refusing exec folder for instance id ${JSON.stringify(instanceId)}`);
    return path.join(root, instanceId);
  }

  /**
   * The instance's data folder, made on first use. Inside it, `fs/` holds the instance's own
   * filesystem: virtual `/` of the gateway's Files API (emulator/tree.ts), with the user's home
   * `/home/user` and the agent workspace `/home/user/.agent37-gateway/workspace` made with it.
   */
  folder(instanceId: string): string {
    const dir = this.dirOf(this.rootDir(), instanceId);
    if (!fs.existsSync(dir)) {
      fs.mkdirSync(dir, { recursive: true });
      fs.mkdirSync(path.join(dir, TREE_FOLDER, ...WORKSPACE_DIR.split("/").filter(Boolean)), { recursive: true });
    }
    return dir;
  }

  /** Where the instance's virtual `/` lives: the data folder's `fs/` (see `folder`). */
  tree(instanceId: string): { base: string; steps: string[] } {
    const dir = this.folder(instanceId);
    // The Files API opens these steps one by one without following links (emulator/tree.ts).
    return { base: path.dirname(dir), steps: [path.basename(dir), TREE_FOLDER] };
  }

  /** The instance user's home on this machine: exec's working folder and `HOME`, `~` of the Files API. */
  home(instanceId: string): string {
    const home = path.join(this.folder(instanceId), TREE_FOLDER, ...HOME_DIR.split("/").filter(Boolean));
    // A Files API client may have deleted it; a container's home is there when a command starts.
    fs.mkdirSync(home, { recursive: true });
    return home;
  }

  /** Remembers a command's group; forgets the instance's groups that have no process left. */
  private track(instanceId: string, pgid: number): void {
    let set = this.groups.get(instanceId);
    if (!set) {
      set = new Set();
      this.groups.set(instanceId, set);
    }
    for (const g of set) if (!groupAlive(g)) set.delete(g);
    set.add(pgid);
  }

  run(instanceId: string, command: string, env: Record<string, string>): Promise<ExecResult> {
    const cwd = this.home(instanceId);
    return new Promise((resolve, reject) => {
      // By absolute path: spawn looks a bare name up in the env it is given, which the instance may set.
      const child = spawn("/bin/sh", ["-c", SHELL_SCRIPT], {
        argv0: "sh",
        cwd,
        env: { PATH: process.env["PATH"] ?? "/usr/bin:/bin", HOME: cwd, ...env, AGENT37_INSTANCE_ID: instanceId },
        stdio: ["ignore", "pipe", "pipe", "pipe"],
        detached: true,
      });
      this.children.add(child);
      if (child.pid !== undefined) this.track(instanceId, child.pid);
      const script = child.stdio[3] as Writable | null;
      // A shell that dies before reading its script closes the pipe: its exit is the answer.
      script?.on("error", () => undefined);
      // Once written, our end of the script's socket closes: the child's end may live on in a
      // background subshell (dash keeps a saved copy of fd 3 in every subshell it forks under the
      // `3<&-`), and 'close' would otherwise wait for it until the time limit. What was written
      // stays readable by the shell.
      script?.end(command, () => script.destroy());
      const stdout = new CappedStream(this.maxBytes);
      const stderr = new CappedStream(this.maxBytes);
      child.stdout?.on("data", (c: Buffer) => stdout.push(c));
      child.stderr?.on("data", (c: Buffer) => stderr.push(c));
      let exited = false;
      let settled = false;
      const finish = (): void => {
        settled = true;
        clearTimeout(timer);
        this.children.delete(child);
      };
      const timer = setTimeout(() => {
        if (settled) return;
        finish();
        killGroup(child);
        // Answer now: a process that left the group may hold the output pipes open for ever.
        child.stdout?.destroy();
        child.stderr?.destroy();
        const limit = `${Math.round(this.timeoutMs / 1000)} s exec limit`;
        reject(new ExecTimeoutError(exited ? `its shell exited, but a process it started kept the command's output open past the ${limit}` : `command exceeded the ${limit}`));
      }, this.timeoutMs);
      child.on("exit", () => {
        exited = true;
      });
      child.on("error", (err) => {
        if (settled) return;
        finish();
        reject(err);
      });
      child.on("close", (code, signal) => {
        if (settled) return;
        finish();
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

  /** Kills every process group the instance's commands started (its container goes away). */
  kill(instanceId: string): void {
    const set = this.groups.get(instanceId);
    this.groups.delete(instanceId);
    for (const pgid of set ?? []) killPgid(pgid);
  }

  /** Kills what the instance's commands left running and removes its folder. */
  remove(instanceId: string): void {
    this.kill(instanceId);
    if (!this.root) return;
    fs.rmSync(this.dirOf(this.root, instanceId), { recursive: true, force: true });
  }

  /** Kills running commands and whatever they left running (their whole process groups), and removes every folder (a kept folder stays). */
  close(): void {
    for (const child of this.children) killGroup(child);
    this.children.clear();
    for (const id of [...this.groups.keys()]) this.kill(id);
    if (this.root !== undefined && this.kept === undefined) fs.rmSync(this.root, { recursive: true, force: true });
    this.root = undefined;
  }

  /** Kills everything and removes every instance's folder, kept or not (the admin reset clears instances). */
  reset(): void {
    this.close();
    this.prune(() => false);
  }
}

/**
 * Whether any process is left in the group. A group that has emptied is forgotten at once, so
 * its number is not signalled later, when the system may have handed it to an unrelated process.
 */
function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    // ESRCH: empty. EPERM: the number now belongs to someone else's group; it is not ours any more either.
    return false;
  }
}

function killPgid(pgid: number): void {
  try {
    process.kill(-pgid, "SIGKILL");
  } catch {
    // Already gone.
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
