import { parse } from 'csv-parse/sync';

/** One problem of a CSV file, at the physical line it starts on (1-based; the header is line 1). */
export interface CsvProblem {
  readonly line: number;
  readonly reason: string;
}

export interface CsvRow {
  readonly line: number;
  readonly values: Readonly<Record<string, string>>;
}

export interface ParsedCsvFile {
  readonly header: readonly string[];
  readonly rows: readonly CsvRow[];
  readonly problems: readonly CsvProblem[];
}

const UTF8 = new TextDecoder('utf-8', { fatal: true });

/** Physical lines whose bytes are not valid UTF-8 (a Latin-1 or Windows-1252 export, a truncated file). */
function invalidUtf8Lines(bytes: Buffer): number[] {
  const lines: number[] = [];
  let start = 0;
  let line = 1;
  for (let index = 0; index <= bytes.length; index++) {
    if (index === bytes.length || bytes[index] === 0x0a) {
      try {
        UTF8.decode(bytes.subarray(start, index));
      } catch {
        lines.push(line);
      }
      start = index + 1;
      line++;
    }
  }
  return lines;
}

/**
 * Reads a CSV file with a header row (RFC 4180, `,` separated; UTF-8 with or without a BOM) into rows
 * keyed by column, and every problem with its line: invalid UTF-8, UTF-16, malformed quoting, a row
 * with more or fewer fields than the header, a duplicate or empty header. A row with a problem is not
 * among `rows`.
 */
export function parseCsvFile(bytes: Buffer): ParsedCsvFile {
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff))
    return { header: [], rows: [], problems: [{ line: 1, reason: 'the file is UTF-16; save it as UTF-8' }] };
  const body = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? bytes.subarray(3) : bytes;
  const problems: CsvProblem[] = invalidUtf8Lines(body).map((line) => ({
    line,
    reason: 'not valid UTF-8 (save the file as UTF-8)',
  }));
  const badLines = new Set(problems.map((problem) => problem.line));
  const records = parse(body.toString('utf8'), {
    info: true,
    relax_column_count: true,
    skip_empty_lines: true,
    skip_records_with_error: true,
    on_skip: (error) => {
      const line = (error as { lines?: number } | undefined)?.lines ?? 0;
      problems.push({ line, reason: `malformed CSV: ${error?.message ?? 'unparsable'}` });
    },
  }) as unknown as { record: string[]; info: { lines: number } }[];
  const [first, ...rest] = records;
  if (first === undefined)
    return {
      header: [],
      rows: [],
      problems: [...problems, { line: 1, reason: 'the file has no header row' }],
    };
  const header = first.record.map((name) => name.trim());
  const seen = new Set<string>();
  for (const name of header) {
    if (name === '') problems.push({ line: 1, reason: 'the header has an empty column name' });
    else if (seen.has(name)) problems.push({ line: 1, reason: `the header names column "${name}" twice` });
    seen.add(name);
  }
  const rows: CsvRow[] = [];
  for (const { record, info } of rest) {
    // info.lines is the line the record ends on; a record spans as many lines as its text has newlines.
    const line = info.lines - (record.join(',').match(/\n/g)?.length ?? 0);
    if (badLines.has(line)) continue;
    if (record.length !== header.length) {
      problems.push({ line, reason: `has ${record.length} fields, the header has ${header.length}` });
      continue;
    }
    rows.push({ line, values: Object.fromEntries(header.map((name, index) => [name, record[index] ?? ''])) });
  }
  problems.sort((a, b) => a.line - b.line);
  return { header, rows, problems };
}
