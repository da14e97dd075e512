/** A child process whose output is kept, waited on line by line, and that can be killed and awaited. */
import { type ChildProcess, spawn } from 'node:child_process';

export interface WatchedProcess {
  readonly child: ChildProcess;
  /** Everything it wrote so far, stdout and stderr interleaved. */
  output(): string;
  /** Resolves with the first match of `pattern` in its output; rejects if it exits or the time is up. */
  waitFor(pattern: RegExp, ms?: number): Promise<RegExpExecArray>;
  /** Sends `signal` and resolves once it has exited (at once if it already had). */
  kill(signal?: NodeJS.Signals): Promise<void>;
  /** Whether it has exited. */
  exited(): boolean;
}

export function spawnWatched(
  args: readonly string[],
  env: Record<string, string | undefined> = process.env,
): WatchedProcess {
  const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk) => {
    output += chunk;
  });
  child.stderr.on('data', (chunk) => {
    output += chunk;
  });
  // Output still in the pipes arrives before 'close'; 'exit' may come first.
  const closed = new Promise<void>((resolve) => child.once('close', () => resolve()));
  const exited = () => child.exitCode !== null || child.signalCode !== null;
  return {
    child,
    output: () => output,
    exited,
    async waitFor(pattern, ms = 30_000) {
      const deadline = Date.now() + ms;
      for (;;) {
        const match = pattern.exec(output);
        if (match !== null) return match;
        if (exited() || Date.now() > deadline) {
          if (!exited()) child.kill('SIGKILL');
          await closed;
          throw new Error(
            `${args.join(' ')} did not print ${pattern} (exit ${child.exitCode ?? child.signalCode}):\n${output}`,
          );
        }
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
    },
    async kill(signal = 'SIGTERM') {
      if (!exited()) child.kill(signal);
      await closed;
    },
  };
}
