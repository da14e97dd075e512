/**
 * The suite-wide "secrets never appear in logs" check. Every test server writes the log lines it
 * produced, and every secret the tests saw (app secrets, admin tokens, access tokens, converted bearer
 * tokens), to files in one directory shared by all test processes; the global teardown
 * (global-setup.ts) reads them all and fails the run if any secret occurs in any log line.
 */
import { appendFileSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export const CAPTURE_DIR_ENV = 'LOCKSTEP_TEST_CAPTURE_DIR';

/** Issued secrets and signed tokens, as they appear in answers and printed output. */
const SECRET_PATTERN =
  /\b(?:ls[sat]_[A-Za-z0-9_-]{20,}|eyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{20,})/g;

export function findSecrets(text: string): string[] {
  return text.match(SECRET_PATTERN) ?? [];
}

function directory(): string | undefined {
  const dir = process.env[CAPTURE_DIR_ENV];
  if (dir === undefined) return undefined;
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** Remembers secrets seen by a test (values are written only to the throw-away capture directory). */
export function captureSecrets(values: Iterable<string>): void {
  const dir = directory();
  const list = [...values];
  if (dir === undefined || list.length === 0) return;
  appendFileSync(join(dir, `secrets-${process.pid}.txt`), `${list.join('\n')}\n`);
}

/** Keeps log lines a test server produced (pino JSON lines; other output is not a log). */
export function captureLogs(lines: Iterable<string>): void {
  const dir = directory();
  if (dir === undefined) return;
  const text = [...lines].join('');
  if (text !== '')
    appendFileSync(join(dir, `logs-${process.pid}.txt`), text.endsWith('\n') ? text : `${text}\n`);
}

/** Log lines of a child process's output: only its JSON log lines, not what it prints for people. */
export function logLinesOf(output: string): string[] {
  return output
    .split('\n')
    .filter((line) => line.startsWith('{"level"'))
    .map((line) => `${line}\n`);
}

/** Every captured secret that occurs in a captured log line, with where it was found. */
export function leakedSecrets(dir: string): { secret: string; file: string }[] {
  const files = readdirSync(dir);
  const secrets = new Set<string>();
  for (const file of files.filter((name) => name.startsWith('secrets-')))
    for (const line of readFileSync(join(dir, file), 'utf8').split('\n')) if (line !== '') secrets.add(line);
  const leaks: { secret: string; file: string }[] = [];
  for (const file of files.filter((name) => name.startsWith('logs-'))) {
    const logs = readFileSync(join(dir, file), 'utf8');
    for (const secret of secrets) if (logs.includes(secret)) leaks.push({ secret, file });
  }
  return leaks;
}
