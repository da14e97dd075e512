import pg from 'pg';
import type { StorageSignals } from '../../storage-signals.ts';

/**
 * Signals between the processes that share one PostgreSQL database, over LISTEN / NOTIFY. Channel
 * names carry the schema, so databases that host several schemas (tests) do not hear each other.
 * The listening connection is opened on first subscribe and reconnects after a failure; while it is
 * down, listeners are called once it is back (they must treat a signal as "something may have changed").
 */
export function createPostgresSignals(
  url: string,
  schema: string,
  execute: (statement: string) => Promise<unknown>,
): StorageSignals {
  const listeners = new Map<string, Set<() => void>>();
  let client: pg.Client | undefined;
  let connecting: Promise<void> | undefined;
  let closed = false;
  const channel = (topic: string) => `lockstep_${schema}_${topic}`.slice(0, 63);

  const notifyAll = () => {
    for (const set of listeners.values()) for (const listener of set) listener();
  };

  async function connect(): Promise<void> {
    const next = new pg.Client({ connectionString: url });
    next.on('notification', (message) => {
      for (const [topic, set] of listeners)
        if (channel(topic) === message.channel) for (const listener of set) listener();
    });
    next.on('error', () => {
      client = undefined;
      connecting = undefined;
      if (!closed) setTimeout(() => void ensure().then(notifyAll, () => {}), 1_000).unref();
    });
    await next.connect();
    for (const topic of listeners.keys()) await next.query(`listen "${channel(topic)}"`);
    client = next;
  }

  function ensure(): Promise<void> {
    if (client !== undefined) return Promise.resolve();
    connecting ??= connect().catch((error: unknown) => {
      connecting = undefined;
      throw error;
    });
    return connecting;
  }

  return {
    async publish(topic) {
      await execute(`select pg_notify('${channel(topic)}', '')`);
    },
    async subscribe(topic, listener) {
      let set = listeners.get(topic);
      if (set === undefined) {
        set = new Set();
        listeners.set(topic, set);
        await ensure();
        await client?.query(`listen "${channel(topic)}"`);
      }
      set.add(listener);
    },
    async close() {
      closed = true;
      await client?.end().catch(() => {});
      client = undefined;
    },
  };
}
