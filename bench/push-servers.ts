import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findFreePort, type ServerProcess, startServerProcess } from './child-process.ts';

const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));
const BIN = join(REPO_ROOT, 'bin', 'lockstep.js');
export const PROFILE_DIR = join(REPO_ROOT, '.bench', 'profiles');
/** Inherited settings that would point a server elsewhere or change what is measured. */
const SERVER_ENV_OVERRIDDEN = /^(LOCKSTEP_.*|DATABASE_URL|PORT|HOST|LOG_LEVEL)$/;

/** An admin token for every server of the run (supplied by the environment, so nothing is printed). */
export const ADMIN_TOKEN = `bench-push-${randomBytes(24).toString('hex')}`;

export interface LockstepServer extends ServerProcess {
  readonly dataDir: string;
}

export function newDataDir(label: string): string {
  return mkdtempSync(join(tmpdir(), `lockstep-push-${label}-`));
}

/**
 * `bin/lockstep.js serve` on SQLite in `dataDir` (its engine runs in it), logging warnings only, with
 * token rate limits no benchmark reaches.
 */
export async function startLockstep(
  name: string,
  dataDir: string,
  cpuProf: boolean,
): Promise<LockstepServer> {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env))
    if (!SERVER_ENV_OVERRIDDEN.test(key)) env[key] = value;
  const port = await findFreePort();
  if (cpuProf) mkdirSync(PROFILE_DIR, { recursive: true });
  const server = await startServerProcess({
    name,
    args: [...(cpuProf ? ['--cpu-prof', `--cpu-prof-dir=${PROFILE_DIR}`] : []), BIN, 'serve'],
    env: {
      ...env,
      LOCKSTEP_DATA_DIR: dataDir,
      LOCKSTEP_ADMIN_TOKEN: ADMIN_TOKEN,
      LOCKSTEP_TOKEN_RATE_PER_APP: '1000000',
      LOCKSTEP_TOKEN_RATE_PER_IP: '1000000',
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
    },
    port,
    readyPath: '/healthz',
  });
  return { ...server, dataDir };
}

export function removeDataDir(dataDir: string): void {
  rmSync(dataDir, { recursive: true, force: true });
}
