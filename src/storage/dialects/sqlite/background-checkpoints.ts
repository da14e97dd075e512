import type { DatabaseSync } from 'node:sqlite';
import { Worker } from 'node:worker_threads';

const INTERVAL_MS = 250;
const FALLBACK_AUTOCHECKPOINT_PAGES = 1000;

/**
 * Moves WAL checkpoints of a file database to a worker thread (see checkpoint-worker.ts) and turns
 * off the automatic ones on `database`. If the worker fails, automatic checkpoints come back, so the
 * WAL can never grow without bound.
 */
export function startBackgroundCheckpoints(database: DatabaseSync, path: string): { stop(): Promise<void> } {
  const worker = new Worker(new URL('./checkpoint-worker.ts', import.meta.url), {
    workerData: { path, intervalMs: INTERVAL_MS },
  });
  worker.unref();
  const fallBack = () => {
    try {
      database.exec(`PRAGMA wal_autocheckpoint = ${FALLBACK_AUTOCHECKPOINT_PAGES}`);
    } catch {
      // The database is already closed.
    }
  };
  worker.on('error', fallBack);
  worker.on('message', (message: unknown) => {
    if (typeof message === 'object' && message !== null && 'error' in message) fallBack();
  });
  database.exec('PRAGMA wal_autocheckpoint = 0');
  return {
    stop: () =>
      new Promise<void>((resolve) => {
        worker.once('exit', () => resolve());
        worker.postMessage('stop');
        setTimeout(() => void worker.terminate().then(() => resolve()), 5000).unref();
      }),
  };
}
