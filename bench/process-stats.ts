import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** Linux's clock ticks per second, the unit of utime and stime in /proc/<pid>/stat. */
const CLOCK_TICKS = readClockTicks();

function readClockTicks(): number {
  try {
    const ticks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());
    return Number.isInteger(ticks) && ticks > 0 ? ticks : 100;
  } catch {
    return 100;
  }
}

export interface ProcessMemory {
  /** Resident set size now, in bytes. */
  readonly rssBytes: number;
  /** Peak resident set size ("high water mark"), in bytes. */
  readonly peakRssBytes: number;
}

/** VmRSS and VmHWM of a process, from `/proc/<pid>/status` (Linux). */
export function readProcessMemory(pid: number): ProcessMemory {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kilobytes = (field: string) => {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status);
    if (match?.[1] === undefined) throw new Error(`No ${field} in /proc/${pid}/status`);
    return Number(match[1]) * 1024;
  };
  return { rssBytes: kilobytes('VmRSS'), peakRssBytes: kilobytes('VmHWM') };
}

/** CPU seconds a process has used so far (all threads), split into user and system (kernel) time. */
export interface ProcessCpu {
  readonly user: number;
  readonly system: number;
}

/** User and system CPU seconds (all threads) of a process so far, from `/proc/<pid>/stat`. */
export function readProcessCpu(pid: number): ProcessCpu {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name (field 2) may hold spaces and parentheses: count fields after its closing one.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  if (!Number.isFinite(utime) || !Number.isFinite(stime)) throw new Error(`Unreadable /proc/${pid}/stat`);
  return { user: utime / CLOCK_TICKS, system: stime / CLOCK_TICKS };
}

/** CPU seconds (user + system, all threads) a process has used so far, from `/proc/<pid>/stat`. */
export function readProcessCpuSeconds(pid: number): number {
  const cpu = readProcessCpu(pid);
  return cpu.user + cpu.system;
}

/** CPU seconds (user + system) spent between two readings. */
export function cpuSeconds(before: ProcessCpu, after: ProcessCpu): number {
  return after.user - before.user + (after.system - before.system);
}

/** `total µs/user (user + sys)` for CPU spent between two readings over `count` items. */
export function formatCpuPerItem(
  before: ProcessCpu,
  after: ProcessCpu,
  count: number,
  unit = 'user',
): string {
  const micro = (seconds: number) => ((seconds * 1e6) / count).toFixed(0);
  const user = after.user - before.user;
  const system = after.system - before.system;
  return `${micro(user + system)} µs/${unit} (${micro(user)} user + ${micro(system)} sys)`;
}

/**
 * Waits until the processes are idle: together (all threads) they used less than `idleShare` of one
 * CPU over the last `windowMs`. A server finishes the work a phase gave it (the WAL checkpoint, the
 * collector) after the phase, on the CPU the next phase then uses. Processes that are gone count as
 * idle. Resolves with the seconds waited; after `timeoutMs` it stops waiting.
 */
export async function waitUntilIdle(
  pids: readonly number[],
  { windowMs = 500, idleShare = 0.02, timeoutMs = 30_000 } = {},
): Promise<number> {
  const started = performance.now();
  const total = () =>
    pids.reduce((sum, pid) => {
      try {
        return sum + readProcessCpuSeconds(pid);
      } catch {
        return sum;
      }
    }, 0);
  let before = total();
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, windowMs));
    const after = total();
    const waited = (performance.now() - started) / 1000;
    if (after - before < (idleShare * windowMs) / 1000 || waited * 1000 >= timeoutMs) return waited;
    before = after;
  }
}
