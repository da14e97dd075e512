/**
 * "Something changed" signals between every process that shares the database. Topics are plain
 * names; a signal carries no data. On SQLite (one serving process) they stay in the process.
 */
export interface StorageSignals {
  publish(topic: string): Promise<void>;
  subscribe(topic: string, listener: () => void): Promise<void>;
  close(): Promise<void>;
}

export function createLocalSignals(): StorageSignals {
  const listeners = new Map<string, Set<() => void>>();
  return {
    async publish(topic) {
      for (const listener of listeners.get(topic) ?? []) listener();
    },
    async subscribe(topic, listener) {
      let set = listeners.get(topic);
      if (set === undefined) {
        set = new Set();
        listeners.set(topic, set);
      }
      set.add(listener);
    },
    async close() {},
  };
}
