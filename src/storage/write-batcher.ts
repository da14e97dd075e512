import { type Kysely, sql } from 'kysely';
import type { DatabaseSchema } from './database-schema.ts';

type Work<T> = (trx: Kysely<DatabaseSchema>) => Promise<T>;

interface Pending {
  readonly work: Work<unknown>;
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

const MAX_BATCH = 256;

/**
 * Group commit for SQLite. Writes that arrive while a transaction is running are queued and then run
 * together in the next transaction, each inside its own savepoint: a write that fails rolls back to its
 * savepoint alone and rejects alone, and every write's promise settles only after the commit that made
 * it durable. With one connection and synchronous statements, the writes of a batch run one after the
 * other exactly as separate transactions would, so batching changes cost, not semantics: a commit
 * (the WAL append) is shared by many writes instead of paid by each.
 */
export function createWriteBatcher(db: Kysely<DatabaseSchema>) {
  let queue: Pending[] = [];
  let running = false;

  const runBatch = async (): Promise<void> => {
    const batch = queue.slice(0, MAX_BATCH);
    queue = queue.slice(batch.length);
    const outcomes: { ok: boolean; value: unknown }[] = [];
    try {
      await db.transaction().execute(async (trx) => {
        for (const item of batch) {
          if (batch.length === 1) {
            // A lone write keeps plain transaction semantics: if it throws, the transaction rolls back.
            outcomes.push({ ok: true, value: await item.work(trx) });
            continue;
          }
          await sql`savepoint batch_item`.execute(trx);
          try {
            const value = await item.work(trx);
            await sql`release savepoint batch_item`.execute(trx);
            outcomes.push({ ok: true, value });
          } catch (error) {
            await sql`rollback to savepoint batch_item`.execute(trx);
            await sql`release savepoint batch_item`.execute(trx);
            outcomes.push({ ok: false, value: error });
          }
        }
      });
    } catch (error) {
      for (const [index, item] of batch.entries()) {
        const outcome = outcomes[index];
        item.reject(outcome !== undefined && !outcome.ok ? outcome.value : error);
      }
      return;
    }
    for (const [index, item] of batch.entries()) {
      const outcome = outcomes[index]!;
      if (outcome.ok) item.resolve(outcome.value);
      else item.reject(outcome.value);
    }
  };

  const drain = async (): Promise<void> => {
    running = true;
    try {
      while (queue.length > 0) await runBatch();
    } finally {
      running = false;
    }
  };

  /** A batch waiting on purpose for company (see `lingerMs`); started at once by a write that may not wait. */
  let lingering: NodeJS.Timeout | undefined;
  const startNow = () => {
    if (lingering !== undefined) clearTimeout(lingering);
    lingering = undefined;
    setImmediate(() => void drain());
  };

  return {
    /**
     * Runs `work` in a transaction, possibly shared with other writes (see above). With `lingerMs`, a
     * write that finds the batcher idle waits that long for others to share its commit: a big write
     * that is not waited on by a person (a page of a full push) then shares the B-tree pages every
     * commit rewrites — roots, inner pages, the tails of the tables — with the writes of the other
     * pages in flight. Any write without it starts the waiting batch at once.
     */
    write<T>(work: Work<T>, options: { readonly lingerMs?: number } = {}): Promise<T> {
      return new Promise<T>((resolve, reject) => {
        queue.push({ work: work as Work<unknown>, resolve: resolve as (value: unknown) => void, reject });
        const linger = options.lingerMs ?? 0;
        if (!running) {
          running = true;
          // Let the writes of this turn of the event loop (or of the next `linger` ms) join the batch.
          if (linger > 0)
            lingering = setTimeout(() => {
              lingering = undefined;
              void drain();
            }, linger);
          else setImmediate(() => void drain());
        } else if (lingering !== undefined && linger === 0) startNow();
      });
    },
  };
}
