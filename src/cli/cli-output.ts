import { TenantError } from '../auth/tenant-service.ts';
import { ConfigError } from '../config.ts';
import { StorageError } from '../storage/open-storage.ts';

/** Exit codes with a meaning scripts can rely on. */
export const EXIT = {
  ok: 0,
  failure: 1,
  usage: 2,
  notFound: 3,
  conflict: 4,
  config: 78,
} as const;

/** Prints a failure in plain words (no stack trace for expected errors) and returns its exit code. */
export function reportFailure(error: unknown): number {
  if (error instanceof TenantError) {
    console.error(`Error: ${error.message}`);
    return error.code === 'not_found' ? EXIT.notFound : error.code === 'exists' ? EXIT.conflict : EXIT.usage;
  }
  if (error instanceof ConfigError || error instanceof StorageError) {
    console.error(`Error: ${error.message}`);
    return EXIT.config;
  }
  console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  return EXIT.failure;
}

/** A plain text table: one header row, columns padded to their widest cell. */
export function printTable(headers: readonly string[], rows: readonly (readonly string[])[]): void {
  const widths = headers.map((header, column) =>
    Math.max(header.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, column) => cell.padEnd(widths[column] ?? 0))
      .join('  ')
      .trimEnd();
  console.log(line(headers));
  for (const row of rows) console.log(line(row));
}
