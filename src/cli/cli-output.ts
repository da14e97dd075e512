import { AdminApiError, type AdminApiErrorKind } from './admin-client.ts';

/** Exit codes with a meaning scripts can rely on (listed in `lockstep --help`). */
export const EXIT = {
  ok: 0,
  failure: 1,
  usage: 2,
  notFound: 3,
  conflict: 4,
  unauthorized: 5,
  rateLimited: 6,
  unreachable: 69,
  config: 78,
} as const;

export const EXIT_CODES_HELP = `
Exit codes:
  0   success
  1   unexpected failure
  2   usage error or invalid input (the server answered 400)
  3   not found (404)
  4   conflict: exists already, still referenced or at a limit (409)
  5   the admin token was refused or may not do this (401, 403)
  6   rate limited (429): try again later
  69  the server cannot be reached
  78  configuration error (URL, token, DATABASE_URL, ...)

Admin commands talk to a running server: --url or LOCKSTEP_URL (default http://127.0.0.1:8080),
and an admin token from --token or LOCKSTEP_ADMIN_TOKEN.`;

/** A mistake in how the command was called (exit 2), found by the CLI itself. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

const EXIT_BY_KIND: Readonly<Record<AdminApiErrorKind, number>> = {
  config: EXIT.config,
  unreachable: EXIT.unreachable,
  invalid: EXIT.usage,
  unauthorized: EXIT.unauthorized,
  forbidden: EXIT.unauthorized,
  not_found: EXIT.notFound,
  conflict: EXIT.conflict,
  rate_limited: EXIT.rateLimited,
  failure: EXIT.failure,
};

/** Prints a failure in plain words (no stack trace for expected errors) and returns its exit code. */
export function reportFailure(error: unknown): number {
  if (error instanceof AdminApiError) {
    console.error(`Error: ${error.message}`);
    for (const field of error.fields) console.error(`  ${field.path || '(body)'}: ${field.message}`);
    if (error.references.length > 0) {
      console.error('Still referenced by:');
      for (const reference of error.references)
        console.error(`  ${reference.kind} "${reference.name}" (${reference.id})`);
    }
    return EXIT_BY_KIND[error.kind];
  }
  if (error instanceof UsageError) {
    console.error(`Error: ${error.message}`);
    return EXIT.usage;
  }
  // By name, so that admin commands need not load the storage layer (serve throws these).
  if (error instanceof Error && (error.name === 'ConfigError' || error.name === 'StorageError')) {
    console.error(`Error: ${error.message}`);
    return EXIT.config;
  }
  console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  return EXIT.failure;
}

/** JSON for scripts: what the API answered, indented. */
export function printJson(value: unknown): void {
  console.log(JSON.stringify(value, null, 2));
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

/** Label / value lines for one object (`show` commands). */
export function printFields(fields: readonly (readonly [string, string])[]): void {
  const width = Math.max(...fields.map(([label]) => label.length));
  for (const [label, value] of fields) console.log(`${`${label}:`.padEnd(width + 2)}${value}`);
}

/** A nullable value for a table cell. */
export function cell(value: string | number | boolean | null | undefined): string {
  return value === null || value === undefined || value === '' ? '-' : String(value);
}
