/** Runs the real `lockstep` binary (bin/lockstep.js) with the Node that runs the tests. */
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { captureLogs, captureSecrets, findSecrets, logLinesOf } from '../support/log-capture.ts';

export const BIN = join(import.meta.dirname, '../../bin/lockstep.js');

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The environment without anything of ours the caller did not pass (no stray admin token or URL). */
function baseEnv(): Record<string, string | undefined> {
  const { LOCKSTEP_ADMIN_TOKEN, LOCKSTEP_URL, DATABASE_URL, ...rest } = process.env;
  return rest;
}

export function runCli(args: readonly string[], env: Record<string, string>): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      env: { ...baseEnv(), ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    child.on('error', reject);
    child.on('close', (code) => {
      captureSecrets(findSecrets(stdout));
      resolve({ code, stdout, stderr });
    });
  });
}

export interface RunningServe {
  readonly process: ChildProcess;
  readonly url: string;
  /** The admin token serve printed on first start. */
  readonly adminToken: string;
  /** Everything serve wrote so far. */
  output(): string;
  stop(): Promise<void>;
}

/** `lockstep serve --port 0` on the given data directory; resolves once it printed its admin token. */
export async function startServe(env: Record<string, string>): Promise<RunningServe> {
  const child = spawn(process.execPath, [BIN, 'serve', '--port', '0'], {
    env: { ...baseEnv(), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk) => {
    output += chunk;
  });
  child.stderr.on('data', (chunk) => {
    output += chunk;
  });
  // The server's JSON log lines join the suite-wide "no secret in any log" check; what it printed for
  // people (the first-start secrets) is not a log, but those secrets must not be in one.
  child.once('exit', () => {
    captureSecrets(findSecrets(output));
    captureLogs(logLinesOf(output));
  });
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  };
  const deadline = Date.now() + 30_000;
  while (!/Admin token \(shown once[^\n]*\n/.test(output)) {
    if (child.exitCode !== null || Date.now() > deadline) {
      await stop();
      throw new Error(`serve did not print its admin token:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const url = /listening on (http:\/\/\S+)/.exec(output)?.[1];
  const adminToken = /Admin token \(shown once[^:]*\): (\S+)/.exec(output)?.[1];
  if (url === undefined || adminToken === undefined) {
    await stop();
    throw new Error(`serve printed no URL or admin token:\n${output}`);
  }
  return { process: child, url, adminToken, output: () => output, stop };
}

/** Retries a check until it holds or the time is up (caches on the server may lag a second or two). */
export async function eventually<T>(
  check: () => Promise<T>,
  holds: (value: T) => boolean,
  ms = 5_000,
): Promise<T> {
  const deadline = Date.now() + ms;
  let value = await check();
  while (!holds(value) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 200));
    value = await check();
  }
  return value;
}
