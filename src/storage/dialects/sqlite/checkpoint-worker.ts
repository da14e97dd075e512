/**
 * Worker thread that checkpoints a SQLite WAL file from its own connection, so that the serving
 * thread's commits never pay for copying pages back and fsyncing the database (SQLite runs an
 * automatic checkpoint inside the commit that crosses the threshold, doubling a write's cost here).
 * PASSIVE never blocks readers or writers; it copies what it can and runs again shortly.
 * @see https://sqlite.org/wal.html#application_initiated_checkpoints
 */
import { DatabaseSync } from 'node:sqlite';
import { parentPort, workerData } from 'node:worker_threads';

const { path, intervalMs } = workerData as { path: string; intervalMs: number };
const database = new DatabaseSync(path);
database.exec('PRAGMA busy_timeout = 5000');

const timer = setInterval(() => {
  try {
    database.exec('PRAGMA wal_checkpoint(PASSIVE)');
  } catch (error) {
    parentPort?.postMessage({ error: error instanceof Error ? error.message : String(error) });
  }
}, intervalMs);

parentPort?.on('message', (message: unknown) => {
  if (message !== 'stop') return;
  clearInterval(timer);
  try {
    database.exec('PRAGMA wal_checkpoint(PASSIVE)');
  } finally {
    database.close();
    parentPort?.close();
  }
});
