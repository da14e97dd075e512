import { loadConfig } from '../config.ts';
import { openStorage, type Storage } from '../storage/open-storage.ts';

/** Runs an administrative command against the configured database (the server need not run). */
export async function withStorage<T>(action: (storage: Storage) => Promise<T>): Promise<T> {
  const storage = await openStorage(loadConfig().storage);
  try {
    return await action(storage);
  } finally {
    await storage.close();
  }
}
