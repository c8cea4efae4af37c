// Reading a process's memory and CPU use from /proc (Linux), for the provider host process.
import * as fs from "node:fs";

/** Resident set size of a process in MB, from `/proc/<pid>/status` (Linux). */
export function rssMb(pid: number): number | null {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
    const match = /^VmRSS:\s+(\d+)\s+kB$/m.exec(status);
    return match ? Number(match[1]) / 1024 : null;
  } catch {
    return null;
  }
}

/** CPU time (user + system) a process has used so far, in ms, from `/proc/<pid>/stat`. */
export function cpuMs(pid: number): number | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    // utime and stime are fields 14 and 15 of stat, i.e. 11 and 12 after the command.
    const ticks = Number(fields[11]) + Number(fields[12]);
    // USER_HZ is 100 on every mainstream Linux build (sysconf is not reachable from Node).
    return ticks * 10;
  } catch {
    return null;
  }
}
