// The durable job queue (src/jobs/sql-job-queue.ts). Part of `DatabaseSchema` (../database-schema.ts).

/** One row per job key (src/jobs/sql-job-queue.ts). */
export interface JobTable {
  job_key: string;
  kind: string;
  group_name: string | null;
  /** JSON text. */
  payload: string;
  state: 'queued' | 'running' | 'done' | 'failed';
  /** 1 when the key was enqueued again while running: one more run follows. */
  rerun: number;
  attempts: number;
  max_attempts: number;
  run_at: string;
  /** The claim's fencing token while running. */
  lock_token: string | null;
  /** The lease: past it, a running job is taken over (its worker is presumed dead). */
  locked_until: string | null;
  last_error: string | null;
  updated_at: string;
  /**
   * SQLite: JSON of the specs of the keys this running job took (`takeKeys`), held in memory
   * meanwhile; handed back to their own jobs if it ends or dies without releasing them. Null on
   * PostgreSQL, where each taken key is a row.
   */
  taken: string | null;
}

export interface JobPausedGroupTable {
  group_name: string;
  paused_at: string;
}

/** At most `max_running` jobs of the group run at once; a group without a row has the default. */
export interface JobGroupLimitTable {
  group_name: string;
  max_running: number;
}
