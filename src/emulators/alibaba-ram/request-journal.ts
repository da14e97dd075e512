/**
 * The last requests the emulator answered, so a test can assert what a client actually sent
 * (no PATCH, one token request per hour, the filter it used). Bodies are kept as parsed; the
 * `Authorization` header never is.
 */
export interface JournalEntry {
  at: string;
  method: string;
  /** Path and query string as received. */
  url: string;
  status: number;
  body?: unknown;
}

export interface RequestJournal {
  record(entry: JournalEntry): void;
  list(): JournalEntry[];
  clear(): void;
}

export const DEFAULT_JOURNAL_LIMIT = 1000;

export function createRequestJournal(limit = DEFAULT_JOURNAL_LIMIT): RequestJournal {
  let entries: JournalEntry[] = [];
  return {
    record(entry) {
      entries.push(entry);
      if (entries.length > limit) entries = entries.slice(entries.length - limit);
    },
    list: () => structuredClone(entries),
    clear() {
      entries = [];
    },
  };
}
