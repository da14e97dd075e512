import type { AttributeSource } from '../../provisioning/mapping/expression/index.ts';
import type { SourceSnapshot, SourceUserEntry } from '../apply/source-snapshot.ts';
import type { CompiledSourceMapping, SourceMapping } from '../mapping/compile-source-mapping.ts';
import { mappedColumns } from './expression-columns.ts';
import type { CsvRow, ParsedCsvFile } from './parse-csv-file.ts';

/** One problem of a CSV import: its physical line (1 is the header), the row's key when known, why. */
export interface CsvImportProblem {
  readonly line: number;
  readonly key: string | null;
  readonly reason: string;
}

export interface CsvSnapshotResult {
  readonly snapshot: SourceSnapshot;
  readonly problems: readonly CsvImportProblem[];
  /** Problems with the file as a whole (header, encoding, mapping): nothing may be applied. */
  readonly fatal: boolean;
  /** Data rows read (good or not, malformed ones included). */
  readonly rows: number;
  /** Notes that do not stop the import (columns nobody maps; deletions withheld). */
  readonly warnings: readonly string[];
  /** The line each key was read on (the first, for a repeated key). */
  readonly lineOf: ReadonlyMap<string, number>;
}

const TRUE = new Set(['true', '1', 'yes', 'y']);
const FALSE = new Set(['false', '0', 'no', 'n']);

/** Column lookup by exact name first, then ignoring case (HR exports are loose about case). */
function columnReader(header: readonly string[]) {
  const byLower = new Map<string, string>();
  for (const name of header) if (!byLower.has(name.toLowerCase())) byLower.set(name.toLowerCase(), name);
  const exact = new Set(header);
  return (name: string): string | undefined => (exact.has(name) ? name : byLower.get(name.toLowerCase()));
}

/**
 * Checks and converts what a row's expressions produced: an empty cell is an absent value (null),
 * `active` must read as a boolean, an e-mail needs an `@`, a mapped userName may not be empty.
 * Returns the reason of the first bad value.
 */
function checkValues(attributes: Record<string, unknown>): string | undefined {
  for (const [path, raw] of Object.entries(attributes)) {
    const value = typeof raw === 'string' ? raw.trim() : raw;
    if (value === '' || value === undefined) {
      attributes[path] = null;
      continue;
    }
    attributes[path] = value;
    if (path === 'active' && typeof value === 'string') {
      const lower = value.toLowerCase();
      if (TRUE.has(lower)) attributes[path] = true;
      else if (FALSE.has(lower)) attributes[path] = false;
      else return `active: "${value}" is not true or false`;
    }
    if (path.startsWith('emails') && path.endsWith('value')) {
      const values = Array.isArray(value) ? value : [value];
      const bad = values.find((item) => typeof item === 'string' && !/^[^@\s]+@[^@\s]+$/.test(item));
      if (bad !== undefined) return `${path}: "${String(bad)}" is not an e-mail address`;
    }
  }
  if ('userName' in attributes && attributes.userName === null) return 'userName: the value is empty';
  return undefined;
}

/**
 * Turns the rows of a parsed CSV file into a source snapshot of users keyed by the key column, with
 * every problem on its line: the parser's (encoding, quoting, field counts), an empty or repeated
 * key, a mapped column the header lacks (once, on line 1), an expression that fails, a bad value.
 * A repeated key is an invalid entry (reported, neither written nor deleted). A complete file whose
 * rows cannot all be keyed (a malformed row, an empty key) withholds deletions: the unreadable row
 * might be someone who is still there.
 */
export function buildCsvSnapshot(
  file: ParsedCsvFile,
  options: {
    readonly key: string;
    readonly mapping: SourceMapping;
    readonly compiled: CompiledSourceMapping;
    readonly complete: boolean;
  },
): CsvSnapshotResult {
  const problems: CsvImportProblem[] = file.problems.map((problem) => ({ ...problem, key: null }));
  const warnings: string[] = [];
  let fatal = file.problems.some((problem) => problem.line === 1);
  const column = columnReader(file.header);
  const keyColumn = column(options.key);
  if (file.header.length > 0 && keyColumn === undefined) {
    problems.push({ line: 1, key: null, reason: `the header has no key column "${options.key}"` });
    fatal = true;
  }
  const used = new Set(keyColumn === undefined ? [] : [keyColumn]);
  for (const [name, paths] of mappedColumns(options.mapping)) {
    const found = column(name);
    if (found !== undefined) used.add(found);
    else if (file.header.length > 0) {
      problems.push({
        line: 1,
        key: null,
        reason: `unknown column "${name}": the mapping of ${paths.join(', ')} reads it, the header does not have it`,
      });
      fatal = true;
    }
  }
  const unused = file.header.filter((name) => !used.has(name));
  if (unused.length > 0) warnings.push(`columns not mapped (ignored): ${unused.join(', ')}`);

  const byKey = new Map<string, CsvRow[]>();
  let unkeyed = file.problems.filter((problem) => problem.line > 1).length;
  for (const row of file.rows) {
    const key = keyColumn === undefined ? '' : (row.values[keyColumn] ?? '').trim();
    if (key === '') {
      if (keyColumn !== undefined)
        problems.push({ line: row.line, key: null, reason: `the key column "${keyColumn}" is empty` });
      unkeyed++;
      continue;
    }
    byKey.set(key, [...(byKey.get(key) ?? []), row]);
  }

  const users: SourceUserEntry[] = [];
  for (const [key, rows] of byKey) {
    if (rows.length > 1) {
      const lines = rows.map((row) => row.line);
      for (const row of rows)
        problems.push({
          line: row.line,
          key,
          reason: `duplicate key "${key}" (lines ${lines.join(', ')})`,
        });
      users.push({ key, attributes: {}, problem: `duplicate key on lines ${lines.join(', ')}` });
      continue;
    }
    const row = rows[0] as CsvRow;
    const read: AttributeSource = (name) => {
      const found = column(name);
      const value = found === undefined ? undefined : row.values[found];
      return value === undefined || value === '' ? undefined : value;
    };
    const mapped = options.compiled.map(read);
    const reason = mapped.ok ? checkValues(mapped.attributes) : mapped.message;
    if (reason !== undefined) {
      problems.push({ line: row.line, key, reason });
      users.push({ key, attributes: {}, problem: `line ${row.line}: ${reason}` });
      continue;
    }
    users.push({ key, attributes: (mapped as { attributes: Record<string, unknown> }).attributes });
  }

  const complete = options.complete && unkeyed === 0 && !fatal;
  if (options.complete && !complete && !fatal)
    warnings.push(
      `deletions withheld: ${unkeyed} row(s) have no readable key, so the file cannot say who is gone`,
    );
  problems.sort((a, b) => a.line - b.line);
  return {
    snapshot: { complete, users, groups: [], orgUnits: [] },
    problems,
    fatal,
    rows: file.rows.length + file.problems.filter((problem) => problem.line > 1).length,
    warnings,
    lineOf: new Map([...byKey].map(([key, rows]) => [key, rows[0]?.line ?? 0])),
  };
}
