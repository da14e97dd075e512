import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { redactUrl, type StorageConfig } from '../src/storage/open-storage.ts';

export const DEFAULT_POSTGRES_URL = 'postgres://postgres@127.0.0.1:5432/test';

/** Where one benchmark run keeps its data: a fresh temp dir, and a fresh schema when on PostgreSQL. */
export interface BenchTarget {
  /** Human-readable: the SQLite file, or the PostgreSQL URL and schema. */
  readonly description: string;
  readonly kind: 'sqlite' | 'postgres';
  /** Scratch files of the run (the SQLite database, the bare server's body). */
  readonly tempDir: string;
  /** How the seeder opens the store. */
  readonly storage: StorageConfig;
  /** The environment that points `lockstep serve` at the same data. */
  readonly serverEnv: Readonly<Record<string, string>>;
  /** Deletes the run's data: the temp dir, and the schema on PostgreSQL. */
  dispose(): Promise<void>;
}

export function createBenchTarget(options: { postgres: boolean; databaseUrl?: string }): BenchTarget {
  const tempDir = mkdtempSync(join(tmpdir(), 'lockstep-bench-'));
  const removeTempDir = () => rmSync(tempDir, { recursive: true, force: true });
  if (!options.postgres) {
    return {
      description: `SQLite ${join(tempDir, 'lockstep.db')}`,
      kind: 'sqlite',
      tempDir,
      storage: { kind: 'sqlite', path: join(tempDir, 'lockstep.db') },
      serverEnv: { LOCKSTEP_DATA_DIR: tempDir },
      dispose: async () => removeTempDir(),
    };
  }
  const url = options.databaseUrl ?? DEFAULT_POSTGRES_URL;
  const schema = `bench_${Date.now().toString(36)}_${process.pid}`;
  return {
    description: `PostgreSQL ${redactUrl(url)} schema ${schema}`,
    kind: 'postgres',
    tempDir,
    storage: { kind: 'postgres', url, schema },
    // node-postgres reads libpq's `options` parameter from the URL: the server's pool uses the schema.
    serverEnv: { DATABASE_URL: withSearchPath(url, schema) },
    async dispose() {
      removeTempDir();
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        await client.query(`drop schema if exists ${schema} cascade`);
      } finally {
        await client.end();
      }
    },
  };
}

function withSearchPath(url: string, schema: string): string {
  const parsed = new URL(url);
  parsed.searchParams.set('options', `-c search_path=${schema}`);
  return parsed.toString();
}
