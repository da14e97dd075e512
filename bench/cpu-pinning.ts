import { execFileSync } from 'node:child_process';
import { cpus } from 'node:os';

/** Where `--pin` puts each process: the side under test (a target) alone on one CPU, its client on another. */
export const CLIENT_CPU = 0;
export const TARGET_CPU = 1;

/**
 * Binds every thread of process `pid` (and the threads it starts later, which inherit it) to `cpu`,
 * with util-linux's `taskset`. Fails with a plain message where that cannot work.
 */
export function pinProcess(pid: number, cpu: number): void {
  bind(pid, String(cpu));
}

/** Whether `pinProcess` can work here: Linux, at least two CPUs, and util-linux's `taskset`. */
export function pinningPossible(): boolean {
  if (process.platform !== 'linux' || cpus().length < 2) return false;
  try {
    execFileSync('taskset', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Lets every thread of process `pid` run on every CPU of the machine again. */
export function unpinProcess(pid: number): void {
  bind(pid, `0-${cpus().length - 1}`);
}

function bind(pid: number, cpuList: string): void {
  if (process.platform !== 'linux') throw new Error('--pin needs Linux (taskset)');
  // All the machine's CPUs, not this process's share: with --pin this process runs on one of them.
  if (cpus().length < 2) throw new Error('--pin needs at least two CPUs');
  let bound: string;
  try {
    execFileSync('taskset', ['--all-tasks', '--pid', '--cpu-list', cpuList, String(pid)], {
      stdio: 'ignore',
    });
    // `--all-tasks` of a process that is gone binds nothing and still exits 0: read it back.
    bound = cpusOf(pid);
  } catch (error) {
    throw new Error(`--pin: taskset could not bind process ${pid} to CPUs ${cpuList} (${String(error)})`);
  }
  if (cpuSet(bound) !== cpuSet(cpuList))
    throw new Error(`--pin: taskset could not bind process ${pid} to CPUs ${cpuList} (it runs on ${bound})`);
}

/** The CPUs process `pid` may run on, as taskset prints them (e.g. `0`, `0,1`). */
export function cpusOf(pid: number): string {
  const text = execFileSync('taskset', ['--cpu-list', '--pid', String(pid)], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  return text.slice(text.lastIndexOf(':') + 1).trim();
}

/** A CPU list (`0`, `0,1`, `0-3,6`) as the CPUs it names, sorted and comma-separated. */
export function cpuSet(list: string): string {
  const cpusNamed = new Set<number>();
  for (const part of list.split(',')) {
    const [from, to = from] = part.split('-').map(Number);
    if (from === undefined || to === undefined || !Number.isInteger(from) || !Number.isInteger(to)) continue;
    for (let cpu = from; cpu <= to; cpu++) cpusNamed.add(cpu);
  }
  return [...cpusNamed].sort((a, b) => a - b).join(',');
}
